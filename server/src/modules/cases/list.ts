import { type ExpressionBuilder, type SelectQueryBuilder, sql } from 'kysely';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { DB } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { authorize, caseVisibilityFilter, readableCompartments, type Section } from '../access/access.ts';
import { applyFieldMask, loadFieldRules, type RestrictedValue } from '../access/masking.ts';
import { nameKeys } from '../identity/names/index.ts';
import { bandBirthInterval, deriveAge, todayIso } from '../persons/age.ts';
import { displayNames } from '../persons/repository.ts';
import type { CaseListQuery } from './schemas.ts';

type CaseQuery = SelectQueryBuilder<DB, 'cases' | 'persons', object>;
type Sort = CaseListQuery['sort'];
type CursorValue = string | number;

/** An opaque cursor: the sort it belongs to and the last row's sort key. */
function encodeCursor(sort: Sort, value: CursorValue, id: string): string {
  return Buffer.from(JSON.stringify({ s: sort, v: value, i: id })).toString('base64url');
}

function decodeCursor(sort: Sort, cursor: string): { value: CursorValue; id: string } {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
      s?: unknown;
      v?: unknown;
      i?: unknown;
    };
    const valid =
      parsed.s === sort &&
      (typeof parsed.v === 'string' || typeof parsed.v === 'number') &&
      typeof parsed.i === 'string' &&
      /^[0-9a-f-]{36}$/i.test(parsed.i);
    if (valid) return { value: parsed.v as CursorValue, id: parsed.i as string };
  } catch {
    // fall through to the one answer for every bad cursor
  }
  throw new AppError('VALIDATION_FAILED', {
    message: 'The cursor is not valid for this sort',
    details: { path: 'query.cursor' },
  });
}

/**
 * A name search as a LIKE pattern for a literal prefix of `lower(full_name)`: metacharacters escaped,
 * lowercased by PostgreSQL's `lower` like the names it is compared with.
 */
function likePrefix(text: string) {
  return sql<string>`lower(${text.replace(/[\\%_]/g, (c) => `\\${c}`)}) || '%'`;
}

/**
 * Whether a search text is one word as the name terms cut names (`name_first_word_term`, migration
 * 0113): no ASCII character but letters and digits; every character outside ASCII counts as a letter.
 */
function isOneWord(text: string): boolean {
  return /^[0-9A-Za-z\u0080-\u{10FFFF}]*$/u.test(text);
}

/**
 * The name keys a search text is looked up by (identity/names, the cross-script engine): a one-part
 * text by its single-part keys (Gulnara, Гульнара and غولنارا share one), a longer text by its pair,
 * whole-name and kunya keys, so that two of its parts must agree — a common given name alone
 * (Muhammad) does not pull in everyone who carries it once a surname is typed.
 */
export function searchKeys(text: string): string[] {
  const keys = nameKeys(text);
  const combined = keys.filter((k) => !k.startsWith('t:'));
  return combined.length > 0 ? combined : keys;
}

/**
 * A filter on the status of a track whose status is a sensitive field (field_sensitivity
 * `case.track.<track>`) needs that compartment: otherwise counts would say what the masked column
 * hides.
 */
async function assertTrackStatusReadable(ctx: ServiceContext, track: string): Promise<void> {
  const rule = (await loadFieldRules(ctx.db)).get(`case.track.${track}`)?.get('status');
  if (rule && !readableCompartments(ctx.actor).includes(rule.compartment)) {
    throw new AppError('FORBIDDEN', {
      message: 'You may not filter on the status of this track',
      details: { path: 'query.trackStatus', compartment: rule.compartment, ask: rule.ask },
    });
  }
}

/**
 * How a query reads the matches of a name search (the same rows either way): `set` when it reads all of
 * them (a count, a page of few matches), from indexes whose bitmaps are combined; `walk` when it walks
 * the list in order until a page is full, testing each case against a hashed set.
 */
type NameSearchShape = 'set' | 'walk';

/**
 * What a name search matches, as one condition on `cases` (decisions 4, 5 and 8 of ADR 0011): the
 * visibility filter and every other filter are applied beside it, never inside.
 */
