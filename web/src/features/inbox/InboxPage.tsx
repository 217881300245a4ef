import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call, type Me } from '../../api/client.ts';
import { PageHeading } from '../../app/PageHeading.tsx';
import { Link } from '../../app/router.tsx';
import { useDocumentTitle } from '../../app/useDocumentTitle.ts';
import { useFormatters } from '../../ui/format.ts';
import { formErrorsFrom } from '../../ui/formErrors.ts';
import { Empty, Loading, QueryError } from '../../ui/states.tsx';
import {
  type Approval,
  type Box,
  type BreakGlass,
  can,
  inboxKeys,
  isBox,
  type Referral,
  type ScreeningHit,
  type UserRef,
  useApprovals,
  useCaseSummary,
  useIncomingReferrals,
  useOpenHits,
  useStageLabel,
  useUnreviewedBreakGlass,
  visibleBoxes,
} from './api.ts';
import './inbox.css';

type Announce = (message: string) => void;

/** A user of the system by display name ("you" for the reader); a short id if the name is missing. */
function UserName({ me, user }: { me: Me; user: UserRef | null }) {
  const { t } = useTranslation('inbox');
  if (user === null) return <>{t('user.unknown')}</>;
  if (user.id === me.id) return <>{t('user.you')}</>;
  if (user.displayName) return <bdi>{user.displayName}</bdi>;
  return <span className="mono">{t('user.other', { id: user.id.slice(0, 8) })}</span>;
}

type CaseSummary = { caseNumber: string; displayName: string | null };

/**
 * Names a case by number and person when the reader may see it, else by a short id. A list that
 * already carries the case's number and person passes them as `known`, and nothing is fetched.
 */
function CaseRef({ caseId, me, known }: { caseId: string; me: Me; known?: CaseSummary | undefined }) {
  const { t } = useTranslation('inbox');
  const readable = can(me, 'cases:read');
  const fetched = useCaseSummary(caseId, readable && known === undefined);
  const summary = known ?? fetched.data;
  const label = summary ? (
    <bdi>
      {summary.caseNumber}
      {summary.displayName ? ` — ${summary.displayName}` : ''}
    </bdi>
  ) : (
    <span className="mono">{t('case.short', { id: caseId.slice(0, 8) })}</span>
  );
  return readable ? <Link to={`/cases/${caseId}`}>{label}</Link> : label;
}

function TextArea({
  id,
  label,
  hint,
  error,
  value,
  onChange,
}: {
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  value: string;
  onChange: (value: string) => void;
}) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
      <textarea
        id={id}
        rows={3}
        dir="auto"
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={[hintId, errorId].filter(Boolean).join(' ') || undefined}
        onChange={(event) => onChange(event.target.value)}
      />
    </div>
  );
}

/** A choice between a few options, as a fieldset of radio buttons. */
function Choice<T extends string>({
  name,
  legend,
  options,
  value,
  error,
  onChange,
}: {
  name: string;
  legend: string;
  options: { value: T; label: string }[];
  value: T | '';
  error?: string | undefined;
  onChange: (value: T) => void;
}) {
  const errorId = `${name}-error`;
  return (
    <fieldset
      className={error ? 'inbox-choice field-invalid' : 'inbox-choice'}
      aria-describedby={error ? errorId : undefined}
    >
      <legend>{legend}</legend>
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
      {options.map((option) => (
        <label key={option.value} className="inbox-radio">
          <input
            type="radio"
            name={name}
            value={option.value}
            checked={value === option.value}
            onChange={() => onChange(option.value)}
          />{' '}
          {option.label}
        </label>
      ))}
    </fieldset>
  );
}

/** Field errors from an API failure, by the field path the server names, plus what names no field. */
function useActionErrors(error: unknown, fields: string[]) {
  const { t } = useTranslation();
  const errors = formErrorsFrom(t, error);
  const byField: Record<string, string | undefined> = {};
  for (const field of fields) byField[field] = errors.byPath[field];
  const general = errors.summary
    .filter((entry) => !fields.some((field) => errors.byPath[field] === entry.text))
    .map((entry) => entry.text);
  return { byField, general };
}

