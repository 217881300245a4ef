import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { definitionChecksum, type InstrumentDefinition, parseInstrument } from './instrument.ts';

export const SHIPPED_INSTRUMENTS_DIR = join(import.meta.dirname, 'instruments');

export interface ShippedInstrument {
  file: string;
  raw: unknown;
  definition: InstrumentDefinition;
  sha256: string;
}

/** The default instruments Homeward ships (instruments/*.json); a file failing its schema stops start-up. */
export function loadShippedInstruments(dir = SHIPPED_INSTRUMENTS_DIR): ShippedInstrument[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const raw: unknown = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      const parsed = parseInstrument(raw);
      if (!parsed.ok) {
        const fault = parsed.faults[0];
        throw new Error(`Shipped instrument ${file} is invalid at ${fault?.path}: ${fault?.message}`);
      }
      return { file, raw, definition: parsed.definition, sha256: definitionChecksum(raw) };
    });
}

/**
 * Seeds the shipped instruments as published versions where their (code, version) is missing. A
 * version already present is never touched: published versions are immutable, and a deployment may
 * have retired a default.
 */
export async function ensureShippedInstruments(db: Kysely<DB>): Promise<number> {
  const shipped = loadShippedInstruments();
  const existing = await db.selectFrom('instrument_versions').select(['code', 'version']).execute();
  const have = new Set(existing.map((r) => `${r.code}@${r.version}`));
  const missing = shipped.filter((s) => !have.has(`${s.definition.code}@${s.definition.version}`));
  if (missing.length === 0) return 0;
  await db
    .insertInto('instrument_versions')
    .values(
      missing.map((s) => ({
        code: s.definition.code,
        version: s.definition.version,
        kind: s.definition.kind,
        compartment: s.definition.compartment,
        status: 'published' as const,
        definition: JSON.stringify(s.raw),
        sha256: s.sha256,
        shipped: true,
        imported_by: null,
        published_by: null,
        published_at: new Date(),
      })),
    )
    .onConflict((oc) => oc.columns(['code', 'version']).doNothing())
    .execute();
  return missing.length;
}
