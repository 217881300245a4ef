import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Me } from '../../api/client.ts';
import { isApiError } from '../../api/errors.ts';
import { describeError } from '../../app/errorMessage.ts';
import { PageHeading } from '../../app/PageHeading.tsx';
import { navigate } from '../../app/router.tsx';
import { useDocumentTitle } from '../../app/useDocumentTitle.ts';
import { ErrorSummary } from '../../ui/ErrorSummary.tsx';
import { hasPermission } from '../case-file/api.ts';
import { useLabel } from '../case-file/labels.ts';
import {
  type BirthDraft,
  type Candidate,
  type Draft,
  derivedAge,
  detectScript,
  duplicateRecord,
  emptyDraft,
  emptyMember,
  emptyName,
  FLAGS,
  intakeBody,
  type MemberDraft,
  memberOpensCase,
  NAME_SOURCES,
  NAME_TYPES,
  NATIONALITY_STATUSES,
  type NameDraft,
  newKey,
  PROVENANCES,
  RELATIONS,
  ROMANISATIONS,
  SCRIPTS,
  SEXES,
  STAGES,
  submitIntake,
  todayIso,
  WHEREABOUTS,
} from './api.ts';
import { DuplicateWarnings } from './Duplicates.tsx';
import {
  type Faults,
  fieldId,
  stepOf,
  validateAll,
  validateMembers,
  validatePerson,
  wizardPath,
} from './validate.ts';
import './registration.css';

const STEP_KEYS = ['person', 'family', 'case', 'review'] as const;

/**
 * The registration wizard: the person, their family, the case, a review, then one intake call that
 * registers the person, every family member, the family unit, the relationships and the cases in
 * one transaction on the server: it all succeeds or nothing is written.
 * Live duplicate warnings follow every name typed. The draft lives in memory only.
 */