function nameSearchCondition(text: string, shape: NameSearchShape) {
  const pattern = likePrefix(text);
  const keys = searchKeys(text);
  if (keys.every((k) => !k.startsWith('p:'))) {
    // A search without pair keys (one word, or a kunya with its nisba) is answered from the case's own
    // copy of its person's terms (`cases.person_name_terms`, migration 0111, GIN index; ADR 0011,
    // decision 5): the first 1–4 letters of every recorded name, and the name keys but pairs. So the
    // page walks or the count reads only the cases that carry it, beside the visibility filter and
    // every other filter, instead of first building the set of every matching person ("gul" at a
    // million persons matches 29,000; "Abu Muaz" 7,400, mostly relatives without a case).
    //
    // A text longer than the kept prefixes matches the persons whose names start with it. For one word
    // (letters and digits only), those are the names whose first word starts with it: the first word
    // itself is a term (migration 0113), and only the names whose first word is longer still
    // ("karimovaeva") are read from person_names, by three ranges of its prefix index: the text
    // followed by a digit, by an ASCII letter, or by any other character outside ASCII. A text of
    // several words reads every name that starts with it.
    const lowered = sql<string>`lower(${text})`;
    const fullName = sql<string>`lower(pn.full_name)`;
    const oneWord = isOneWord(text);
    const after = (from: string, to: string | null) =>
      sql`SELECT pn.person_id FROM person_names pn WHERE ${fullName} ~>=~ (${lowered} || ${from})
        AND ${to === null ? sql`${fullName} LIKE ${pattern}` : sql`${fullName} ~<~ (${lowered} || ${to})`}`;
    const names = oneWord
      ? sql`${after('0', ':')} UNION ALL ${after('a', '{')} UNION ALL ${after('\u0080', null)}`
      : sql`SELECT pn.person_id FROM person_names pn WHERE ${fullName} LIKE ${pattern}`;
    const firstWord = oneWord
      ? sql<boolean>`cases.person_name_terms @> ARRAY[name_first_word_term(${text})] OR `
      : sql<boolean>``;
    // The persons read from person_names as an index condition (`= ANY(ARRAY(…))`, computed once) for a
    // set, or as a hashed subplan for a walk (an array is searched element by element for every case
    // walked: "karimova", 14,600 persons, 600 ms).
    const longer =
      shape === 'set'
        ? sql<boolean>`(${firstWord}cases.person_id = ANY(ARRAY(${names})))`
        : sql<boolean>`(${firstWord}(cases.person_name_terms @> ARRAY[name_search_term(${text})]
            AND cases.person_id IN (${names})))`;
    return sql<boolean>`(cases.person_name_terms && ${sql.val(keys)}::text[]
      OR (name_search_term_is_whole(${text})
        AND cases.person_name_terms @> ARRAY[name_search_term(${text})])
      OR (NOT name_search_term_is_whole(${text}) AND ${longer}))`;
  }
  // Names with pair keys (a given name and a surname): an exact or prefix match on any recorded name
  // (person_names_prefix_idx), or the same name in another script or romanisation (its keys looked up in
  // person_name_keys, its primary key). Two parts must agree, so they match few persons, and one
  // `IN (… UNION …)` inside the one WHERE clause lets the planner start from them (1–6.5 ms at a million;
  // walking the list and testing each case: 137 ms; docs/PERFORMANCE.md, Lifecycle), the visibility
  // filter beside it deciding every row, page and count.
  return sql<boolean>`cases.person_id IN (
    SELECT pn.person_id FROM person_names pn WHERE lower(pn.full_name) LIKE ${pattern}
    UNION SELECT nk.person_id FROM person_name_keys nk WHERE nk.key IN (${sql.join(keys)}))`;
}

/**
 * The cases a name search matches, read all at once from the indexes (the GIN index's bitmap, or the
 * persons found by name), as a subquery named `cases` for the visibility filter and every other filter
 * to be applied outside. `OFFSET 0` keeps PostgreSQL from combining them with the match: given the
 * chance, it intersected the matches' bitmap with that of the owner agency's index (364,500 entries for
 * the demo supervisor at a million persons, 26 of a 36 ms count), where reading the ~10,000 matching
 * rows and testing each takes 6–15 ms (ADR 0011, decision 9).
 */
