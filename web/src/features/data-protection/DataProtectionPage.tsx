import type { TFunction } from 'i18next';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Me } from '../../api/client.ts';
import { isApiError } from '../../api/errors.ts';
import { describeError } from '../../app/errorMessage.ts';
import { PageHeading } from '../../app/PageHeading.tsx';
import { Link, setQueryParams, useQueryParams } from '../../app/router.tsx';
import { useDocumentTitle } from '../../app/useDocumentTitle.ts';
import { Dialog } from '../../ui/Dialog.tsx';
import { Field } from '../../ui/Field.tsx';
import { useFormatters } from '../../ui/format.ts';
import { Empty, Loading, QueryError } from '../../ui/states.tsx';
import { SuccessMessage, TextAreaField } from '../casework/fields.tsx';
import { useUnreviewedBreakGlass } from '../inbox/api.ts';
import {
  can,
  type ExportFormat,
  fetchSubjectExport,
  HOLD_REASON_MIN,
  mayUseDataProtection,
  personReference,
  type RetentionDue,
  saveFile,
  useAnonymise,
  useDeletePerson,
  useLegalHolds,
  useLiftHold,
  usePlaceHold,
  useRecordReview,
  useRetentionDue,
} from './api.ts';
import '../casework/casework.css';
import './data-protection.css';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Announce = (message: string) => void;

const SCHEDULED_ACTIONS = ['review', 'anonymise', 'delete'] as const;
type ScheduledAction = (typeof SCHEDULED_ACTIONS)[number];

/** The API's refusals in the reader's language; anything else as the rest of the app says it. */
function dataProtectionError(t: TFunction<'dataProtection'>, tApp: TFunction, error: unknown): string {
  if (isApiError(error)) {
    switch (error.code) {
      case 'LEGAL_HOLD_ACTIVE':
      case 'LEGAL_HOLD_NOT_FOUND':
      case 'ALREADY_ANONYMISED':
      case 'NOT_FOUND':
      case 'FORBIDDEN':
        return t(`errors.${error.code}`);
      case 'VALIDATION_FAILED':
        return t('errors.VALIDATION_FAILED');
    }
  }
  return describeError(tApp, error);
}

function ErrorLine({ error }: { error: unknown }) {
  const { t } = useTranslation('dataProtection');
  const { t: tApp } = useTranslation();
  if (!error) return null;
  return (
    <p className="field-error" role="alert">
      {dataProtectionError(t, tApp, error)}
    </p>
  );
}

/**
 * The data-protection officer's area: persons due for retention review, one person's subject
 * rights (access export, legal hold, anonymisation) and the break-glass openings waiting for review.
 * The officer reads no case content: persons are named by their identifier only.
 */
export function DataProtectionPage({ me }: { me: Me }) {
  const { t } = useTranslation('dataProtection');
  useDocumentTitle(t('title'));
  const query = useQueryParams();
  const requested = query.get('person') ?? '';
  const personId = UUID.test(requested) ? requested.toLowerCase() : undefined;
  const [announcement, setAnnouncement] = useState<string>();
  const mayRetain = can(me, 'retention:manage');
  const due = useRetentionDue(mayRetain);

  if (!mayUseDataProtection(me)) {
    return (
      <div className="page">
        <PageHeading>{t('title')}</PageHeading>
        <p>{t('notAllowed')}</p>
      </div>
    );
  }
  return (
    <div className="page data-protection">
      <PageHeading>{t('title')}</PageHeading>
      <p className="lead">{t('intro')}</p>
      <SuccessMessage message={announcement} />
      <SubjectLookup key={personId ?? 'none'} current={personId} />
      {personId && (
        <SubjectPanel
          key={personId}
          me={me}
          personId={personId}
          due={(due.data ?? []).filter((d) => d.personId === personId)}
          announce={setAnnouncement}
        />
      )}
      {mayRetain && (
        <section className="card dp-section" aria-labelledby="dp-retention-heading">
          <h2 id="dp-retention-heading">{t('retention.title')}</h2>
          <p className="muted">{t('retention.intro')}</p>
          {due.isPending ? (
            <Loading />
          ) : due.isError ? (
            <QueryError error={due.error} onRetry={() => void due.refetch()} />
          ) : due.data.length === 0 ? (
            <Empty>{t('retention.empty')}</Empty>
          ) : (
            <RetentionTable rows={due.data} current={personId} />
          )}
        </section>
      )}
      {can(me, 'disclosures:review') && <BreakGlassSummary />}
    </div>
  );
}