function GeneralErrors({ messages }: { messages: string[] }) {
  if (messages.length === 0) return null;
  return (
    <div className="inbox-error" role="alert">
      {messages.map((message) => (
        <p key={message}>{message}</p>
      ))}
    </div>
  );
}

function Facts({ children }: { children: ReactNode }) {
  return <dl className="inbox-facts">{children}</dl>;
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

// Approvals ----------------------------------------------------------------------------------

function ApprovalItem({ me, approval, announce }: { me: Me; approval: Approval; announce: Announce }) {
  const { t } = useTranslation('inbox');
  const format = useFormatters();
  const stageLabel = useStageLabel();
  const queryClient = useQueryClient();
  const id = useId();
  const [comment, setComment] = useState('');
  const transition = approval.transitionLabel ?? approval.transition;
  const [localError, setLocalError] = useState<string>();
  const decide = useMutation({
    mutationFn: (decision: 'approve' | 'reject') => {
      const params = { path: { id: approval.caseId, childId: approval.id } };
      const text = comment.trim();
      return decision === 'approve'
        ? call(
            api.POST('/api/cases/{id}/approvals/{childId}/approve', {
              params,
              body: text ? { comment: text } : {},
            }),
          )
        : call(api.POST('/api/cases/{id}/approvals/{childId}/reject', { params, body: { comment: text } }));
    },
    onSuccess: async (_result, decision) => {
      announce(t(decision === 'approve' ? 'approvals.approved' : 'approvals.rejected', { transition }));
      await queryClient.invalidateQueries({ queryKey: inboxKeys.approvals });
    },
  });
  const errors = useActionErrors(decide.error, ['comment']);
  const commentError = localError ?? errors.byField.comment;
  const submit = (decision: 'approve' | 'reject') => {
    if (decision === 'reject' && !comment.trim()) {
      setLocalError(t('approvals.commentRequired'));
      document.getElementById(`${id}-comment`)?.focus();
      return;
    }
    setLocalError(undefined);
    decide.mutate(decision);
  };
  return (
    <li>
      <article className="card inbox-item" aria-labelledby={`${id}-heading`}>
        <h3 id={`${id}-heading`}>
          <CaseRef caseId={approval.caseId} me={me} known={approval.case} />
        </h3>
        <Facts>
          <Fact term={t('approvals.transition')}>
            {transition}
            {approval.toStage && (
              <>
                {' '}
                <span className="muted">
                  (
                  {t('approvals.leadsTo', {
                    stage: stageLabel(approval.toStage.stage, approval.toStage.label),
                  })}
                  )
                </span>
              </>
            )}
          </Fact>
          <Fact term={t('approvals.currentStage')}>
            {stageLabel(approval.case.stage.stage, approval.case.stage.label)}
          </Fact>
          <Fact term={t('approvals.requestedBy')}>
            <UserName me={me} user={approval.requester} />
          </Fact>
          <Fact term={t('approvals.requestedAt')}>{format.dateTime(approval.requestedAt)}</Fact>
          {approval.requestComment && (
            <Fact term={t('approvals.requestComment')}>
              <bdi>{approval.requestComment}</bdi>
            </Fact>
          )}
        </Facts>
        <form
          noValidate
          aria-busy={decide.isPending}
          onSubmit={(event: FormEvent) => {
            event.preventDefault();
            submit('approve');
          }}
        >
          <GeneralErrors messages={errors.general} />
          <TextArea
            id={`${id}-comment`}
            label={t('approvals.comment')}
            hint={t('approvals.commentHint')}
            error={commentError}
            value={comment}
            onChange={setComment}
          />
          <div className="actions">
            <button type="submit" className="button button-primary" disabled={decide.isPending}>
              {t('approvals.approve')}
            </button>
            <button
              type="button"
              className="button button-secondary"
              disabled={decide.isPending}
              onClick={() => submit('reject')}
            >
              {t('approvals.reject')}
            </button>
          </div>
        </form>
      </article>
    </li>
  );
}

function ApprovalsBox({ me, announce }: { me: Me; announce: Announce }) {
  const { t } = useTranslation('inbox');
  const approvals = useApprovals(true);
  return (
    <BoxList query={approvals} empty={t('approvals.empty')}>
      {approvals.data?.map((approval) => (
        <ApprovalItem key={approval.id} me={me} approval={approval} announce={announce} />
      ))}
    </BoxList>
  );
}

// Referrals ----------------------------------------------------------------------------------

function ReferralItem({ me, referral, announce }: { me: Me; referral: Referral; announce: Announce }) {
  const { t } = useTranslation('inbox');
  const { t: th } = useTranslation('home');
  const format = useFormatters();
  const queryClient = useQueryClient();
  const id = useId();
  const [reason, setReason] = useState('');
  const [localError, setLocalError] = useState<string>();
  const service = th(`service.${referral.serviceType}`);
  const decide = useMutation({
    mutationFn: (decision: 'accept' | 'decline') => {
      const params = { path: { id: referral.id } };
      return decision === 'accept'
        ? call(api.POST('/api/referrals/{id}/accept', { params }))
        : call(api.POST('/api/referrals/{id}/decline', { params, body: { reason: reason.trim() } }));
    },
    onSuccess: async (_result, decision) => {
      announce(t(decision === 'accept' ? 'referrals.accepted' : 'referrals.declined', { service }));
      await queryClient.invalidateQueries({ queryKey: inboxKeys.referrals });
    },
  });
  const errors = useActionErrors(decide.error, ['reason']);
  const reasonError = localError ?? errors.byField.reason;
  const submit = (decision: 'accept' | 'decline') => {
    if (decision === 'decline' && !reason.trim()) {
      setLocalError(t('referrals.reasonRequired'));
      document.getElementById(`${id}-reason`)?.focus();
      return;
    }
    setLocalError(undefined);
    decide.mutate(decision);
  };
  const pending = referral.status === 'pending';
  return (
    <li id={`referral-${referral.id}`}>
      <article className="card inbox-item" aria-labelledby={`${id}-heading`}>
        <h3 id={`${id}-heading`}>
          {service}{' '}
          {referral.urgency === 'urgent' && <strong className="inbox-urgent">{t('referrals.urgent')}</strong>}
        </h3>
        <p className="muted">{t(`referrals.status.${referral.status}`)}</p>
        <Facts>
          <Fact term={t('referrals.from')}>
            <bdi>{referral.fromAgency.name}</bdi> <span className="muted">({referral.fromAgency.code})</span>
          </Fact>
          <Fact term={t('referrals.person')}>
            {referral.person.displayName ? (
              <bdi>{referral.person.displayName}</bdi>
            ) : (
              <span className="muted">{t('referrals.nameAfterAccept')}</span>
            )}
          </Fact>
          <Fact term={t('referrals.sexAge')}>
            {t(`sex.${referral.person.sex}`)}
            {referral.person.ageBand ? `, ${t('referrals.ageBand', { band: referral.person.ageBand })}` : ''}
          </Fact>
          <Fact term={t('referrals.summary')}>
            <bdi>{referral.packetSummary}</bdi>
          </Fact>
          <Fact term={t('referrals.basis')}>{t(`referrals.basisValue.${referral.consentBasis}`)}</Fact>
          <Fact term={t('referrals.received')}>{format.dateTime(referral.createdAt)}</Fact>
          {referral.caseId && can(me, 'cases:read') && (
            <Fact term={t('referrals.case')}>
              <CaseRef caseId={referral.caseId} me={me} />
            </Fact>
          )}
          {referral.declineReason && (
            <Fact term={t('referrals.declineReason')}>
              <bdi>{referral.declineReason}</bdi>
            </Fact>
          )}
        </Facts>
        {referral.packetNotes.length > 0 && (
          <section aria-label={t('referrals.notes')}>
            <h4>{t('referrals.notes')}</h4>
            <ul className="inbox-notes">
              {referral.packetNotes.map((note) => (
                <li key={note.id}>
                  <bdi>{note.body}</bdi> <span className="muted">({format.dateTime(note.createdAt)})</span>
                </li>
              ))}
            </ul>
          </section>
        )}
        {pending && (
          <form
            noValidate
            aria-busy={decide.isPending}
            onSubmit={(event: FormEvent) => {
              event.preventDefault();
              submit('accept');
            }}
          >
            <GeneralErrors messages={errors.general} />
            <TextArea
              id={`${id}-reason`}
              label={t('referrals.reason')}
              hint={t('referrals.reasonHint')}
              error={reasonError}
              value={reason}
              onChange={setReason}
            />
            <div className="actions">
              <button type="submit" className="button button-primary" disabled={decide.isPending}>
                {t('referrals.accept')}
              </button>
              <button
                type="button"
                className="button button-secondary"
                disabled={decide.isPending}
                onClick={() => submit('decline')}
              >
                {t('referrals.decline')}
              </button>
            </div>
          </form>
        )}
      </article>
    </li>
  );
}

function ReferralsBox({ me, announce }: { me: Me; announce: Announce }) {
  const { t } = useTranslation('inbox');
  const referrals = useIncomingReferrals(true);
  // Waiting ones first; the rest stay visible as the agency's record of what it answered.
  const sorted = referrals.data
    ? [...referrals.data].sort((a, b) => Number(b.status === 'pending') - Number(a.status === 'pending'))
    : undefined;
  return (
    <BoxList query={{ ...referrals, data: sorted }} empty={t('referrals.empty')}>
      {sorted?.map((referral) => (
        <ReferralItem key={referral.id} me={me} referral={referral} announce={announce} />
      ))}
    </BoxList>
  );
}

// Screening ----------------------------------------------------------------------------------

type Disposition = 'confirmed' | 'false_positive';

function HitItem({ me, hit, announce }: { me: Me; hit: ScreeningHit; announce: Announce }) {
  const { t } = useTranslation('inbox');
  const format = useFormatters();
  const queryClient = useQueryClient();
  const id = useId();
  const [disposition, setDisposition] = useState<Disposition | ''>('');
  const [reason, setReason] = useState('');
  const [localErrors, setLocalErrors] = useState<{ disposition?: string; reason?: string }>({});
  const review = useMutation({
    mutationFn: (chosen: Disposition) =>
      call(
        api.POST('/api/watchlist/hits/{id}/reviews', {
          params: { path: { id: hit.id } },
          body: { disposition: chosen, ...(reason.trim() ? { reason: reason.trim() } : {}) },
        }),
      ),
    onSuccess: async (result) => {
      announce(
        result.status === 'in_review'
          ? t('screening.recordedFirst', { name: hit.listedName })
          : t('screening.decided', { name: hit.listedName, status: t(`screening.status.${result.status}`) }),
      );
      await queryClient.invalidateQueries({ queryKey: inboxKeys.screening });
    },
  });
  const errors = useActionErrors(review.error, ['reason', 'disposition']);
  const mayReview = can(me, 'watchlist:review');
  const reviewedByMe = hit.reviews.some((r) => r.reviewerId === me.id);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems: { disposition?: string; reason?: string } = {};
    if (!disposition) problems.disposition = t('screening.dispositionRequired');
    if (disposition === 'false_positive' && reason.trim().length < 10)
      problems.reason = t('screening.reasonRequired');
    setLocalErrors(problems);
    if (disposition && Object.keys(problems).length === 0) review.mutate(disposition);
  };
  return (
    <li id={`hit-${hit.id}`}>
      <article className="card inbox-item" aria-labelledby={`${id}-heading`}>
        <h3 id={`${id}-heading`}>
          <bdi>{hit.listedName}</bdi>
        </h3>
        <p className="muted">{t(`screening.status.${hit.status}`)}</p>
        <Facts>
          <Fact term={t('screening.person')}>
            <Link to={`/persons/${hit.personId}`}>{t('screening.openPerson')}</Link>
          </Fact>
          <Fact term={t('screening.reference')}>
            <bdi className="mono">{hit.referenceNumber}</bdi>
          </Fact>
          <Fact term={t('screening.score')}>
            {t('screening.scoreValue', {
              score: format.number(hit.score),
              threshold: format.number(hit.threshold),
            })}{' '}
            ({t(`screening.decision.${hit.decision}`)})
          </Fact>
          <Fact term={t('screening.explanation')}>
            <ul className="inbox-notes">
              {hit.explanation.map((line) => (
                <li key={line}>
                  <bdi>{line}</bdi>
                </li>
              ))}
            </ul>
            {hit.weakAlias && <p className="inbox-warning">{t('screening.weakAlias')}</p>}
          </Fact>
          <Fact term={t('screening.screenedAt')}>{format.dateTime(hit.createdAt)}</Fact>
          <Fact term={t('screening.reviews')}>
            {hit.reviews.length === 0 ? (
              t('screening.noReviews')
            ) : (
              <ol className="inbox-notes">
                {hit.reviews.map((r) => (
                  <li key={`${r.reviewerId}-${r.reviewedAt}`}>
                    <UserName me={me} user={r.reviewer} />: {t(`screening.status.${r.disposition}`)},{' '}
                    {format.dateTime(r.reviewedAt)}
                    {r.reason && (
                      <>
                        {' — '}
                        <q>
                          <bdi>{r.reason}</bdi>
                        </q>
                      </>
                    )}
                  </li>
                ))}
              </ol>
            )}
          </Fact>
        </Facts>
        {mayReview && reviewedByMe && <p className="notice">{t('screening.waitingSecond')}</p>}
        {mayReview && !reviewedByMe && (
          <form noValidate onSubmit={submit} aria-busy={review.isPending}>
            <GeneralErrors messages={errors.general} />
            <Choice<Disposition>
              name={`${id}-disposition`}
              legend={t('screening.disposition')}
              value={disposition}
              error={localErrors.disposition ?? errors.byField.disposition}
              onChange={setDisposition}
              options={[
                { value: 'confirmed', label: t('screening.status.confirmed') },
                { value: 'false_positive', label: t('screening.status.false_positive') },
              ]}
            />
            <TextArea
              id={`${id}-reason`}
              label={t('screening.reason')}
              hint={t('screening.reasonHint')}
              error={localErrors.reason ?? errors.byField.reason}
              value={reason}
              onChange={setReason}
            />
            <button type="submit" className="button button-primary" disabled={review.isPending}>
              {hit.reviews.length === 0 ? t('screening.submitFirst') : t('screening.submitSecond')}
            </button>
          </form>
        )}
      </article>
    </li>
  );
}

