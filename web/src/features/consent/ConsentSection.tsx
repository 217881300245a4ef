import type { TFunction } from 'i18next';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Me } from '../../api/client.ts';
import { isApiError } from '../../api/errors.ts';
import { Dialog } from '../../ui/Dialog.tsx';
import { ErrorSummary } from '../../ui/ErrorSummary.tsx';
import { Field } from '../../ui/Field.tsx';
import { useFormatters } from '../../ui/format.ts';
import { type FormErrors, formErrorsFrom } from '../../ui/formErrors.ts';
import { Loading, QueryError } from '../../ui/states.tsx';
import { type CaseDetail, hasPermission, type Relative, usePerson } from '../case-file/api.ts';
import { useLabel, useUserName } from '../case-file/labels.ts';
import { useAgencyName, useProviders } from '../casework/api.ts';
import { SelectField, SuccessMessage, TextAreaField } from '../casework/fields.tsx';
import {
  AGE_OF_MAJORITY,
  CHILD_ASSENTS,
  type ChildAssent,
  type Consent,
  type ConsentPurpose,
  consentState,
  GUARDIAN_CONSENTS,
  type GuardianConsent,
  LEGAL_BASES,
  type LegalBasis,
  PURPOSES,
  type RecordConsent,
  useConsents,
  useRecordConsent,
  useRelatives,
  useWithdrawConsent,
  versionsOf,
} from './api.ts';
import '../casework/casework.css';
import './consent.css';

/**
 * A name or other run of text set inside a sentence, isolated from the sentence's direction (Unicode
 * FSI … PDI), so "You (Aliya)" stays whole in an Arabic line.
 */
function isolate(text: string): string {
  return `\u2068${text}\u2069`;
}

/** Relations whose holder may consent for a child (what the relative is to the person). */
const GUARDIAN_ROLES: readonly Relative['role'][] = ['mother', 'father', 'parent', 'guardian', 'caregiver'];

interface SubjectChoice {
  personId: string;
  name: string;
  /** The relation to the case's person; null for the case's person. */
  role: Relative['role'] | null;
}

/**
 * The consent section of a case file: for the case's person and their visible relatives, the
 * current consent or legal basis per purpose, every earlier version, and — for holders of
 * `consents:write` — recording a new version (a child's assent with a guardian's consent) and
 * withdrawing. Only rendered for holders of `consents:read` (the case file hides it otherwise).
 */
export function ConsentSection({ me, detail }: { me: Me; detail: CaseDetail }) {
  const { t } = useTranslation('consent');
  const label = useLabel();
  const id = useId();
  const canReadPersons = hasPermission(me.permissions, 'persons:read');
  const canWrite = hasPermission(me.permissions, 'consents:write');
  const casePerson = detail.person;
  const family = useRelatives(casePerson.id, canReadPersons);
  const [personId, setPersonId] = useState(casePerson.id);
  const [saved, setSaved] = useState<string>();

  const subjects: SubjectChoice[] = [
    { personId: casePerson.id, name: casePerson.displayName ?? t('unnamed'), role: null },
    ...(family.data?.relatives ?? [])
      .filter((r) => r.displayName !== null)
      .map((r) => ({ personId: r.personId, name: r.displayName ?? '', role: r.role })),
  ].filter((s, i, all) => all.findIndex((o) => o.personId === s.personId) === i);
  const subject = subjects.find((s) => s.personId === personId) ?? subjects[0];
  if (!subject) return null;

  return (
    <div className="stack consent">
      <p className="muted">{t('intro')}</p>
      {subjects.length > 1 && (
        <SelectField
          id={`${id}-person`}
          label={t('person.label')}
          hint={t('person.hint')}
          value={subject.personId}
          onChange={(event) => {
            setPersonId(event.target.value);
            setSaved(undefined);
          }}
          options={subjects.map((s) => ({
            value: s.personId,
            label: s.role ? t('person.relative', { name: s.name, role: label('role', s.role) }) : s.name,
          }))}
        />
      )}
      <SuccessMessage message={saved} />
      <PersonConsents
        key={subject.personId}
        me={me}
        subject={subject}
        caseAge={subject.role === null ? casePerson.age : undefined}
        canReadPersons={canReadPersons}
        canWrite={canWrite}
        onSaved={setSaved}
      />
    </div>
  );
}

/** Whether the person is a child now: true, false, or null when the date of birth is unknown. */
function childNow(age: { youngest: number } | null | undefined): boolean | null {
  if (!age) return null;
  return age.youngest < AGE_OF_MAJORITY;
}

