import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Me } from '../../api/client.ts';
import { PageHeading } from '../../app/PageHeading.tsx';
import { Link, setQueryParams, useQueryParams } from '../../app/router.tsx';
import { useDocumentTitle } from '../../app/useDocumentTitle.ts';
import { useFormatters } from '../../ui/format.ts';
import { Maskable } from '../../ui/Restricted.tsx';
import { Empty, Loading, QueryError } from '../../ui/states.tsx';
import { type CaseListItem, useCaseList } from './api.ts';
import { CaseFilters, SearchBox } from './CaseFilters.tsx';
import { apiQueryFrom } from './filters.ts';
import { SavedViews } from './SavedViews.tsx';
import './cases.css';

/**
 * The case list: filters, sort and search in the address, one page of cases at a time (cursor
 * pages) with the total, and the user's saved views on top. Only what the server lets the user
 * see is ever counted or shown; masked values read as restricted.
 */
export function CaseListPage({ me }: { me: Me }) {
  const { t } = useTranslation('cases');
  useDocumentTitle(t('title'));
  const search = useQueryParams().toString();
  // Keyed by the address: an unchanged address keeps the same objects (no refetch, no re-render).
  const params = useMemo(() => new URLSearchParams(search), [search]);
  const filters = useMemo(() => apiQueryFrom(params, me), [params, me]);

  // Cursor pages: the cursors of the pages before this one, forgotten when the filters change.
  const [pages, setPages] = useState<{ search: string; cursors: string[] }>({ search, cursors: [] });
  const cursors = pages.search === search ? pages.cursors : [];
  const cursor = cursors.at(-1);
  const query = useMemo(() => (cursor ? { ...filters, cursor } : filters), [filters, cursor]);
  const list = useCaseList(query);

  return (
    <div className="case-list-page">
      <PageHeading>{t('title')}</PageHeading>
      <SavedViews params={params} />
      <SearchBox params={params} onApply={applyParams} />
      <CaseFilters params={params} me={me} items={list.data?.items} onApply={applyParams} />
      <ResultCount
        total={list.data?.total ?? null}
        atLeast={list.data?.totalIsLowerBound ?? false}
        fetching={list.isFetching}
      />
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <QueryError error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.items.length === 0 ? (
        <Empty>{t('results.none')}</Empty>
      ) : (
        <>
          <CaseTable items={list.data.items} me={me} stale={list.isPlaceholderData} />
          <nav className="case-list-paging" aria-label={t('paging.label')}>
            <button
              type="button"
              className="button button-secondary"
              disabled={cursors.length === 0}
              onClick={() => setPages({ search, cursors: cursors.slice(0, -1) })}
            >
              {t('paging.previous')}
            </button>
            <span className="muted">{t('paging.page', { page: cursors.length + 1 })}</span>
            <button
              type="button"
              className="button button-secondary"
              disabled={!list.data.nextCursor}
              onClick={() => {
                const next = list.data.nextCursor;
                if (next) setPages({ search, cursors: [...cursors, next] });
              }}
            >
              {t('paging.next')}
            </button>
          </nav>
        </>
      )}
    </div>
  );
}

/** Writes the list's state into the address (stable: memoised children keep their props). */
function applyParams(next: URLSearchParams, options: { push?: boolean } = {}): void {
  setQueryParams(next, options);
}

/**
 * The total, announced politely whenever a new answer arrives. Past the server's counting cap the
 * total is a lower bound ("10,000+"): counting every visible case of a large caseload would cost
 * more than the page itself.
 */
function ResultCount({
  total,
  atLeast,
  fetching,
}: {
  total: number | null;
  atLeast: boolean;
  fetching: boolean;
}) {
  const { t } = useTranslation('cases');
  const format = useFormatters();
  let text = '';
  if (total !== null) {
    text = atLeast
      ? t('results.countAtLeast', { total: format.number(total) })
      : t('results.count', { count: total });
  }
  return (
    <p className="case-list-count" role="status" aria-live="polite" aria-busy={fetching}>
      {text}
    </p>
  );
}