function ScreeningBox({ me, announce }: { me: Me; announce: Announce }) {
  const { t } = useTranslation('inbox');
  const hits = useOpenHits(true);
  return (
    <>
      <p className="muted">{t('screening.twoPerson')}</p>
      <BoxList query={hits} empty={t('screening.empty')}>
        {hits.data?.map((hit) => (
          <HitItem key={hit.id} me={me} hit={hit} announce={announce} />
        ))}
      </BoxList>
    </>
  );
}

// Break-glass --------------------------------------------------------------------------------

type Outcome = 'justified' | 'unjustified';

function BreakGlassItem({ me, event, announce }: { me: Me; event: BreakGlass; announce: Announce }) {
  const { t } = useTranslation('inbox');
  const { t: tui } = useTranslation('ui');
  const format = useFormatters();
  const queryClient = useQueryClient();
  const id = useId();
  const [outcome, setOutcome] = useState<Outcome | ''>('');
  const [note, setNote] = useState('');
  const [localError, setLocalError] = useState<string>();
  const review = useMutation({
    mutationFn: (chosen: Outcome) =>
      call(
        api.POST('/api/break-glass/{id}/review', {
          params: { path: { id: event.id } },
          body: { outcome: chosen, ...(note.trim() ? { note: note.trim() } : {}) },
        }),
      ),
    onSuccess: async (_result, chosen) => {
      announce(t('breakGlass.reviewed', { outcome: t(`breakGlass.outcome.${chosen}`) }));
      await queryClient.invalidateQueries({ queryKey: inboxKeys.breakGlass });
    },
  });
  const errors = useActionErrors(review.error, ['outcome', 'note']);
  return (
    <li id={`break-glass-${event.id}`}>
      <article className="card inbox-item" aria-labelledby={`${id}-heading`}>
        <h3 id={`${id}-heading`}>{t('breakGlass.heading', { when: format.dateTime(event.openedAt) })}</h3>
        <Facts>
          <Fact term={t('breakGlass.who')}>
            <UserName me={me} user={event.user} />
          </Fact>
          <Fact term={t('breakGlass.case')}>
            <CaseRef caseId={event.caseId} me={me} />
          </Fact>
          <Fact term={t('breakGlass.reason')}>
            <q>
              <bdi>{event.reason}</bdi>
            </q>
          </Fact>
          <Fact term={t('breakGlass.compartments')}>
            {event.compartments.map((c) => tui(`restricted.compartment.${c}`)).join(', ')}
          </Fact>
          <Fact term={t('breakGlass.period')}>
            {t('breakGlass.periodValue', {
              from: format.dateTime(event.openedAt),
              to: format.dateTime(event.endedAt ?? event.expiresAt),
            })}{' '}
            {event.active && <strong>{t('breakGlass.active')}</strong>}
          </Fact>
        </Facts>
        <form
          noValidate
          aria-busy={review.isPending}
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            if (!outcome) {
              setLocalError(t('breakGlass.outcomeRequired'));
              return;
            }
            setLocalError(undefined);
            review.mutate(outcome);
          }}
        >
          <GeneralErrors messages={errors.general} />
          <Choice<Outcome>
            name={`${id}-outcome`}
            legend={t('breakGlass.outcomeLegend')}
            value={outcome}
            error={localError ?? errors.byField.outcome}
            onChange={setOutcome}
            options={[
              { value: 'justified', label: t('breakGlass.outcome.justified') },
              { value: 'unjustified', label: t('breakGlass.outcome.unjustified') },
            ]}
          />
          <TextArea
            id={`${id}-note`}
            label={t('breakGlass.note')}
            error={errors.byField.note}
            value={note}
            onChange={setNote}
          />
          <button type="submit" className="button button-primary" disabled={review.isPending}>
            {t('breakGlass.submit')}
          </button>
        </form>
      </article>
    </li>
  );
}