function PersonConsents({
  me,
  subject,
  caseAge,
  canReadPersons,
  canWrite,
  onSaved,
}: {
  me: Me;
  subject: SubjectChoice;
  /** The age the case already carries for its own person; undefined for a relative (fetched). */
  caseAge: CaseDetail['person']['age'] | undefined;
  canReadPersons: boolean;
  canWrite: boolean;
  onSaved: (message: string) => void;
}) {
  const { t } = useTranslation('consent');
  const consents = useConsents(subject.personId, true);
  const person = usePerson(caseAge === undefined && canReadPersons ? subject.personId : undefined);
  const family = useRelatives(subject.personId, canReadPersons);
  const [recording, setRecording] = useState<ConsentPurpose>();
  const [withdrawing, setWithdrawing] = useState<Consent>();
  const isChild = childNow(caseAge !== undefined ? caseAge : person.data?.age);
  const relatives = family.data?.relatives ?? [];
  const guardians = relatives.filter((r) => r.displayName !== null && GUARDIAN_ROLES.includes(r.role));
  const relativeName = (personId: string) =>
    relatives.find((r) => r.personId === personId)?.displayName ?? undefined;

  if (consents.isPending) return <Loading />;
  if (consents.isError) return <QueryError error={consents.error} onRetry={() => void consents.refetch()} />;
  return (
    <>
      <h3 className="consent-subject">
        <bdi>{subject.name}</bdi>
        {isChild && <span className="casework-badge consent-child">{t('child.badge')}</span>}
      </h3>
      {PURPOSES.map((purpose) => (
        <PurposeCard
          key={purpose}
          me={me}
          purpose={purpose}
          versions={versionsOf(consents.data, purpose)}
          relativeName={relativeName}
          canWrite={canWrite}
          onRecord={() => setRecording(purpose)}
          onWithdraw={setWithdrawing}
        />
      ))}
      {/* Mounted while closed too, so that closing returns the focus to the button that opened it. */}
      <Dialog
        open={recording !== undefined}
        title={recording ? t('record.title', { purpose: t(`purpose.${recording}.title`) }) : ''}
        onClose={() => setRecording(undefined)}
      >
        {recording && (
          <RecordConsentForm
            key={recording}
            subject={subject}
            purpose={recording}
            isChild={isChild}
            guardians={guardians}
            onClose={() => setRecording(undefined)}
            onRecorded={(consent) => {
              setRecording(undefined);
              onSaved(
                t('record.saved', {
                  purpose: t(`purpose.${consent.purpose}.title`),
                  version: consent.version,
                }),
              );
            }}
          />
        )}
      </Dialog>
      <Dialog
        open={withdrawing !== undefined}
        title={withdrawing ? t('withdraw.title', { purpose: t(`purpose.${withdrawing.purpose}.title`) }) : ''}
        onClose={() => setWithdrawing(undefined)}
      >
        {withdrawing && (
          <WithdrawForm
            key={withdrawing.id}
            consent={withdrawing}
            onClose={() => setWithdrawing(undefined)}
            onWithdrawn={(consent) => {
              setWithdrawing(undefined);
              onSaved(t('withdraw.saved', { purpose: t(`purpose.${consent.purpose}.title`) }));
            }}
          />
        )}
      </Dialog>
    </>
  );
}

function PurposeCard({
  me,
  purpose,
  versions,
  relativeName,
  canWrite,
  onRecord,
  onWithdraw,
}: {
  me: Me;
  purpose: ConsentPurpose;
  versions: Consent[];
  relativeName: (personId: string) => string | undefined;
  canWrite: boolean;
  onRecord: () => void;
  onWithdraw: (consent: Consent) => void;
}) {
  const { t } = useTranslation('consent');
  const headingId = useId();
  const current = versions[0];
  const state = consentState(current);
  const title = t(`purpose.${purpose}.title`);
  return (
    <section className="card casework-card consent-purpose" aria-labelledby={headingId}>
      <div className="casework-card-head">
        <h4 id={headingId}>{title}</h4>
        <span className={`casework-badge consent-state consent-state-${state}`}>{t(`state.${state}`)}</span>
      </div>
      <p className="muted">{t(`purpose.${purpose}.description`)}</p>
      {current && <ConsentFacts me={me} consent={current} relativeName={relativeName} />}
      {canWrite && (
        <div className="actions">
          <button type="button" className="button button-primary" onClick={onRecord}>
            {t('record.open', { purpose: title })}
          </button>
          {current && !current.withdrawnAt && current.decision === 'granted' && (
            <button type="button" className="button button-secondary" onClick={() => onWithdraw(current)}>
              {t('withdraw.open', { purpose: title })}
            </button>
          )}
        </div>
      )}
      {versions.length > 0 && <VersionHistory me={me} title={title} versions={versions} />}
    </section>
  );
}

