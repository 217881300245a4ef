import { type Kysely, sql, type Transaction } from 'kysely';
import { type AuditContext, recordAudit } from '../../platform/audit/audit.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { WatchlistDiff, WatchlistName } from '../../platform/db/tables/identity.ts';
import { AppError } from '../../platform/errors.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { authorize, personVisibilityFilter } from '../access/access.ts';
import { loadPersonEvidence, MATCHING_ALGORITHM_VERSION } from './candidates.ts';
import type { ReadRecord } from './evidence.ts';
import { explainInOneLine } from './linkage.ts';
import { SCREENING_THRESHOLD, type ScreenableEntry, WatchlistMatcher } from './screening.ts';
import { type ParsedWatchlist, parseConsolidatedList } from './watchlist-xml.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/*
 * Sanctions list versions and screening. A list version is imported whole or not at all; its diff
 * against the previous version is stored with it. Screening writes hits, which are only candidates:
 * a hit is decided by two different reviewers recording the same disposition, a false positive is
 * remembered for that person and list entry, and nothing here ever touches a case.
 */

export interface ImportResult {
  versionId: string;
  alreadyImported: boolean;
  individuals: number;
  entities: number;
  diff: WatchlistDiff;
}

function diffOf(
  previous: { reference_number: string; content_hash: string }[],
  next: ParsedWatchlist,
): WatchlistDiff {
  const before = new Map(previous.map((e) => [e.reference_number, e.content_hash]));
  const after = new Map(next.entries.map((e) => [e.referenceNumber, e.contentHash]));
  const added = [...after.keys()].filter((r) => !before.has(r)).sort();
  const removed = [...before.keys()].filter((r) => !after.has(r)).sort();
  const changed = [...after.entries()]
    .filter(([r, h]) => before.has(r) && before.get(r) !== h)
    .map(([r]) => r)
    .sort();
  return { added, removed, changed };
}

/**
 * Imports a Consolidated List file as a new version (CLI and API). Parsing happens before any write;
 * malformed XML is refused with its line number and nothing is imported. The same file twice gives
 * the existing version back.
 */
export async function importWatchlist(
  db: Kysely<DB>,
  xml: string | Buffer,
  audit: AuditContext,
): Promise<ImportResult> {
  const parsed = parseConsolidatedList(xml);
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('watchlist_versions')
      .select(['id', 'individuals', 'entities', 'diff'])
      .where('sha256', '=', parsed.sha256)
      .executeTakeFirst();
    if (existing !== undefined) {
      return {
        versionId: existing.id,
        alreadyImported: true,
        individuals: existing.individuals,
        entities: existing.entities,
        diff: existing.diff,
      };
    }
    const previous = await latestVersion(trx);
    const previousEntries =
      previous === undefined
        ? []
        : await trx
            .selectFrom('watchlist_entries')
            .select(['reference_number', 'content_hash'])
            .where('version_id', '=', previous.id)
            .execute();
    const diff = diffOf(previousEntries, parsed);
    const version = await trx
      .insertInto('watchlist_versions')
      .values({
        date_generated: parsed.dateGenerated,
        sha256: parsed.sha256,
        individuals: parsed.individuals,
        entities: parsed.entities,
        previous_version_id: previous?.id ?? null,
        diff: JSON.stringify(diff),
        imported_by: audit.actorUserId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (let i = 0; i < parsed.entries.length; i += 500) {
      await trx
        .insertInto('watchlist_entries')
        .values(
          parsed.entries.slice(i, i + 500).map((e) => ({
            version_id: version.id,
            kind: e.kind,
            reference_number: e.referenceNumber,
            data_id: e.dataId,
            un_list_type: e.unListType,
            listed_on: e.listedOn,
            listed_name: e.listedName,
            names: JSON.stringify(e.names),
            gender: e.gender,
            births: JSON.stringify(e.births),
            nationalities: e.nationalities,
            places_of_birth: e.placesOfBirth,
            documents: JSON.stringify(e.documents),
            content_hash: e.contentHash,
          })),
        )
        .execute();
    }
    await recordAudit(trx, audit, {
      action: 'watchlist.import',
      targetType: 'watchlist_version',
      targetId: version.id,
      details: {
        sha256: parsed.sha256,
        dateGenerated: parsed.dateGenerated,
        individuals: parsed.individuals,
        entities: parsed.entities,
        added: diff.added.length,
        removed: diff.removed.length,
        changed: diff.changed.length,
      },
    });
    return {
      versionId: version.id,
      alreadyImported: false,
      individuals: parsed.individuals,
      entities: parsed.entities,
      diff,
    };
  });
}

