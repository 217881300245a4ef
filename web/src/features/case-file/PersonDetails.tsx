import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../../api/client.ts';
import { isApiError } from '../../api/errors.ts';
import { describeError } from '../../app/errorMessage.ts';
import {
  type ConflictChoice,
  ConflictDialog,
  type ConflictField,
  isVersionConflict,
} from '../../ui/ConflictDialog.tsx';
import { ErrorSummary } from '../../ui/ErrorSummary.tsx';
import { Field } from '../../ui/Field.tsx';
import { type Formatters, useFormatters } from '../../ui/format.ts';
import { formErrorsFrom } from '../../ui/formErrors.ts';
import { isRestricted, Maskable } from '../../ui/Restricted.tsx';
import { type Compartment, type Person, personKeys, type UpdatePerson } from './api.ts';
import { useLabel } from './labels.ts';

export const SEXES = ['female', 'male', 'unknown'] as const;
export const WHEREABOUTS = [
  'in_country',
  'camp',
  'detention',
  'abroad_other',
  'deceased',
  'unknown',
] as const;
export const FLAGS = [
  'unaccompanied',
  'separated',
  'orphan',
  'disability',
  'pregnant',
  'trafficking_indicators',
  'witness',
] as const;
const BIRTH_KINDS = ['exact', 'year', 'range', 'unknown'] as const;

type Label = ReturnType<typeof useLabel>;

/** The date of birth with its uncertainty written out: exact, year only, a range, or unknown. */
export function describeBirthDate(person: Pick<Person, 'birthDate'>, fmt: Formatters, label: Label): string {
  const { kind, from, to } = person.birthDate;
  switch (kind) {
    case 'exact':
      return `${fmt.date(from)} (${label('birthKind', 'exact')})`;
    case 'year':
      return `${from?.slice(0, 4) ?? ''} (${label('birthKind', 'year')})`;
    case 'range':
      return `${fmt.date(from)} – ${fmt.date(to)} (${label('birthKind', 'range')})`;
    case 'unknown':
      return label('birthKind', 'unknown');
    default: {
      const never: never = kind;
      return never;
    }
  }
}

export function describeAge(
  person: Pick<Person, 'age'>,
  t: ReturnType<typeof useTranslation<'caseFile'>>['t'],
) {
  const age = person.age;
  if (!age) return t('person.ageUnknown');
  const years =
    age.youngest === age.oldest
      ? t('person.ageYears', { count: age.youngest })
      : t('person.ageRange', { from: age.youngest, to: age.oldest });
  return age.bandCertain ? years : `${years} (${t('person.ageBandUncertain')})`;
}

/** What the edit form holds: plain strings for inputs, so nothing typed is ever reshaped. */
interface PersonDraft {
  sex: (typeof SEXES)[number];
  birthKind: (typeof BIRTH_KINDS)[number];
  birthDate: string;
  birthYear: string;
  birthFrom: string;
  birthTo: string;
  placeOfBirth: string;
  placeOfBirthIsCamp: boolean;
  whereabouts: (typeof WHEREABOUTS)[number];
  whereaboutsDetail: string;
  flags: string[];
}
type DraftKey =
  | 'sex'
  | 'birthDate'
  | 'placeOfBirth'
  | 'placeOfBirthIsCamp'
  | 'whereabouts'
  | 'whereaboutsDetail'
  | 'flags';
const DRAFT_KEYS: DraftKey[] = [
  'sex',
  'birthDate',
  'placeOfBirth',
  'placeOfBirthIsCamp',
  'whereabouts',
  'whereaboutsDetail',
  'flags',
];

function draftFrom(person: Person): PersonDraft {
  const { kind, from, to } = person.birthDate;
  return {
    sex: person.sex,
    birthKind: kind,
    birthDate: kind === 'exact' ? (from ?? '') : '',
    birthYear: kind === 'year' ? (from?.slice(0, 4) ?? '') : '',
    birthFrom: kind === 'range' ? (from ?? '') : '',
    birthTo: kind === 'range' ? (to ?? '') : '',
    placeOfBirth: typeof person.placeOfBirth === 'string' ? person.placeOfBirth : '',
    placeOfBirthIsCamp: person.placeOfBirthIsCamp,
    whereabouts: person.whereabouts,
    whereaboutsDetail: typeof person.whereaboutsDetail === 'string' ? person.whereaboutsDetail : '',
    flags: [...person.flags].sort(),
  };
}