export function RegistrationPage({ me }: { me: Me }) {
  const { t } = useTranslation('registration');
  const { t: tRoot } = useTranslation();
  useDocumentTitle(t('title'));
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [step, setStep] = useState(0);
  const [faults, setFaults] = useState<Faults>({});
  const [summaryExtra, setSummaryExtra] = useState<string[]>([]);
  const [submitting, setSubmitting] = useState(false);
  const stepHeading = useRef<HTMLHeadingElement>(null);
  const focusOnStep = useRef(false);
  const pendingFocus = useRef<string | null>(null);

  // Focus moves to the step heading when the user changes step (not when an error summary takes it).
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on each change of step
  useEffect(() => {
    if (focusOnStep.current) stepHeading.current?.focus();
    focusOnStep.current = false;
  }, [step]);
  useEffect(() => {
    if (pendingFocus.current) {
      document.getElementById(pendingFocus.current)?.focus();
      pendingFocus.current = null;
    }
  });

  if (!hasPermission(me.permissions, 'persons:write') || !hasPermission(me.permissions, 'cases:write')) {
    return (
      <div className="registration-page">
        <PageHeading>{t('title')}</PageHeading>
        <p className="notice">{t('noPermission')}</p>
      </div>
    );
  }

  const goTo = (next: number) => {
    focusOnStep.current = true;
    setStep(next);
  };

  const showFaults = (found: Faults, extra: string[] = []) => {
    setFaults(found);
    setSummaryExtra(extra);
    const paths = Object.keys(found);
    if (paths.length > 0) setStep(Math.min(...paths.map(stepOf)));
  };

  const next = () => {
    const found = step === 0 ? validatePerson(t, draft) : step === 1 ? validateMembers(t, draft) : {};
    if (Object.keys(found).length > 0) {
      showFaults(found);
      return;
    }
    setFaults({});
    setSummaryExtra([]);
    goTo(step + 1);
  };

  const updatePerson = (patch: Partial<Draft['person']>) =>
    setDraft((d) => ({ ...d, person: { ...d.person, ...patch } }));
  const updateMember = (key: string, patch: Partial<MemberDraft>) =>
    setDraft((d) => ({ ...d, members: d.members.map((m) => (m.key === key ? { ...m, ...patch } : m)) }));

  /**
   * Server faults: the person's paths are `body.person.…`; a family member's are
   * `body.family.<i>.person.…` (their own fields) or `body.family.<i>.<field>`, shown as `members.<i>.…`.
   */
  const serverFaults = (error: unknown) => {
    if (!isApiError(error) || error.status >= 500 || error.status === 0) {
      showFaults({}, [describeError(tRoot, error)]);
      return;
    }
    const issues = error.details?.issues ?? [];
    const found: Faults = {};
    const extra: string[] = [];
    const add = (raw: string, message: string) => {
      const path = wizardPath(raw);
      if (path === null) {
        const member = /^body\.family\.(\d+)/.exec(raw);
        extra.push(member ? t('errors.member', { n: Number(member[1]) + 1, message }) : message);
      } else if (!(path in found)) found[path] = message;
    };
    if (issues.length > 0) for (const issue of issues) add(issue.path, issue.message);
    else if (typeof error.details?.path === 'string') add(error.details.path, error.message);
    else extra.push(error.message);
    showFaults(found, extra);
  };

  const submit = async () => {
    const found = validateAll(t, draft);
    if (Object.keys(found).length > 0) {
      showFaults(found);
      return;
    }
    setSubmitting(true);
    setFaults({});
    setSummaryExtra([]);
    try {
      const created = await submitIntake(intakeBody(draft));
      navigate(`/cases/${created.id}`);
    } catch (error) {
      serverFaults(error);
    } finally {
      setSubmitting(false);
    }
  };

  const summary = [
    ...Object.entries(faults).map(([path, message]) => ({
      text: `${describePath(t, path)}: ${message}`,
      fieldId: fieldId(path),
    })),
    ...summaryExtra.map((text) => ({ text })),
  ];

  const err = (path: string) => faults[path];

  return (
    <div className="registration-page">
      <PageHeading>{t('title')}</PageHeading>
      <nav aria-label={t('steps.label')}>
        <ol className="wizard-steps">
          {STEP_KEYS.map((key, i) => (
            <li
              key={key}
              aria-current={i === step ? 'step' : undefined}
              className={i < step ? 'done' : undefined}
            >
              <span className="wizard-step-number" aria-hidden="true">
                {i + 1}
              </span>
              <span>
                <span className="reg-sr-only">
                  {t('steps.position', { n: i + 1, total: STEP_KEYS.length })}{' '}
                </span>
                {t(`steps.${key}`)}
              </span>
            </li>
          ))}
        </ol>
      </nav>
      <ErrorSummary messages={summary} />
      <form
        className="wizard"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (step === 3) void submit();
          else next();
        }}
      >
        <h2 ref={stepHeading} tabIndex={-1} className="wizard-step-heading">
          {t(`steps.${STEP_KEYS[step] ?? 'person'}`)}
        </h2>
        {step === 0 && <PersonStep draft={draft} update={updatePerson} err={err} />}
        {step === 1 && (
          <FamilyStep
            draft={draft}
            setDraft={setDraft}
            updateMember={updateMember}
            err={err}
            focus={(id) => {
              pendingFocus.current = id;
            }}
          />
        )}
        {step === 2 && (
          <CaseStep
            me={me}
            stage={draft.stage}
            setStage={(stage) => setDraft((d) => ({ ...d, stage }))}
            err={err}
          />
        )}
        {step === 3 && <ReviewStep draft={draft} me={me} edit={goTo} />}
        <div className="actions wizard-nav">
          {step > 0 && (
            <button type="button" className="button button-secondary" onClick={() => goTo(step - 1)}>
              {t('back')}
            </button>
          )}
          {step < 3 ? (
            <button type="submit" className="button button-primary">
              {t('next')}
            </button>
          ) : (
            <button
              type="submit"
              className="button button-primary"
              disabled={submitting}
              aria-busy={submitting}
            >
              {submitting ? t('submitting') : t('submit')}
            </button>
          )}
        </div>
      </form>
    </div>
  );
}

