import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../../api/client.ts';
import { describeError } from '../../app/errorMessage.ts';
import { ErrorSummary } from '../../ui/ErrorSummary.tsx';
import { useFormatters } from '../../ui/format.ts';
import { formErrorsFrom } from '../../ui/formErrors.ts';
import { Empty, Loading, QueryError } from '../../ui/states.tsx';
import { useMe } from '../auth/session.tsx';
import { usePermissions } from '../casework/api.ts';
import { SelectField, SuccessMessage, TextAreaField } from '../casework/fields.tsx';
import {
  type Answers,
  type Assessment,
  type AssessmentFormErrors,
  type AssessmentOutput,
  answersToSend,
  assessmentErrorsFrom,
  assessmentKeys,
  type EligibleInstrument,
  instrumentLanguage,
  outputToSend,
} from './api.ts';
import { InstrumentForm, itemFieldId } from './InstrumentForm.tsx';
import '../casework/casework.css';
import './assessments.css';

const REASONS = ['initial', 'interval', 'event', 'follow_up'] as const;
const EVENTS = ['incident', 'placement_change', 'stage_change', 'family_change', 'new_information'] as const;

/** A case's assessments: list, due re-assessments, start one from the eligible instruments, open one. */
/** `personId` is part of the case file's contract; the API answers everything by case. */
export function AssessmentsSection({ caseId }: { caseId: string; personId: string }) {
  const { t, i18n } = useTranslation('assessments');
  const { date } = useFormatters();
  const { can } = usePermissions();
  const lang = instrumentLanguage(i18n.resolvedLanguage ?? i18n.language);
  const [openId, setOpenId] = useState<string>();
  const [saved, setSaved] = useState<string>();
  const list = useQuery({
    queryKey: assessmentKeys.list(caseId),
    queryFn: () => call(api.GET('/api/cases/{id}/assessments', { params: { path: { id: caseId } } })),
  });
  const conduct = can('assessments:conduct');
  const eligible = useQuery({
    queryKey: assessmentKeys.eligible(caseId, lang),
    enabled: conduct,
    queryFn: () =>
      call(
        api.GET('/api/cases/{id}/eligible-instruments', {
          params: { path: { id: caseId }, query: { lang } },
        }),
      ),
  });
  // Re-assessments past due: the server lists them across cases; this case's are picked out.
  const overdue = useQuery({
    queryKey: assessmentKeys.overdue,
    enabled: conduct,
    queryFn: () => call(api.GET('/api/assessments/overdue', { params: { query: { limit: 500 } } })),
  });
  const names = new Map((eligible.data ?? []).map((i) => [i.code, i.name]));
  const nameOf = (code: string) => names.get(code) ?? code;
  const dueHere = (overdue.data ?? []).filter((d) => d.caseId === caseId);

  return (
    <section className="casework-section" aria-labelledby={`assessments-${caseId}`}>
      <h2 id={`assessments-${caseId}`}>{t('heading')}</h2>
      <SuccessMessage message={saved} />
      {dueHere.length > 0 && (
        <div className="notice assessment-due" role="note">
          <h3>{t('due.heading')}</h3>
          <ul>
            {dueHere.map((d) => (
              <li key={d.id}>
                <strong>{t('due.overdue')}:</strong> {nameOf(d.instrumentCode)} — {t(`reason.${d.reason}`)}
                {d.event && ` (${t(`event.${d.event as (typeof EVENTS)[number]}`)})`} —{' '}
                {t('due.dueOn', { date: date(d.dueOn), count: d.daysOverdue })}
              </li>
            ))}
          </ul>
        </div>
      )}
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <QueryError error={list.error} onRetry={() => list.refetch()} />
      ) : list.data.length === 0 ? (
        <Empty>{t('empty')}</Empty>
      ) : (
        <div className="casework-table-wrap">
          <table className="casework-table">
            <caption className="casework-sr-only">{t('heading')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('list.instrument')}</th>
                <th scope="col">{t('list.version')}</th>
                <th scope="col">{t('list.status')}</th>
                <th scope="col">{t('list.judgement')}</th>
                <th scope="col">{t('list.started')}</th>
                <th scope="col">
                  <span className="casework-sr-only">{t('list.open')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((a) => (
                <tr key={a.id} aria-current={openId === a.id ? 'true' : undefined}>
                  <td>{nameOf(a.instrumentCode)}</td>
                  <td>{a.instrumentVersion}</td>
                  <td>{t(`status.${a.status}`)}</td>
                  <td>{a.judgement ?? '—'}</td>
                  <td>{date(a.createdAt)}</td>
                  <td>
                    <button type="button" className="button button-secondary" onClick={() => setOpenId(a.id)}>
                      {t('list.openOne', { instrument: nameOf(a.instrumentCode), date: date(a.createdAt) })}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {conduct && eligible.data && (
        <StartAssessment
          caseId={caseId}
          instruments={eligible.data}
          onStarted={(a) => {
            setOpenId(a.id);
            setSaved(t('started', { instrument: a.form.name }));
          }}
        />
      )}
      {openId && <AssessmentView key={openId} id={openId} caseId={caseId} lang={lang} onSaved={setSaved} />}
    </section>
  );
}

function StartAssessment({
  caseId,
  instruments,
  onStarted,
}: {
  caseId: string;
  instruments: EligibleInstrument[];
  onStarted: (assessment: Assessment) => void;
}) {
  const { t } = useTranslation('assessments');
  const { t: tApp } = useTranslation();
  const queryClient = useQueryClient();
  const id = useId();
  // Only instruments the server says may be used for this person now: never an ineligible one.
  const offered = instruments.filter((i) => i.eligible && i.qualified);
  const [code, setCode] = useState('');
  const [reason, setReason] = useState<(typeof REASONS)[number]>('initial');
  const [event, setEvent] = useState<(typeof EVENTS)[number]>('incident');
  const mutation = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/cases/{id}/assessments', {
          params: { path: { id: caseId } },
          body: { instrumentCode: code, reason, ...(reason === 'event' ? { event } : {}) },
        }),
      ),
    onSuccess: (assessment) => {
      queryClient.invalidateQueries({ queryKey: assessmentKeys.list(caseId) });
      setCode('');
      onStarted(assessment);
    },
  });
  const fieldIds = { instrumentCode: `${id}-instrument`, reason: `${id}-reason`, event: `${id}-event` };
  const errors = formErrorsFrom(tApp, mutation.error, fieldIds);
  if (offered.length === 0) return <p className="muted">{t('start.none')}</p>;
  return (
    <form
      className="card casework-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        mutation.mutate();
      }}
    >
      <h3>{t('start.heading')}</h3>
      <ErrorSummary messages={errors.summary} />
      <SelectField
        id={fieldIds.instrumentCode}
        label={t('start.instrument')}
        hint={t('start.hint')}
        value={code}
        onChange={(e) => setCode(e.target.value)}
        options={offered.map((i) => ({
          value: i.code,
          label: `${i.name} (v${i.version})${i.template ? ` — ${t('start.template')}` : ''}`,
        }))}
        placeholder={t('start.choose')}
        error={errors.byPath.instrumentCode}
        required
      />
      <SelectField
        id={fieldIds.reason}
        label={t('start.reason')}
        value={reason}
        onChange={(e) => setReason(e.target.value as (typeof REASONS)[number])}
        options={REASONS.map((r) => ({ value: r, label: t(`reason.${r}`) }))}
        error={errors.byPath.reason}
      />
      {reason === 'event' && (
        <SelectField
          id={fieldIds.event}
          label={t('start.event')}
          value={event}
          onChange={(e) => setEvent(e.target.value as (typeof EVENTS)[number])}
          options={EVENTS.map((ev) => ({ value: ev, label: t(`event.${ev}`) }))}
          error={errors.byPath.event}
        />
      )}
      <button type="submit" className="button button-primary" disabled={mutation.isPending || !code}>
        {t('start.button')}
      </button>
    </form>
  );
}

