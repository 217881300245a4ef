import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../../api/client.ts';
import { ErrorSummary } from '../../ui/ErrorSummary.tsx';
import { Field } from '../../ui/Field.tsx';
import { useFormatters } from '../../ui/format.ts';
import { type FormErrors, formErrorsFrom } from '../../ui/formErrors.ts';
import { Empty, Loading, QueryError } from '../../ui/states.tsx';
import {
  caseworkKeys,
  type PanelDecision,
  type RecordPanelDecision,
  todayIso,
  useAgencyName,
  usePermissions,
  useProviders,
} from './api.ts';
import { newDraftKey, SelectField, SuccessMessage, TextAreaField } from './fields.tsx';
import './casework.css';

type Kind = PanelDecision['kind'];
type Vote = 'concur' | 'dissent' | 'abstain';

/** The outcomes each decision kind allows (server: modules/assessments/decisions.ts). */
export const DECISION_OUTCOMES: Record<Kind, string[]> = {
  justice_decision: ['prosecute', 'divert', 'no_case', 'recognised_victim'],
  care_arrangement: ['family_based', 'kinship', 'foster', 'institution'],
  separation: ['keep_together', 'separate', 'reunify'],
  step_down: ['step_down', 'maintain', 'escalate'],
};
const KINDS = Object.keys(DECISION_OUTCOMES) as Kind[];
const VOTES: Vote[] = ['concur', 'dissent', 'abstain'];

export interface DecisionDraft {
  kind: Kind;
  outcome: string;
  decidedOn: string;
  participants: { key: number; role: string; agencyId: string; vote: Vote; dissent: string }[];
  options: { key: number; option: string; assessment: string }[];
  rationale: string;
  assessmentIds: string[];
}

/**
 * The checks of the server's recordDecisionSchema, run before sending so the form answers at once;
 * the server's answer (same paths) still shows at the same fields.
 */
export function validateDecision(
  draft: DecisionDraft,
  t: (key: string, options?: Record<string, unknown>) => string,
): Record<string, string> {
  const faults: Record<string, string> = {};
  if (!DECISION_OUTCOMES[draft.kind].includes(draft.outcome)) faults.outcome = t('decisions.errors.outcome');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(draft.decidedOn)) faults.decidedOn = t('decisions.errors.date');
  if (draft.participants.length < 2) faults.participants = t('decisions.errors.twoMembers');
  draft.participants.forEach((p, i) => {
    if (!p.role.trim()) faults[`participants.${i}.role`] = t('decisions.errors.role', { number: i + 1 });
    if (p.vote === 'dissent' && !p.dissent.trim())
      faults[`participants.${i}.dissent`] = t('decisions.errors.dissent', { number: i + 1 });
  });
  if (draft.options.length < 1) faults.options = t('decisions.errors.oneOption');
  draft.options.forEach((o, i) => {
    if (!o.option.trim()) faults[`options.${i}.option`] = t('decisions.errors.option', { number: i + 1 });
  });
  if (!draft.rationale.trim()) faults.rationale = t('decisions.errors.rationale');
  return faults;
}

/** Multi-agency panel decisions: who sat, options, rationale, dissent, assessments relied on. */
export function DecisionsSection({ caseId }: { caseId: string }) {
  const { t } = useTranslation('casework');
  const { can } = usePermissions();
  const [saved, setSaved] = useState<string>();
  const [adding, setAdding] = useState(false);
  const decisions = useQuery({
    queryKey: caseworkKeys.decisions(caseId),
    queryFn: () => call(api.GET('/api/cases/{id}/decisions', { params: { path: { id: caseId } } })),
  });
  return (
    <section className="casework-section" aria-labelledby={`decisions-${caseId}`}>
      <h2 id={`decisions-${caseId}`}>{t('decisions.heading')}</h2>
      <SuccessMessage message={saved} />
      {decisions.isPending ? (
        <Loading />
      ) : decisions.isError ? (
        <QueryError error={decisions.error} onRetry={() => decisions.refetch()} />
      ) : decisions.data.length === 0 ? (
        <Empty>{t('decisions.empty')}</Empty>
      ) : (
        [...decisions.data].reverse().map((d) => <DecisionCard key={d.id} decision={d} />)
      )}
      {can('decisions:record') &&
        (adding ? (
          <DecisionForm
            caseId={caseId}
            onDone={(message) => {
              setAdding(false);
              if (message) setSaved(message);
            }}
          />
        ) : (
          <button type="button" className="button button-primary" onClick={() => setAdding(true)}>
            {t('decisions.record')}
          </button>
        ))}
    </section>
  );
}

