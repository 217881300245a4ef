import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../../api/client.ts';
import { describeError } from '../../app/errorMessage.ts';
import { isVersionConflict } from '../../ui/ConflictDialog.tsx';
import { ErrorSummary } from '../../ui/ErrorSummary.tsx';
import { Field } from '../../ui/Field.tsx';
import { useFormatters } from '../../ui/format.ts';
import { formErrorsFrom } from '../../ui/formErrors.ts';
import { type NameInput, type Person, personKeys } from './api.ts';
import { useLabel } from './labels.ts';

const SCRIPTS = ['cyrillic', 'latin', 'arabic', 'other'] as const;
const NAME_TYPES = ['primary', 'variant', 'alias', 'kunya', 'nisba', 'maiden', 'document'] as const;
const SOURCES = [
  'passport',
  'id_card',
  'birth_certificate',
  'civil_registry',
  'camp_list',
  'ngo_list',
  'un_agency_list',
  'testimony',
  'self_declared',
  'other',
] as const;

/** Every recorded name (never overwritten), which one is displayed, and adding a variant. */
export function NamesPanel({ person, canEdit }: { person: Person; canEdit: boolean }) {
  const { t } = useTranslation('caseFile');
  const { t: tApp } = useTranslation();
  const fmt = useFormatters();
  const label = useLabel();
  const queryClient = useQueryClient();
  const [adding, setAdding] = useState(false);
  const display = useMutation({
    mutationFn: (nameId: string) =>
      call(
        api.PUT('/api/persons/{id}/display-name', {
          params: { path: { id: person.id } },
          body: { nameId, version: person.version },
        }),
      ),
    onSuccess: (saved) => {
      queryClient.setQueryData(personKeys.detail(person.id), saved);
      void queryClient.invalidateQueries({ queryKey: ['case'] });
    },
    onError: (error) => {
      if (isVersionConflict(error))
        void queryClient.invalidateQueries({ queryKey: personKeys.detail(person.id) });
    },
  });
  return (
    <section className="card" aria-labelledby="names-heading">
      <div className="card-heading">
        <h3 id="names-heading">{t('names.title', { count: person.names.length })}</h3>
        {canEdit && !adding && (
          <button type="button" className="button button-secondary" onClick={() => setAdding(true)}>
            {t('names.add')}
          </button>
        )}
      </div>
      {display.error ? (
        <p className="field-error" role="alert">
          {isVersionConflict(display.error) ? t('names.displayConflict') : describeError(tApp, display.error)}
        </p>
      ) : null}
      <div className="table-wrap">
        <table className="data-table">
          <caption className="visually-hidden">{t('names.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('names.fullName')}</th>
              <th scope="col">{t('names.type')}</th>
              <th scope="col">{t('names.script')}</th>
              <th scope="col">{t('names.language')}</th>
              <th scope="col">{t('names.source')}</th>
              <th scope="col">{t('names.romanisation')}</th>
              <th scope="col">{t('names.recordedOn')}</th>
              <th scope="col">{t('names.displayed')}</th>
            </tr>
          </thead>
          <tbody>
            {person.names.map((name) => (
              <tr key={name.id}>
                <th scope="row">
                  <bdi lang={name.language ?? undefined}>{name.fullName}</bdi>
                </th>
                <td data-label={t('names.type')}>{label('nameType', name.nameType)}</td>
                <td data-label={t('names.script')}>{label('script', name.script)}</td>
                <td data-label={t('names.language')}>{name.language ?? '—'}</td>
                <td data-label={t('names.source')}>{label('source', name.source)}</td>
                <td data-label={t('names.romanisation')}>{name.romanisation ?? '—'}</td>
                <td data-label={t('names.recordedOn')}>{fmt.date(name.recordedOn)}</td>
                <td data-label={t('names.displayed')}>
                  {name.isDisplay ? (
                    <strong>{t('names.isDisplayed')}</strong>
                  ) : canEdit ? (
                    <button
                      type="button"
                      className="button button-link"
                      disabled={display.isPending}
                      onClick={() => display.mutate(name.id)}
                    >
                      {t('names.makeDisplay')}
                      <span className="visually-hidden">
                        {' '}
                        <bdi>{name.fullName}</bdi>
                      </span>
                    </button>
                  ) : (
                    t('names.notDisplayed')
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {adding && <AddNameForm personId={person.id} onDone={() => setAdding(false)} />}
    </section>
  );
}

const NAME_FIELD_IDS: Record<string, string> = {
  fullName: 'name-full',
  givenName: 'name-given',
  familyName: 'name-family',
  patronymic: 'name-patronymic',
  script: 'name-script',
  language: 'name-language',
  nameType: 'name-type',
  source: 'name-source',
  romanisation: 'name-romanisation',
  recordedOn: 'name-recorded-on',
};

function AddNameForm({ personId, onDone }: { personId: string; onDone: () => void }) {
  const { t } = useTranslation('caseFile');
  const { t: tApp } = useTranslation();
  const label = useLabel();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({
    fullName: '',
    givenName: '',
    familyName: '',
    patronymic: '',
    script: 'latin' as NameInput['script'],
    language: '',
    nameType: 'variant' as NameInput['nameType'],
    source: 'testimony' as NameInput['source'],
    romanisation: '',
    recordedOn: '',
    isDisplay: false,
  });
  const set = (key: keyof typeof form, value: string | boolean) => setForm((f) => ({ ...f, [key]: value }));
  const add = useMutation({
    mutationFn: () => {
      const orNull = (value: string) => value.trim() || null;
      const body: NameInput = {
        fullName: form.fullName,
        givenName: orNull(form.givenName),
        familyName: orNull(form.familyName),
        patronymic: orNull(form.patronymic),
        script: form.script,
        language: orNull(form.language),
        nameType: form.nameType,
        source: form.source,
        romanisation: orNull(form.romanisation),
        isDisplay: form.isDisplay,
        ...(form.recordedOn ? { recordedOn: form.recordedOn } : {}),
      };
      return call(api.POST('/api/persons/{id}/names', { params: { path: { id: personId } }, body }));
    },
    onSuccess: (saved) => {
      queryClient.setQueryData(personKeys.detail(personId), saved);
      void queryClient.invalidateQueries({ queryKey: ['case'] });
      onDone();
    },
  });
  const errors = formErrorsFrom(tApp, add.error, NAME_FIELD_IDS);
  const select = <K extends 'script' | 'nameType' | 'source'>(
    key: K,
    id: string,
    options: readonly string[],
    group: string,
  ) => (
    <div className={errors.byPath[key] ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>
        {key === 'nameType' ? t('names.type') : key === 'script' ? t('names.script') : t('names.source')}
      </label>
      {errors.byPath[key] && <p className="field-error">{errors.byPath[key]}</p>}
      <select id={id} value={form[key]} onChange={(e) => set(key, e.target.value)}>
        {options.map((o) => (
          <option key={o} value={o}>
            {label(group, o)}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <form
      noValidate
      className="stack add-form"
      aria-labelledby="add-name-heading"
      onSubmit={(e) => {
        e.preventDefault();
        add.mutate();
      }}
    >
      <h4 id="add-name-heading">{t('names.addTitle')}</h4>
      <ErrorSummary messages={errors.summary} />
      <Field
        id="name-full"
        label={t('names.fullName')}
        hint={t('names.fullNameHint')}
        value={form.fullName}
        error={errors.byPath.fullName}
        dir="auto"
        onChange={(e) => set('fullName', e.target.value)}
      />
      <div className="form-grid">
        <Field
          id="name-given"
          label={t('names.givenName')}
          value={form.givenName}
          error={errors.byPath.givenName}
          dir="auto"
          onChange={(e) => set('givenName', e.target.value)}
        />
        <Field
          id="name-family"
          label={t('names.familyName')}
          value={form.familyName}
          error={errors.byPath.familyName}
          dir="auto"
          onChange={(e) => set('familyName', e.target.value)}
        />
        <Field
          id="name-patronymic"
          label={t('names.patronymic')}
          value={form.patronymic}
          error={errors.byPath.patronymic}
          dir="auto"
          onChange={(e) => set('patronymic', e.target.value)}
        />
        {select('script', 'name-script', SCRIPTS, 'script')}
        {select('nameType', 'name-type', NAME_TYPES, 'nameType')}
        {select('source', 'name-source', SOURCES, 'source')}
        <Field
          id="name-language"
          label={t('names.language')}
          hint={t('names.languageHint')}
          value={form.language}
          error={errors.byPath.language}
          onChange={(e) => set('language', e.target.value)}
        />
        <Field
          id="name-romanisation"
          label={t('names.romanisation')}
          hint={t('names.romanisationHint')}
          value={form.romanisation}
          error={errors.byPath.romanisation}
          onChange={(e) => set('romanisation', e.target.value)}
        />
        <Field
          id="name-recorded-on"
          type="date"
          label={t('names.recordedOn')}
          hint={t('names.recordedOnHint')}
          value={form.recordedOn}
          error={errors.byPath.recordedOn}
          onChange={(e) => set('recordedOn', e.target.value)}
        />
      </div>
      <div className="field field-checkbox">
        <input
          id="name-is-display"
          type="checkbox"
          checked={form.isDisplay}
          onChange={(e) => set('isDisplay', e.target.checked)}
        />
        <label htmlFor="name-is-display">{t('names.setDisplay')}</label>
      </div>
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={add.isPending}>
          {add.isPending ? t('common.saving') : t('names.save')}
        </button>
        <button type="button" className="button button-secondary" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