function RetentionTable({ rows, current }: { rows: RetentionDue[]; current: string | undefined }) {
  const { t } = useTranslation('dataProtection');
  const { date } = useFormatters();
  // The schedule's action is the deployment's data (review, anonymise, delete); an unknown one as sent.
  const scheduledAction = (action: string) =>
    SCHEDULED_ACTIONS.includes(action as ScheduledAction)
      ? t(`scheduledAction.${action as ScheduledAction}`)
      : action;
  return (
    <div className="dp-table-wrap">
      <table className="plain-table">
        <caption>{t('retention.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('retention.person')}</th>
            <th scope="col">{t('retention.category')}</th>
            <th scope="col">{t('retention.dueSince')}</th>
            <th scope="col">{t('retention.action')}</th>
            <th scope="col">{t('retention.legalHold')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('retention.open')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const reference = personReference(row.personId);
            return (
              <tr
                key={`${row.personId}-${row.category}`}
                className={row.personId === current ? 'dp-row-current' : undefined}
              >
                <th scope="row">
                  <code>{reference}</code>
                </th>
                <td>{t(`category.${row.category}`)}</td>
                <td>{date(row.dueSince)}</td>
                <td>{scheduledAction(row.action)}</td>
                <td>{row.legalHold ? t('retention.held') : t('retention.notHeld')}</td>
                <td>
                  <Link
                    to={`/data-protection?person=${row.personId}`}
                    aria-current={row.personId === current ? 'true' : undefined}
                  >
                    {t('retention.openPerson', { reference })}
                  </Link>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** A data-subject request names a person by identifier: this opens their panel. */
function SubjectLookup({ current }: { current: string | undefined }) {
  const { t } = useTranslation('dataProtection');
  const id = useId();
  const [value, setValue] = useState(current ?? '');
  const [error, setError] = useState<string>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = value.trim();
    if (!UUID.test(trimmed)) {
      setError(t('lookup.invalid'));
      document.getElementById(`${id}-person`)?.focus();
      return;
    }
    setError(undefined);
    setQueryParams(new URLSearchParams({ person: trimmed.toLowerCase() }), { push: true });
  };
  return (
    <section className="card dp-section" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('lookup.title')}</h2>
      <form className="dp-lookup" noValidate onSubmit={submit}>
        <Field
          id={`${id}-person`}
          label={t('lookup.label')}
          hint={t('lookup.hint')}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          error={error}
          autoComplete="off"
          spellCheck={false}
          dir="ltr"
        />
        <button type="submit" className="button button-secondary">
          {t('lookup.submit')}
        </button>
      </form>
    </section>
  );
}

function SubjectPanel({
  me,
  personId,
  due,
  announce,
}: {
  me: Me;
  personId: string;
  due: RetentionDue[];
  announce: Announce;
}) {
  const { t } = useTranslation('dataProtection');
  const reference = personReference(personId);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);
  return (
    <section className="card dp-section dp-subject" aria-labelledby="dp-subject-heading">
      <h2 id="dp-subject-heading" ref={heading} tabIndex={-1}>
        {t('subject.title', { reference })}
      </h2>
      <p className="muted">
        {t('subject.identifier')} <code dir="ltr">{personId}</code>
      </p>
      {due.length > 0 && can(me, 'retention:manage') && (
        <DueReviews personId={personId} due={due} announce={announce} />
      )}
      {can(me, 'subject_requests:handle') && <SubjectExport personId={personId} announce={announce} />}
      {can(me, 'retention:manage') && (
        <>
          <LegalHolds personId={personId} announce={announce} />
          <IrreversibleAction kind="anonymise" personId={personId} announce={announce} />
          <IrreversibleAction kind="delete" personId={personId} announce={announce} />
        </>
      )}
    </section>
  );
}

/** The categories the person is due for; "keep" records the review, and the row leaves the list. */
function DueReviews({
  personId,
  due,
  announce,
}: {
  personId: string;
  due: RetentionDue[];
  announce: Announce;
}) {
  const { t } = useTranslation('dataProtection');
  const review = useRecordReview();
  const reference = personReference(personId);
  return (
    <div className="dp-part">
      <h3>{t('review.title')}</h3>
      <ul className="casework-list">
        {due.map((d) => (
          <li key={d.category} className="dp-review">
            <span>{t(`category.${d.category}`)}</span>
            <button
              type="button"
              className="button button-secondary"
              disabled={review.isPending}
              onClick={() =>
                review.mutate(
                  { personId, category: d.category, decision: 'keep' },
                  {
                    onSuccess: () =>
                      announce(t('review.kept', { reference, category: t(`category.${d.category}`) })),
                  },
                )
              }
            >
              {t('review.keep', { category: t(`category.${d.category}`) })}
            </button>
          </li>
        ))}
      </ul>
      <ErrorLine error={review.error} />
    </div>
  );
}

function SubjectExport({ personId, announce }: { personId: string; announce: Announce }) {
  const { t } = useTranslation('dataProtection');
  const [busy, setBusy] = useState<ExportFormat>();
  const [error, setError] = useState<unknown>();
  const download = async (format: ExportFormat) => {
    setBusy(format);
    setError(undefined);
    try {
      const blob = await fetchSubjectExport(personId, format);
      saveFile(blob, `subject-${personId}.${format}`);
      announce(t('export.done', { format: format.toUpperCase() }));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <div className="dp-part">
      <h3>{t('export.title')}</h3>
      <p className="muted">{t('export.intro')}</p>
      <div className="actions">
        {(['json', 'pdf'] as const).map((format) => (
          <button
            key={format}
            type="button"
            className="button button-secondary"
            disabled={busy !== undefined}
            onClick={() => void download(format)}
          >
            {busy === format ? t('export.preparing') : t(`export.${format}`)}
          </button>
        ))}
      </div>
      <ErrorLine error={error} />
    </div>
  );
}

function LegalHolds({ personId, announce }: { personId: string; announce: Announce }) {
  const { t } = useTranslation('dataProtection');
  const { dateTime } = useFormatters();
  const id = useId();
  const holds = useLegalHolds(personId);
  const place = usePlaceHold(personId);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string>();
  const reference = personReference(personId);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim().length < HOLD_REASON_MIN) {
      setReasonError(t('hold.reasonTooShort', { min: HOLD_REASON_MIN }));
      document.getElementById(`${id}-reason`)?.focus();
      return;
    }
    setReasonError(undefined);
    place.mutate(reason.trim(), {
      onSuccess: () => {
        setReason('');
        announce(t('hold.placed', { reference }));
      },
    });
  };
  const inForce = (holds.data ?? []).filter((hold) => hold.liftedAt === null);
  const lifted = (holds.data ?? []).filter((hold) => hold.liftedAt !== null);
  return (
    <div className="dp-part">
      <h3>{t('hold.title')}</h3>
      {holds.isPending ? (
        <Loading />
      ) : holds.isError ? (
        <QueryError error={holds.error} onRetry={() => void holds.refetch()} />
      ) : (
        <>
          <p>{inForce.length > 0 ? <strong>{t('hold.inForce')}</strong> : t('hold.none')}</p>
          {inForce.length > 0 && (
            <ul className="casework-list">
              {inForce.map((hold) => (
                <li key={hold.id} className="dp-review">
                  <span>
                    {t('hold.placedOn', { date: dateTime(hold.placedAt) })} — <bdi>{hold.reason}</bdi>
                  </span>
                  <LiftHold personId={personId} holdId={hold.id} announce={announce} />
                </li>
              ))}
            </ul>
          )}
          {lifted.length > 0 && (
            <details className="dp-history">
              <summary>{t('hold.history', { count: lifted.length })}</summary>
              <ul className="casework-list">
                {lifted.map((hold) => (
                  <li key={hold.id}>
                    {t('hold.placedOn', { date: dateTime(hold.placedAt) })} — <bdi>{hold.reason}</bdi>
                    <br />
                    {t('hold.liftedOn', { date: dateTime(hold.liftedAt ?? hold.placedAt) })}
                    {hold.liftReason ? (
                      <>
                        {' '}
                        — <bdi>{hold.liftReason}</bdi>
                      </>
                    ) : null}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </>
      )}
      <form noValidate onSubmit={submit}>
        <TextAreaField
          id={`${id}-reason`}
          label={t('hold.reason')}
          hint={t('hold.reasonHint', { min: HOLD_REASON_MIN })}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          error={reasonError}
          maxLength={1000}
          rows={3}
        />
        <ErrorLine error={place.error} />
        <button type="submit" className="button button-secondary" disabled={place.isPending}>
          {t('hold.place')}
        </button>
      </form>
    </div>
  );
}

/** Lifting a hold says why, as placing one does; the form opens under the hold it lifts. */
function LiftHold({ personId, holdId, announce }: { personId: string; holdId: string; announce: Announce }) {
  const { t } = useTranslation('dataProtection');
  const id = useId();
  const lift = useLiftHold(personId);
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string>();
  if (!open) {
    return (
      <button type="button" className="button button-secondary" onClick={() => setOpen(true)}>
        {t('hold.lift')}
      </button>
    );
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim().length < HOLD_REASON_MIN) {
      setReasonError(t('hold.reasonTooShort', { min: HOLD_REASON_MIN }));
      document.getElementById(`${id}-lift-reason`)?.focus();
      return;
    }
    setReasonError(undefined);
    lift.mutate(
      { holdId, reason: reason.trim() },
      { onSuccess: () => announce(t('hold.lifted', { reference: personReference(personId) })) },
    );
  };
  return (
    <form noValidate onSubmit={submit}>
      <TextAreaField
        id={`${id}-lift-reason`}
        label={t('hold.liftReason')}
        hint={t('hold.liftReasonHint', { min: HOLD_REASON_MIN })}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        error={reasonError}
        maxLength={1000}
        rows={2}
      />
      <ErrorLine error={lift.error} />
      <button type="submit" className="button button-secondary" disabled={lift.isPending}>
        {t('hold.liftConfirm')}
      </button>{' '}
      <button type="button" className="button button-link" onClick={() => setOpen(false)}>
        {t('hold.cancel')}
      </button>
    </form>
  );
}

type Irreversible = 'anonymise' | 'delete';

/** What the confirmation dialog says each irreversible action does, in order. */
const CONSEQUENCES: Record<Irreversible, readonly string[]> = {
  anonymise: ['names', 'birthDate', 'places', 'flags', 'freeText', 'kept'],
  delete: ['everything', 'family', 'files', 'audit'],
};

/** Anonymising or deleting a person: each behind a dialog that names its consequences. */
function IrreversibleAction({
  kind,
  personId,
  announce,
}: {
  kind: Irreversible;
  personId: string;
  announce: Announce;
}) {
  const { t } = useTranslation('dataProtection');
  const [open, setOpen] = useState(false);
  const reference = personReference(personId);
  return (
    <div className="dp-part">
      <h3>{t(`${kind}.title`)}</h3>
      <p className="muted">{t(`${kind}.intro`)}</p>
      <button type="button" className="button button-secondary dp-danger" onClick={() => setOpen(true)}>
        {t(`${kind}.open`)}
      </button>
      {/* Mounted while closed too, so that closing returns the focus to the button that opened it. */}
      <Dialog open={open} title={t(`${kind}.dialogTitle`, { reference })} onClose={() => setOpen(false)}>
        {open && (
          <ConfirmIrreversible
            kind={kind}
            personId={personId}
            onClose={() => setOpen(false)}
            onDone={() => {
              setOpen(false);
              announce(t(`${kind}.done`, { reference }));
              // A deleted person is gone: nothing is left to show of them.
              if (kind === 'delete') setQueryParams(new URLSearchParams(), { push: true });
            }}
          />
        )}
      </Dialog>
    </div>
  );
}

/**
 * Neither can be undone: the dialog names what happens, and the officer types the person's
 * reference to confirm (a click alone is too easy to give by mistake).
 */
function ConfirmIrreversible({
  kind,
  personId,
  onClose,
  onDone,
}: {
  kind: Irreversible;
  personId: string;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation('dataProtection');
  const id = useId();
  const anonymise = useAnonymise(personId);
  const remove = useDeletePerson(personId);
  const action = kind === 'anonymise' ? anonymise : remove;
  const reference = personReference(personId);
  const [typed, setTyped] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (typed.trim().toLowerCase() !== reference) {
      setMismatch(true);
      document.getElementById(`${id}-confirm`)?.focus();
      return;
    }
    setMismatch(false);
    action.mutate(undefined, { onSuccess: onDone });
  };
  return (
    <form noValidate onSubmit={submit} aria-label={t(`${kind}.dialogTitle`, { reference })}>
      <p>{t(`${kind}.consequences`)}</p>
      <ul className="dp-consequences">
        {CONSEQUENCES[kind].map((consequence) => (
          <li key={consequence}>{t(`${kind}.${consequence}` as 'anonymise.names')}</li>
        ))}
        <li>
          <strong>{t(`${kind}.irreversible`)}</strong>
        </li>
      </ul>
      <Field
        id={`${id}-confirm`}
        label={t('anonymise.typeLabel', { reference })}
        hint={t('anonymise.typeHint')}
        value={typed}
        onChange={(e) => setTyped(e.target.value)}
        error={mismatch ? t('anonymise.typeMismatch', { reference }) : undefined}
        autoComplete="off"
        spellCheck={false}
        dir="ltr"
      />
      <ErrorLine error={action.error} />
      <div className="actions">
        <button type="submit" className="button button-primary dp-danger-primary" disabled={action.isPending}>
          {action.isPending ? t(`${kind}.working`) : t(`${kind}.confirm`)}
        </button>
        <button type="button" className="button button-secondary" onClick={onClose}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}

/** How many break-glass openings wait for review; the review itself is the inbox's. */
function BreakGlassSummary() {
  const { t } = useTranslation('dataProtection');
  const events = useUnreviewedBreakGlass(true);
  return (
    <section className="card dp-section" aria-labelledby="dp-break-glass-heading">
      <h2 id="dp-break-glass-heading">{t('breakGlass.title')}</h2>
      {events.isPending ? (
        <Loading />
      ) : events.isError ? (
        <QueryError error={events.error} onRetry={() => void events.refetch()} />
      ) : events.data.length === 0 ? (
        <Empty>{t('breakGlass.none')}</Empty>
      ) : (
        <p>
          {t('breakGlass.waiting', { number: events.data.length })}{' '}
          <Link to="/inbox/break-glass">{t('breakGlass.review')}</Link>
        </p>
      )}
    </section>
  );
}
