import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../../api/client.ts';
import { isApiError } from '../../api/errors.ts';
import { ErrorSummary } from '../../ui/ErrorSummary.tsx';
import { Field } from '../../ui/Field.tsx';
import { useFormatters } from '../../ui/format.ts';
import { formErrorsFrom, NO_ERRORS } from '../../ui/formErrors.ts';
import { Empty, Loading, QueryError } from '../../ui/states.tsx';
import { useMe } from '../auth/session.tsx';
import { type CaseTask, caseworkKeys, TASK_KINDS, usePermissions } from './api.ts';
import { SelectField, SuccessMessage } from './fields.tsx';
import './casework.css';

/** Tasks and follow-ups with due dates; overdue ones say so in words. */
export function TasksSection({ caseId }: { caseId: string }) {
  const { t } = useTranslation('casework');
  const { can } = usePermissions();
  const [saved, setSaved] = useState<string>();
  const tasks = useQuery({
    queryKey: caseworkKeys.tasks(caseId),
    queryFn: () => call(api.GET('/api/cases/{id}/tasks', { params: { path: { id: caseId } } })),
  });
  const writable = can('cases:write');
  const open = tasks.data?.filter((task) => task.status === 'open') ?? [];
  const closed = tasks.data?.filter((task) => task.status !== 'open') ?? [];
  const overdue = open.filter((task) => task.overdue).length;
  return (
    <section className="casework-section" aria-labelledby={`tasks-${caseId}`}>
      <h2 id={`tasks-${caseId}`}>{t('tasks.heading')}</h2>
      <SuccessMessage message={saved} />
      {tasks.isPending ? (
        <Loading />
      ) : tasks.isError ? (
        <QueryError error={tasks.error} onRetry={() => tasks.refetch()} />
      ) : tasks.data.length === 0 ? (
        <Empty>{t('tasks.empty')}</Empty>
      ) : (
        <>
          {overdue > 0 && (
            <p className="casework-overdue-summary">{t('tasks.overdueCount', { count: overdue })}</p>
          )}
          <ul className="casework-list">
            {[...open, ...closed].map((task) => (
              <TaskItem key={task.id} caseId={caseId} task={task} writable={writable} onSaved={setSaved} />
            ))}
          </ul>
        </>
      )}
      {writable && <NewTaskForm caseId={caseId} onSaved={setSaved} />}
    </section>
  );
}