function ConsentFacts({
  me,
  consent,
  relativeName,
}: {
  me: Me;
  consent: Consent;
  relativeName: (personId: string) => string | undefined;
}) {
  const { t } = useTranslation('consent');
  const { date, dateTime } = useFormatters();
  const agencyName = useAgencyName();
  const userName = useUserName(me, [consent.recordedBy, consent.withdrawnBy]);
  return (
    <dl className="casework-meta">
      <div>
        <dt>{t('field.decision')}</dt>
        <dd>{t(`decision.${consent.decision}`)}</dd>
      </div>
      <div>
        <dt>{t('field.legalBasis')}</dt>
        <dd>{t(`legalBasis.${consent.legalBasis}`)}</dd>
      </div>
      {consent.subjectIsChild && (
        <>
          <div>
            <dt>{t('field.childAssent')}</dt>
            <dd>{consent.childAssent ? t(`childAssent.${consent.childAssent}`) : t('notRecorded')}</dd>
          </div>
          <div>
            <dt>{t('field.guardianConsent')}</dt>
            <dd>
              {consent.guardianConsent ? t(`guardianConsent.${consent.guardianConsent}`) : t('notRecorded')}
            </dd>
          </div>
          {consent.guardianPersonId && (
            <div>
              <dt>{t('field.guardian')}</dt>
              <dd>
                <bdi>
                  {relativeName(consent.guardianPersonId) ??
                    t('personRef', { id: consent.guardianPersonId.slice(0, 8) })}
                </bdi>
              </dd>
            </div>
          )}
        </>
      )}
      {consent.purpose === 'referral' && (
        <div>
          <dt>{t('field.recipient')}</dt>
          <dd>
            {consent.recipientAgencyId
              ? (agencyName(consent.recipientAgencyId) ??
                t('agencyRef', { id: consent.recipientAgencyId.slice(0, 8) }))
              : t('recipientAny')}
          </dd>
        </div>
      )}
      {consent.validUntil && (
        <div>
          <dt>{t('field.validUntil')}</dt>
          <dd>{date(consent.validUntil)}</dd>
        </div>
      )}
      <div>
        <dt>{t('field.recorded')}</dt>
        <dd>
          {t('recordedBy', {
            date: isolate(dateTime(consent.recordedAt)),
            name: isolate(userName(consent.recordedBy)),
          })}
        </dd>
      </div>
      {consent.withdrawnAt && (
        <div>
          <dt>{t('field.withdrawn')}</dt>
          <dd>
            {t('recordedBy', {
              date: isolate(dateTime(consent.withdrawnAt)),
              name: isolate(userName(consent.withdrawnBy)),
            })}
            {consent.withdrawalReason && (
              <>
                {' — '}
                <bdi>{consent.withdrawalReason}</bdi>
              </>
            )}
          </dd>
        </div>
      )}
    </dl>
  );
}

