import type { Me } from '../../api/client.ts';
import type { CaseListQuery, SavedViewParams } from './api.ts';

/*
 * The case list's state lives in the address: every filter, the sort and the search text are query
 * parameters of /cases, so a link can be shared and the back button undoes a filter change. The
 * names and formats are those of GET /api/cases (comma-separated stage and flag lists), plus
 * `assignedUserId=me`, which means whoever is signed in (so a saved view "mine" works for anyone).
 */

export const STAGES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;
export const TRACKS = ['protection', 'justice', 'security', 'health'] as const;
export const TRACK_STATUSES: Record<(typeof TRACKS)[number], readonly string[]> = {
  protection: ['active', 'monitoring', 'closed'],
  health: ['active', 'closed'],
  security: ['active', 'closed'],
  justice: [
    'pending',
    'investigation',
    'non_punishment_review',
    'charged',
    'diverted',
    'no_case',
    'recognised_victim',
    'convicted',
    'acquitted',
    'closed',
  ],
};
/** Which permission reads a track's status (the default field sensitivity of the access model). */
export const TRACK_READ_PERMISSION: Record<(typeof TRACKS)[number], string> = {
  protection: 'protection:read',
  justice: 'justice:read',
  security: 'security:read',
  health: 'health:read',
};
export const AGE_BANDS = ['0-4', '5-9', '10-13', '14-17', '18-24', '25-59', '60+'] as const;
export const SEXES = ['female', 'male', 'unknown'] as const;
export const FLAGS = [
  'unaccompanied',
  'separated',
  'orphan',
  'disability',
  'pregnant',
  'trafficking_indicators',
  'witness',
] as const;
export const SORTS = ['opened_desc', 'opened_asc', 'case_number', 'stage'] as const;
export const PAGE_SIZE = 25;

/** The parameters a saved view keeps: everything but the search text (a name is personal data). */
export const VIEW_KEYS = [
  'status',
  'stage',
  'track',
  'trackStatus',
  'agencyId',
  'assignedUserId',
  'unassigned',
  'ageBand',
  'sex',
  'flag',
  'overdueTasks',
  'sort',
] as const satisfies readonly (keyof SavedViewParams)[];
/** Every parameter of the page's address. */
export const URL_KEYS = ['q', ...VIEW_KEYS] as const;
export type UrlKey = (typeof URL_KEYS)[number];

const list = (value: string | null) => (value ? value.split(',').filter(Boolean) : []);

/** The page's address → the API query (the signed-in user substituted for "me"). */
export function apiQueryFrom(params: URLSearchParams, me: Me): CaseListQuery {
  const query: Record<string, unknown> = { limit: PAGE_SIZE, count: 'true' };
  for (const key of URL_KEYS) {
    const value = params.get(key);
    if (value === null || value === '') continue;
    if (key === 'stage') query.stage = list(value).map(Number);
    else if (key === 'flag') query.flag = list(value);
    else if (key === 'assignedUserId') query.assignedUserId = value === 'me' ? me.id : value;
    else query[key] = value;
  }
  return query as CaseListQuery;
}

/** The saved-view part of the address (no search text), with keys in a stable order. */
export function viewParamsFrom(params: URLSearchParams): SavedViewParams {
  const view: Record<string, string> = {};
  for (const key of VIEW_KEYS) {
    const value = params.get(key);
    if (value) view[key] = value;
  }
  return view as SavedViewParams;
}

/** The address of a saved view. */
export function viewHref(view: SavedViewParams): string {
  const params = new URLSearchParams();
  for (const key of VIEW_KEYS) {
    const value = view[key];
    if (value) params.set(key, value);
  }
  const query = params.toString();
  return query ? `/cases?${query}` : '/cases';
}

/** True when the address shows exactly this view's filters (the search text aside). */
export function isCurrentView(view: SavedViewParams, params: URLSearchParams): boolean {
  const current = viewParamsFrom(params);
  return VIEW_KEYS.every((key) => (view[key] ?? '') === (current[key] ?? ''));
}

/** A copy of the address with one parameter set (or removed when empty). */
export function withParam(params: URLSearchParams, key: UrlKey, value: string | null): URLSearchParams {
  const next = new URLSearchParams(params);
  if (value === null || value === '') next.delete(key);
  else next.set(key, value);
  // A track status without its track means nothing to the API.
  if (key === 'track') next.delete('trackStatus');
  // "Unassigned" and a named worker exclude each other.
  if (key === 'assignedUserId' && value) next.delete('unassigned');
  if (key === 'unassigned' && value) next.delete('assignedUserId');
  return next;
}

/** Adds or removes one item of a comma-separated list parameter. */
export function toggleListItem(
  params: URLSearchParams,
  key: 'stage' | 'flag',
  item: string,
): URLSearchParams {
  const items = new Set(list(params.get(key)));
  if (items.has(item)) items.delete(item);
  else items.add(item);
  const ordered =
    key === 'stage'
      ? [...items].sort((a, b) => Number(a) - Number(b))
      : FLAGS.filter((flag) => items.has(flag));
  return withParam(params, key, ordered.join(','));
}

export function listParam(params: URLSearchParams, key: 'stage' | 'flag'): string[] {
  return list(params.get(key));
}