/** "Family member 2, name 1, full name" for the error summary. */
function describePath(t: ReturnType<typeof useTranslation<'registration'>>['t'], path: string): string {
  const parts = path.split('.');
  const out: string[] = [];
  let i = 0;
  if (parts[0] === 'members') {
    out.push(t('family.member', { n: Number(parts[1]) + 1 }));
    i = 2;
  } else if (parts[0] === 'person') i = 1;
  for (; i < parts.length; i++) {
    const part = parts[i] ?? '';
    if (part === 'names') {
      out.push(t('names.nameN', { n: Number(parts[i + 1]) + 1 }));
      i++;
    } else if (part === 'nationalities') {
      out.push(t('nationality.claimN', { n: Number(parts[i + 1]) + 1 }));
      i++;
    } else if (part in FIELD_LABELS) {
      out.push(t(FIELD_LABELS[part] as 'fields.fullName'));
    }
  }
  return out.join(', ') || t('fields.form');
}

const FIELD_LABELS: Record<string, string> = {
  fullName: 'fields.fullName',
  givenName: 'fields.givenName',
  familyName: 'fields.familyName',
  patronymic: 'fields.patronymic',
  script: 'fields.script',
  language: 'fields.language',
  nameType: 'fields.nameType',
  source: 'fields.source',
  romanisation: 'fields.romanisation',
  sex: 'fields.sex',
  birthDate: 'fields.birthDate',
  date: 'birth.date',
  year: 'birth.year',
  from: 'birth.from',
  to: 'birth.to',
  placeOfBirth: 'fields.placeOfBirth',
  whereabouts: 'fields.whereabouts',
  whereaboutsDetail: 'fields.whereaboutsDetail',
  country: 'nationality.country',
  status: 'nationality.status',
  relation: 'family.relation',
  provenance: 'family.provenance',
  relatedPersonId: 'family.relation',
  stage: 'case.stage',
  familyUnitId: 'case.stage',
};

type Err = (path: string) => string | undefined;

function ErrorText({ id, error }: { id: string; error: string | undefined }) {
  if (!error) return null;
  return (
    <p id={`${id}-error`} className="field-error">
      {error}
    </p>
  );
}

function TextInput({
  path,
  label,
  value,
  onChange,
  err,
  hint,
  ...rest
}: {
  path: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  err: Err;
  hint?: string;
  type?: string;
  inputMode?: 'numeric' | 'text';
  list?: string;
  max?: string;
  autoComplete?: string;
  dir?: string;
  required?: boolean;
}) {
  const id = fieldId(path);
  const error = err(path);
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
      <ErrorText id={id} error={error} />
      <input
        id={id}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        autoComplete={rest.autoComplete ?? 'off'}
        {...rest}
      />
    </div>
  );
}