function AssessmentView({
  id,
  caseId,
  lang,
  onSaved,
}: {
  id: string;
  caseId: string;
  lang: ReturnType<typeof instrumentLanguage>;
  onSaved: (message: string) => void;
}) {
  const { t } = useTranslation('assessments');
  const { date, dateTime, number } = useFormatters();
  const me = useMe().data;
  const { can } = usePermissions();
  const query = useQuery({
    queryKey: assessmentKeys.one(id, lang),
    queryFn: () => call(api.GET('/api/assessments/{id}', { params: { path: { id }, query: { lang } } })),
  });
  if (query.isPending) return <Loading />;
  if (query.isError) return <QueryError error={query.error} onRetry={() => query.refetch()} />;
  const a = query.data;
  const mine = a.ratings.find((r) => r.raterId === me?.id);
  const raterLabel = (raterId: string, index: number) =>
    raterId === me?.id ? t('raters.you') : t('raters.rater', { number: index + 1 });
  const canRate =
    can('assessments:conduct') &&
    a.status === 'in_progress' &&
    !mine?.submittedAt &&
    (mine !== undefined || a.ratings.length < 2);
  const isRater = mine !== undefined;
  const canConsensus = can('assessments:conduct') && a.status === 'awaiting_consensus' && isRater;
  const canSignOff = can('assessments:sign_off') && a.status === 'submitted' && !a.complete && !isRater;
  return (
    <article className="card casework-card assessment-view" aria-labelledby={`assessment-${id}`}>
      <div className="casework-card-head">
        <h3 id={`assessment-${id}`}>
          {a.form.name} · {t('view.version', { version: a.instrumentVersion })}
        </h3>
        <span className="casework-badge">{t(`status.${a.status}`)}</span>
      </div>
      {a.form.template && <p className="notice assessment-template">{t('view.template')}</p>}
      {a.form.description && <p>{a.form.description}</p>}
      <dl className="casework-meta">
        <div>
          <dt>{t('view.reason')}</dt>
          <dd>{t(`reason.${a.reason as (typeof REASONS)[number]}`)}</dd>
        </div>
        <div>
          <dt>{t('list.started')}</dt>
          <dd>{date(a.createdAt)}</dd>
        </div>
        {a.submittedAt && (
          <div>
            <dt>{t('view.submitted')}</dt>
            <dd>{dateTime(a.submittedAt)}</dd>
          </div>
        )}
        {a.signedOffAt && (
          <div>
            <dt>{t('view.signedOff')}</dt>
            <dd>{dateTime(a.signedOffAt)}</dd>
          </div>
        )}
        <div>
          <dt>{t('raters.heading')}</dt>
          <dd>
            {a.ratings.length === 0
              ? t('raters.none')
              : a.ratings
                  .map(
                    (r, i) =>
                      `${raterLabel(r.raterId, i)} (${r.submittedAt ? t('raters.submitted') : r.hidden ? t('raters.sealed') : t('raters.draft')})`,
                  )
                  .join(', ')}
          </dd>
        </div>
      </dl>
      {a.form.language !== lang && (
        <p className="muted">{t('view.otherLanguage', { language: a.form.language })}</p>
      )}
      {a.signOffComment && (
        <p className="notice">
          <strong>{t('signOff.comment')}:</strong> {a.signOffComment}
        </p>
      )}
      {a.computed && a.form.computed.length > 0 && (
        <div>
          <h4>{t('view.computed')}</h4>
          <dl className="casework-meta">
            {a.form.computed.map((c) => {
              const v = a.computed?.[c.id];
              return (
                <div key={c.id}>
                  <dt>{c.label}</dt>
                  <dd>
                    {v?.value === null || v?.value === undefined ? t('view.noValue') : number(v.value)}{' '}
                    <span className="muted">{t('view.unknownCount', { count: v?.unknown ?? 0 })}</span>
                  </dd>
                </div>
              );
            })}
          </dl>
          {a.suggestedJudgement && (
            <p>
              {t('view.suggested', {
                level:
                  a.form.output.judgement?.levels.find((l) => l.value === a.suggestedJudgement)?.label ??
                  a.suggestedJudgement,
              })}
            </p>
          )}
        </div>
      )}
      {canRate ? (
        <RatingForm assessment={a} caseId={caseId} lang={lang} onSaved={onSaved} />
      ) : canConsensus ? (
        <ConsensusForm assessment={a} caseId={caseId} lang={lang} onSaved={onSaved} raterLabel={raterLabel} />
      ) : (
        <ReadOnlyAssessment assessment={a} raterLabel={raterLabel} />
      )}
      {canSignOff && <SignOffForm assessment={a} caseId={caseId} lang={lang} onSaved={onSaved} />}
    </article>
  );
}