function nameMatchedCases(ctx: ServiceContext, text: string): CaseQuery {
  const matched = ctx.db
    .selectFrom('cases')
    .selectAll('cases')
    .where(nameSearchCondition(text, 'set'))
    .offset(0);
  return ctx.db.selectFrom(matched.as('cases')) as unknown as CaseQuery;
}

/**
 * Every filter of the case list, compiled into the WHERE clause together with the actor's
 * visibility filter: pages and counts never include a case the actor cannot see.
 */
function applyFilters(
  ctx: ServiceContext,
  query: CaseQuery,
  filters: CaseListQuery,
  shape: NameSearchShape = 'set',
): CaseQuery {
  let q = query.where(
    caseVisibilityFilter(ctx.actor) as (eb: ExpressionBuilder<DB, 'cases' | 'persons'>) => never,
  );
  if (filters.status) q = q.where('cases.status', '=', filters.status);
  if (filters.stage && filters.stage.length > 0) q = q.where('cases.stage', 'in', filters.stage);
  if (filters.agencyId) q = q.where('cases.owner_agency_id', '=', filters.agencyId);
  if (filters.assignedUserId) q = q.where('cases.assigned_user_id', '=', filters.assignedUserId);
  if (filters.unassigned === 'true') q = q.where('cases.assigned_user_id', 'is', null);
  if (filters.familyUnitId) q = q.where('cases.family_unit_id', '=', filters.familyUnitId);
  if (filters.personId) q = q.where('cases.person_id', '=', filters.personId);
  // Person filters read the case's copies of the person's fields (migration 0071, kept by triggers), so
  // the page and the count read cases alone (docs/adr/0011-case-list-queries.md).
  if (filters.sex) q = q.where('cases.person_sex', '=', filters.sex);
  if (filters.flag && filters.flag.length > 0) {
    q = q.where(sql<boolean>`cases.person_flags @> ${sql.val(filters.flag)}::text[]`);
  }
  if (filters.ageBand) {
    const interval = bandBirthInterval(filters.ageBand, todayIso());
    q = q.where('cases.person_birth_date_to', '<=', interval.onOrBefore);
    if (interval.after !== null) q = q.where('cases.person_birth_date_to', '>', interval.after);
  }
  if (filters.track) {
    const track = filters.track;
    const status = filters.trackStatus;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('case_tracks')
          .select(sql.lit(1).as('one'))
          .whereRef('case_tracks.case_id', '=', 'cases.id')
          .where('case_tracks.track', '=', track)
          .$if(status !== undefined, (sub) => sub.where('case_tracks.status', '=', status!)),
      ),
    );
  }
  if (filters.overdueTasks) {
    // The case's copy of its open tasks' earliest due date (migration 0114, kept by triggers; ADR 0011,
    // decision 10): a case has overdue tasks when that date has passed.
    const today = todayIso();
    q = q.where((eb) =>
      filters.overdueTasks === 'true'
        ? eb('cases.open_tasks_due_first', '<', today)
        : eb.or([
            eb('cases.open_tasks_due_first', 'is', null),
            eb('cases.open_tasks_due_first', '>=', today),
          ]),
    );
  }
  if (filters.q) q = q.where(nameSearchCondition(filters.q, shape));
  return q;
}

/** Orders (and continues after the cursor) by the sort's key on `table`: the case table or the matches. */
// biome-ignore lint/suspicious/noExplicitAny: one ordering for the case table and for a subquery of its rows
function applySort<Q extends SelectQueryBuilder<any, any, any>>(
  query: Q,
  sort: Sort,
  cursor: { value: CursorValue; id: string } | null,
  table = 'cases',
): Q {
  const ref = (column: string) => sql.ref(`${table}.${column}`);
  const after = (key: string, value: unknown, direction: '<' | '>') =>
    sql<boolean>`(${ref(key)}, ${ref('id')}) ${sql.raw(direction)} (${value}, ${cursor!.id}::uuid)`;
  let q = query;
  switch (sort) {
    case 'opened_desc':
      if (cursor) q = q.where(after('opened_at', sql`${cursor.value}::timestamptz`, '<')) as Q;
      return q.orderBy(ref('opened_at'), 'desc').orderBy(ref('id'), 'desc') as Q;
    case 'opened_asc':
      if (cursor) q = q.where(after('opened_at', sql`${cursor.value}::timestamptz`, '>')) as Q;
      return q.orderBy(ref('opened_at'), 'asc').orderBy(ref('id'), 'asc') as Q;
    case 'case_number':
      if (cursor) q = q.where(after('case_number', String(cursor.value), '>')) as Q;
      return q.orderBy(ref('case_number'), 'asc').orderBy(ref('id'), 'asc') as Q;
    case 'stage':
      if (cursor) q = q.where(after('stage', sql`${Number(cursor.value)}::smallint`, '>')) as Q;
      return q.orderBy(ref('stage'), 'asc').orderBy(ref('id'), 'asc') as Q;
  }
}