function birthDateOf(draft: PersonDraft): UpdatePerson['birthDate'] {
  switch (draft.birthKind) {
    case 'exact':
      return { kind: 'exact', date: draft.birthDate };
    case 'year':
      return { kind: 'year', year: Number(draft.birthYear) };
    case 'range':
      return { kind: 'range', from: draft.birthFrom, to: draft.birthTo };
    default:
      return { kind: 'unknown' };
  }
}

/** One comparable text per field, for the change check and for the conflict dialog. */
function fieldText(draft: PersonDraft, key: DraftKey, label: Label, fmt: Formatters): string {
  switch (key) {
    case 'sex':
      return label('sex', draft.sex);
    case 'birthDate':
      return describeBirthDate(
        {
          birthDate: {
            kind: draft.birthKind,
            from:
              draft.birthKind === 'exact'
                ? draft.birthDate
                : draft.birthKind === 'year'
                  ? `${draft.birthYear}-01-01`
                  : draft.birthFrom,
            to: draft.birthTo,
          },
        },
        fmt,
        label,
      );
    case 'placeOfBirth':
      return draft.placeOfBirth.trim();
    case 'placeOfBirthIsCamp':
      return label('yesNo', draft.placeOfBirthIsCamp ? 'yes' : 'no');
    case 'whereabouts':
      return label('whereabouts', draft.whereabouts);
    case 'whereaboutsDetail':
      return draft.whereaboutsDetail.trim();
    case 'flags':
      return [...draft.flags]
        .sort()
        .map((f) => label('flag', f))
        .join(', ');
    default: {
      const never: never = key;
      return never;
    }
  }
}

/** The PATCH body: only the fields the user changed from the record they read. */
function patchOf(draft: PersonDraft, base: PersonDraft, person: Person, label: Label, fmt: Formatters) {
  const body: UpdatePerson = { version: person.version };
  const changed = (key: DraftKey) => fieldText(draft, key, label, fmt) !== fieldText(base, key, label, fmt);
  if (changed('sex')) body.sex = draft.sex;
  if (changed('birthDate') || draft.birthKind !== base.birthKind) body.birthDate = birthDateOf(draft);
  if (changed('placeOfBirth') && !isRestricted(person.placeOfBirth))
    body.placeOfBirth = draft.placeOfBirth.trim() || null;
  if (changed('placeOfBirthIsCamp')) body.placeOfBirthIsCamp = draft.placeOfBirthIsCamp;
  if (changed('whereabouts')) body.whereabouts = draft.whereabouts;
  if (changed('whereaboutsDetail') && !isRestricted(person.whereaboutsDetail))
    body.whereaboutsDetail = draft.whereaboutsDetail.trim() || null;
  if (changed('flags')) body.flags = draft.flags as UpdatePerson['flags'];
  return body;
}

function pick(theirs: PersonDraft, key: DraftKey): Partial<PersonDraft> {
  if (key === 'birthDate') {
    const { birthKind, birthDate, birthYear, birthFrom, birthTo } = theirs;
    return { birthKind, birthDate, birthYear, birthFrom, birthTo };
  }
  return { [key]: theirs[key] } as Partial<PersonDraft>;
}

