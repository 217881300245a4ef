import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.ts';
import { AppError } from '../../platform/errors.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { authorize } from '../access/access.ts';
import { type Candidate, findCandidates, MATCHING_ALGORITHM_VERSION } from './candidates.ts';
import {
  type BadDatePolicy,
  type Problem,
  type ReadRecord,
  type RecordInput,
  readRecord,
} from './evidence.ts';
import { type LinkPair, linkAgainstRegistry, linkLists } from './linkage.ts';
import type {
  duplicatesRequestSchema,
  linkRequestSchema,
  PersonRecord,
  searchRequestSchema,
} from './schemas.ts';

/** Thresholds of the registration duplicate warning: likely existing persons only. */
export const DUPLICATE_THRESHOLD = 0.6;

function toInput(record: PersonRecord): RecordInput {
  const { aliases, ...rest } = record;
  return { ...rest, ...(aliases === undefined ? {} : { aliases: aliases.join(';') }) };
}

/** Reads a request's person; errors become VALIDATION_FAILED with the field path (never the value). */
function readRequestPerson(record: PersonRecord, path: string, policy: BadDatePolicy = 'year'): ReadRecord {
  const read = readRecord(toInput(record), 'request', policy);
  const errors = read.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    throw new AppError('VALIDATION_FAILED', {
      details: {
        path: `${path}.${errors[0]?.column ?? ''}`,
        issues: errors.map((e) => ({ path: `${path}.${e.column}`, message: e.message, code: e.code })),
      },
    });
  }
  return read;
}

function present(c: Candidate) {
  return {
    personId: c.personId,
    displayName: c.displayName,
    score: Math.round(c.score * 1000) / 1000,
    decision: c.decision === 'match' ? ('match' as const) : ('possible' as const),
    explanation: c.explanation,
  };
}

const warningsOf = (problems: Problem[]) => problems.filter((p) => p.severity === 'warning');

/** Search the registry for a person by any of their names, in any script. Audited without the name. */
export async function searchPersons(ctx: ServiceContext, input: z.infer<typeof searchRequestSchema>) {
  authorize(ctx.actor, 'identity:search');
  authorize(ctx.actor, 'persons:read');
  const read = readRequestPerson(input.person, 'body.person');
  const results = await findCandidates(ctx.db, read.evidence, {
    actor: ctx.actor,
    threshold: input.threshold,
    limit: input.limit,
  });
  await ctx.db.transaction().execute((trx) =>
    recordAudit(trx, ctx.audit, {
      action: 'identity.search',
      targetType: 'person',
      details: {
        results: results.length,
        threshold: input.threshold,
        algorithmVersion: MATCHING_ALGORITHM_VERSION,
        evidence: evidenceFields(read),
      },
    }),
  );
  return {
    results: results.map(present),
    warnings: warningsOf(read.problems),
    algorithmVersion: MATCHING_ALGORITHM_VERSION,
  };
}

/** Which kinds of evidence a query carried (for the audit trail): field names only, never values. */
function evidenceFields(read: ReadRecord): string[] {
  const e = read.evidence;
  return [
    `names:${e.names.length}`,
    ...(e.sex === undefined ? [] : ['sex']),
    ...(e.birth === undefined ? [] : ['birth']),
    ...(e.nationality === undefined ? [] : ['nationality']),
    ...(e.placeOfBirth === undefined ? [] : ['placeOfBirth']),
    ...(e.motherName === undefined ? [] : ['motherName']),
    ...(e.fatherName === undefined ? [] : ['fatherName']),
  ];
}

/**
 * The registration duplicate warning: likely existing persons (score and explanation) for a person
 * about to be registered. Nothing is created here; the form decides.
 */
export async function checkDuplicates(ctx: ServiceContext, input: z.infer<typeof duplicatesRequestSchema>) {
  authorize(ctx.actor, 'persons:write');
  const read = readRequestPerson(input.person, 'body.person');
  const results = await findCandidates(ctx.db, read.evidence, {
    actor: ctx.actor,
    threshold: DUPLICATE_THRESHOLD,
    limit: 10,
    ...(input.excludePersonId === undefined ? {} : { excludePersonIds: [input.excludePersonId] }),
  });
  await ctx.db.transaction().execute((trx) =>
    recordAudit(trx, ctx.audit, {
      action: 'identity.duplicate_check',
      targetType: 'person',
      targetId: input.excludePersonId ?? null,
      details: {
        results: results.length,
        threshold: DUPLICATE_THRESHOLD,
        algorithmVersion: MATCHING_ALGORITHM_VERSION,
        evidence: evidenceFields(read),
      },
    }),
  );
  return {
    results: results.map(present),
    warnings: warningsOf(read.problems),
    algorithmVersion: MATCHING_ALGORITHM_VERSION,
  };
}

/** Reads a list of records; any error refuses the whole request, naming row and column. */
export function readList(
  records: readonly PersonRecord[],
  side: 'left' | 'right',
  policy: BadDatePolicy,
): { records: ReadRecord[]; warnings: (Problem & { side: 'left' | 'right'; row: number })[] } {
  const out: ReadRecord[] = [];
  const warnings: (Problem & { side: 'left' | 'right'; row: number })[] = [];
  const errors: { side: string; row: number; column: string; code: string }[] = [];
  records.forEach((record, i) => {
    const read = readRecord(toInput(record), `${side}-${i + 1}`, policy);
    for (const p of read.problems) {
      if (p.severity === 'error') errors.push({ side, row: i + 1, column: p.column, code: p.code });
      else warnings.push({ ...p, side, row: i + 1 });
    }
    out.push(read);
  });
  if (errors.length > 0) {
    throw new AppError('LINKAGE_INPUT_INVALID', {
      details: { path: `body.${side}.${(errors[0]?.row ?? 1) - 1}`, problems: errors.slice(0, 100) },
    });
  }
  return { records: out, warnings };
}

/** Batch linkage through the API: two lists with each other, or a list against the registry. */
export async function linkRecords(ctx: ServiceContext, input: z.infer<typeof linkRequestSchema>) {
  const againstRegistry = input.right === 'registry';
  if (againstRegistry) {
    authorize(ctx.actor, 'identity:search');
    authorize(ctx.actor, 'persons:read');
  } else {
    authorize(ctx.actor, 'identity:link');
  }
  const left = readList(input.left, 'left', input.onBadDate);
  const right = input.right === 'registry' ? undefined : readList(input.right, 'right', input.onBadDate);
  const pairs: LinkPair[] =
    right === undefined
      ? await linkAgainstRegistry(ctx.db, ctx.actor, left.records, { threshold: input.threshold })
      : await linkLists(left.records, right.records, { threshold: input.threshold });
  await ctx.db.transaction().execute((trx) =>
    recordAudit(trx, ctx.audit, {
      action: againstRegistry ? 'identity.link_registry' : 'identity.link_lists',
      details: {
        left: left.records.length,
        right: right?.records.length ?? null,
        pairs: pairs.length,
        matches: pairs.filter((p) => p.decision === 'match').length,
        threshold: input.threshold,
        algorithmVersion: MATCHING_ALGORITHM_VERSION,
      },
    }),
  );
  return {
    pairs,
    warnings: [...left.warnings, ...(right?.warnings ?? [])],
    algorithmVersion: MATCHING_ALGORITHM_VERSION,
  };
}
