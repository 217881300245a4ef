import { memo, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Me } from '../../api/client.ts';
import type { CaseListItem } from './api.ts';
import { useDebounced, useEnumLabel } from './CaseListPage.tsx';
import {
  AGE_BANDS,
  FLAGS,
  listParam,
  SEXES,
  SORTS,
  STAGES,
  TRACK_READ_PERMISSION,
  TRACK_STATUSES,
  TRACKS,
  toggleListItem,
  URL_KEYS,
  type UrlKey,
  withParam,
} from './filters.ts';

type Apply = (next: URLSearchParams, options?: { push?: boolean }) => void;

/**
 * The search box: a name in any script (Гульнара, Gulnara, غولنارا find the same person; the
 * server matches by the identity module's name keys). It writes `q` into the address after a
 * pause in typing, replacing the history entry so Back does not replay every keystroke.
 */
export function SearchBox({ params, onApply }: { params: URLSearchParams; onApply: Apply }) {
  const { t } = useTranslation('cases');
  const id = useId();
  const fromUrl = params.get('q') ?? '';
  const [text, setText] = useState(fromUrl);
  const debounced = useDebounced(text, 250);
  const latest = useRef({ params, onApply });
  latest.current = { params, onApply };

  // The address changed by other means (Back, a saved view): show what it says.
  // (Only when it differs from what is typed: a trailing space mid-typing is kept.)
  const typed = useRef(text);
  typed.current = text;
  useEffect(() => {
    if (typed.current.trim() !== fromUrl) setText(fromUrl);
  }, [fromUrl]);
  useEffect(() => {
    const { params: current, onApply: apply } = latest.current;
    if ((current.get('q') ?? '') === debounced.trim()) return;
    apply(withParam(current, 'q', debounced.trim()));
  }, [debounced]);

  return (
    <search className="case-search">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          onApply(withParam(params, 'q', text.trim()), { push: true });
        }}
      >
        <label htmlFor={`${id}-q`}>{t('search.label')}</label>
        <p id={`${id}-hint`} className="field-hint">
          {t('search.hint')}
        </p>
        <div className="case-search-row">
          <input
            id={`${id}-q`}
            type="search"
            dir="auto"
            autoComplete="off"
            spellCheck={false}
            aria-describedby={`${id}-hint`}
            value={text}
            maxLength={100}
            onChange={(event) => setText(event.target.value)}
          />
          <button type="submit" className="button button-primary">
            {t('search.submit')}
          </button>
        </div>
      </form>
    </search>
  );
}

/**
 * The filters. Each change writes the address (a new history entry, so Back undoes it); the list
 * follows the address. Agencies and workers to choose from are the ones seen in answers so far,
 * plus the user's own agency and "me".
 */