/** The page's columns: the case, the person fields the list shows, and the cursor key. */
function selectPage(query: CaseQuery) {
  return query.select([
    'cases.id',
    'cases.case_number',
    'cases.status',
    'cases.stage',
    'cases.person_id',
    'cases.owner_agency_id',
    'cases.assigned_user_id',
    'cases.family_unit_id',
    'cases.opened_at',
    // The cursor key at full (microsecond) precision: a millisecond Date would skip rows.
    sql<string>`cases.opened_at::text`.as('opened_key'),
    'persons.sex',
    'persons.birth_date_from',
    'persons.birth_date_to',
    'persons.flags',
  ]);
}

/**
 * The page query (docs/adr/0011-case-list-queries.md). One ordered, limited SELECT, except in the
 * opening-date orders for a track status (`trackOrdered`) and for several stages: PostgreSQL reads
 * `stage IN (7, 8)` from `cases_stage_opened_idx` (stage, opened_at DESC, id DESC) in stage order, not
 * in opening order, so it walked the whole list newest-first instead, and the newest cases are at early
 * stages (248 ms p95 at a million; docs/PERFORMANCE.md, Lifecycle). So one arm per stage, each with
 * every filter (the visibility filter included) and the cursor, ordered and limited by the index, then
 * merged: at most (stages × page) rows to sort (6–12 ms p95).
 */
function pageQuery(
  ctx: ServiceContext,
  base: CaseQuery,
  filters: CaseListQuery,
  cursor: { value: CursorValue; id: string } | null,
  fewMatches: boolean,
) {
  if (fewMatches) return pageOfFewMatches(ctx, base, filters, cursor);
  const stages = [...new Set(filters.stage ?? [])];
  const limit = filters.limit + 1;
  const ordered = (f: CaseListQuery) =>
    selectPage(applySort(applyFilters(ctx, base, f, 'walk'), f.sort, cursor)).limit(limit);
  if (filters.sort !== 'opened_desc' && filters.sort !== 'opened_asc') return ordered(filters);
  if (stages.length < 2) {
    return filters.track && filters.trackStatus ? trackOrdered(ctx, filters, cursor) : ordered(filters);
  }
  const arms = stages.map((stage, i) =>
    ctx.db.selectFrom(ordered({ ...filters, stage: [stage] }).as(`stage_${i}`)).selectAll(),
  );
  const merged = arms.slice(1).reduce((union, arm) => union.unionAll(arm), arms[0]!);
  const direction = filters.sort === 'opened_desc' ? 'desc' : 'asc';
  return ctx.db
    .selectFrom(merged.as('arms'))
    .selectAll()
    .orderBy('arms.opened_at', direction)
    .orderBy('arms.id', direction)
    .limit(limit);
}

/**
 * The page of a list known to match few cases (a name search counted below its cap): every match is
 * found first, as the count found them (the GIN index's bitmap), then sorted, and the page's rows read by
 * primary key. `OFFSET 0` keeps PostgreSQL from planning the matches together with the order and limit:
 * so planned, it walks the whole list newest-first looking for rows that are not there ("Abu Muaz
 * al-Qazaqi", no visible match at a million persons: 2.8 s; "gulnara", 1,900: 74–99 ms).
 */