/** The person's facts, and (with persons:write) their edit form, which survives a 409. */
export function PersonDetails({
  person,
  canEdit,
  onRequestAccess,
}: {
  person: Person;
  canEdit: boolean;
  /** Offered next to a restricted field: emergency access to its compartment (break-glass). */
  onRequestAccess?: ((compartment: Compartment) => void) | undefined;
}) {
  const { t } = useTranslation('caseFile');
  const requestButton = (value: unknown, field: string) =>
    onRequestAccess && isRestricted(value) ? (
      <>
        {' '}
        <button
          type="button"
          className="button button-link"
          onClick={() => onRequestAccess(value.compartment as Compartment)}
        >
          {t('restricted.requestField')}
          <span className="visually-hidden">: {field}</span>
        </button>
      </>
    ) : null;
  const fmt = useFormatters();
  const label = useLabel();
  const [editing, setEditing] = useState(false);
  return (
    <section className="card" aria-labelledby="person-details-heading">
      <div className="card-heading">
        <h3 id="person-details-heading">{t('person.details')}</h3>
        {canEdit && !editing && (
          <button type="button" className="button button-secondary" onClick={() => setEditing(true)}>
            {t('person.edit')}
          </button>
        )}
      </div>
      {editing ? (
        <PersonEditForm person={person} onDone={() => setEditing(false)} />
      ) : (
        <dl className="facts">
          <div>
            <dt>{t('person.displayName')}</dt>
            <dd>
              <bdi>{person.displayName ?? t('common.unnamed')}</bdi>
            </dd>
          </div>
          <div>
            <dt>{t('person.sex')}</dt>
            <dd>{label('sex', person.sex)}</dd>
          </div>
          <div>
            <dt>{t('person.birthDate')}</dt>
            <dd>{describeBirthDate(person, fmt, label)}</dd>
          </div>
          <div>
            <dt>{t('person.age')}</dt>
            <dd>
              {describeAge(person, t)}
              {person.age && <> · {label('ageBand', person.age.band)}</>}
            </dd>
          </div>
          <div>
            <dt>{t('person.placeOfBirth')}</dt>
            <dd>
              <Maskable value={person.placeOfBirth} empty={t('common.notRecorded')}>
                {(place) => (
                  <>
                    <bdi>{place}</bdi>
                    {person.placeOfBirthIsCamp && <> ({t('person.camp')})</>}
                  </>
                )}
              </Maskable>
              {requestButton(person.placeOfBirth, t('person.placeOfBirth'))}
            </dd>
          </div>
          <div>
            <dt>{t('person.whereabouts')}</dt>
            <dd>
              {label('whereabouts', person.whereabouts)}
              {person.whereaboutsDetail !== null && (
                <>
                  {' — '}
                  <Maskable value={person.whereaboutsDetail}>{(detail) => <bdi>{detail}</bdi>}</Maskable>
                  {requestButton(person.whereaboutsDetail, t('person.whereaboutsDetail'))}
                </>
              )}
            </dd>
          </div>
          <div>
            <dt>{t('person.flags')}</dt>
            <dd>
              {person.flags.length === 0 ? (
                t('person.noFlags')
              ) : (
                <ul className="tags">
                  {person.flags.map((flag) => (
                    <li key={flag}>{label('flag', flag)}</li>
                  ))}
                </ul>
              )}
            </dd>
          </div>
        </dl>
      )}
    </section>
  );
}

const FIELD_IDS: Record<string, string> = {
  sex: 'person-sex',
  birthDate: 'person-birth-kind',
  'birthDate.date': 'person-birth-date',
  'birthDate.year': 'person-birth-year',
  'birthDate.from': 'person-birth-from',
  'birthDate.to': 'person-birth-to',
  placeOfBirth: 'person-place-of-birth',
  whereabouts: 'person-whereabouts',
  whereaboutsDetail: 'person-whereabouts-detail',
  flags: 'person-flags',
  version: 'person-sex',
};