function TaskItem({
  caseId,
  task,
  writable,
  onSaved,
}: {
  caseId: string;
  task: CaseTask;
  writable: boolean;
  onSaved: (message: string) => void;
}) {
  const { t } = useTranslation('casework');
  const { t: tApp } = useTranslation();
  const { date } = useFormatters();
  const me = useMe().data;
  const queryClient = useQueryClient();
  const id = useId();
  const [dueOn, setDueOn] = useState(task.dueOn);
  const [rescheduling, setRescheduling] = useState(false);
  const mutation = useMutation({
    mutationFn: (change: { status?: 'done' | 'cancelled' | 'open'; dueOn?: string }) =>
      call(
        api.PATCH('/api/cases/{id}/tasks/{childId}', {
          params: { path: { id: caseId, childId: task.id } },
          body: { version: task.version, ...change },
        }),
      ),
    onSuccess: (updated, change) => {
      queryClient.setQueryData<CaseTask[]>(caseworkKeys.tasks(caseId), (old) =>
        old?.map((x) => (x.id === updated.id ? updated : x)),
      );
      setRescheduling(false);
      onSaved(
        change.status === 'done'
          ? t('tasks.completed', { title: updated.title })
          : change.status === 'cancelled'
            ? t('tasks.cancelled', { title: updated.title })
            : change.status === 'open'
              ? t('tasks.reopened', { title: updated.title })
              : t('tasks.rescheduled', { title: updated.title }),
      );
    },
  });
  const reload = useMutation({
    mutationFn: () => call(api.GET('/api/cases/{id}/tasks', { params: { path: { id: caseId } } })),
    onSuccess: (tasks) => {
      // The typed due date stays in its field; the next save carries the version just read.
      queryClient.setQueryData(caseworkKeys.tasks(caseId), tasks);
      mutation.reset();
    },
  });
  const conflict = isApiError(mutation.error) && mutation.error.code === 'VERSION_CONFLICT';
  const errors = conflict ? NO_ERRORS : formErrorsFrom(tApp, mutation.error, { dueOn: `${id}-due` });
  const mine = me && task.assignedUserId === me.id;
  return (
    <li className={task.overdue ? 'casework-task casework-task-overdue' : 'casework-task'}>
      <p className="casework-item-title">
        {task.overdue && <strong className="casework-overdue">{t('overdue')}: </strong>}
        {task.title}
      </p>
      <dl className="casework-meta">
        <div>
          <dt>{t('tasks.kind')}</dt>
          <dd>{t(`tasks.kinds.${task.kind}`)}</dd>
        </div>
        <div>
          <dt>{t('tasks.due')}</dt>
          <dd>{date(task.dueOn)}</dd>
        </div>
        <div>
          <dt>{t('tasks.statusLabel')}</dt>
          <dd>{t(`tasks.status.${task.status}`)}</dd>
        </div>
        <div>
          <dt>{t('tasks.assigned')}</dt>
          <dd>
            {mine
              ? t('tasks.assignedToYou')
              : task.assignedUserId
                ? t('tasks.assignedOther')
                : t('tasks.unassigned')}
          </dd>
        </div>
      </dl>
      <ErrorSummary messages={errors.summary} />
      {conflict && (
        <div className="notice casework-conflict" role="alert">
          <p>{t('conflict.message')}</p>
          <button type="button" className="button button-secondary" onClick={() => reload.mutate()}>
            {t('conflict.reload')}
          </button>
        </div>
      )}
      {writable && task.status === 'open' && (
        <div className="actions">
          <button
            type="button"
            className="button button-primary"
            disabled={mutation.isPending}
            onClick={() => mutation.mutate({ status: 'done' })}
          >
            {t('tasks.complete', { title: task.title })}
          </button>
          <button
            type="button"
            className="button button-secondary"
            aria-expanded={rescheduling}
            onClick={() => setRescheduling((v) => !v)}
          >
            {t('tasks.reschedule')}
          </button>
          <button
            type="button"
            className="button button-secondary"
            disabled={mutation.isPending}
            onClick={() => mutation.mutate({ status: 'cancelled' })}
          >
            {t('tasks.cancel')}
          </button>
        </div>
      )}
      {writable && task.status !== 'open' && (
        <button
          type="button"
          className="button button-secondary"
          disabled={mutation.isPending}
          onClick={() => mutation.mutate({ status: 'open' })}
        >
          {t('tasks.reopen')}
        </button>
      )}
      {rescheduling && (
        <form
          className="casework-inline-form"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            mutation.mutate({ dueOn });
          }}
        >
          <Field
            id={`${id}-due`}
            type="date"
            label={t('tasks.newDue')}
            value={dueOn}
            onChange={(e) => setDueOn(e.target.value)}
            error={errors.byPath.dueOn}
            required
          />
          <button type="submit" className="button button-primary" disabled={mutation.isPending}>
            {t('tasks.saveDue')}
          </button>
        </form>
      )}
    </li>
  );
}

function NewTaskForm({ caseId, onSaved }: { caseId: string; onSaved: (message: string) => void }) {
  const { t } = useTranslation('casework');
  const { t: tApp } = useTranslation();
  const queryClient = useQueryClient();
  const id = useId();
  const [title, setTitle] = useState('');
  const [kind, setKind] = useState<CaseTask['kind']>('task');
  const [dueOn, setDueOn] = useState('');
  const mutation = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/cases/{id}/tasks', {
          params: { path: { id: caseId } },
          body: { title, kind, dueOn, assignedUserId: null },
        }),
      ),
    onSuccess: (task) => {
      queryClient.setQueryData<CaseTask[]>(caseworkKeys.tasks(caseId), (old) =>
        [...(old ?? []), task].sort((a, b) => a.dueOn.localeCompare(b.dueOn)),
      );
      setTitle('');
      setDueOn('');
      onSaved(t('tasks.added', { title: task.title }));
    },
  });
  const fieldIds = { title: `${id}-title`, kind: `${id}-kind`, dueOn: `${id}-due` };
  const errors = formErrorsFrom(tApp, mutation.error, fieldIds);
  return (
    <form
      className="card casework-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        mutation.mutate();
      }}
    >
      <h3>{t('tasks.add')}</h3>
      <ErrorSummary messages={errors.summary} />
      <Field
        id={fieldIds.title}
        label={t('tasks.title')}
        value={title}
        onChange={(e) => setTitle(e.target.value)}
        error={errors.byPath.title}
        required
        maxLength={300}
      />
      <SelectField
        id={fieldIds.kind}
        label={t('tasks.kind')}
        value={kind}
        onChange={(e) => setKind(e.target.value as CaseTask['kind'])}
        options={TASK_KINDS.map((k) => ({ value: k, label: t(`tasks.kinds.${k}`) }))}
        error={errors.byPath.kind}
      />
      <Field
        id={fieldIds.dueOn}
        type="date"
        label={t('tasks.due')}
        value={dueOn}
        onChange={(e) => setDueOn(e.target.value)}
        error={errors.byPath.dueOn}
        required
      />
      <button type="submit" className="button button-primary" disabled={mutation.isPending}>
        {t('tasks.save')}
      </button>
    </form>
  );
}
