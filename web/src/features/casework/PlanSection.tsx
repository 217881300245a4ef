import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../../api/client.ts';
import { isApiError } from '../../api/errors.ts';
import { ErrorSummary } from '../../ui/ErrorSummary.tsx';
import { Field } from '../../ui/Field.tsx';
import { useFormatters } from '../../ui/format.ts';
import { formErrorsFrom, NO_ERRORS } from '../../ui/formErrors.ts';
import { Empty, Loading, QueryError } from '../../ui/states.tsx';
import {
  ACTION_STATUSES,
  type CreatePlan,
  caseworkKeys,
  GOAL_DOMAINS,
  type GoalDomain,
  type Plan,
  type PlanAction,
  todayIso,
  useAgencyName,
  usePermissions,
  useProviders,
} from './api.ts';
import { newDraftKey, SelectField, SuccessMessage, TextAreaField } from './fields.tsx';
import './casework.css';

type PlanStatus = Plan['status'];
const PLAN_STATUSES: PlanStatus[] = ['draft', 'active', 'completed', 'cancelled'];

/** The individual plan: goals and actions with responsible agency, due date and status. */
export function PlanSection({ caseId }: { caseId: string }) {
  const { t } = useTranslation('casework');
  const { can } = usePermissions();
  const plans = useQuery({
    queryKey: caseworkKeys.plans(caseId),
    queryFn: () => call(api.GET('/api/cases/{id}/plans', { params: { path: { id: caseId } } })),
  });
  const [adding, setAdding] = useState(false);
  const [saved, setSaved] = useState<string>();
  const writable = can('cases:write');

  return (
    <section className="casework-section" aria-labelledby={`plan-${caseId}`}>
      <h2 id={`plan-${caseId}`}>{t('plan.heading')}</h2>
      <SuccessMessage message={saved} />
      {plans.isPending ? (
        <Loading />
      ) : plans.isError ? (
        <QueryError error={plans.error} onRetry={() => plans.refetch()} />
      ) : plans.data.length === 0 ? (
        <Empty>{t('plan.empty')}</Empty>
      ) : (
        plans.data.map((plan) => (
          <PlanCard key={plan.id} caseId={caseId} plan={plan} writable={writable} onSaved={setSaved} />
        ))
      )}
      {writable &&
        (adding ? (
          <NewPlanForm
            caseId={caseId}
            onDone={(message) => {
              setAdding(false);
              if (message) setSaved(message);
            }}
          />
        ) : (
          <button type="button" className="button button-primary" onClick={() => setAdding(true)}>
            {t('plan.new')}
          </button>
        ))}
    </section>
  );
}

function PlanCard({
  caseId,
  plan,
  writable,
  onSaved,
}: {
  caseId: string;
  plan: Plan;
  writable: boolean;
  onSaved: (message: string) => void;
}) {
  const { t } = useTranslation('casework');
  const { date } = useFormatters();
  const agencyName = useAgencyName();
  const [editing, setEditing] = useState(false);
  const today = todayIso();
  return (
    <article className="card casework-card">
      <div className="casework-card-head">
        <h3>{plan.title}</h3>
        <span className="casework-badge">{t(`plan.status.${plan.status}`)}</span>
      </div>
      {plan.goals.map((goal, g) => (
        <div key={goal.id} className="casework-goal">
          <h4>
            {t('plan.goalNumber', { number: g + 1 })} · {t(`domain.${goal.domain}`)} ·{' '}
            {t(`plan.goalStatus.${goal.status}`)}
          </h4>
          <p>{goal.description}</p>
          {goal.actions.length === 0 ? (
            <p className="muted">{t('plan.noActions')}</p>
          ) : (
            <ul className="casework-list">
              {goal.actions.map((action) => (
                <li key={action.id}>
                  <p className="casework-item-title">{action.description}</p>
                  <dl className="casework-meta">
                    <div>
                      <dt>{t('plan.responsible')}</dt>
                      <dd>{agencyName(action.responsibleAgencyId) ?? t('plan.noAgency')}</dd>
                    </div>
                    <div>
                      <dt>{t('plan.due')}</dt>
                      <dd>
                        {action.dueOn ? date(action.dueOn) : t('plan.noDue')}
                        {action.dueOn &&
                          action.dueOn < today &&
                          (action.status === 'planned' || action.status === 'in_progress') && (
                            <strong className="casework-overdue"> {t('overdue')}</strong>
                          )}
                      </dd>
                    </div>
                    <div>
                      <dt>{t('plan.actionStatusLabel')}</dt>
                      <dd>{t(`plan.actionStatus.${action.status}`)}</dd>
                    </div>
                  </dl>
                  {writable && (
                    <ActionStatusForm caseId={caseId} planId={plan.id} action={action} onSaved={onSaved} />
                  )}
                </li>
              ))}
            </ul>
          )}
        </div>
      ))}
      {writable &&
        (editing ? (
          <EditPlanForm
            caseId={caseId}
            plan={plan}
            onDone={(message) => {
              setEditing(false);
              if (message) onSaved(message);
            }}
          />
        ) : (
          <button type="button" className="button button-secondary" onClick={() => setEditing(true)}>
            {t('plan.edit', { title: plan.title })}
          </button>
        ))}
    </article>
  );
}

