import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { Actor } from '../../platform/auth/actor.ts';
import { followAuthChanges } from '../../platform/auth/invalidation.ts';
import type { DB } from '../../platform/db/schema.ts';
import { type Compartment, compartments, readableCompartments, type Section } from './access.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** What a masked field reads as: the value is withheld, and the reader is told whom to ask. */
export interface RestrictedValue {
  restricted: true;
  compartment: Compartment;
  ask: string;
}

export const restrictedValueSchema = z
  .object({
    restricted: z.literal(true),
    compartment: z.enum(compartments),
    ask: z.string().describe('Whom to ask for this information'),
  })
  .meta({ id: 'RestrictedValue' });

/** A response field that field sensitivity may mask: its own schema, or a RestrictedValue. */
export function maskable<T extends z.ZodType>(schema: T) {
  return z.union([schema, restrictedValueSchema]);
}

export interface FieldRule {
  compartment: Compartment;
  ask: string;
}
/** resource → field → rule. */
export type FieldRules = ReadonlyMap<string, ReadonlyMap<string, FieldRule>>;

const RULES_TTL_MS = 10_000;
/** Per database handle (a test process holds several), like the authentication cache. */
let cachedRules = new WeakMap<Executor, { at: number; rules: FieldRules }>();

/**
 * Field sensitivity rules, held for a few seconds. An administrator's edit clears them at once in
 * this process, and in every other when its notice arrives (`followAuthChanges` below); the few
 * seconds only bound what an edit made behind Homeward's back would leave stale.
 */
export async function loadFieldRules(db: Executor): Promise<FieldRules> {
  const cached = cachedRules.get(db);
  if (cached && Date.now() - cached.at < RULES_TTL_MS) return cached.rules;
  const rows = await db
    .selectFrom('field_sensitivity')
    .select(['resource', 'field', 'compartment', 'ask'])
    .execute();
  const rules = new Map<string, Map<string, FieldRule>>();
  for (const row of rows) {
    const byField = rules.get(row.resource) ?? new Map<string, FieldRule>();
    byField.set(row.field, { compartment: row.compartment, ask: row.ask });
    rules.set(row.resource, byField);
  }
  cachedRules.set(db, { at: Date.now(), rules });
  return rules;
}

/** Forgets the rules held for one database, or for all. */
export function forgetFieldRules(db?: Executor): void {
  if (db === undefined) cachedRules = new WeakMap();
  else cachedRules.delete(db);
}

// A field rule changed, here or in another process (announced as 'all', like a role's permissions):
// forget at once rather than serve the old rules for up to RULES_TTL_MS.
followAuthChanges((db, change) => {
  if (change === 'all') forgetFieldRules(db);
});

/**
 * THE masking point: returns a copy of a serialisable record in which every field the rules mark
 * sensitive, in a compartment the reader may not read, is replaced by a RestrictedValue. Pure: the
 * caller passes what the reader may read (a case's `caseAccess(...).read`, or the actor's role
 * compartments). Masked values never reach a response, an export, an error or a log: they are gone
 * from the object before anything serialises it.
 */
export function applyFieldMask<T extends Record<string, unknown>>(
  record: T,
  resource: string,
  readable: ReadonlySet<Section>,
  rules: FieldRules,
): T {
  const fieldRules = rules.get(resource);
  if (!fieldRules) return record;
  let copy: Record<string, unknown> | null = null;
  for (const [field, rule] of fieldRules) {
    if (!(field in record) || record[field] === null || record[field] === undefined) continue;
    if (readable.has(rule.compartment)) continue;
    copy ??= { ...record };
    copy[field] = {
      restricted: true,
      compartment: rule.compartment,
      ask: rule.ask,
    } satisfies RestrictedValue;
  }
  return (copy ?? record) as T;
}

/**
 * Masks a record for an actor. Without `readable`, the actor's role compartments apply (a record seen
 * by scope); pass `caseAccess(...).read` for a record of a case seen through a disclosure or break-glass.
 */
export async function maskFields<T extends Record<string, unknown>>(
  db: Executor,
  actor: Actor,
  resource: string,
  record: T,
  readable: ReadonlySet<Section> = new Set(readableCompartments(actor)),
): Promise<T> {
  return applyFieldMask(record, resource, readable, await loadFieldRules(db));
}

/** The same for many records of one resource: one rules lookup. */
export async function maskAll<T extends Record<string, unknown>>(
  db: Executor,
  actor: Actor,
  resource: string,
  records: T[],
  readable: ReadonlySet<Section> = new Set(readableCompartments(actor)),
): Promise<T[]> {
  const rules = await loadFieldRules(db);
  return records.map((record) => applyFieldMask(record, resource, readable, rules));
}