function BreakGlassBox({ me, announce }: { me: Me; announce: Announce }) {
  const { t } = useTranslation('inbox');
  const events = useUnreviewedBreakGlass(true);
  return (
    <BoxList query={events} empty={t('breakGlass.empty')}>
      {events.data?.map((event) => (
        <BreakGlassItem key={event.id} me={me} event={event} announce={announce} />
      ))}
    </BoxList>
  );
}

// The page -----------------------------------------------------------------------------------

function BoxList({
  query,
  empty,
  children,
}: {
  query: {
    isPending: boolean;
    isError: boolean;
    error: unknown;
    refetch: () => unknown;
    data?: unknown[] | undefined;
  };
  empty: string;
  children: ReactNode;
}) {
  if (query.isPending) return <Loading />;
  if (query.isError) return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  if ((query.data ?? []).length === 0) return <Empty>{empty}</Empty>;
  return <ul className="inbox-list">{children}</ul>;
}

const BOX_VIEWS: Record<Box, (props: { me: Me; announce: Announce }) => ReactNode> = {
  approvals: ApprovalsBox,
  referrals: ReferralsBox,
  screening: ScreeningBox,
  'break-glass': BreakGlassBox,
};

/**
 * The inboxes: approvals, referrals received, screening hits and break-glass events to review,
 * each a tab shown only to those whose permissions let them read its list.
 */
export function InboxPage({ me, box }: { me: Me; box?: string | undefined }) {
  const { t } = useTranslation('inbox');
  const boxes = visibleBoxes(me);
  const active = isBox(box) && boxes.includes(box) ? box : boxes[0];
  const [status, setStatus] = useState('');
  useDocumentTitle(active ? `${t(`tab.${active}`)} — ${t('title')}` : t('title'));
  const View = active ? BOX_VIEWS[active] : undefined;
  return (
    <div className="page inbox-page">
      <PageHeading>{t('title')}</PageHeading>
      <p className="inbox-status" role="status">
        {status}
      </p>
      {boxes.length === 0 || !View || !active ? (
        <Empty>{t('none')}</Empty>
      ) : (
        <>
          <nav aria-label={t('tabs')} className="inbox-tabs">
            <ul>
              {boxes.map((b) => (
                <li key={b}>
                  <Link to={`/inbox/${b}`} aria-current={b === active ? 'page' : undefined}>
                    {t(`tab.${b}`)}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <section aria-labelledby="inbox-box-heading">
            <h2 id="inbox-box-heading">{t(`tab.${active}`)}</h2>
            <View key={active} me={me} announce={setStatus} />
          </section>
        </>
      )}
    </div>
  );
}