function useAssessmentMutation<T>(
  id: string,
  caseId: string,
  lang: string,
  fn: (input: T) => Promise<Assessment>,
  onDone: (a: Assessment, input: T) => void,
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (a, input) => {
      queryClient.setQueryData(assessmentKeys.one(id, lang), a);
      queryClient.invalidateQueries({ queryKey: assessmentKeys.list(caseId) });
      onDone(a, input);
    },
  });
}

function FormErrorSummary({ prefix, errors }: { prefix: string; errors: AssessmentFormErrors }) {
  const messages = [
    ...(errors.form ? [{ text: errors.form }] : []),
    ...Object.entries(errors.items).map(([item, text]) => ({ text, fieldId: itemFieldId(prefix, item) })),
    ...Object.entries(errors.output).map(([part, text]) => ({ text, fieldId: `${prefix}-output-${part}` })),
  ];
  return <ErrorSummary messages={messages} />;
}

function RatingForm({
  assessment,
  caseId,
  lang,
  onSaved,
}: {
  assessment: Assessment;
  caseId: string;
  lang: string;
  onSaved: (message: string) => void;
}) {
  const { t } = useTranslation('assessments');
  const { t: tApp } = useTranslation();
  const me = useMe().data;
  const prefix = useId();
  const mine = assessment.ratings.find((r) => r.raterId === me?.id);
  const [answers, setAnswers] = useState<Answers>(mine?.answers ?? {});
  const [output, setOutput] = useState<AssessmentOutput>(mine?.output ?? {});
  const mutation = useAssessmentMutation<'save' | 'submit'>(
    assessment.id,
    caseId,
    lang,
    async (action) => {
      const saved = await call(
        api.PUT('/api/assessments/{id}/rating', {
          params: { path: { id: assessment.id } },
          body: { answers: answersToSend(assessment.form, answers), output: outputToSend(output) },
        }),
      );
      if (action === 'save') return saved;
      return call(
        api.POST('/api/assessments/{id}/rating/submit', { params: { path: { id: assessment.id } } }),
      );
    },
    (_a, action) => onSaved(action === 'save' ? t('rating.saved') : t('rating.submitted')),
  );
  const errors = assessmentErrorsFrom(mutation.error, (e) => describeError(tApp, e));
  return (
    <form
      noValidate
      className="casework-form assessment-rating"
      onSubmit={(e) => {
        e.preventDefault();
        mutation.mutate('save');
      }}
    >
      <h4>{t('rating.heading')}</h4>
      <FormErrorSummary prefix={prefix} errors={errors} />
      <InstrumentForm
        prefix={prefix}
        form={assessment.form}
        answers={answers}
        output={output}
        onAnswers={setAnswers}
        onOutput={setOutput}
        errors={errors}
      />
      <div className="actions">
        <button type="submit" className="button button-secondary" disabled={mutation.isPending}>
          {t('rating.save')}
        </button>
        <button
          type="button"
          className="button button-primary"
          disabled={mutation.isPending}
          onClick={() => mutation.mutate('submit')}
        >
          {t('rating.submit')}
        </button>
      </div>
    </form>
  );
}