function pageOfFewMatches(
  ctx: ServiceContext,
  base: CaseQuery,
  filters: CaseListQuery,
  cursor: { value: CursorValue; id: string } | null,
) {
  const limit = filters.limit + 1;
  const matches = filteredCases(ctx, filters)
    .select(['cases.id', 'cases.opened_at', 'cases.case_number', 'cases.stage'])
    .offset(0);
  const pageIds = applySort(
    ctx.db.selectFrom(matches.as('matches')).select('matches.id'),
    filters.sort,
    cursor,
    'matches',
  ).limit(limit);
  const page = base
    .where(caseVisibilityFilter(ctx.actor) as (eb: ExpressionBuilder<DB, 'cases' | 'persons'>) => never)
    .where('cases.id', 'in', pageIds);
  return selectPage(applySort(page, filters.sort, null)).limit(limit);
}

/**
 * The page of a track-status filter in an opening-date order, driven from the track side: the track rows
 * carry their case's opening time (migration 0072), so `case_tracks_list_order_idx` (track, status,
 * case_opened_at DESC, case_id DESC) yields matching cases in the list's order, each joined to its case
 * and checked against every other filter and the visibility filter, until a page is full. Walking the
 * cases newest-first and probing each one's tracks read ~200 cases per match for a rare status.
 * A track row per case and track (its primary key), so the join repeats no case.
 */
function trackOrdered(
  ctx: ServiceContext,
  filters: CaseListQuery,
  cursor: { value: CursorValue; id: string } | null,
) {
  const { track, trackStatus, ...others } = filters;
  const joined = ctx.db
    .selectFrom('cases')
    .innerJoin('persons', 'persons.id', 'cases.person_id')
    .innerJoin('case_tracks', (join) =>
      join
        .onRef('case_tracks.case_id', '=', 'cases.id')
        .on('case_tracks.track', '=', track!)
        .on('case_tracks.status', '=', trackStatus!),
    );
  let q = applyFilters(ctx, joined as unknown as CaseQuery, others, 'walk');
  const desc = filters.sort === 'opened_desc';
  if (cursor) {
    const key = sql`(case_tracks.case_opened_at, case_tracks.case_id)`;
    const after = sql`(${cursor.value}::timestamptz, ${cursor.id}::uuid)`;
    q = q.where(desc ? sql<boolean>`${key} < ${after}` : sql<boolean>`${key} > ${after}`);
  }
  const direction = desc ? 'desc' : 'asc';
  return selectPage(q)
    .orderBy(sql.ref('case_tracks.case_opened_at'), direction)
    .orderBy(sql.ref('case_tracks.case_id'), direction)
    .limit(filters.limit + 1);
}

/** Whether the list is filtered by a track (and perhaps its status) and by nothing else. */
function isTrackAlone(filters: CaseListQuery): boolean {
  const { track, trackStatus, sort, limit, cursor, count, ...others } = filters;
  return (
    track !== undefined &&
    Object.values(others).every((v) => v === undefined || (Array.isArray(v) && v.length === 0))
  );
}

/**
 * The cases on a track (in a status), one row each, read from the track index alone (migration 0115;
 * ADR 0011, decision 11): a track row is keyed by case and track, and carries its case's owner agency
 * and assigned worker, kept equal by triggers. They are exposed under the case's column names, so the
 * access module's visibility filter applies to them unchanged; a filter that came to need another
 * column of the case would fail here as an unknown column, never pass.
 */
function tracksAsCases(ctx: ServiceContext, filters: CaseListQuery): CaseQuery {
  const { track, trackStatus } = filters;
  const rows = ctx.db
    .selectFrom('case_tracks')
    .select([
      'case_tracks.case_id as id',
      'case_tracks.case_owner_agency_id as owner_agency_id',
      'case_tracks.case_assigned_user_id as assigned_user_id',
    ])
    .where('case_tracks.track', '=', track!)
    .$if(trackStatus !== undefined, (q) => q.where('case_tracks.status', '=', trackStatus!));
  return ctx.db
    .selectFrom(rows.as('cases'))
    .where(caseVisibilityFilter(ctx.actor) as never) as unknown as CaseQuery;
}

/**
 * Every case the list matches, one row each, under the visibility filter: what the count counts and the
 * page of few matches sorts. A name search's matches are read apart from the other filters
 * (nameMatchedCases); a track alone is read from the track rows (tracksAsCases).
 */
function filteredCases(ctx: ServiceContext, filters: CaseListQuery): CaseQuery {
  if (filters.q) return applyFilters(ctx, nameMatchedCases(ctx, filters.q), { ...filters, q: undefined });
  if (isTrackAlone(filters)) return tracksAsCases(ctx, filters);
  return applyFilters(ctx, ctx.db.selectFrom('cases') as unknown as CaseQuery, filters);
}

