import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call, type Me } from '../../api/client.ts';
import { isApiError } from '../../api/errors.ts';
import { describeError } from '../../app/errorMessage.ts';
import { Link } from '../../app/router.tsx';
import { ConflictDialog, currentVersionOf, isVersionConflict } from '../../ui/ConflictDialog.tsx';
import { useFormatters } from '../../ui/format.ts';
import { Empty, Loading, QueryError } from '../../ui/states.tsx';
import {
  type AvailableTransition,
  type CaseDetail,
  type CloseReason,
  caseKeys,
  hasPermission,
} from './api.ts';
import { STAGES, useLabel, useUserName } from './labels.ts';

const CLOSE_REASONS = [
  'goals_met',
  'transferred_to_mainstream_services',
  'emigrated',
  'deceased',
  'other',
] as const;

/** Stages 0–10, the transitions and approvals done, the transitions one may request, and the assignment. */
export function TimelineSection({ me, caseDetail }: { me: Me; caseDetail: CaseDetail }) {
  const { t } = useTranslation('caseFile');
  const label = useLabel();
  const history = useQuery({
    queryKey: caseKeys.history(caseDetail.id),
    queryFn: () => call(api.GET('/api/cases/{id}/transitions', { params: { path: { id: caseDetail.id } } })),
  });
  // Stages a transition jumped over (an early closure, for one) were skipped, not done.
  const skipped = new Set<number>();
  for (const tr of history.data?.transitions ?? []) {
    if (tr.kind !== 'stage' || tr.from === null) continue;
    for (let stage = Number(tr.from) + 1; stage < Number(tr.to); stage++) skipped.add(stage);
  }
  return (
    <div className="stack">
      <section className="card" aria-labelledby="stages-heading">
        <h3 id="stages-heading">{t('timeline.stages')}</h3>
        <ol className="stage-list">
          {STAGES.map((stage) => {
            const state =
              stage < caseDetail.stage
                ? skipped.has(stage)
                  ? 'skipped'
                  : 'done'
                : stage === caseDetail.stage
                  ? 'current'
                  : 'upcoming';
            return (
              <li
                key={stage}
                className={`stage stage-${state}`}
                aria-current={state === 'current' ? 'step' : undefined}
              >
                <span className="stage-number">{stage}</span>
                <span className="stage-name">{label('stage', String(stage))}</span>
                <span className="stage-state">{t(`timeline.state.${state}`)}</span>
              </li>
            );
          })}
        </ol>
      </section>
      <TransitionActions me={me} caseDetail={caseDetail} />
      <Assignment me={me} caseDetail={caseDetail} />
      <TransitionHistory me={me} caseId={caseDetail.id} />
    </div>
  );
}

/** What a refusal names: the unmet precondition (or safeguard), in the reader's language. */
export function refusalText(
  t: ReturnType<typeof useTranslation<'caseFile'>>['t'],
  label: ReturnType<typeof useLabel>,
  error: unknown,
): string | undefined {
  if (!isApiError(error) || error.code !== 'TRANSITION_NOT_ALLOWED') return undefined;
  const precondition =
    typeof error.details?.precondition === 'string' ? error.details.precondition : undefined;
  if (!precondition) return error.message;
  return t('timeline.refused', { precondition: label('precondition', precondition) });
}

/** Where an unmet precondition can be met: the nationality claims, or the family's provenance. */
function RemedyLink({ caseId, error }: { caseId: string; error: unknown }) {
  const { t } = useTranslation('caseFile');
  const precondition = isApiError(error) ? error.details?.precondition : undefined;
  if (precondition === 'nationality_verified')
    return (
      <p>
        <Link to={`/cases/${caseId}/overview`}>{t('timeline.remedy.nationality')}</Link>
      </p>
    );
  if (precondition === 'filiation_documented')
    return (
      <p>
        <Link to={`/cases/${caseId}/family`}>{t('timeline.remedy.filiation')}</Link>
      </p>
    );
  return null;
}