function ActionStatusForm({
  caseId,
  planId,
  action,
  onSaved,
}: {
  caseId: string;
  planId: string;
  action: PlanAction;
  onSaved: (message: string) => void;
}) {
  const { t } = useTranslation('casework');
  const { t: tApp } = useTranslation();
  const queryClient = useQueryClient();
  const id = useId();
  const [status, setStatus] = useState(action.status);
  const mutation = useMutation({
    mutationFn: () =>
      call(
        api.PUT('/api/cases/{id}/plans/{childId}/actions/{grandchildId}/status', {
          params: { path: { id: caseId, childId: planId, grandchildId: action.id } },
          body: { status },
        }),
      ),
    onSuccess: (plan) => {
      queryClient.setQueryData<Plan[]>(caseworkKeys.plans(caseId), (old) =>
        old?.map((p) => (p.id === plan.id ? plan : p)),
      );
      onSaved(t('plan.actionSaved'));
    },
  });
  const errors = formErrorsFrom(tApp, mutation.error);
  return (
    <form
      className="casework-inline-form"
      onSubmit={(event) => {
        event.preventDefault();
        mutation.mutate();
      }}
    >
      <SelectField
        id={`${id}-status`}
        label={t('plan.changeStatusOf', { action: action.description })}
        value={status}
        onChange={(e) => setStatus(e.target.value as PlanAction['status'])}
        options={ACTION_STATUSES.map((s) => ({ value: s, label: t(`plan.actionStatus.${s}`) }))}
        error={errors.summary[0]?.text}
      />
      <button
        type="submit"
        className="button button-secondary"
        disabled={mutation.isPending || status === action.status}
      >
        {t('plan.setStatus')}
      </button>
    </form>
  );
}

/** Title and status of a plan, version-aware: a stale version keeps what was typed and offers a reload. */
function EditPlanForm({
  caseId,
  plan,
  onDone,
}: {
  caseId: string;
  plan: Plan;
  onDone: (message?: string) => void;
}) {
  const { t } = useTranslation('casework');
  const { t: tApp } = useTranslation();
  const queryClient = useQueryClient();
  const id = useId();
  const [title, setTitle] = useState(plan.title);
  const [status, setStatus] = useState<PlanStatus>(plan.status);
  const [baseVersion, setBaseVersion] = useState(plan.version);
  const [stale, setStale] = useState(false);
  const [current, setCurrent] = useState<Plan>();
  const mutation = useMutation({
    mutationFn: () =>
      call(
        api.PATCH('/api/cases/{id}/plans/{childId}', {
          params: { path: { id: caseId, childId: plan.id } },
          body: { version: baseVersion, title, status },
        }),
      ),
    onSuccess: (updated) => {
      queryClient.setQueryData<Plan[]>(caseworkKeys.plans(caseId), (old) =>
        old?.map((p) => (p.id === updated.id ? updated : p)),
      );
      onDone(t('plan.saved'));
    },
    onError: (error) => {
      if (isApiError(error) && error.code === 'VERSION_CONFLICT') setStale(true);
    },
  });
  const reload = useMutation({
    mutationFn: () => call(api.GET('/api/cases/{id}/plans', { params: { path: { id: caseId } } })),
    onSuccess: (plans) => {
      queryClient.setQueryData(caseworkKeys.plans(caseId), plans);
      const latest = plans.find((p) => p.id === plan.id);
      if (latest) {
        setCurrent(latest);
        setBaseVersion(latest.version);
      }
      setStale(false);
      mutation.reset();
    },
  });
  const conflict = isApiError(mutation.error) && mutation.error.code === 'VERSION_CONFLICT';
  const errors = conflict
    ? NO_ERRORS
    : formErrorsFrom(tApp, mutation.error, { title: `${id}-title`, status: `${id}-status` });
  return (
    <form
      className="casework-form"
      noValidate
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        mutation.mutate();
      }}
    >
      <h4>{t('plan.editHeading')}</h4>
      <ErrorSummary messages={errors.summary} />
      {stale && (
        <div className="notice casework-conflict" role="alert">
          <p>{t('conflict.message')}</p>
          <button
            type="button"
            className="button button-secondary"
            onClick={() => reload.mutate()}
            disabled={reload.isPending}
          >
            {t('conflict.reload')}
          </button>
        </div>
      )}
      {current && !stale && (
        <div className="notice" role="status">
          <p>{t('conflict.reloaded')}</p>
          <dl className="casework-meta">
            <div>
              <dt>{t('plan.title')}</dt>
              <dd>{current.title}</dd>
            </div>
            <div>
              <dt>{t('plan.statusLabel')}</dt>
              <dd>{t(`plan.status.${current.status}`)}</dd>
            </div>
          </dl>
        </div>
      )}
      <Field
        id={`${id}-title`}
        label={t('plan.title')}
        value={title}
        onChange={(e) => setTitle(e.target.value)}
        error={errors.byPath.title}
        required
        maxLength={200}
      />
      <SelectField
        id={`${id}-status`}
        label={t('plan.statusLabel')}
        value={status}
        onChange={(e) => setStatus(e.target.value as PlanStatus)}
        options={PLAN_STATUSES.map((s) => ({ value: s, label: t(`plan.status.${s}`) }))}
        error={errors.byPath.status}
      />
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={mutation.isPending}>
          {t('plan.save')}
        </button>
        <button type="button" className="button button-secondary" onClick={() => onDone()}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}