/**
 * The case list's filtered base (for the count) and its page query given the count, as Kysely
 * builders, each with the access module's visibility filter beside every filter. Exported for
 * benchmarks and plans.
 */
export function buildCaseListQuery(ctx: ServiceContext, filters: CaseListQuery) {
  const cursor = filters.cursor ? decodeCursor(filters.sort, filters.cursor) : null;
  const base = ctx.db.selectFrom('cases').innerJoin('persons', 'persons.id', 'cases.person_id');
  // The count reads cases alone: no filter reads the person row, and every case has exactly one person,
  // so the join would change no count; with it, a capped count at a million cases merge-joined two
  // indexes of the whole table (~170–370 ms), without it a scan stops at the cap (5–15 ms).
  const filtered = filteredCases(ctx, filters);
  // The page follows from the count when there is one: a name search counted below its cap has few
  // matches, and its page is taken from them (pageOfFewMatches).
  const page = (counted: { totalIsLowerBound: boolean } | null) =>
    pageQuery(
      ctx,
      base,
      filters,
      cursor,
      Boolean(filters.q) && counted !== null && !counted.totalIsLowerBound,
    );
  return { filtered, page };
}

/**
 * The case list counts at most this many matches: a count is work proportional to what it counts, and a
 * supervisor's "all open cases" at a million persons is two-thirds of the table (docs/PERFORMANCE.md,
 * Lifecycle). Past the cap the total is the cap and `totalIsLowerBound` says so ("10,000+").
 */
export const CASE_LIST_COUNT_CAP = 10_000;

/**
 * A name search counts at most this many: it is asked to find someone, and past a few thousand matches
 * the answer to "how many" is "type more of the name" ("5,000+"). Its count is work proportional to the
 * matches read (a case row each), and at a million persons a one-word prefix matches tens of thousands.
 * Below the cap the count has found every match, so the page is taken from them (`pageOfFewMatches`);
 * past it matches are dense enough that walking the list in order finds a page soon (ADR 0011).
 */
export const NAME_SEARCH_COUNT_CAP = 5_000;

/** The cap of a list's count: the name search's when the list is searched by name. */
export function caseListCountCap(filters: Pick<CaseListQuery, 'q'>): number {
  return filters.q ? NAME_SEARCH_COUNT_CAP : CASE_LIST_COUNT_CAP;
}

/**
 * The number of cases a filtered case-list query matches, counting no further than `cap` (null: the
 * exact count): `SELECT count(*) FROM (… LIMIT cap + 1)` stops reading once it has seen more than the cap.
 */
export async function countCases(
  ctx: ServiceContext,
  filtered: CaseQuery,
  cap: number | null,
): Promise<{ total: number; totalIsLowerBound: boolean }> {
  if (cap === null) {
    const row = await filtered.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return { total: Number(row.n), totalIsLowerBound: false };
  }
  const matches = filtered
    .select(sql.lit(1).as('one'))
    .limit(cap + 1)
    .as('matches');
  const row = await ctx.db
    .selectFrom(matches)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const n = Number(row.n);
  return n > cap ? { total: cap, totalIsLowerBound: true } : { total: n, totalIsLowerBound: false };
}