const CaseTable = memo(function CaseTable({
  items,
  me,
  stale,
}: {
  items: CaseListItem[];
  me: Me;
  stale: boolean;
}) {
  const { t } = useTranslation('cases');
  return (
    <table className={stale ? 'case-table case-table-stale' : 'case-table'}>
      <caption className="visually-hidden">{t('table.caption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('table.case')}</th>
          <th scope="col">{t('table.person')}</th>
          <th scope="col">{t('table.stage')}</th>
          <th scope="col">{t('table.tracks')}</th>
          <th scope="col">{t('table.agency')}</th>
          <th scope="col">{t('table.worker')}</th>
          <th scope="col">{t('table.flags')}</th>
          <th scope="col">{t('table.tasks')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <CaseRow key={item.id} item={item} me={me} />
        ))}
      </tbody>
    </table>
  );
});

/** One case. Memoised: a new page of the same cases re-renders only rows whose data changed. */
const CaseRow = memo(function CaseRow({ item, me }: { item: CaseListItem; me: Me }) {
  const { t } = useTranslation('cases');
  const format = useFormatters();
  const label = useEnumLabel();
  return (
    <tr>
      <th scope="row" data-label={t('table.case')}>
        <Link to={`/cases/${item.id}`}>{item.caseNumber}</Link>
        {item.status === 'closed' && <span className="case-closed"> ({t('status.closed')})</span>}
      </th>
      <td data-label={t('table.person')}>
        {item.displayName === null ? (
          <span className="muted">{t('table.noName')}</span>
        ) : (
          <bdi>{item.displayName}</bdi>
        )}
        <span className="case-person-facts">
          {[
            item.ageBand ? t('table.age', { band: item.ageBand }) : t('table.ageUnknown'),
            label('sex', item.sex),
          ].join(' · ')}
        </span>
      </td>
      <td data-label={t('table.stage')}>{label('stage', String(item.stage))}</td>
      <td data-label={t('table.tracks')}>
        {item.tracks.length === 0 ? (
          <span className="muted">—</span>
        ) : (
          <ul className="case-tracks">
            {item.tracks.map((track) => (
              <li key={track.track}>
                {label('track', track.track)}:{' '}
                <Maskable value={track.status}>{(status) => label('trackStatus', status)}</Maskable>
              </li>
            ))}
          </ul>
        )}
      </td>
      <td data-label={t('table.agency')}>
        <abbr title={item.ownerAgency.name}>{item.ownerAgency.code}</abbr>
      </td>
      <td data-label={t('table.worker')}>
        {item.assignedUser === null ? (
          <span className="muted">{t('table.unassigned')}</span>
        ) : item.assignedUser.id === me.id ? (
          t('table.you')
        ) : (
          <bdi>{item.assignedUser.displayName}</bdi>
        )}
      </td>
      <td data-label={t('table.flags')}>
        {item.flags.length === 0 ? (
          <span className="muted">—</span>
        ) : (
          <ul className="case-flags">
            {item.flags.map((flag) => (
              <li key={flag}>{label('flag', flag)}</li>
            ))}
          </ul>
        )}
      </td>
      <td data-label={t('table.tasks')}>
        {item.overdueTasks > 0 && (
          <strong className="case-overdue">{t('table.overdue', { count: item.overdueTasks })}</strong>
        )}
        {item.nextDueOn ? (
          <span className="case-next-due">{t('table.nextDue', { date: format.date(item.nextDueOn) })}</span>
        ) : (
          item.overdueTasks === 0 && <span className="muted">{t('table.noTasks')}</span>
        )}
      </td>
    </tr>
  );
});

/** Labels of API values in the reader's language; a value the translation lacks is shown as sent. */
export function useEnumLabel(): (
  group: 'stage' | 'track' | 'trackStatus' | 'sex' | 'flag' | 'sort',
  value: string,
) => string {
  const { t, i18n } = useTranslation('cases');
  return useMemo(
    () => (group, value) => {
      const key = `values.${group}.${value}`;
      if (!i18n.exists(key, { ns: 'cases' })) return value.replaceAll('_', ' ');
      return (t as unknown as (key: string) => string)(key);
    },
    [t, i18n],
  );
}

/** Debounces a value (the search box: one request per pause in typing, not per key). */
export function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}