function TransitionActions({ me, caseDetail }: { me: Me; caseDetail: CaseDetail }) {
  const { t } = useTranslation('caseFile');
  const { t: tApp } = useTranslation();
  const label = useLabel();
  const userName = useUserName(me, [caseDetail.pendingApproval?.requestedBy]);
  const fmt = useFormatters();
  const available = useQuery({
    queryKey: caseKeys.available(caseDetail.id),
    queryFn: () =>
      call(api.GET('/api/cases/{id}/available-transitions', { params: { path: { id: caseDetail.id } } })),
  });
  const [chosen, setChosen] = useState<AvailableTransition | null>(null);
  const [result, setResult] = useState<string>('');
  const pending = caseDetail.pendingApproval;

  return (
    <section className="card" aria-labelledby="transitions-heading">
      <h3 id="transitions-heading">{t('timeline.actions')}</h3>
      {pending && (
        <div className="notice">
          <p>
            {t('timeline.pendingApproval', {
              // The workflow's label of the transition (the approval carries only its code).
              transition:
                available.data?.find((a) => a.code === pending.transition)?.label ?? pending.transition,
              who: userName(pending.requestedBy),
              when: fmt.dateTime(pending.requestedAt),
            })}
          </p>
          {pending.requestComment && (
            <p>
              <bdi>{pending.requestComment}</bdi>
            </p>
          )}
        </div>
      )}
      <p role="status" className="status-message">
        {result}
      </p>
      {caseDetail.status === 'closed' ? (
        <p>{t('timeline.closed')}</p>
      ) : available.isPending ? (
        <Loading />
      ) : available.isError ? (
        <QueryError error={available.error} onRetry={() => void available.refetch()} />
      ) : available.data.length === 0 ? (
        <Empty>{t('timeline.noActions')}</Empty>
      ) : (
        <ul className="transition-actions">
          {available.data.map((transition) => (
            <li key={transition.code}>
              <button
                type="button"
                className="button button-secondary"
                aria-expanded={chosen?.code === transition.code}
                onClick={() => {
                  setResult('');
                  setChosen(chosen?.code === transition.code ? null : transition);
                }}
              >
                {transition.label}
              </button>
              <span className="muted">
                {' '}
                {transition.kind === 'stage'
                  ? t('timeline.toStage', { stage: transition.to, name: label('stage', transition.to) })
                  : t('timeline.toTrack', {
                      track: label('track', transition.track ?? ''),
                      status: label('trackStatus', transition.to),
                    })}
                {transition.requiresApproval || (transition.kind === 'stage' && transition.to === '10')
                  ? ` · ${t('timeline.needsApproval')}`
                  : ''}
              </span>
              {chosen?.code === transition.code && (
                <TransitionForm
                  caseDetail={caseDetail}
                  transition={transition}
                  onDone={(message) => {
                    setChosen(null);
                    setResult(message);
                  }}
                  describe={(error) => describeError(tApp, error)}
                />
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function TransitionForm({
  caseDetail,
  transition,
  onDone,
  describe,
}: {
  caseDetail: CaseDetail;
  transition: AvailableTransition;
  onDone: (message: string) => void;
  describe: (error: unknown) => string;
}) {
  const { t } = useTranslation('caseFile');
  const label = useLabel();
  const queryClient = useQueryClient();
  const [comment, setComment] = useState('');
  const [closeReason, setCloseReason] = useState<CloseReason | ''>('');
  const [prosecutionAgencyId, setProsecutionAgencyId] = useState('');
  const closing = transition.kind === 'stage' && transition.to === '10';
  const referral = transition.needsProsecutionOffice;
  const idBase = `transition-${transition.code.replaceAll('.', '-')}`;
  // A referral for a justice decision names the prosecution office identity and justice are disclosed to.
  const offices = useQuery({
    queryKey: ['directory-agencies', 'prosecution'],
    queryFn: () => call(api.GET('/api/directory/agencies', { params: { query: { kind: 'prosecution' } } })),
    enabled: referral,
  });
  const perform = useMutation({
    mutationFn: (version: number) =>
      call(
        api.POST('/api/cases/{id}/transitions', {
          params: { path: { id: caseDetail.id } },
          body: {
            transition: transition.code,
            version,
            ...(comment.trim() ? { comment: comment.trim() } : {}),
            ...(closing && closeReason ? { closeReason } : {}),
            ...(referral && prosecutionAgencyId ? { prosecutionAgencyId } : {}),
          },
        }),
      ),
    onSuccess: async (result) => {
      queryClient.setQueryData(caseKeys.detail(caseDetail.id), result.case);
      await queryClient.invalidateQueries({ queryKey: caseKeys.all(caseDetail.id) });
      onDone(
        result.outcome === 'applied'
          ? t('timeline.applied', { transition: transition.label })
          : t('timeline.approvalRequested', { transition: transition.label }),
      );
    },
  });
  const error = perform.error;
  const refusal = refusalText(t, label, error);
  const isCloseReasonError =
    isApiError(error) && (error.details?.path === 'body.closeReason' || error.fieldIssues().closeReason);
  const isOfficeError =
    isApiError(error) &&
    (error.details?.path === 'body.prosecutionAgencyId' || error.fieldIssues().prosecutionAgencyId);
  const stale = isVersionConflict(error);
  return (
    <form
      noValidate
      className="stack transition-form"
      onSubmit={(e) => {
        e.preventDefault();
        perform.mutate(caseDetail.version);
      }}
    >
      {closing && (
        <div className={isCloseReasonError ? 'field field-invalid' : 'field'}>
          <label htmlFor={`${idBase}-reason`}>{t('timeline.closeReason')}</label>
          {isCloseReasonError && (
            <p className="field-error" id={`${idBase}-reason-error`}>
              {error.message}
            </p>
          )}
          <select
            id={`${idBase}-reason`}
            value={closeReason}
            aria-invalid={isCloseReasonError ? true : undefined}
            onChange={(e) => setCloseReason(e.target.value as CloseReason | '')}
          >
            <option value="">{t('timeline.chooseReason')}</option>
            {CLOSE_REASONS.map((r) => (
              <option key={r} value={r}>
                {label('closeReason', r)}
              </option>
            ))}
          </select>
        </div>
      )}
      {referral && (
        <div className={isOfficeError ? 'field field-invalid' : 'field'}>
          <label htmlFor={`${idBase}-office`}>{t('timeline.prosecutionOffice')}</label>
          <p className="field-hint" id={`${idBase}-office-hint`}>
            {t('timeline.prosecutionOfficeHint')}
          </p>
          {isOfficeError && (
            <p className="field-error" id={`${idBase}-office-error`}>
              {t('timeline.prosecutionOfficeError')}
            </p>
          )}
          {offices.isError ? (
            <QueryError error={offices.error} onRetry={() => void offices.refetch()} />
          ) : (
            <select
              id={`${idBase}-office`}
              value={prosecutionAgencyId}
              aria-invalid={isOfficeError ? true : undefined}
              aria-describedby={
                isOfficeError ? `${idBase}-office-hint ${idBase}-office-error` : `${idBase}-office-hint`
              }
              disabled={offices.isPending}
              onChange={(e) => setProsecutionAgencyId(e.target.value)}
            >
              <option value="">{t('timeline.chooseProsecutionOffice')}</option>
              {offices.data?.map((office) => (
                <option key={office.id} value={office.id}>
                  {office.name} ({office.code})
                </option>
              ))}
            </select>
          )}
          {offices.data?.length === 0 && <p className="muted">{t('timeline.noProsecutionOffice')}</p>}
        </div>
      )}
      <div className="field">
        <label htmlFor={`${idBase}-comment`}>{t('timeline.comment')}</label>
        <textarea
          id={`${idBase}-comment`}
          rows={3}
          maxLength={2000}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
        />
      </div>
      {refusal && (
        <div className="refusal" role="alert">
          <p>
            <strong>{t('timeline.notAllowed')}</strong> {refusal}
          </p>
          <RemedyLink caseId={caseDetail.id} error={error} />
        </div>
      )}
      {stale && (
        <div className="refusal" role="alert">
          <p>{t('timeline.stale')}</p>
          <button
            type="button"
            className="button button-secondary"
            onClick={() => {
              const version = currentVersionOf(error);
              void queryClient.invalidateQueries({ queryKey: caseKeys.all(caseDetail.id) });
              if (version !== undefined) perform.mutate(version);
            }}
          >
            {t('timeline.retryOnCurrent')}
          </button>
        </div>
      )}
      {error && !refusal && !stale && !isCloseReasonError && !isOfficeError && (
        <p className="field-error" role="alert">
          {isApiError(error) && error.status < 500 && error.status !== 0 ? error.message : describe(error)}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={perform.isPending}>
          {perform.isPending ? t('common.saving') : t('timeline.perform', { transition: transition.label })}
        </button>
      </div>
    </form>
  );
}

/** Assigning the case (cases:assign): to oneself, to nobody, or (administrators) to a listed worker. */
function Assignment({ me, caseDetail }: { me: Me; caseDetail: CaseDetail }) {
  const { t } = useTranslation('caseFile');
  const { t: tApp } = useTranslation();
  const userName = useUserName(me, [caseDetail.assignedUserId]);
  const queryClient = useQueryClient();
  const canAssign = hasPermission(me.permissions, 'cases:assign');
  const canListUsers = hasPermission(me.permissions, 'admin:users');
  const users = useQuery({
    queryKey: ['admin-users', caseDetail.ownerAgencyId],
    queryFn: () =>
      call(api.GET('/api/admin/users', { params: { query: { agencyId: caseDetail.ownerAgencyId } } })),
    enabled: canAssign && canListUsers,
  });
  const [choice, setChoice] = useState<string>(caseDetail.assignedUserId ?? '');
  const [conflict, setConflict] = useState<{ mine: string | null; current: CaseDetail } | null>(null);
  const [done, setDone] = useState('');
  const nameOf = (id: string | null) => {
    if (!id) return t('common.nobody');
    const user = users.data?.find((u) => u.id === id);
    return user ? user.displayName : userName(id);
  };
  const assign = useMutation({
    mutationFn: (input: { assignedUserId: string | null; version: number }) =>
      call(
        api.PUT('/api/cases/{id}/assignment', {
          params: { path: { id: caseDetail.id } },
          body: input,
        }),
      ),
    onSuccess: (saved) => {
      queryClient.setQueryData(caseKeys.detail(caseDetail.id), saved);
      setConflict(null);
      setDone(t('assignment.done', { name: nameOf(saved.assignedUserId) }));
    },
    onError: async (error, input) => {
      if (!isVersionConflict(error)) return;
      const current = await queryClient.fetchQuery({
        queryKey: caseKeys.detail(caseDetail.id),
        queryFn: () => call(api.GET('/api/cases/{id}', { params: { path: { id: caseDetail.id } } })),
        staleTime: 0,
      });
      setConflict({ mine: input.assignedUserId, current });
    },
  });
  if (!canAssign) {
    return (
      <section className="card" aria-labelledby="assignment-heading">
        <h3 id="assignment-heading">{t('assignment.title')}</h3>
        <p>
          {t('assignment.current')}: {nameOf(caseDetail.assignedUserId)}
        </p>
      </section>
    );
  }
  const submit = (assignedUserId: string | null) => {
    setDone('');
    assign.mutate({ assignedUserId, version: caseDetail.version });
  };
  return (
    <section className="card" aria-labelledby="assignment-heading">
      <h3 id="assignment-heading">{t('assignment.title')}</h3>
      <p>
        {t('assignment.current')}: <strong>{nameOf(caseDetail.assignedUserId)}</strong>
      </p>
      <p role="status" className="status-message">
        {done}
      </p>
      {assign.error && !isVersionConflict(assign.error) ? (
        <p className="field-error" role="alert">
          {isApiError(assign.error) && assign.error.status < 500
            ? assign.error.message
            : describeError(tApp, assign.error)}
        </p>
      ) : null}
      {canListUsers && users.data ? (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            submit(choice || null);
          }}
        >
          <div className="field">
            <label htmlFor="assignment-user">{t('assignment.worker')}</label>
            <select id="assignment-user" value={choice} onChange={(e) => setChoice(e.target.value)}>
              <option value="">{t('common.nobody')}</option>
              {users.data
                .filter((u) => u.status === 'active')
                .map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.displayName}
                  </option>
                ))}
            </select>
          </div>
          <button type="submit" className="button button-primary" disabled={assign.isPending}>
            {t('assignment.save')}
          </button>
        </form>
      ) : null}
      <div className="actions">
        {caseDetail.assignedUserId !== me.id && (
          <button
            type="button"
            className="button button-secondary"
            disabled={assign.isPending}
            onClick={() => submit(me.id)}
          >
            {t('assignment.toMe')}
          </button>
        )}
        {caseDetail.assignedUserId !== null && (
          <button
            type="button"
            className="button button-secondary"
            disabled={assign.isPending}
            onClick={() => submit(null)}
          >
            {t('assignment.unassign')}
          </button>
        )}
      </div>
      <ConflictDialog
        open={conflict !== null}
        busy={assign.isPending}
        fields={
          conflict
            ? [
                {
                  key: 'assignedUserId',
                  label: t('assignment.worker'),
                  mine: nameOf(conflict.mine),
                  theirs: nameOf(conflict.current.assignedUserId),
                },
              ]
            : []
        }
        onSave={(choices) => {
          if (!conflict) return;
          const value = choices.assignedUserId === 'theirs' ? conflict.current.assignedUserId : conflict.mine;
          assign.mutate({ assignedUserId: value, version: conflict.current.version });
        }}
        onTakeTheirs={() => {
          setConflict(null);
          assign.reset();
        }}
        onReload={() => {
          if (conflict) setChoice(conflict.mine ?? '');
          setConflict(null);
          assign.reset();
        }}
        onClose={() => {
          setConflict(null);
          assign.reset();
        }}
      />
    </section>
  );
}

function TransitionHistory({ me, caseId }: { me: Me; caseId: string }) {
  const { t } = useTranslation('caseFile');
  const fmt = useFormatters();
  const label = useLabel();
  const history = useQuery({
    queryKey: caseKeys.history(caseId),
    queryFn: () => call(api.GET('/api/cases/{id}/transitions', { params: { path: { id: caseId } } })),
  });
  const userName = useUserName(me, [
    ...(history.data?.transitions ?? []).map((tr) => tr.performedBy),
    ...(history.data?.approvals ?? []).flatMap((a) => [a.requestedBy, a.decidedBy]),
  ]);
  // Approvals carry the transition's code; its label is known for those open from the current stage.
  const available = useQuery({
    queryKey: caseKeys.available(caseId),
    queryFn: () =>
      call(api.GET('/api/cases/{id}/available-transitions', { params: { path: { id: caseId } } })),
  });
  const transitionLabel = (code: string) => available.data?.find((a) => a.code === code)?.label ?? code;
  const value = (kind: 'stage' | 'track', v: string | null) =>
    v === null
      ? t('timeline.notOpen')
      : kind === 'stage'
        ? `${v} — ${label('stage', v)}`
        : label('trackStatus', v);
  return (
    <section className="card" aria-labelledby="transition-history-heading">
      <h3 id="transition-history-heading">{t('timeline.history')}</h3>
      {history.isPending ? (
        <Loading />
      ) : history.isError ? (
        <QueryError error={history.error} onRetry={() => void history.refetch()} />
      ) : (
        <>
          <h4>{t('timeline.transitionsDone')}</h4>
          {history.data.transitions.length === 0 ? (
            <Empty>{t('timeline.noTransitions')}</Empty>
          ) : (
            <ol className="record-list">
              {history.data.transitions.map((tr) => (
                <li key={tr.id}>
                  <strong>
                    {tr.kind === 'track' ? `${label('track', tr.track ?? '')}: ` : ''}
                    {value(tr.kind, tr.from)} → {value(tr.kind, tr.to)}
                  </strong>
                  <br />
                  <span className="muted">
                    {t('timeline.byWhen', {
                      who: userName(tr.performedBy),
                      when: fmt.dateTime(tr.performedAt),
                    })}
                    {tr.approvalId ? ` · ${t('timeline.withApproval')}` : ''}
                  </span>
                  {tr.comment && (
                    <p>
                      <bdi>{tr.comment}</bdi>
                    </p>
                  )}
                </li>
              ))}
            </ol>
          )}
          <h4>{t('timeline.approvals')}</h4>
          {history.data.approvals.length === 0 ? (
            <Empty>{t('timeline.noApprovals')}</Empty>
          ) : (
            <ol className="record-list">
              {history.data.approvals.map((a) => (
                <li key={a.id}>
                  <strong>
                    {transitionLabel(a.transition)} — {label('approvalStatus', a.status)}
                  </strong>
                  <br />
                  <span className="muted">
                    {t('timeline.requested', {
                      who: userName(a.requestedBy),
                      when: fmt.dateTime(a.requestedAt),
                    })}
                  </span>
                  {a.requestComment && (
                    <p>
                      <bdi>{a.requestComment}</bdi>
                    </p>
                  )}
                  {a.decidedAt && (
                    <p className="muted">
                      {t('timeline.decided', { who: userName(a.decidedBy), when: fmt.dateTime(a.decidedAt) })}
                      {a.decisionComment && (
                        <>
                          {': '}
                          <bdi>{a.decisionComment}</bdi>
                        </>
                      )}
                    </p>
                  )}
                </li>
              ))}
            </ol>
          )}
        </>
      )}
    </section>
  );
}