/** The case list: filtered, sorted, paged by an opaque cursor, with the total when asked. */
export async function listCases(
  ctx: ServiceContext,
  filters: CaseListQuery,
  options: { countCap?: number | null } = {},
) {
  authorize(ctx.actor, 'cases:read');
  if (filters.trackStatus && !filters.track) {
    throw new AppError('VALIDATION_FAILED', {
      message: 'trackStatus needs track',
      details: { path: 'query.trackStatus' },
    });
  }
  if (filters.track && filters.trackStatus) await assertTrackStatusReadable(ctx, filters.track);
  // A name search is counted first, whether or not the total was asked for: how many it matches decides
  // how its page is found (pageOfFewMatches).
  const cap = options.countCap === undefined ? caseListCountCap(filters) : options.countCap;
  const query = buildCaseListQuery(ctx, filters);
  const counted = filters.q || filters.count === 'true' ? await countCases(ctx, query.filtered, cap) : null;
  const rows = await query.page(counted).execute();
  const page = rows.slice(0, filters.limit);
  const last = page.at(-1);
  let nextCursor: string | null = null;
  if (rows.length > filters.limit && last) {
    const value: Record<Sort, CursorValue> = {
      opened_desc: last.opened_key,
      opened_asc: last.opened_key,
      case_number: last.case_number,
      stage: last.stage,
    };
    nextCursor = encodeCursor(filters.sort, value[filters.sort], last.id);
  }
  const total = filters.count === 'true' && counted ? counted.total : null;
  const totalIsLowerBound = filters.count === 'true' && counted ? counted.totalIsLowerBound : false;
  const ids = page.map((r) => r.id);
  const tracks =
    ids.length === 0
      ? []
      : await ctx.db
          .selectFrom('case_tracks')
          .select(['case_id', 'track', 'status'])
          .where('case_id', 'in', ids)
          .orderBy('track')
          .execute();
  const names = await displayNames(
    ctx.db,
    page.map((r) => r.person_id),
  );
  const today = todayIso();
  const tasks =
    ids.length === 0
      ? []
      : await ctx.db
          .selectFrom('case_tasks')
          .select((eb) => [
            'case_id',
            eb.fn.min('due_on').as('next_due_on'),
            sql<number>`count(*) FILTER (WHERE due_on < ${today})::int`.as('overdue'),
          ])
          .where('case_id', 'in', ids)
          .where('status', '=', 'open')
          .groupBy('case_id')
          .execute();
  const agencyIds = [...new Set(page.map((r) => r.owner_agency_id))];
  const userIds = [...new Set(page.flatMap((r) => (r.assigned_user_id ? [r.assigned_user_id] : [])))];
  const agencies =
    agencyIds.length === 0
      ? []
      : await ctx.db
          .selectFrom('agencies')
          .select(['id', 'code', 'name'])
          .where('id', 'in', agencyIds)
          .execute();
  const users =
    userIds.length === 0
      ? []
      : await ctx.db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', userIds).execute();
  const rules = await loadFieldRules(ctx.db);
  const readable = new Set<Section>(readableCompartments(ctx.actor));
  await ctx.db.transaction().execute((trx) =>
    recordAudit(trx, ctx.audit, {
      action: 'case.list',
      targetType: 'case',
      sections: ['case'],
      details: {
        // Which filters were used, never their values: a name search holds personal data.
        filters: Object.keys(filters)
          .filter((k) => filters[k as keyof CaseListQuery] !== undefined)
          .sort(),
        returned: page.length,
      },
    }),
  );
  return {
    items: page.map((r) => ({
      id: r.id,
      caseNumber: r.case_number,
      status: r.status,
      stage: r.stage,
      personId: r.person_id,
      displayName: names.get(r.person_id) ?? null,
      sex: r.sex,
      ageBand: deriveAge(r.birth_date_from, r.birth_date_to, today)?.band ?? null,
      flags: [...r.flags].sort(),
      ownerAgencyId: r.owner_agency_id,
      assignedUserId: r.assigned_user_id,
      familyUnitId: r.family_unit_id,
      ownerAgency: agencyOf(agencies, r.owner_agency_id),
      assignedUser: userOf(users, r.assigned_user_id),
      tracks: tracks
        .filter((t) => t.case_id === r.id)
        .map((t) =>
          applyFieldMask(
            { track: t.track, status: t.status as string | RestrictedValue },
            `case.track.${t.track}`,
            readable,
            rules,
          ),
        ),
      nextDueOn: tasks.find((t) => t.case_id === r.id)?.next_due_on ?? null,
      overdueTasks: tasks.find((t) => t.case_id === r.id)?.overdue ?? 0,
      openedAt: r.opened_at.toISOString(),
    })),
    nextCursor,
    total,
    totalIsLowerBound,
  };
}

function agencyOf(agencies: { id: string; code: string; name: string }[], id: string) {
  const agency = agencies.find((a) => a.id === id);
  return { id, code: agency?.code ?? '', name: agency?.name ?? '' };
}

function userOf(users: { id: string; display_name: string }[], id: string | null) {
  if (id === null) return null;
  return { id, displayName: users.find((u) => u.id === id)?.display_name ?? '' };
}