function VersionHistory({ me, title, versions }: { me: Me; title: string; versions: Consent[] }) {
  const { t } = useTranslation('consent');
  const { dateTime } = useFormatters();
  const userName = useUserName(
    me,
    versions.map((v) => v.recordedBy),
  );
  return (
    <details className="consent-history">
      <summary>{t('history.summary', { versions: versions.length })}</summary>
      <div className="consent-table-wrap">
        <table className="plain-table">
          <caption>{t('history.caption', { purpose: title })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('history.version')}</th>
              <th scope="col">{t('field.decision')}</th>
              <th scope="col">{t('field.legalBasis')}</th>
              <th scope="col">{t('field.recorded')}</th>
              <th scope="col">{t('history.state')}</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.id}>
                <th scope="row">{v.version}</th>
                <td>{t(`decision.${v.decision}`)}</td>
                <td>{t(`legalBasis.${v.legalBasis}`)}</td>
                <td>
                  {t('recordedBy', {
                    date: isolate(dateTime(v.recordedAt)),
                    name: isolate(userName(v.recordedBy)),
                  })}
                </td>
                <td>{t(`state.${consentState(v)}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

/**
 * The API's refusals in the reader's language: an incomplete child consent names the missing
 * field; a withdrawn or vanished record says what to do; anything else as the shared forms do.
 */
export function consentErrors(
  t: TFunction<'consent'>,
  tApp: TFunction,
  error: unknown,
  fieldIds: Record<string, string>,
): FormErrors {
  if (!isApiError(error)) return formErrorsFrom(tApp, error, fieldIds);
  if (error.code === 'CONSENT_INCOMPLETE') {
    const path = error.details?.path === 'body.guardianConsent' ? 'guardianConsent' : 'childAssent';
    const text = t(`errors.incomplete.${path}`);
    return { byPath: { [path]: text }, summary: [{ text, fieldId: fieldIds[path] }] };
  }
  if (
    error.code === 'CONSENT_ALREADY_WITHDRAWN' ||
    error.code === 'CONSENT_NOT_FOUND' ||
    error.code === 'NOT_FOUND' ||
    error.code === 'FORBIDDEN'
  ) {
    return { byPath: {}, summary: [{ text: t(`errors.${error.code}`) }] };
  }
  return formErrorsFrom(tApp, error, fieldIds);
}

/** The end of a calendar day in UTC, as the API's date-time (a consent lasts through its last day). */
function endOfDay(isoDate: string): string {
  return `${isoDate}T23:59:59.000Z`;
}

function RecordConsentForm({
  subject,
  purpose,
  isChild,
  guardians,
  onClose,
  onRecorded,
}: {
  subject: SubjectChoice;
  purpose: ConsentPurpose;
  isChild: boolean | null;
  guardians: Relative[];
  onClose: () => void;
  onRecorded: (consent: Consent) => void;
}) {
  const { t } = useTranslation('consent');
  const { t: tApp } = useTranslation();
  const label = useLabel();
  const id = useId();
  const record = useRecordConsent(subject.personId);
  const providers = useProviders({}, purpose === 'referral');
  const [decision, setDecision] = useState<'granted' | 'refused'>('granted');
  const [legalBasis, setLegalBasis] = useState<LegalBasis>('consent');
  const [declaredChild, setDeclaredChild] = useState(false);
  const [childAssent, setChildAssent] = useState<ChildAssent | ''>('');
  const [guardianConsent, setGuardianConsent] = useState<GuardianConsent | ''>('');
  const [guardianPersonId, setGuardianPersonId] = useState('');
  const [recipientAgencyId, setRecipientAgencyId] = useState('');
  const [validUntil, setValidUntil] = useState('');
  const child = isChild ?? declaredChild;

  const fieldIds = {
    decision: `${id}-decision`,
    legalBasis: `${id}-basis`,
    subjectIsChild: `${id}-is-child`,
    childAssent: `${id}-assent`,
    guardianConsent: `${id}-guardian-consent`,
    guardianPersonId: `${id}-guardian`,
    recipientAgencyId: `${id}-recipient`,
    validUntil: `${id}-valid-until`,
  };
  const errors = consentErrors(t, tApp, record.error, fieldIds);
  const purposeTitle = t(`purpose.${purpose}.title`);

  const submit = () => {
    const body: RecordConsent = {
      personId: subject.personId,
      purpose,
      legalBasis,
      decision,
      ...(isChild === null ? { subjectIsChild: declaredChild } : {}),
      ...(child && childAssent ? { childAssent } : {}),
      ...(child && guardianConsent ? { guardianConsent } : {}),
      ...(child && guardianPersonId ? { guardianPersonId } : {}),
      ...(purpose === 'referral' && recipientAgencyId ? { recipientAgencyId } : {}),
      ...(validUntil ? { validUntil: endOfDay(validUntil) } : {}),
    };
    record.mutate(body, { onSuccess: onRecorded });
  };

  return (
    <form
      noValidate
      aria-label={t('record.title', { purpose: purposeTitle })}
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <p>
        {t('record.for')} <bdi>{subject.name}</bdi>
      </p>
      <ErrorSummary messages={errors.summary} />
      <fieldset id={fieldIds.decision} tabIndex={-1} className="casework-fieldset">
        <legend>{t('field.decision')}</legend>
        {(['granted', 'refused'] as const).map((value) => (
          <div key={value} className="consent-choice">
            <input
              type="radio"
              id={`${fieldIds.decision}-${value}`}
              name={fieldIds.decision}
              value={value}
              checked={decision === value}
              onChange={() => setDecision(value)}
            />
            <label htmlFor={`${fieldIds.decision}-${value}`}>{t(`decision.${value}`)}</label>
          </div>
        ))}
      </fieldset>
      <SelectField
        id={fieldIds.legalBasis}
        label={t('field.legalBasis')}
        hint={t('record.legalBasisHint')}
        value={legalBasis}
        onChange={(e) => setLegalBasis(e.target.value as LegalBasis)}
        options={LEGAL_BASES.map((b) => ({ value: b, label: t(`legalBasis.${b}`) }))}
        error={errors.byPath.legalBasis}
      />
      {isChild === null && (
        <div className="consent-choice consent-checkbox">
          <input
            type="checkbox"
            id={fieldIds.subjectIsChild}
            checked={declaredChild}
            onChange={(e) => setDeclaredChild(e.target.checked)}
          />
          <label htmlFor={fieldIds.subjectIsChild}>{t('child.declare')}</label>
        </div>
      )}
      {child && (
        <fieldset className="casework-fieldset">
          <legend>{t('child.legend')}</legend>
          <p className="field-hint">{t('child.hint')}</p>
          <SelectField
            id={fieldIds.childAssent}
            label={t('field.childAssent')}
            value={childAssent}
            onChange={(e) => setChildAssent(e.target.value as ChildAssent | '')}
            options={CHILD_ASSENTS.map((a) => ({ value: a, label: t(`childAssent.${a}`) }))}
            placeholder={t('choose')}
            error={errors.byPath.childAssent}
          />
          <SelectField
            id={fieldIds.guardianConsent}
            label={t('field.guardianConsent')}
            value={guardianConsent}
            onChange={(e) => setGuardianConsent(e.target.value as GuardianConsent | '')}
            options={GUARDIAN_CONSENTS.map((g) => ({ value: g, label: t(`guardianConsent.${g}`) }))}
            placeholder={t('choose')}
            error={errors.byPath.guardianConsent}
          />
          <SelectField
            id={fieldIds.guardianPersonId}
            label={t('field.guardian')}
            hint={guardians.length === 0 ? t('child.noGuardian') : t('child.guardianHint')}
            value={guardianPersonId}
            onChange={(e) => setGuardianPersonId(e.target.value)}
            options={guardians.map((g) => ({
              value: g.personId,
              label: t('person.relative', { name: g.displayName ?? '', role: label('role', g.role) }),
            }))}
            placeholder={t('child.guardianNotListed')}
            error={errors.byPath.guardianPersonId}
          />
        </fieldset>
      )}
      {purpose === 'referral' && (
        <SelectField
          id={fieldIds.recipientAgencyId}
          label={t('field.recipient')}
          hint={t('record.recipientHint')}
          value={recipientAgencyId}
          onChange={(e) => setRecipientAgencyId(e.target.value)}
          options={(providers.data ?? []).map((p) => ({ value: p.agencyId, label: p.name }))}
          placeholder={t('recipientAny')}
          error={errors.byPath.recipientAgencyId}
        />
      )}
      <Field
        id={fieldIds.validUntil}
        type="date"
        label={t('field.validUntilOptional')}
        hint={t('record.validUntilHint')}
        value={validUntil}
        onChange={(e) => setValidUntil(e.target.value)}
        error={errors.byPath.validUntil}
      />
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={record.isPending}>
          {record.isPending ? t('saving') : t('record.submit')}
        </button>
        <button type="button" className="button button-secondary" onClick={onClose}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}

function WithdrawForm({
  consent,
  onClose,
  onWithdrawn,
}: {
  consent: Consent;
  onClose: () => void;
  onWithdrawn: (consent: Consent) => void;
}) {
  const { t } = useTranslation('consent');
  const { t: tApp } = useTranslation();
  const id = useId();
  const withdraw = useWithdrawConsent(consent.personId);
  const [reason, setReason] = useState('');
  const fieldIds = { reason: `${id}-reason` };
  const errors = consentErrors(t, tApp, withdraw.error, fieldIds);
  const purposeTitle = t(`purpose.${consent.purpose}.title`);
  return (
    <form
      noValidate
      aria-label={t('withdraw.title', { purpose: purposeTitle })}
      onSubmit={(event) => {
        event.preventDefault();
        withdraw.mutate({ consentId: consent.id, reason: reason.trim() }, { onSuccess: onWithdrawn });
      }}
    >
      <p>{t('withdraw.effect')}</p>
      <ErrorSummary messages={errors.summary} />
      <TextAreaField
        id={fieldIds.reason}
        label={t('withdraw.reason')}
        hint={t('withdraw.reasonHint')}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        maxLength={1000}
        error={errors.byPath.reason}
      />
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={withdraw.isPending}>
          {withdraw.isPending ? t('saving') : t('withdraw.submit')}
        </button>
        <button type="button" className="button button-secondary" onClick={onClose}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