function PersonEditForm({ person, onDone }: { person: Person; onDone: () => void }) {
  const { t } = useTranslation('caseFile');
  const { t: tApp } = useTranslation();
  const fmt = useFormatters();
  const label = useLabel();
  const queryClient = useQueryClient();
  /** The record the draft was started from: what "changed" means, and the version sent. */
  const [base, setBase] = useState<Person>(person);
  const [draft, setDraft] = useState<PersonDraft>(() => draftFrom(person));
  const [conflict, setConflict] = useState<Person | null>(null);
  const set = <K extends keyof PersonDraft>(key: K, value: PersonDraft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));

  const save = useMutation({
    mutationFn: (input: { draft: PersonDraft; base: Person }) =>
      call(
        api.PATCH('/api/persons/{id}', {
          params: { path: { id: person.id } },
          body: patchOf(input.draft, draftFrom(input.base), input.base, label, fmt),
        }),
      ),
    onSuccess: (saved) => {
      queryClient.setQueryData(personKeys.detail(person.id), saved);
      void queryClient.invalidateQueries({ queryKey: personKeys.all(person.id) });
      void queryClient.invalidateQueries({ queryKey: ['case'] });
      setConflict(null);
      onDone();
    },
    onError: async (error, input) => {
      if (!isVersionConflict(error)) return;
      const current = await queryClient.fetchQuery({
        queryKey: personKeys.detail(person.id),
        queryFn: () => call(api.GET('/api/persons/{id}', { params: { path: { id: person.id } } })),
        staleTime: 0,
      });
      // Fields the user left alone take the other person's values; only real clashes remain.
      const read = draftFrom(input.base);
      const theirs = draftFrom(current);
      setDraft((d) => {
        let rebased = d;
        for (const key of DRAFT_KEYS) {
          if (fieldText(d, key, label, fmt) === fieldText(read, key, label, fmt))
            rebased = { ...rebased, ...pick(theirs, key) };
        }
        return rebased;
      });
      setConflict(current);
    },
  });

  const errors =
    save.error && !isVersionConflict(save.error) ? formErrorsFrom(tApp, save.error, FIELD_IDS) : null;
  const err = (path: string) => errors?.byPath[path];
  const theirs = conflict ? draftFrom(conflict) : null;
  const conflictFields: ConflictField[] = theirs
    ? DRAFT_KEYS.map((key) => ({
        key,
        label: t(`personField.${key}`),
        mine: fieldText(draft, key, label, fmt),
        theirs: fieldText(theirs, key, label, fmt),
      }))
    : [];

  return (
    <form
      noValidate
      className="stack"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate({ draft, base });
      }}
    >
      {errors && <ErrorSummary messages={errors.summary} />}
      <div className="field">
        <label htmlFor="person-sex">{t('person.sex')}</label>
        <select
          id="person-sex"
          value={draft.sex}
          onChange={(e) => set('sex', e.target.value as PersonDraft['sex'])}
        >
          {SEXES.map((sex) => (
            <option key={sex} value={sex}>
              {label('sex', sex)}
            </option>
          ))}
        </select>
      </div>
      <fieldset className="fieldset">
        <legend>{t('person.birthDate')}</legend>
        <div className={err('birthDate') ? 'field field-invalid' : 'field'}>
          <label htmlFor="person-birth-kind">{t('person.birthKind')}</label>
          {err('birthDate') && <p className="field-error">{err('birthDate')}</p>}
          <select
            id="person-birth-kind"
            value={draft.birthKind}
            onChange={(e) => set('birthKind', e.target.value as PersonDraft['birthKind'])}
          >
            {BIRTH_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {label('birthKind', kind)}
              </option>
            ))}
          </select>
        </div>
        {draft.birthKind === 'exact' && (
          <Field
            id="person-birth-date"
            type="date"
            label={t('person.birthExact')}
            value={draft.birthDate}
            error={err('birthDate.date')}
            onChange={(e) => set('birthDate', e.target.value)}
          />
        )}
        {draft.birthKind === 'year' && (
          <Field
            id="person-birth-year"
            inputMode="numeric"
            label={t('person.birthYear')}
            value={draft.birthYear}
            error={err('birthDate.year')}
            onChange={(e) => set('birthYear', e.target.value)}
          />
        )}
        {draft.birthKind === 'range' && (
          <>
            <Field
              id="person-birth-from"
              type="date"
              label={t('person.birthFrom')}
              value={draft.birthFrom}
              error={err('birthDate.from')}
              onChange={(e) => set('birthFrom', e.target.value)}
            />
            <Field
              id="person-birth-to"
              type="date"
              label={t('person.birthTo')}
              value={draft.birthTo}
              error={err('birthDate.to')}
              onChange={(e) => set('birthTo', e.target.value)}
            />
          </>
        )}
      </fieldset>
      {isRestricted(person.placeOfBirth) ? (
        <p>
          {t('person.placeOfBirth')}: <Maskable value={person.placeOfBirth}>{() => null}</Maskable>
        </p>
      ) : (
        <>
          <Field
            id="person-place-of-birth"
            label={t('person.placeOfBirth')}
            value={draft.placeOfBirth}
            error={err('placeOfBirth')}
            onChange={(e) => set('placeOfBirth', e.target.value)}
          />
          <div className="field field-checkbox">
            <input
              id="person-place-camp"
              type="checkbox"
              checked={draft.placeOfBirthIsCamp}
              onChange={(e) => set('placeOfBirthIsCamp', e.target.checked)}
            />
            <label htmlFor="person-place-camp">{t('person.placeIsCamp')}</label>
          </div>
        </>
      )}
      <div className={err('whereabouts') ? 'field field-invalid' : 'field'}>
        <label htmlFor="person-whereabouts">{t('person.whereabouts')}</label>
        {err('whereabouts') && <p className="field-error">{err('whereabouts')}</p>}
        <select
          id="person-whereabouts"
          value={draft.whereabouts}
          onChange={(e) => set('whereabouts', e.target.value as PersonDraft['whereabouts'])}
        >
          {WHEREABOUTS.map((w) => (
            <option key={w} value={w}>
              {label('whereabouts', w)}
            </option>
          ))}
        </select>
      </div>
      {isRestricted(person.whereaboutsDetail) ? (
        <p>
          {t('person.whereaboutsDetail')}: <Maskable value={person.whereaboutsDetail}>{() => null}</Maskable>
        </p>
      ) : (
        <Field
          id="person-whereabouts-detail"
          label={t('person.whereaboutsDetail')}
          value={draft.whereaboutsDetail}
          error={err('whereaboutsDetail')}
          onChange={(e) => set('whereaboutsDetail', e.target.value)}
        />
      )}
      <fieldset className="fieldset" id="person-flags" tabIndex={-1}>
        <legend>{t('person.flags')}</legend>
        {err('flags') && <p className="field-error">{err('flags')}</p>}
        <div className="checkbox-grid">
          {FLAGS.map((flag) => (
            <div className="field-checkbox" key={flag}>
              <input
                id={`person-flag-${flag}`}
                type="checkbox"
                checked={draft.flags.includes(flag)}
                onChange={(e) =>
                  set(
                    'flags',
                    e.target.checked ? [...draft.flags, flag].sort() : draft.flags.filter((f) => f !== flag),
                  )
                }
              />
              <label htmlFor={`person-flag-${flag}`}>{label('flag', flag)}</label>
            </div>
          ))}
        </div>
      </fieldset>
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={save.isPending}>
          {save.isPending ? t('common.saving') : t('person.save')}
        </button>
        <button type="button" className="button button-secondary" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
      <ConflictDialog
        open={conflict !== null}
        fields={conflictFields}
        busy={save.isPending}
        error={
          save.error && conflict && !isVersionConflict(save.error)
            ? isApiError(save.error) && save.error.status < 500
              ? save.error.message
              : describeError(tApp, save.error)
            : undefined
        }
        onSave={(choices: Record<string, ConflictChoice>) => {
          if (!conflict || !theirs) return;
          let merged = draft;
          for (const key of DRAFT_KEYS) {
            if (choices[key] === 'theirs') merged = { ...merged, ...pick(theirs, key) };
          }
          setDraft(merged);
          setBase(conflict);
          save.mutate({ draft: merged, base: conflict });
        }}
        onTakeTheirs={() => {
          if (!conflict || !theirs) return;
          setDraft(theirs);
          setBase(conflict);
          setConflict(null);
          save.reset();
          onDone();
        }}
        onReload={() => {
          if (!conflict) return;
          setBase(conflict);
          setConflict(null);
          save.reset();
        }}
        onClose={() => {
          setConflict(null);
          save.reset();
        }}
      />
    </form>
  );
}