interface GoalDraft {
  key: number;
  domain: GoalDomain;
  description: string;
}
interface ActionDraft {
  key: number;
  goal: number;
  description: string;
  responsibleAgencyId: string;
  dueOn: string;
}

function NewPlanForm({ caseId, onDone }: { caseId: string; onDone: (message?: string) => void }) {
  const { t } = useTranslation('casework');
  const { t: tApp } = useTranslation();
  const queryClient = useQueryClient();
  const id = useId();
  const providers = useProviders({});
  const [title, setTitle] = useState('');
  const [status, setStatus] = useState<'draft' | 'active'>('active');
  const [goals, setGoals] = useState<GoalDraft[]>(() => [
    { key: newDraftKey(), domain: 'psychosocial', description: '' },
  ]);
  const [actions, setActions] = useState<ActionDraft[]>([]);
  const mutation = useMutation({
    mutationFn: () => {
      const body: CreatePlan = {
        title,
        status,
        goals: goals.map(({ domain, description }) => ({ domain, description })),
        actions: actions.map((a) => ({
          goal: a.goal,
          description: a.description,
          responsibleAgencyId: a.responsibleAgencyId || null,
          dueOn: a.dueOn || null,
        })),
      };
      return call(api.POST('/api/cases/{id}/plans', { params: { path: { id: caseId } }, body }));
    },
    onSuccess: (plan) => {
      queryClient.setQueryData<Plan[]>(caseworkKeys.plans(caseId), (old) => [...(old ?? []), plan]);
      onDone(t('plan.created', { title: plan.title }));
    },
  });
  const fieldIds: Record<string, string> = { title: `${id}-title`, goals: `${id}-goal-0-description` };
  goals.forEach((_, g) => {
    fieldIds[`goals.${g}.description`] = `${id}-goal-${g}-description`;
    fieldIds[`goals.${g}.domain`] = `${id}-goal-${g}-domain`;
  });
  actions.forEach((_, a) => {
    fieldIds[`actions.${a}.description`] = `${id}-action-${a}-description`;
    fieldIds[`actions.${a}.goal`] = `${id}-action-${a}-goal`;
    fieldIds[`actions.${a}.dueOn`] = `${id}-action-${a}-due`;
    fieldIds[`actions.${a}.responsibleAgencyId`] = `${id}-action-${a}-agency`;
  });
  const errors = formErrorsFrom(tApp, mutation.error, fieldIds);
  const agencyOptions = (providers.data ?? []).map((p) => ({ value: p.agencyId, label: p.name }));
  const goalOptions = goals.map((g, i) => ({
    value: String(i),
    label: `${t('plan.goalNumber', { number: i + 1 })} · ${t(`domain.${g.domain}`)}`,
  }));
  const updateGoal = (index: number, patch: Partial<GoalDraft>) =>
    setGoals((old) => old.map((g, i) => (i === index ? { ...g, ...patch } : g)));
  const updateAction = (index: number, patch: Partial<ActionDraft>) =>
    setActions((old) => old.map((a, i) => (i === index ? { ...a, ...patch } : a)));

  return (
    <form
      className="card casework-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        mutation.mutate();
      }}
    >
      <h3>{t('plan.newHeading')}</h3>
      <ErrorSummary messages={errors.summary} />
      <Field
        id={`${id}-title`}
        label={t('plan.title')}
        value={title}
        onChange={(e) => setTitle(e.target.value)}
        error={errors.byPath.title}
        required
        maxLength={200}
      />
      <SelectField
        id={`${id}-status`}
        label={t('plan.statusLabel')}
        value={status}
        onChange={(e) => setStatus(e.target.value as 'draft' | 'active')}
        options={(['active', 'draft'] as const).map((s) => ({ value: s, label: t(`plan.status.${s}`) }))}
      />
      <fieldset className="casework-fieldset">
        <legend>{t('plan.goals')}</legend>
        {goals.map((goal, g) => (
          <div key={goal.key} className="casework-repeat">
            <SelectField
              id={`${id}-goal-${g}-domain`}
              label={t('plan.goalDomain', { number: g + 1 })}
              value={goal.domain}
              onChange={(e) => updateGoal(g, { domain: e.target.value as GoalDomain })}
              options={GOAL_DOMAINS.map((d) => ({ value: d, label: t(`domain.${d}`) }))}
              error={errors.byPath[`goals.${g}.domain`]}
            />
            <TextAreaField
              id={`${id}-goal-${g}-description`}
              label={t('plan.goalDescription', { number: g + 1 })}
              value={goal.description}
              onChange={(e) => updateGoal(g, { description: e.target.value })}
              error={errors.byPath[`goals.${g}.description`] ?? (g === 0 ? errors.byPath.goals : undefined)}
              required
              maxLength={1000}
            />
            {goals.length > 1 && (
              <button
                type="button"
                className="button button-secondary"
                onClick={() => {
                  setGoals((old) => old.filter((_, i) => i !== g));
                  setActions((old) =>
                    old.filter((a) => a.goal !== g).map((a) => (a.goal > g ? { ...a, goal: a.goal - 1 } : a)),
                  );
                }}
              >
                {t('plan.removeGoal', { number: g + 1 })}
              </button>
            )}
          </div>
        ))}
        <button
          type="button"
          className="button button-secondary"
          onClick={() =>
            setGoals((old) => [...old, { key: newDraftKey(), domain: 'other', description: '' }])
          }
        >
          {t('plan.addGoal')}
        </button>
      </fieldset>
      <fieldset className="casework-fieldset">
        <legend>{t('plan.actions')}</legend>
        {errors.byPath.actions && <p className="field-error">{errors.byPath.actions}</p>}
        {actions.map((action, a) => (
          <div key={action.key} className="casework-repeat">
            <SelectField
              id={`${id}-action-${a}-goal`}
              label={t('plan.actionGoal', { number: a + 1 })}
              value={String(action.goal)}
              onChange={(e) => updateAction(a, { goal: Number(e.target.value) })}
              options={goalOptions}
              error={errors.byPath[`actions.${a}.goal`]}
            />
            <TextAreaField
              id={`${id}-action-${a}-description`}
              label={t('plan.actionDescription', { number: a + 1 })}
              value={action.description}
              onChange={(e) => updateAction(a, { description: e.target.value })}
              error={errors.byPath[`actions.${a}.description`]}
              required
              maxLength={1000}
              rows={2}
            />
            <SelectField
              id={`${id}-action-${a}-agency`}
              label={t('plan.actionAgency', { number: a + 1 })}
              value={action.responsibleAgencyId}
              onChange={(e) => updateAction(a, { responsibleAgencyId: e.target.value })}
              options={agencyOptions}
              placeholder={t('plan.noAgency')}
              error={errors.byPath[`actions.${a}.responsibleAgencyId`]}
            />
            <Field
              id={`${id}-action-${a}-due`}
              type="date"
              label={t('plan.actionDue', { number: a + 1 })}
              value={action.dueOn}
              onChange={(e) => updateAction(a, { dueOn: e.target.value })}
              error={errors.byPath[`actions.${a}.dueOn`]}
            />
            <button
              type="button"
              className="button button-secondary"
              onClick={() => setActions((old) => old.filter((_, i) => i !== a))}
            >
              {t('plan.removeAction', { number: a + 1 })}
            </button>
          </div>
        ))}
        <button
          type="button"
          className="button button-secondary"
          onClick={() =>
            setActions((old) => [
              ...old,
              { key: newDraftKey(), goal: 0, description: '', responsibleAgencyId: '', dueOn: '' },
            ])
          }
        >
          {t('plan.addAction')}
        </button>
      </fieldset>
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={mutation.isPending}>
          {t('plan.create')}
        </button>
        <button type="button" className="button button-secondary" onClick={() => onDone()}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