function useCaseAssessments(caseId: string) {
  return useQuery({
    queryKey: ['cases', caseId, 'assessments'],
    queryFn: () => call(api.GET('/api/cases/{id}/assessments', { params: { path: { id: caseId } } })),
  });
}

function DecisionCard({ decision }: { decision: PanelDecision }) {
  const { t } = useTranslation('casework');
  const { date } = useFormatters();
  const agencyName = useAgencyName();
  const assessments = useCaseAssessments(decision.caseId);
  return (
    <article className="card casework-card">
      <div className="casework-card-head">
        <h3>
          {t(`decisions.kinds.${decision.kind}`)}:{' '}
          {t(`decisions.outcomes.${decision.outcome}` as 'decisions.outcomes.divert')}
        </h3>
        <span className="muted">{date(decision.decidedOn)}</span>
      </div>
      {decision.dissent && <p className="casework-badge">{t('decisions.hasDissent')}</p>}
      <h4>{t('decisions.participants')}</h4>
      <ul className="casework-list">
        {decision.participants.map((p, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a recorded decision's members never change order
          <li key={i}>
            <span className="casework-item-title">{p.role}</span>
            {p.agencyId && <> · {agencyName(p.agencyId) ?? t('unknownAgency')}</>} ·{' '}
            {t(`decisions.votes.${p.vote}`)}
            {p.dissent && <blockquote className="casework-dissent">{p.dissent}</blockquote>}
          </li>
        ))}
      </ul>
      <h4>{t('decisions.options')}</h4>
      <ul className="casework-list">
        {decision.options.map((o, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a recorded decision's options never change order
          <li key={i}>
            <span className="casework-item-title">{o.option}</span>
            {o.assessment && <p className="casework-body">{o.assessment}</p>}
          </li>
        ))}
      </ul>
      <h4>{t('decisions.rationale')}</h4>
      <p className="casework-body">{decision.rationale}</p>
      {decision.assessmentIds.length > 0 && (
        <>
          <h4>{t('decisions.reliedOn')}</h4>
          <ul className="casework-list">
            {decision.assessmentIds.map((id) => {
              const a = assessments.data?.find((x) => x.id === id);
              return (
                <li key={id}>
                  {a
                    ? t('decisions.assessmentLabel', {
                        instrument: a.instrumentCode,
                        version: a.instrumentVersion,
                        date: date(a.submittedAt ?? a.createdAt),
                      })
                    : t('decisions.assessmentRestricted')}
                </li>
              );
            })}
          </ul>
        </>
      )}
    </article>
  );
}