function formatValue(value: unknown, labels: Map<string, string>): string {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) return value.map((v) => labels.get(String(v)) ?? String(v)).join(', ');
  return labels.get(String(value)) ?? String(value);
}

function ConsensusForm({
  assessment,
  caseId,
  lang,
  onSaved,
  raterLabel,
}: {
  assessment: Assessment;
  caseId: string;
  lang: string;
  onSaved: (message: string) => void;
  raterLabel: (raterId: string, index: number) => string;
}) {
  const { t } = useTranslation('assessments');
  const { t: tApp } = useTranslation();
  const prefix = useId();
  const [first, second] = assessment.ratings;
  const [answers, setAnswers] = useState<Answers>(first?.answers ?? {});
  const [output, setOutput] = useState<AssessmentOutput>(first?.output ?? {});
  const [notes, setNotes] = useState<Record<string, string>>({});
  const items = assessment.form.domains.flatMap((d) => d.items);
  const same = (x: unknown, y: unknown) =>
    JSON.stringify(Array.isArray(x) ? [...x].sort() : (x ?? null)) ===
    JSON.stringify(Array.isArray(y) ? [...y].sort() : (y ?? null));
  const differing = items.filter(
    (item) =>
      item.type !== 'text' &&
      item.type !== 'list' &&
      !same(first?.answers[item.id]?.value, second?.answers[item.id]?.value),
  );
  const judgementDiffers = (first?.output.judgement ?? null) !== (second?.output.judgement ?? null);
  const mutation = useAssessmentMutation<void>(
    assessment.id,
    caseId,
    lang,
    () =>
      call(
        api.POST('/api/assessments/{id}/consensus', {
          params: { path: { id: assessment.id } },
          body: {
            answers: answersToSend(assessment.form, answers),
            output: outputToSend(output),
            notes: Object.fromEntries(Object.entries(notes).filter(([, v]) => v.trim())),
          },
        }),
      ),
    () => onSaved(t('consensus.saved')),
  );
  const errors = assessmentErrorsFrom(mutation.error, (e) => describeError(tApp, e));
  const judgementLabels = new Map(
    assessment.form.output.judgement?.levels.map((l) => [l.value, l.label]) ?? [],
  );
  return (
    <form
      noValidate
      className="casework-form assessment-consensus"
      onSubmit={(e) => {
        e.preventDefault();
        mutation.mutate();
      }}
    >
      <h4>{t('consensus.heading')}</h4>
      <p>{t('consensus.intro', { count: differing.length + (judgementDiffers ? 1 : 0) })}</p>
      {(differing.length > 0 || judgementDiffers) && (
        <div className="casework-table-wrap">
          <table className="casework-table">
            <caption>{t('consensus.disagreements')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('consensus.item')}</th>
                {assessment.ratings.map((r, i) => (
                  <th scope="col" key={r.raterId}>
                    {raterLabel(r.raterId, i)}
                  </th>
                ))}
                <th scope="col">{t('consensus.note')}</th>
              </tr>
            </thead>
            <tbody>
              {differing.map((item) => {
                const labels = new Map((item.choices ?? []).map((c) => [c.value, c.label]));
                return (
                  <tr key={item.id}>
                    <th scope="row">{item.label}</th>
                    {assessment.ratings.map((r) => (
                      <td key={r.raterId}>{formatValue(r.answers[item.id]?.value, labels)}</td>
                    ))}
                    <td>
                      <label className="casework-sr-only" htmlFor={`${prefix}-note-${item.id}`}>
                        {t('consensus.noteFor', { item: item.label })}
                      </label>
                      <textarea
                        id={`${prefix}-note-${item.id}`}
                        rows={2}
                        value={notes[item.id] ?? ''}
                        onChange={(e) => setNotes((n) => ({ ...n, [item.id]: e.target.value }))}
                      />
                    </td>
                  </tr>
                );
              })}
              {judgementDiffers && (
                <tr>
                  <th scope="row">{assessment.form.output.judgement?.label}</th>
                  {assessment.ratings.map((r) => (
                    <td key={r.raterId}>{formatValue(r.output.judgement, judgementLabels)}</td>
                  ))}
                  <td>
                    <label className="casework-sr-only" htmlFor={`${prefix}-note-judgement`}>
                      {t('consensus.noteFor', { item: assessment.form.output.judgement?.label ?? '' })}
                    </label>
                    <textarea
                      id={`${prefix}-note-judgement`}
                      rows={2}
                      value={notes['output.judgement'] ?? ''}
                      onChange={(e) => setNotes((n) => ({ ...n, 'output.judgement': e.target.value }))}
                    />
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
      <h5 className="assessment-subheading">{t('consensus.settled')}</h5>
      <FormErrorSummary prefix={prefix} errors={errors} />
      <InstrumentForm
        prefix={prefix}
        form={assessment.form}
        answers={answers}
        output={output}
        onAnswers={setAnswers}
        onOutput={setOutput}
        errors={errors}
        highlight={new Set(differing.map((i) => i.id))}
      />
      <button type="submit" className="button button-primary" disabled={mutation.isPending}>
        {t('consensus.save')}
      </button>
    </form>
  );
}

function ReadOnlyAssessment({
  assessment,
  raterLabel,
}: {
  assessment: Assessment;
  raterLabel: (raterId: string, index: number) => string;
}) {
  const { t } = useTranslation('assessments');
  const prefix = useId();
  const me = useMe().data;
  const own = assessment.ratings.find((r) => r.raterId === me?.id);
  const answers = assessment.answers ?? own?.answers ?? {};
  const output = assessment.output ?? own?.output ?? {};
  const items = new Map(assessment.form.domains.flatMap((d) => d.items).map((i) => [i.id, i]));
  return (
    <>
      {assessment.disagreements.length > 0 && (
        <div>
          <h4>{t('consensus.disagreements')}</h4>
          <ul className="casework-list">
            {assessment.disagreements.map((d) => {
              const item = items.get(d.itemId);
              const labels = new Map(
                d.itemId === 'output.judgement'
                  ? (assessment.form.output.judgement?.levels.map((l) => [l.value, l.label] as const) ?? [])
                  : (item?.choices ?? []).map((c) => [c.value, c.label] as const),
              );
              return (
                <li key={d.itemId}>
                  <p className="casework-item-title">
                    {item?.label ?? assessment.form.output.judgement?.label ?? d.itemId}
                  </p>
                  <p>
                    {d.ratings
                      .map((r, i) => `${raterLabel(r.raterId, i)}: ${formatValue(r.value, labels)}`)
                      .join(' · ')}{' '}
                    → {t('consensus.agreed')}: {formatValue(d.consensus, labels)}
                  </p>
                  {d.note && <p className="casework-body">{d.note}</p>}
                </li>
              );
            })}
          </ul>
        </div>
      )}
      {Object.keys(answers).length > 0 || Object.keys(output).length > 0 ? (
        <InstrumentForm prefix={prefix} form={assessment.form} answers={answers} output={output} readOnly />
      ) : (
        <p className="muted">{t('view.nothingYet')}</p>
      )}
    </>
  );
}

function SignOffForm({
  assessment,
  caseId,
  lang,
  onSaved,
}: {
  assessment: Assessment;
  caseId: string;
  lang: string;
  onSaved: (message: string) => void;
}) {
  const { t } = useTranslation('assessments');
  const { t: tApp } = useTranslation();
  const id = useId();
  const [comment, setComment] = useState('');
  const [localError, setLocalError] = useState<string>();
  const mutation = useAssessmentMutation<'approve' | 'return'>(
    assessment.id,
    caseId,
    lang,
    (decision) =>
      call(
        api.POST('/api/assessments/{id}/sign-off', {
          params: { path: { id: assessment.id } },
          body: { decision, ...(comment.trim() ? { comment } : {}) },
        }),
      ),
    (_a, decision) => onSaved(decision === 'approve' ? t('signOff.approved') : t('signOff.returned')),
  );
  const errors = formErrorsFrom(tApp, mutation.error, { comment: `${id}-comment` });
  return (
    <form noValidate className="casework-form assessment-signoff" onSubmit={(e) => e.preventDefault()}>
      <h4>{t('signOff.heading')}</h4>
      <ErrorSummary messages={localError ? [] : errors.summary} />
      <TextAreaField
        id={`${id}-comment`}
        label={t('signOff.comment')}
        hint={t('signOff.commentHint')}
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        error={localError ?? errors.byPath.comment}
      />
      <div className="actions">
        <button
          type="button"
          className="button button-primary"
          disabled={mutation.isPending}
          onClick={() => {
            setLocalError(undefined);
            mutation.mutate('approve');
          }}
        >
          {t('signOff.approve')}
        </button>
        <button
          type="button"
          className="button button-secondary"
          disabled={mutation.isPending}
          onClick={() => {
            if (!comment.trim()) {
              setLocalError(t('signOff.commentRequired'));
              return;
            }
            setLocalError(undefined);
            mutation.mutate('return');
          }}
        >
          {t('signOff.return')}
        </button>
      </div>
    </form>
  );
}