export const CaseFilters = memo(function CaseFilters({
  params,
  me,
  items,
  onApply,
}: {
  params: URLSearchParams;
  me: Me;
  items: CaseListItem[] | undefined;
  onApply: Apply;
}) {
  const { t } = useTranslation('cases');
  const label = useEnumLabel();
  const id = useId();
  const set = (key: UrlKey, value: string) => onApply(withParam(params, key, value), { push: true });
  const toggle = (key: 'stage' | 'flag', item: string) =>
    onApply(toggleListItem(params, key, item), { push: true });
  const stages = listParam(params, 'stage');
  const flags = listParam(params, 'flag');
  const track = params.get('track') ?? '';
  const trackReadable =
    track !== '' && me.permissions.includes(TRACK_READ_PERMISSION[track as (typeof TRACKS)[number]]);
  const active = URL_KEYS.filter((key) => key !== 'q' && key !== 'sort' && params.get(key)).length;

  const seen = useSeenOptions(me, items);
  const worker = params.get('unassigned') === 'true' ? 'unassigned' : (params.get('assignedUserId') ?? '');

  return (
    <details className="case-filters" open={active > 0 ? true : undefined}>
      <summary>{active > 0 ? t('filters.headingActive', { count: active }) : t('filters.heading')}</summary>
      <div className="case-filters-grid">
        <fieldset className="case-filter-checks">
          <legend>{t('filters.stage')}</legend>
          {STAGES.map((stage) => (
            <label key={stage}>
              <input
                type="checkbox"
                checked={stages.includes(String(stage))}
                onChange={() => toggle('stage', String(stage))}
              />{' '}
              {label('stage', String(stage))}
            </label>
          ))}
        </fieldset>

        <div className="case-filter-column">
          <Select
            id={`${id}-status`}
            label={t('filters.status')}
            value={params.get('status') ?? ''}
            onChange={(v) => set('status', v)}
          >
            <option value="open">{t('status.open')}</option>
            <option value="closed">{t('status.closed')}</option>
          </Select>
          <Select
            id={`${id}-track`}
            label={t('filters.track')}
            value={track}
            onChange={(v) => set('track', v)}
          >
            {TRACKS.map((tr) => (
              <option key={tr} value={tr}>
                {label('track', tr)}
              </option>
            ))}
          </Select>
          {track !== '' && (
            <Select
              id={`${id}-track-status`}
              label={t('filters.trackStatus')}
              hint={trackReadable ? undefined : t('filters.trackStatusRestricted')}
              disabled={!trackReadable}
              value={params.get('trackStatus') ?? ''}
              onChange={(v) => set('trackStatus', v)}
            >
              {(TRACK_STATUSES[track as (typeof TRACKS)[number]] ?? []).map((status) => (
                <option key={status} value={status}>
                  {label('trackStatus', status)}
                </option>
              ))}
            </Select>
          )}
          <Select
            id={`${id}-agency`}
            label={t('filters.agency')}
            value={params.get('agencyId') ?? ''}
            onChange={(v) => set('agencyId', v)}
          >
            {unknownOption(params.get('agencyId'), seen.agencies, t('filters.otherAgency'))}
            {seen.agencies.map((agency) => (
              <option key={agency.id} value={agency.id}>
                {agency.code} — {agency.name}
              </option>
            ))}
          </Select>
          <Select
            id={`${id}-worker`}
            label={t('filters.worker')}
            value={worker}
            onChange={(v) =>
              onApply(
                v === 'unassigned'
                  ? withParam(params, 'unassigned', 'true')
                  : withParam(withParam(params, 'unassigned', ''), 'assignedUserId', v),
                { push: true },
              )
            }
          >
            <option value="me">{t('filters.me')}</option>
            <option value="unassigned">{t('filters.unassigned')}</option>
            {worker !== 'me' &&
              worker !== 'unassigned' &&
              unknownOption(worker, seen.workers, t('filters.otherWorker'))}
            {seen.workers.map((user) => (
              <option key={user.id} value={user.id}>
                {user.displayName}
              </option>
            ))}
          </Select>
        </div>

        <div className="case-filter-column">
          <Select
            id={`${id}-age`}
            label={t('filters.ageBand')}
            value={params.get('ageBand') ?? ''}
            onChange={(v) => set('ageBand', v)}
          >
            {AGE_BANDS.map((band) => (
              <option key={band} value={band}>
                {t('table.age', { band })}
              </option>
            ))}
          </Select>
          <Select
            id={`${id}-sex`}
            label={t('filters.sex')}
            value={params.get('sex') ?? ''}
            onChange={(v) => set('sex', v)}
          >
            {SEXES.map((sex) => (
              <option key={sex} value={sex}>
                {label('sex', sex)}
              </option>
            ))}
          </Select>
          <div className="case-filter-check">
            <input
              id={`${id}-overdue`}
              type="checkbox"
              checked={params.get('overdueTasks') === 'true'}
              onChange={(event) => set('overdueTasks', event.target.checked ? 'true' : '')}
            />
            <label htmlFor={`${id}-overdue`}>{t('filters.overdue')}</label>
          </div>
          <Select
            id={`${id}-sort`}
            label={t('filters.sort')}
            value={params.get('sort') ?? ''}
            anyLabel={label('sort', 'opened_desc')}
            onChange={(v) => set('sort', v)}
          >
            {SORTS.filter((sort) => sort !== 'opened_desc').map((sort) => (
              <option key={sort} value={sort}>
                {label('sort', sort)}
              </option>
            ))}
          </Select>
        </div>

        <fieldset className="case-filter-checks">
          <legend>{t('filters.flags')}</legend>
          {FLAGS.map((flag) => (
            <label key={flag}>
              <input type="checkbox" checked={flags.includes(flag)} onChange={() => toggle('flag', flag)} />{' '}
              {label('flag', flag)}
            </label>
          ))}
        </fieldset>
      </div>
      {active > 0 && (
        <button
          type="button"
          className="button button-secondary"
          onClick={() => {
            const next = new URLSearchParams();
            for (const key of ['q', 'sort'] as const) {
              const value = params.get(key);
              if (value) next.set(key, value);
            }
            onApply(next, { push: true });
          }}
        >
          {t('filters.clear')}
        </button>
      )}
    </details>
  );
});

/** A value from the address (a shared link) not among the options met so far: still selectable. */
function unknownOption(value: string | null, known: { id: string }[], label: string) {
  if (!value || known.some((option) => option.id === value)) return null;
  return <option value={value}>{label}</option>;
}

function Select({
  id,
  label,
  hint,
  value,
  onChange,
  disabled,
  anyLabel,
  children,
}: {
  id: string;
  label: string;
  hint?: string | undefined;
  value: string;
  onChange: (value: string) => void;
  disabled?: boolean;
  anyLabel?: string;
  children: React.ReactNode;
}) {
  const { t } = useTranslation('cases');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
      <select
        id={id}
        value={value}
        disabled={disabled}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(event) => onChange(event.target.value)}
      >
        <option value="">{anyLabel ?? t('filters.any')}</option>
        {children}
      </select>
    </div>
  );
}

/** Agencies and workers met in the answers so far (the API has no staff directory for case workers). */
function useSeenOptions(me: Me, items: CaseListItem[] | undefined) {
  const agencies = useRef(new Map<string, { id: string; code: string; name: string }>());
  const workers = useRef(new Map<string, { id: string; displayName: string }>());
  agencies.current.set(me.agency.id, { id: me.agency.id, code: me.agency.code, name: me.agency.name });
  for (const item of items ?? []) {
    agencies.current.set(item.ownerAgency.id, item.ownerAgency);
    if (item.assignedUser && item.assignedUser.id !== me.id)
      workers.current.set(item.assignedUser.id, item.assignedUser);
  }
  const agencyCount = agencies.current.size;
  const workerCount = workers.current.size;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the maps only grow; their sizes say when to re-sort
  return useMemo(
    () => ({
      agencies: [...agencies.current.values()].sort((a, b) => a.code.localeCompare(b.code)),
      workers: [...workers.current.values()].sort((a, b) => a.displayName.localeCompare(b.displayName)),
    }),
    [agencyCount, workerCount],
  );
}
