import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, call, type Me } from '../../api/client.ts';
import { useFormatters } from '../../ui/format.ts';
import { isRestricted, Restricted } from '../../ui/Restricted.tsx';
import { Empty, Loading, QueryError } from '../../ui/states.tsx';
import { caseKeys, hasPermission, personKeys } from './api.ts';
import { useLabel, useUserName } from './labels.ts';

function HistoryValue({ value }: { value: unknown }) {
  const { t } = useTranslation('caseFile');
  if (value === null || value === undefined) return <span className="muted">{t('history.empty')}</span>;
  if (isRestricted(value)) return <Restricted value={value} />;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return <bdi>{text}</bdi>;
}

/** Per-field history of the person (persons:read) and the audit entries of the case (audit:read). */
export function HistorySection({ me, caseId, personId }: { me: Me; caseId: string; personId: string }) {
  const { t } = useTranslation('caseFile');
  const fmt = useFormatters();
  const label = useLabel();
  const canHistory = hasPermission(me.permissions, 'persons:read');
  const canAudit = hasPermission(me.permissions, 'audit:read');
  const history = useQuery({
    queryKey: personKeys.history(personId),
    queryFn: () => call(api.GET('/api/persons/{id}/history', { params: { path: { id: personId } } })),
    enabled: canHistory,
  });
  const audit = useQuery({
    queryKey: caseKeys.audit(caseId),
    queryFn: () =>
      call(
        api.GET('/api/audit', { params: { query: { targetType: 'case', targetId: caseId, limit: 100 } } }),
      ),
    enabled: canAudit,
  });
  const userName = useUserName(me, [
    ...(history.data ?? []).map((entry) => entry.changedBy),
    ...(audit.data?.items ?? []).map((event) => event.actorUserId),
  ]);
  return (
    <div className="stack">
      <section className="card" aria-labelledby="field-history-heading">
        <h3 id="field-history-heading">{t('history.fields')}</h3>
        {!canHistory ? (
          <p>{t('history.noPermission')}</p>
        ) : history.isPending ? (
          <Loading />
        ) : history.isError ? (
          <QueryError error={history.error} onRetry={() => void history.refetch()} />
        ) : history.data.length === 0 ? (
          <Empty>{t('history.noChanges')}</Empty>
        ) : (
          <div className="table-wrap">
            <table className="data-table">
              <caption className="visually-hidden">{t('history.fieldsCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('history.when')}</th>
                  <th scope="col">{t('history.who')}</th>
                  <th scope="col">{t('history.field')}</th>
                  <th scope="col">{t('history.before')}</th>
                  <th scope="col">{t('history.after')}</th>
                </tr>
              </thead>
              <tbody>
                {[...history.data].reverse().map((entry) => (
                  <tr key={entry.id}>
                    <th scope="row">{fmt.dateTime(entry.changedAt)}</th>
                    <td data-label={t('history.who')}>{userName(entry.changedBy)}</td>
                    <td data-label={t('history.field')}>{label('personField', entry.field)}</td>
                    <td data-label={t('history.before')}>
                      <HistoryValue value={entry.before} />
                    </td>
                    <td data-label={t('history.after')}>
                      <HistoryValue value={entry.after} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {canAudit && (
        <section className="card" aria-labelledby="audit-heading">
          <h3 id="audit-heading">{t('history.audit')}</h3>
          {audit.isPending ? (
            <Loading />
          ) : audit.isError ? (
            <QueryError error={audit.error} onRetry={() => void audit.refetch()} />
          ) : audit.data.items.length === 0 ? (
            <Empty>{t('history.noAudit')}</Empty>
          ) : (
            <div className="table-wrap">
              <table className="data-table">
                <caption className="visually-hidden">{t('history.auditCaption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('history.when')}</th>
                    <th scope="col">{t('history.who')}</th>
                    <th scope="col">{t('history.action')}</th>
                    <th scope="col">{t('history.outcome')}</th>
                    <th scope="col">{t('history.sections')}</th>
                    <th scope="col">{t('history.justification')}</th>
                  </tr>
                </thead>
                <tbody>
                  {audit.data.items.map((event) => (
                    <tr key={event.seq}>
                      <th scope="row">{fmt.dateTime(event.occurredAt)}</th>
                      <td data-label={t('history.who')}>{userName(event.actorUserId)}</td>
                      <td data-label={t('history.action')}>
                        <code>{event.action}</code>
                      </td>
                      <td data-label={t('history.outcome')}>{label('outcome', event.outcome)}</td>
                      <td data-label={t('history.sections')}>{event.sections.join(', ') || '—'}</td>
                      <td data-label={t('history.justification')}>
                        {event.justification ? <bdi>{event.justification}</bdi> : '—'}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}
    </div>
  );
}