function SelectInput<V extends string>({
  path,
  label,
  value,
  options,
  onChange,
  err,
  placeholder,
  hint,
}: {
  path: string;
  label: string;
  value: V | '';
  options: { value: V; label: string }[];
  onChange: (value: V) => void;
  err: Err;
  placeholder?: string;
  hint?: string;
}) {
  const id = fieldId(path);
  const error = err(path);
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
      <ErrorText id={id} error={error} />
      <select
        id={id}
        value={value}
        onChange={(event) => onChange(event.target.value as V)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
      >
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function NamesEditor({
  prefix,
  names,
  displayKey,
  onChange,
  err,
}: {
  prefix: string;
  names: NameDraft[];
  displayKey: string;
  onChange: (names: NameDraft[], displayKey: string) => void;
  err: Err;
}) {
  const { t } = useTranslation('registration');
  const label = useLabel();
  const set = (key: string, patch: Partial<NameDraft>) =>
    onChange(
      names.map((n) => (n.key === key ? { ...n, ...patch } : n)),
      displayKey,
    );
  return (
    <div className="names">
      {names.map((name, i) => {
        const path = `${prefix}.names.${i}`;
        return (
          <fieldset key={name.key} className="name-card">
            <legend>{t('names.nameN', { n: i + 1 })}</legend>
            <TextInput
              path={`${path}.fullName`}
              label={t('fields.fullName')}
              hint={t('hints.fullName')}
              value={name.fullName}
              dir="auto"
              err={err}
              onChange={(fullName) =>
                set(name.key, name.scriptAuto ? { fullName, script: detectScript(fullName) } : { fullName })
              }
            />
            <div className="field-row">
              <TextInput
                path={`${path}.givenName`}
                label={t('fields.givenName')}
                value={name.givenName}
                dir="auto"
                err={err}
                onChange={(givenName) => set(name.key, { givenName })}
              />
              <TextInput
                path={`${path}.familyName`}
                label={t('fields.familyName')}
                value={name.familyName}
                dir="auto"
                err={err}
                onChange={(familyName) => set(name.key, { familyName })}
              />
              <TextInput
                path={`${path}.patronymic`}
                label={t('fields.patronymic')}
                value={name.patronymic}
                dir="auto"
                err={err}
                onChange={(patronymic) => set(name.key, { patronymic })}
              />
            </div>
            <div className="field-row">
              <SelectInput
                path={`${path}.script`}
                label={t('fields.script')}
                hint={name.scriptAuto ? t('hints.scriptAuto') : undefined}
                value={name.script}
                options={SCRIPTS.map((s) => ({ value: s, label: label('script', s) }))}
                err={err}
                onChange={(script) => set(name.key, { script, scriptAuto: false })}
              />
              <TextInput
                path={`${path}.language`}
                label={t('fields.language')}
                hint={t('hints.language')}
                value={name.language}
                list="reg-languages"
                err={err}
                onChange={(language) => set(name.key, { language })}
              />
              <SelectInput
                path={`${path}.nameType`}
                label={t('fields.nameType')}
                value={name.nameType}
                options={NAME_TYPES.map((v) => ({ value: v, label: label('nameType', v) }))}
                err={err}
                onChange={(nameType) => set(name.key, { nameType })}
              />
              <SelectInput
                path={`${path}.source`}
                label={t('fields.source')}
                value={name.source}
                options={NAME_SOURCES.map((v) => ({ value: v, label: label('source', v) }))}
                err={err}
                onChange={(source) => set(name.key, { source })}
              />
              {name.script === 'latin' && (
                <TextInput
                  path={`${path}.romanisation`}
                  label={t('fields.romanisation')}
                  hint={t('hints.romanisation')}
                  value={name.romanisation}
                  list="reg-romanisations"
                  err={err}
                  onChange={(romanisation) => set(name.key, { romanisation })}
                />
              )}
            </div>
            <div className="check">
              <input
                type="radio"
                id={`${fieldId(path)}-display`}
                name={`${prefix}-display`}
                checked={displayKey === name.key}
                onChange={() => onChange(names, name.key)}
              />
              <label htmlFor={`${fieldId(path)}-display`}>{t('names.display')}</label>
            </div>
            {names.length > 1 && (
              <button
                type="button"
                className="button button-secondary"
                onClick={() => {
                  const rest = names.filter((n) => n.key !== name.key);
                  onChange(rest, displayKey === name.key ? (rest[0]?.key ?? '') : displayKey);
                }}
              >
                {t('names.remove', { n: i + 1 })}
              </button>
            )}
          </fieldset>
        );
      })}
      <button
        type="button"
        className="button button-secondary"
        onClick={() => onChange([...names, emptyName('variant')], displayKey)}
      >
        {t('names.add')}
      </button>
    </div>
  );
}

function BirthEditor({
  prefix,
  birth,
  onChange,
  err,
}: {
  prefix: string;
  birth: BirthDraft;
  onChange: (birth: BirthDraft) => void;
  err: Err;
}) {
  const { t } = useTranslation('registration');
  const path = `${prefix}.birthDate`;
  const age = derivedAge(birth);
  const today = todayIso();
  return (
    <fieldset className="birth">
      <legend>{t('fields.birthDate')}</legend>
      <ErrorText id={fieldId(path)} error={err(path)} />
      <div className="choices" id={fieldId(path)} tabIndex={-1}>
        {(['exact', 'year', 'range', 'unknown'] as const).map((kind) => (
          <div className="check" key={kind}>
            <input
              type="radio"
              id={`${fieldId(path)}-kind-${kind}`}
              name={`${fieldId(path)}-kind`}
              checked={birth.kind === kind}
              onChange={() => onChange({ ...birth, kind })}
            />
            <label htmlFor={`${fieldId(path)}-kind-${kind}`}>{t(`birth.kind.${kind}`)}</label>
          </div>
        ))}
      </div>
      {birth.kind === 'exact' && (
        <TextInput
          path={`${path}.date`}
          label={t('birth.date')}
          type="date"
          max={today}
          value={birth.date}
          err={err}
          onChange={(date) => onChange({ ...birth, date })}
        />
      )}
      {birth.kind === 'year' && (
        <TextInput
          path={`${path}.year`}
          label={t('birth.year')}
          inputMode="numeric"
          value={birth.year}
          err={err}
          onChange={(year) => onChange({ ...birth, year: year.replace(/\D/g, '').slice(0, 4) })}
        />
      )}
      {birth.kind === 'range' && (
        <div className="field-row">
          <TextInput
            path={`${path}.from`}
            label={t('birth.from')}
            type="date"
            max={today}
            value={birth.from}
            err={err}
            onChange={(from) => onChange({ ...birth, from })}
          />
          <TextInput
            path={`${path}.to`}
            label={t('birth.to')}
            type="date"
            max={today}
            value={birth.to}
            err={err}
            onChange={(to) => onChange({ ...birth, to })}
          />
        </div>
      )}
      {age && (
        <p className="derived-age" role="status">
          {age.youngest === age.oldest
            ? t('birth.age', { count: age.youngest })
            : t('birth.ageRange', { youngest: age.youngest, oldest: age.oldest })}
        </p>
      )}
    </fieldset>
  );
}

function PersonStep({
  draft,
  update,
  err,
}: {
  draft: Draft;
  update: (patch: Partial<Draft['person']>) => void;
  err: Err;
}) {
  const { t } = useTranslation('registration');
  const label = useLabel();
  const p = draft.person;
  const record = duplicateRecord(p.names, p.displayKey, p.sex, p.birth, {
    ...(p.placeOfBirth.trim() ? { place_of_birth: p.placeOfBirth.trim() } : {}),
  });
  return (
    <>
      <datalist id="reg-languages">
        {['kk', 'ru', 'uz', 'tg', 'ar', 'en', 'ky', 'tt', 'az', 'tr'].map((l) => (
          <option key={l} value={l} />
        ))}
      </datalist>
      <datalist id="reg-romanisations">
        {ROMANISATIONS.map((r) => (
          <option key={r} value={r} />
        ))}
      </datalist>
      <h3>{t('names.title')}</h3>
      <NamesEditor
        prefix="person"
        names={p.names}
        displayKey={p.displayKey}
        err={err}
        onChange={(names, displayKey) => update({ names, displayKey })}
      />
      <DuplicateWarnings
        id="reg-dup-person"
        record={record}
        dismissed={p.dismissed}
        onDismiss={(id) => update({ dismissed: [...p.dismissed, id] })}
        onSame={(candidate) => navigate(`/persons/${candidate.personId}`)}
        sameLabel={t('duplicates.samePerson')}
      />
      <h3>{t('person.about')}</h3>
      <SelectInput
        path="person.sex"
        label={t('fields.sex')}
        value={p.sex}
        placeholder={t('choose')}
        options={SEXES.map((s) => ({ value: s, label: label('sex', s) }))}
        err={err}
        onChange={(sex) => update({ sex })}
      />
      <BirthEditor prefix="person" birth={p.birth} err={err} onChange={(birth) => update({ birth })} />
      <TextInput
        path="person.placeOfBirth"
        label={t('fields.placeOfBirth')}
        value={p.placeOfBirth}
        dir="auto"
        err={err}
        onChange={(placeOfBirth) => update({ placeOfBirth })}
      />
      <div className="check">
        <input
          type="checkbox"
          id="reg-person-placeOfBirthIsCamp"
          checked={p.placeOfBirthIsCamp}
          onChange={(event) => update({ placeOfBirthIsCamp: event.target.checked })}
        />
        <label htmlFor="reg-person-placeOfBirthIsCamp">{t('fields.placeOfBirthIsCamp')}</label>
      </div>
      <SelectInput
        path="person.whereabouts"
        label={t('fields.whereabouts')}
        value={p.whereabouts}
        options={WHEREABOUTS.map((w) => ({ value: w, label: label('whereabouts', w) }))}
        err={err}
        onChange={(whereabouts) => update({ whereabouts })}
      />
      <TextInput
        path="person.whereaboutsDetail"
        label={t('fields.whereaboutsDetail')}
        value={p.whereaboutsDetail}
        dir="auto"
        err={err}
        onChange={(whereaboutsDetail) => update({ whereaboutsDetail })}
      />
      <fieldset>
        <legend>{t('fields.nationalities')}</legend>
        {p.nationalities.map((n, i) => (
          <div key={n.key} className="field-row nationality">
            <TextInput
              path={`person.nationalities.${i}.country`}
              label={t('nationality.countryN', { n: i + 1 })}
              hint={t('hints.country')}
              value={n.country}
              err={err}
              onChange={(country) =>
                update({
                  nationalities: p.nationalities.map((x) =>
                    x.key === n.key ? { ...x, country: country.toUpperCase().slice(0, 2) } : x,
                  ),
                })
              }
            />
            <SelectInput
              path={`person.nationalities.${i}.status`}
              label={t('nationality.statusN', { n: i + 1 })}
              value={n.status}
              options={NATIONALITY_STATUSES.map((s) => ({ value: s, label: label('nationalityStatus', s) }))}
              err={err}
              onChange={(status) =>
                update({
                  nationalities: p.nationalities.map((x) => (x.key === n.key ? { ...x, status } : x)),
                })
              }
            />
            <button
              type="button"
              className="button button-secondary"
              onClick={() => update({ nationalities: p.nationalities.filter((x) => x.key !== n.key) })}
            >
              {t('nationality.remove', { n: i + 1 })}
            </button>
          </div>
        ))}
        <button
          type="button"
          className="button button-secondary"
          onClick={() =>
            update({
              nationalities: [...p.nationalities, { key: newKey('c'), country: '', status: 'claimed' }],
            })
          }
        >
          {t('nationality.add')}
        </button>
      </fieldset>
      <fieldset>
        <legend>{t('fields.flags')}</legend>
        <div className="choices">
          {FLAGS.map((flag) => (
            <div className="check" key={flag}>
              <input
                type="checkbox"
                id={`reg-flag-${flag}`}
                checked={p.flags.includes(flag)}
                onChange={(event) =>
                  update({
                    flags: event.target.checked ? [...p.flags, flag] : p.flags.filter((f) => f !== flag),
                  })
                }
              />
              <label htmlFor={`reg-flag-${flag}`}>{label('flag', flag)}</label>
            </div>
          ))}
        </div>
      </fieldset>
    </>
  );
}

function FamilyStep({
  draft,
  setDraft,
  updateMember,
  err,
  focus,
}: {
  draft: Draft;
  setDraft: (fn: (d: Draft) => Draft) => void;
  updateMember: (key: string, patch: Partial<MemberDraft>) => void;
  err: Err;
  focus: (id: string) => void;
}) {
  const { t } = useTranslation('registration');
  const label = useLabel();
  const mainName = draft.person.names.find((n) => n.key === draft.person.displayKey)?.fullName.trim();
  return (
    <>
      {draft.members.length === 0 && <p className="muted">{t('family.none')}</p>}
      {draft.members.map((m, i) => {
        const prefix = `members.${i}`;
        const extra =
          m.relation === 'child' && draft.person.sex === 'female' && mainName
            ? { mother_name: mainName }
            : {};
        const record = m.existing ? null : duplicateRecord(m.names, m.displayKey, m.sex, m.birth, extra);
        return (
          <section key={m.key} className="member card" aria-labelledby={`${fieldId(prefix)}-title`}>
            <h3 id={`${fieldId(prefix)}-title`}>
              {t('family.member', { n: i + 1 })}
              {m.relation && ` (${label('role', m.relation)})`}
            </h3>
            <div className="field-row">
              <SelectInput
                path={`${prefix}.relation`}
                label={t('family.relationN', { n: i + 1 })}
                hint={t('hints.relation')}
                value={m.relation}
                placeholder={t('choose')}
                options={RELATIONS.map((r) => ({ value: r, label: label('role', r) }))}
                err={err}
                onChange={(relation) => updateMember(m.key, { relation })}
              />
              <SelectInput
                path={`${prefix}.provenance`}
                label={t('family.provenanceN', { n: i + 1 })}
                value={m.provenance}
                options={PROVENANCES.map((p) => ({ value: p, label: label('provenance', p) }))}
                err={err}
                onChange={(provenance) => updateMember(m.key, { provenance })}
              />
            </div>
            {m.existing ? (
              <div className="notice">
                <p>
                  {t('family.linkingExisting')} <bdi>{m.existing.displayName}</bdi>{' '}
                  <a href={`/persons/${m.existing.personId}`} target="_blank" rel="noopener noreferrer">
                    {t('family.openExisting')}
                  </a>
                </p>
                <button
                  type="button"
                  className="button button-secondary"
                  onClick={() => updateMember(m.key, { existing: null })}
                >
                  {t('family.unlink', { n: i + 1 })}
                </button>
              </div>
            ) : (
              <>
                <NamesEditor
                  prefix={prefix}
                  names={m.names}
                  displayKey={m.displayKey}
                  err={err}
                  onChange={(names, displayKey) => updateMember(m.key, { names, displayKey })}
                />
                <DuplicateWarnings
                  id={`${fieldId(prefix)}-dup`}
                  record={record}
                  dismissed={m.dismissed}
                  onDismiss={(id) => updateMember(m.key, { dismissed: [...m.dismissed, id] })}
                  onSame={(candidate: Candidate) =>
                    updateMember(m.key, {
                      existing: {
                        personId: candidate.personId,
                        displayName: typeof candidate.displayName === 'string' ? candidate.displayName : '',
                      },
                    })
                  }
                  sameLabel={t('duplicates.linkExisting')}
                />
                <SelectInput
                  path={`${prefix}.sex`}
                  label={t('family.sexN', { n: i + 1 })}
                  value={m.sex}
                  placeholder={t('choose')}
                  options={SEXES.map((s) => ({ value: s, label: label('sex', s) }))}
                  err={err}
                  onChange={(sex) => updateMember(m.key, { sex })}
                />
                <BirthEditor
                  prefix={prefix}
                  birth={m.birth}
                  err={err}
                  onChange={(birth) => updateMember(m.key, { birth })}
                />
                <SelectInput
                  path={`${prefix}.whereabouts`}
                  label={t('family.whereaboutsN', { n: i + 1 })}
                  value={m.whereabouts}
                  options={[
                    { value: 'with_person' as const, label: t('family.withPerson') },
                    ...WHEREABOUTS.map((w) => ({ value: w, label: label('whereabouts', w) })),
                  ]}
                  err={err}
                  onChange={(whereabouts) => updateMember(m.key, { whereabouts })}
                />
              </>
            )}
            <button
              type="button"
              className="button button-secondary"
              onClick={() => {
                setDraft((d) => ({ ...d, members: d.members.filter((x) => x.key !== m.key) }));
                focus('reg-add-member');
              }}
            >
              {t('family.remove', { n: i + 1 })}
            </button>
          </section>
        );
      })}
      <button
        type="button"
        id="reg-add-member"
        className="button button-secondary"
        onClick={() => {
          const member = emptyMember();
          setDraft((d) => ({ ...d, members: [...d.members, member] }));
          focus(fieldId(`members.${draft.members.length}.relation`));
        }}
      >
        {t('family.add')}
      </button>
    </>
  );
}

function CaseStep({
  me,
  stage,
  setStage,
  err,
}: {
  me: Me;
  stage: number;
  setStage: (stage: number) => void;
  err: Err;
}) {
  const { t } = useTranslation('registration');
  const label = useLabel();
  return (
    <>
      <SelectInput
        path="stage"
        label={t('case.stage')}
        hint={t('hints.stage')}
        value={String(stage)}
        options={STAGES.map((s) => ({ value: String(s), label: `${s}. ${label('stage', String(s))}` }))}
        err={err}
        onChange={(value) => setStage(Number(value))}
      />
      <dl className="facts">
        <div>
          <dt>{t('case.owner')}</dt>
          <dd>{me.agency.name}</dd>
        </div>
        <div>
          <dt>{t('case.assignee')}</dt>
          <dd>{t('case.you', { name: me.displayName })}</dd>
        </div>
      </dl>
      <p className="muted">{t('case.ownerNote')}</p>
    </>
  );
}

function birthText(t: ReturnType<typeof useTranslation<'registration'>>['t'], birth: BirthDraft): string {
  if (birth.kind === 'exact') return birth.date;
  if (birth.kind === 'year') return birth.year;
  if (birth.kind === 'range') return t('birth.between', { from: birth.from, to: birth.to });
  return t('birth.kind.unknown');
}

function ReviewStep({ draft, me, edit }: { draft: Draft; me: Me; edit: (step: number) => void }) {
  const { t } = useTranslation('registration');
  const label = useLabel();
  const p = draft.person;
  const row = (term: string, value: ReactNode) => (
    <div>
      <dt>{term}</dt>
      <dd>{value === '' || value === null ? '—' : value}</dd>
    </div>
  );
  const names = (list: NameDraft[], displayKey: string) => (
    <ul className="review-names">
      {list.map((n) => (
        <li key={n.key}>
          <bdi>{n.fullName}</bdi> — {label('script', n.script)}, {label('nameType', n.nameType)},{' '}
          {label('source', n.source)}
          {n.language && `, ${n.language}`}
          {n.script === 'latin' && n.romanisation && `, ${n.romanisation}`}
          {n.key === displayKey && ` (${t('review.displayed')})`}
        </li>
      ))}
    </ul>
  );
  return (
    <>
      <section aria-labelledby="reg-review-person">
        <h3 id="reg-review-person">{t('steps.person')}</h3>
        <dl className="facts">
          {row(t('names.title'), names(p.names, p.displayKey))}
          {row(t('fields.sex'), p.sex ? label('sex', p.sex) : '')}
          {row(t('fields.birthDate'), birthText(t, p.birth))}
          {row(
            t('fields.placeOfBirth'),
            p.placeOfBirth ? `${p.placeOfBirth}${p.placeOfBirthIsCamp ? ` (${t('review.camp')})` : ''}` : '',
          )}
          {row(
            t('fields.whereabouts'),
            `${label('whereabouts', p.whereabouts)} ${p.whereaboutsDetail}`.trim(),
          )}
          {row(
            t('fields.nationalities'),
            p.nationalities.map((n) => `${n.country} (${label('nationalityStatus', n.status)})`).join(', '),
          )}
          {row(t('fields.flags'), p.flags.map((f) => label('flag', f)).join(', '))}
        </dl>
        <button type="button" className="button button-link" onClick={() => edit(0)}>
          {t('review.editPerson')}
        </button>
      </section>
      <section aria-labelledby="reg-review-family">
        <h3 id="reg-review-family">{t('steps.family')}</h3>
        {draft.members.length === 0 && <p className="muted">{t('family.none')}</p>}
        {draft.members.map((m, i) => (
          <dl className="facts" key={m.key} aria-label={t('family.member', { n: i + 1 })}>
            {row(t('family.member', { n: i + 1 }), m.relation ? label('role', m.relation) : '')}
            {row(t('family.provenance'), label('provenance', m.provenance))}
            {row(t('family.ownCase'), memberOpensCase(m) ? t('family.ownCaseYes') : t('family.ownCaseNo'))}
            {m.existing
              ? row(t('family.linkingExisting'), <bdi>{m.existing.displayName}</bdi>)
              : [
                  <div key="names">
                    <dt>{t('names.title')}</dt>
                    <dd>{names(m.names, m.displayKey)}</dd>
                  </div>,
                  <div key="sex">
                    <dt>{t('fields.sex')}</dt>
                    <dd>{m.sex ? label('sex', m.sex) : '—'}</dd>
                  </div>,
                  <div key="birth">
                    <dt>{t('fields.birthDate')}</dt>
                    <dd>{birthText(t, m.birth)}</dd>
                  </div>,
                  <div key="where">
                    <dt>{t('fields.whereabouts')}</dt>
                    <dd>
                      {m.whereabouts === 'with_person'
                        ? t('family.withPerson')
                        : label('whereabouts', m.whereabouts)}
                    </dd>
                  </div>,
                ]}
          </dl>
        ))}
        <button type="button" className="button button-link" onClick={() => edit(1)}>
          {t('review.editFamily')}
        </button>
      </section>
      <section aria-labelledby="reg-review-case">
        <h3 id="reg-review-case">{t('steps.case')}</h3>
        <dl className="facts">
          {row(t('case.stage'), `${draft.stage}. ${label('stage', String(draft.stage))}`)}
          {row(t('case.owner'), me.agency.name)}
          {row(t('case.assignee'), t('case.you', { name: me.displayName }))}
        </dl>
        <button type="button" className="button button-link" onClick={() => edit(2)}>
          {t('review.editCase')}
        </button>
      </section>
    </>
  );
}