async function latestVersion(db: Executor) {
  return db
    .selectFrom('watchlist_versions')
    .select(['id', 'date_generated', 'imported_at'])
    .orderBy('imported_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The individuals of a version (entities are imported and diffed, but persons are screened against individuals). */
export async function loadMatcher(
  db: Executor,
  versionId?: string,
): Promise<{ versionId: string; matcher: WatchlistMatcher }> {
  const id = versionId ?? (await latestVersion(db))?.id;
  if (id === undefined) throw new AppError('WATCHLIST_NOT_IMPORTED');
  const version = await db
    .selectFrom('watchlist_versions')
    .select('id')
    .where('id', '=', id)
    .executeTakeFirst();
  if (version === undefined) throw new AppError('WATCHLIST_VERSION_NOT_FOUND');
  const rows = await db
    .selectFrom('watchlist_entries')
    .select([
      'id',
      'reference_number',
      'listed_name',
      'names',
      'gender',
      'births',
      'nationalities',
      'places_of_birth',
      'content_hash',
    ])
    .where('version_id', '=', id)
    .where('kind', '=', 'individual')
    .orderBy('reference_number')
    .execute();
  const entries: ScreenableEntry[] = rows.map((r) => ({
    id: r.id,
    referenceNumber: r.reference_number,
    listedName: r.listed_name,
    names: r.names,
    gender: r.gender,
    births: r.births,
    nationalities: r.nationalities,
    placesOfBirth: r.places_of_birth,
    contentHash: r.content_hash,
  }));
  return { versionId: id, matcher: new WatchlistMatcher(entries) };
}

export interface ScreeningRunResult {
  runId: string;
  versionId: string;
  personsScreened: number;
  hits: number;
  suppressed: number;
  alreadyOpen: number;
  threshold: number;
  algorithmVersion: string;
}

/**
 * Screens registry persons against a list version and records the run and its hits, with the audit
 * entry, in one transaction. `persons: 'all'` is the re-screening of everyone on a new list version
 * (a system job: every person, whoever owns them; the hits are read only through the row filters).
 */
export async function screenRegistry(
  db: Kysely<DB>,
  options: {
    persons: readonly string[] | 'all';
    trigger: 'registration' | 'list_version' | 'manual';
    audit: AuditContext;
    versionId?: string;
    threshold?: number;
    onProgress?: (done: number, total: number) => void;
  },
): Promise<ScreeningRunResult> {
  const threshold = options.threshold ?? SCREENING_THRESHOLD;
  const { versionId, matcher } = await loadMatcher(db, options.versionId);
  const hits: {
    person_id: string;
    entry: ScreenableEntry;
    score: number;
    decision: 'match' | 'possible';
    explanation: string[];
    weak: boolean;
  }[] = [];
  const remembered = new Map<string, string>();
  const open = new Set<string>();
  let screened = 0;
  let suppressed = 0;
  let alreadyOpen = 0;
  const total =
    options.persons === 'all'
      ? Number(
          (
            await db
              .selectFrom('persons')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirst()
          )?.n ?? 0,
        )
      : options.persons.length;
  const page = 1000;
  let after: string | null = null;
  let offset = 0;
  try {
    for (;;) {
      let ids: string[];
      if (options.persons === 'all') {
        let q = db.selectFrom('persons').select('id').orderBy('id').limit(page);
        if (after !== null) q = q.where('id', '>', after);
        ids = (await q.execute()).map((r) => r.id);
        after = ids.at(-1) ?? null;
      } else {
        ids = options.persons.slice(offset, offset + page);
        offset += page;
      }
      if (ids.length === 0) break;
      const [fps, openHits] = await Promise.all([
        db
          .selectFrom('screening_false_positives')
          .select(['person_id', 'reference_number', 'entry_content_hash'])
          .where('person_id', 'in', ids)
          .execute(),
        db
          .selectFrom('screening_hits')
          .select(['person_id', 'reference_number'])
          .where('person_id', 'in', ids)
          .where('status', 'in', ['pending', 'in_review', 'confirmed'])
          .execute(),
      ]);
      for (const f of fps) remembered.set(`${f.person_id}|${f.reference_number}`, f.entry_content_hash);
      for (const h of openHits) open.add(`${h.person_id}|${h.reference_number}`);
      const evidence = await loadPersonEvidence(db, 'system', ids);
      const named = [...evidence].filter(([, entry]) => entry.evidence.names.length > 0);
      screened += evidence.size;
      // Screened together: a page is spread over worker threads, results in the page's order.
      const results = await matcher.screenMany(
        named.map(([, entry]) => entry.evidence),
        threshold,
      );
      for (const [k, [personId]] of named.entries()) {
        for (const r of results[k] ?? []) {
          const key = `${personId}|${r.entry.referenceNumber}`;
          if (remembered.get(key) === r.entry.contentHash) {
            suppressed++;
            continue;
          }
          if (open.has(key)) {
            alreadyOpen++;
            continue;
          }
          hits.push({
            person_id: personId,
            entry: r.entry,
            score: r.score,
            decision: r.decision,
            explanation: r.explanation,
            weak: r.weakAlias,
          });
        }
      }
      options.onProgress?.(Math.min(total, screened), total);
    }
  } finally {
    await matcher.close();
  }
  return db.transaction().execute(async (trx) => {
    const run = await trx
      .insertInto('screening_runs')
      .values({
        version_id: versionId,
        trigger: options.trigger,
        algorithm_version: MATCHING_ALGORITHM_VERSION,
        threshold,
        persons_screened: screened,
        hits: hits.length,
        suppressed,
        started_by: options.audit.actorUserId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (let i = 0; i < hits.length; i += 500) {
      await trx
        .insertInto('screening_hits')
        .values(
          hits.slice(i, i + 500).map((h) => ({
            run_id: run.id,
            person_id: h.person_id,
            entry_id: h.entry.id,
            reference_number: h.entry.referenceNumber,
            score: h.score,
            decision: h.decision,
            explanation: JSON.stringify(h.explanation),
            weak_alias: h.weak,
          })),
        )
        .execute();
    }
    await recordAudit(trx, options.audit, {
      action: 'watchlist.screen',
      targetType: 'screening_run',
      targetId: run.id,
      details: {
        trigger: options.trigger,
        versionId,
        algorithmVersion: MATCHING_ALGORITHM_VERSION,
        threshold,
        personsScreened: screened,
        hits: hits.length,
        suppressed,
        alreadyOpen,
        ...(options.persons !== 'all' && options.persons.length <= 10 ? { personIds: options.persons } : {}),
      },
    });
    return {
      runId: run.id,
      versionId,
      personsScreened: screened,
      hits: hits.length,
      suppressed,
      alreadyOpen,
      threshold,
      algorithmVersion: MATCHING_ALGORITHM_VERSION,
    };
  });
}

export interface FileScreeningRow {
  id: string;
  referenceNumber: string;
  listedName: string;
  score: number;
  decision: 'match' | 'possible';
  weakAlias: boolean;
  explanation: string;
}

/** Screens records of a file (CLI `homeward screen`): nothing about the people is stored; the run is audited. */
export async function screenRecords(
  db: Kysely<DB>,
  records: readonly ReadRecord[],
  options: {
    audit: AuditContext;
    versionId?: string;
    threshold?: number;
    onProgress?: (done: number, total: number) => void;
  },
): Promise<{ rows: FileScreeningRow[]; versionId: string; threshold: number }> {
  const threshold = options.threshold ?? SCREENING_THRESHOLD;
  const { versionId, matcher } = await loadMatcher(db, options.versionId);
  const rows: FileScreeningRow[] = [];
  const chunk = 500;
  try {
    for (let start = 0; start < records.length; start += chunk) {
      const part = records.slice(start, start + chunk);
      const results = await matcher.screenMany(
        part.map((r) => r.evidence),
        threshold,
      );
      part.forEach((record, k) => {
        for (const r of results[k] ?? []) {
          rows.push({
            id: record.id,
            referenceNumber: r.entry.referenceNumber,
            listedName: r.entry.listedName,
            score: Math.round(r.score * 1000) / 1000,
            decision: r.decision,
            weakAlias: r.weakAlias,
            explanation: explainInOneLine({ ...r.comparison, explanation: r.explanation }),
          });
        }
      });
      options.onProgress?.(start + part.length, records.length);
    }
  } finally {
    await matcher.close();
  }
  await db.transaction().execute((trx) =>
    recordAudit(trx, options.audit, {
      action: 'watchlist.screen_file',
      targetType: 'watchlist_version',
      targetId: versionId,
      details: {
        versionId,
        algorithmVersion: MATCHING_ALGORITHM_VERSION,
        threshold,
        records: records.length,
        hits: rows.length,
      },
    }),
  );
  return { rows, versionId, threshold };
}

// ——— API service functions ———

export async function listWatchlistVersions(ctx: ServiceContext) {
  authorize(ctx.actor, 'watchlist:screen');
  const rows = await ctx.db
    .selectFrom('watchlist_versions')
    .select([
      'id',
      'date_generated',
      'imported_at',
      'individuals',
      'entities',
      'previous_version_id',
      'diff',
      'sha256',
    ])
    .orderBy('imported_at', 'desc')
    .orderBy('id', 'desc')
    .limit(100)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    dateGenerated: r.date_generated.toISOString(),
    importedAt: r.imported_at.toISOString(),
    individuals: r.individuals,
    entities: r.entities,
    previousVersionId: r.previous_version_id,
    diff: r.diff,
    sha256: r.sha256,
  }));
}

export async function rescreenEveryone(ctx: ServiceContext, versionId: string) {
  authorize(ctx.actor, 'watchlist:manage');
  return screenRegistry(ctx.db, { persons: 'all', trigger: 'list_version', audit: ctx.audit, versionId });
}

/** Screens one registered person (at registration, or on demand) against the latest version. */
export async function screenPerson(ctx: ServiceContext, personId: string) {
  authorize(ctx.actor, 'watchlist:screen');
  const visible = await ctx.db
    .selectFrom('persons')
    .select('id')
    .where('id', '=', personId)
    .where(personVisibilityFilter(ctx.actor))
    .executeTakeFirst();
  if (visible === undefined) throw new AppError('PERSON_NOT_FOUND');
  const run = await screenRegistry(ctx.db, {
    persons: [personId],
    trigger: 'registration',
    audit: ctx.audit,
  });
  return { run, hits: await listHits(ctx, { personId, status: undefined }) };
}

/** Screens a record before it is registered: results only, nothing stored but the audit entry. */
export async function screenRecordNow(ctx: ServiceContext, record: ReadRecord) {
  authorize(ctx.actor, 'watchlist:screen');
  const { rows, versionId, threshold } = await screenRecords(ctx.db, [record], { audit: ctx.audit });
  return { versionId, threshold, algorithmVersion: MATCHING_ALGORITHM_VERSION, results: rows };
}

type HitStatus = 'pending' | 'in_review' | 'confirmed' | 'false_positive';

export async function listHits(
  ctx: ServiceContext,
  filter: { personId?: string | undefined; status?: HitStatus | undefined },
) {
  authorize(ctx.actor, 'watchlist:screen');
  let q = ctx.db
    .selectFrom('screening_hits as h')
    .innerJoin('persons', 'persons.id', 'h.person_id')
    .innerJoin('watchlist_entries as e', 'e.id', 'h.entry_id')
    .innerJoin('screening_runs as r', 'r.id', 'h.run_id')
    .where((eb) => personVisibilityFilter(ctx.actor)(eb as never))
    .select([
      'h.id',
      'h.person_id',
      'h.reference_number',
      'e.listed_name',
      'h.score',
      'h.decision',
      'h.explanation',
      'h.weak_alias',
      'h.status',
      'h.created_at',
      'h.decided_at',
      'r.version_id',
      'r.algorithm_version',
      'r.threshold',
    ])
    .orderBy('h.created_at', 'desc')
    .orderBy('h.id')
    .limit(200);
  if (filter.personId !== undefined) q = q.where('h.person_id', '=', filter.personId);
  if (filter.status !== undefined) q = q.where('h.status', '=', filter.status);
  const rows = await q.execute();
  const reviews =
    rows.length === 0
      ? []
      : await ctx.db
          .selectFrom('screening_reviews')
          .innerJoin('users', 'users.id', 'screening_reviews.reviewer_id')
          .select(['hit_id', 'reviewer_id', 'users.display_name', 'disposition', 'reason', 'reviewed_at'])
          .where(
            'hit_id',
            'in',
            rows.map((r) => r.id),
          )
          .orderBy('reviewed_at')
          .execute();
  await ctx.db.transaction().execute((trx) =>
    recordAudit(trx, ctx.audit, {
      action: 'watchlist.hits.read',
      targetType: filter.personId === undefined ? null : 'person',
      targetId: filter.personId ?? null,
      details: { count: rows.length, status: filter.status ?? null },
    }),
  );
  return rows.map((r) => ({
    id: r.id,
    personId: r.person_id,
    referenceNumber: r.reference_number,
    listedName: r.listed_name,
    score: Math.round(Number(r.score) * 1000) / 1000,
    decision: r.decision,
    explanation: r.explanation,
    weakAlias: r.weak_alias,
    status: r.status,
    createdAt: r.created_at.toISOString(),
    decidedAt: r.decided_at?.toISOString() ?? null,
    versionId: r.version_id,
    algorithmVersion: r.algorithm_version,
    threshold: Number(r.threshold),
    reviews: reviews
      .filter((v) => v.hit_id === r.id)
      .map((v) => ({
        reviewerId: v.reviewer_id,
        reviewer: { id: v.reviewer_id, displayName: v.display_name },
        disposition: v.disposition,
        reason: v.reason,
        reviewedAt: v.reviewed_at.toISOString(),
      })),
  }));
}

/**
 * One review of a hit. The hit is decided when two different reviewers have recorded the same
 * disposition; a false positive is then remembered for this person and list entry. Nothing is done
 * to any case: a confirmed hit is information for the people responsible.
 */
export async function reviewHit(
  ctx: ServiceContext,
  hitId: string,
  input: { disposition: 'confirmed' | 'false_positive'; reason?: string | undefined },
) {
  authorize(ctx.actor, 'watchlist:review');
  const reason = input.reason?.trim() ?? '';
  if (input.disposition === 'false_positive' && reason.length < 10) {
    throw new AppError('SCREENING_REASON_REQUIRED', { details: { path: 'body.reason' } });
  }
  return ctx.db.transaction().execute(async (trx) => {
    const hit = await trx
      .selectFrom('screening_hits as h')
      .innerJoin('persons', 'persons.id', 'h.person_id')
      .innerJoin('watchlist_entries as e', 'e.id', 'h.entry_id')
      .where('h.id', '=', hitId)
      .where((eb) => personVisibilityFilter(ctx.actor)(eb as never))
      .select(['h.id', 'h.person_id', 'h.reference_number', 'h.status', 'e.content_hash'])
      .forUpdate()
      .executeTakeFirst();
    if (hit === undefined) throw new AppError('SCREENING_HIT_NOT_FOUND');
    if (hit.status === 'confirmed' || hit.status === 'false_positive')
      throw new AppError('SCREENING_HIT_DECIDED');
    const earlier = await trx
      .selectFrom('screening_reviews')
      .select(['reviewer_id', 'disposition'])
      .where('hit_id', '=', hitId)
      .execute();
    if (earlier.some((r) => r.reviewer_id === ctx.actor.userId))
      throw new AppError('SCREENING_SAME_REVIEWER');
    await trx
      .insertInto('screening_reviews')
      .values({
        hit_id: hitId,
        reviewer_id: ctx.actor.userId,
        disposition: input.disposition,
        reason: reason || null,
      })
      .execute();
    const agreeing = earlier.filter((r) => r.disposition === input.disposition).length + 1;
    const decided = agreeing >= 2;
    const status: HitStatus = decided ? input.disposition : 'in_review';
    await trx
      .updateTable('screening_hits')
      .set({ status, ...(decided ? { decided_at: sql<Date>`now()` } : {}) })
      .where('id', '=', hitId)
      .execute();
    if (decided && input.disposition === 'false_positive') {
      await trx
        .insertInto('screening_false_positives')
        .values({
          person_id: hit.person_id,
          reference_number: hit.reference_number,
          entry_content_hash: hit.content_hash,
          hit_id: hitId,
          reason,
        })
        .onConflict((oc) =>
          oc.columns(['person_id', 'reference_number']).doUpdateSet({
            entry_content_hash: hit.content_hash,
            hit_id: hitId,
            reason,
            decided_at: sql<Date>`now()`,
          }),
        )
        .execute();
    }
    await recordAudit(trx, ctx.audit, {
      action: 'watchlist.hit.review',
      targetType: 'screening_hit',
      targetId: hitId,
      details: {
        disposition: input.disposition,
        status,
        personId: hit.person_id,
        referenceNumber: hit.reference_number,
      },
    });
    return { id: hitId, status, reviews: earlier.length + 1 };
  });
}

export type { WatchlistName };