function DecisionForm({ caseId, onDone }: { caseId: string; onDone: (message?: string) => void }) {
  const { t } = useTranslation('casework');
  const { t: tApp } = useTranslation();
  const { date } = useFormatters();
  const queryClient = useQueryClient();
  const id = useId();
  const providers = useProviders({});
  const assessments = useCaseAssessments(caseId);
  const [draft, setDraft] = useState<DecisionDraft>(() => ({
    kind: 'justice_decision',
    outcome: '',
    decidedOn: todayIso(),
    participants: [
      { key: newDraftKey(), role: '', agencyId: '', vote: 'concur', dissent: '' },
      { key: newDraftKey(), role: '', agencyId: '', vote: 'concur', dissent: '' },
    ],
    options: [{ key: newDraftKey(), option: '', assessment: '' }],
    rationale: '',
    assessmentIds: [],
  }));
  const [localFaults, setLocalFaults] = useState<Record<string, string>>({});
  const mutation = useMutation({
    mutationFn: () => {
      const body: RecordPanelDecision = {
        kind: draft.kind,
        outcome: draft.outcome,
        decidedOn: draft.decidedOn,
        participants: draft.participants.map((p) => ({
          role: p.role,
          agencyId: p.agencyId || null,
          userId: null,
          vote: p.vote,
          ...(p.vote === 'dissent' ? { dissent: p.dissent } : {}),
        })),
        options: draft.options.map((o) => ({
          option: o.option,
          ...(o.assessment.trim() ? { assessment: o.assessment } : {}),
        })),
        rationale: draft.rationale,
        assessmentIds: draft.assessmentIds,
      };
      return call(api.POST('/api/cases/{id}/decisions', { params: { path: { id: caseId } }, body }));
    },
    onSuccess: (decision) => {
      queryClient.setQueryData<PanelDecision[]>(caseworkKeys.decisions(caseId), (old) => [
        ...(old ?? []),
        decision,
      ]);
      onDone(
        t('decisions.saved', {
          kind: t(`decisions.kinds.${decision.kind}`),
          outcome: t(`decisions.outcomes.${decision.outcome}` as 'decisions.outcomes.divert'),
        }),
      );
    },
  });
  const fieldIds: Record<string, string> &
    Record<'kind' | 'outcome' | 'decidedOn' | 'rationale' | 'assessmentIds', string> = {
    kind: `${id}-kind`,
    outcome: `${id}-outcome`,
    decidedOn: `${id}-date`,
    rationale: `${id}-rationale`,
    participants: `${id}-p-0-role`,
    options: `${id}-o-0-option`,
    assessmentIds: `${id}-assessments`,
  };
  draft.participants.forEach((_, i) => {
    fieldIds[`participants.${i}.role`] = `${id}-p-${i}-role`;
    fieldIds[`participants.${i}.dissent`] = `${id}-p-${i}-dissent`;
    fieldIds[`participants.${i}.agencyId`] = `${id}-p-${i}-agency`;
  });
  draft.options.forEach((_, i) => {
    fieldIds[`options.${i}.option`] = `${id}-o-${i}-option`;
  });
  draft.assessmentIds.forEach((_, i) => {
    fieldIds[`assessmentIds.${i}`] = `${id}-assessments`;
  });
  const serverErrors = formErrorsFrom(tApp, mutation.error, fieldIds);
  const errors: FormErrors =
    Object.keys(localFaults).length > 0
      ? {
          byPath: localFaults,
          summary: Object.entries(localFaults).map(([path, text]) => ({ text, fieldId: fieldIds[path] })),
        }
      : serverErrors;
  const err = (path: string) => errors.byPath[path];
  const assessmentError = Object.entries(errors.byPath).find(([p]) => p.startsWith('assessmentIds'))?.[1];

  const update = (patch: Partial<DecisionDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const setParticipant = (i: number, patch: Partial<DecisionDraft['participants'][number]>) =>
    update({ participants: draft.participants.map((p, j) => (j === i ? { ...p, ...patch } : p)) });
  const setOption = (i: number, patch: Partial<DecisionDraft['options'][number]>) =>
    update({ options: draft.options.map((o, j) => (j === i ? { ...o, ...patch } : o)) });
  const agencyOptions = (providers.data ?? []).map((p) => ({ value: p.agencyId, label: p.name }));
  const complete = (assessments.data ?? []).filter((a) => a.complete);

  return (
    <form
      className="card casework-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const faults = validateDecision(draft, t as never);
        setLocalFaults(faults);
        if (Object.keys(faults).length === 0) mutation.mutate();
      }}
    >
      <h3>{t('decisions.recordHeading')}</h3>
      <ErrorSummary messages={errors.summary} />
      <SelectField
        id={fieldIds.kind}
        label={t('decisions.kind')}
        value={draft.kind}
        onChange={(e) => update({ kind: e.target.value as Kind, outcome: '' })}
        options={KINDS.map((k) => ({ value: k, label: t(`decisions.kinds.${k}`) }))}
        error={err('kind')}
      />
      <SelectField
        id={fieldIds.outcome}
        label={t('decisions.outcome')}
        value={draft.outcome}
        onChange={(e) => update({ outcome: e.target.value })}
        options={DECISION_OUTCOMES[draft.kind].map((o) => ({
          value: o,
          label: t(`decisions.outcomes.${o}` as 'decisions.outcomes.divert'),
        }))}
        placeholder={t('choose')}
        error={err('outcome')}
        required
      />
      <Field
        id={fieldIds.decidedOn}
        type="date"
        label={t('decisions.decidedOn')}
        value={draft.decidedOn}
        onChange={(e) => update({ decidedOn: e.target.value })}
        error={err('decidedOn')}
        required
      />
      <fieldset className="casework-fieldset">
        <legend>{t('decisions.participants')}</legend>
        <p className="field-hint">{t('decisions.participantsHint')}</p>
        {err('participants') && <p className="field-error">{err('participants')}</p>}
        {draft.participants.map((p, i) => (
          <div key={p.key} className="casework-repeat">
            <Field
              id={`${id}-p-${i}-role`}
              label={t('decisions.memberRole', { number: i + 1 })}
              value={p.role}
              onChange={(e) => setParticipant(i, { role: e.target.value })}
              error={err(`participants.${i}.role`)}
              required
              maxLength={200}
            />
            <SelectField
              id={`${id}-p-${i}-agency`}
              label={t('decisions.memberAgency', { number: i + 1 })}
              value={p.agencyId}
              onChange={(e) => setParticipant(i, { agencyId: e.target.value })}
              options={agencyOptions}
              placeholder={t('decisions.noAgency')}
              error={err(`participants.${i}.agencyId`)}
            />
            <SelectField
              id={`${id}-p-${i}-vote`}
              label={t('decisions.memberVote', { number: i + 1 })}
              value={p.vote}
              onChange={(e) => setParticipant(i, { vote: e.target.value as Vote })}
              options={VOTES.map((v) => ({ value: v, label: t(`decisions.votes.${v}`) }))}
            />
            {p.vote === 'dissent' && (
              <TextAreaField
                id={`${id}-p-${i}-dissent`}
                label={t('decisions.memberDissent', { number: i + 1 })}
                hint={t('decisions.dissentHint')}
                value={p.dissent}
                onChange={(e) => setParticipant(i, { dissent: e.target.value })}
                error={err(`participants.${i}.dissent`)}
                required
              />
            )}
            {draft.participants.length > 2 && (
              <button
                type="button"
                className="button button-secondary"
                onClick={() => update({ participants: draft.participants.filter((_, j) => j !== i) })}
              >
                {t('decisions.removeMember', { number: i + 1 })}
              </button>
            )}
          </div>
        ))}
        <button
          type="button"
          className="button button-secondary"
          onClick={() =>
            update({
              participants: [
                ...draft.participants,
                { key: newDraftKey(), role: '', agencyId: '', vote: 'concur', dissent: '' },
              ],
            })
          }
        >
          {t('decisions.addMember')}
        </button>
      </fieldset>
      <fieldset className="casework-fieldset">
        <legend>{t('decisions.options')}</legend>
        {err('options') && <p className="field-error">{err('options')}</p>}
        {draft.options.map((o, i) => (
          <div key={o.key} className="casework-repeat">
            <Field
              id={`${id}-o-${i}-option`}
              label={t('decisions.option', { number: i + 1 })}
              value={o.option}
              onChange={(e) => setOption(i, { option: e.target.value })}
              error={err(`options.${i}.option`)}
              required
              maxLength={500}
            />
            <TextAreaField
              id={`${id}-o-${i}-assessment`}
              label={t('decisions.optionAssessment', { number: i + 1 })}
              value={o.assessment}
              onChange={(e) => setOption(i, { assessment: e.target.value })}
              rows={2}
            />
            {draft.options.length > 1 && (
              <button
                type="button"
                className="button button-secondary"
                onClick={() => update({ options: draft.options.filter((_, j) => j !== i) })}
              >
                {t('decisions.removeOption', { number: i + 1 })}
              </button>
            )}
          </div>
        ))}
        <button
          type="button"
          className="button button-secondary"
          onClick={() =>
            update({ options: [...draft.options, { key: newDraftKey(), option: '', assessment: '' }] })
          }
        >
          {t('decisions.addOption')}
        </button>
      </fieldset>
      <TextAreaField
        id={fieldIds.rationale}
        label={t('decisions.rationale')}
        value={draft.rationale}
        onChange={(e) => update({ rationale: e.target.value })}
        error={err('rationale')}
        required
        maxLength={10000}
      />
      <fieldset
        id={fieldIds.assessmentIds}
        tabIndex={-1}
        className={assessmentError ? 'casework-fieldset field-invalid' : 'casework-fieldset'}
      >
        <legend>{t('decisions.reliedOn')}</legend>
        {assessmentError && <p className="field-error">{assessmentError}</p>}
        {complete.length === 0 ? (
          <p className="muted">{t('decisions.noCompleteAssessments')}</p>
        ) : (
          complete.map((a) => (
            <div key={a.id} className="casework-check">
              <input
                type="checkbox"
                id={`${id}-a-${a.id}`}
                checked={draft.assessmentIds.includes(a.id)}
                onChange={(e) =>
                  update({
                    assessmentIds: e.target.checked
                      ? [...draft.assessmentIds, a.id]
                      : draft.assessmentIds.filter((x) => x !== a.id),
                  })
                }
              />
              <label htmlFor={`${id}-a-${a.id}`}>
                {t('decisions.assessmentLabel', {
                  instrument: a.instrumentCode,
                  version: a.instrumentVersion,
                  date: date(a.submittedAt ?? a.createdAt),
                })}
              </label>
            </div>
          ))
        )}
      </fieldset>
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={mutation.isPending}>
          {t('decisions.save')}
        </button>
        <button type="button" className="button button-secondary" onClick={() => onDone()}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
