import { sql, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { ANONYMISED_TEXT, changed } from '../access/anonymised.ts';

/** Item types whose answers are values from a closed or numeric set: kept, they carry no words. */
const CLOSED_TYPES = new Set(['rating', 'yes_no', 'single_choice', 'multi_choice', 'number']);
/** Output fields that are narrative; the judgement (a level the instrument defines) stays. */
const OUTPUT_TEXT = ['overrideReason', 'narrative', 'managementPlan'] as const;

type Json = unknown;

function closedItems(definition: Json): Set<string> {
  const domains = (definition as { domains?: { items?: { id?: string; type?: string }[] }[] }).domains ?? [];
  const ids = new Set<string>();
  for (const domain of domains) {
    for (const item of domain.items ?? []) {
      if (item.id && item.type && CLOSED_TYPES.has(item.type)) ids.add(item.id);
    }
  }
  return ids;
}

function scrubValue(value: Json): Json {
  if (typeof value === 'string') return ANONYMISED_TEXT;
  if (Array.isArray(value)) return [];
  if (value === null || typeof value === 'boolean') return value;
  return null;
}

/**
 * Answers without words: an item of a closed type keeps its value; text, list, date and any item
 * the definition does not know lose theirs; every answer's evidence references and note go.
 */
function scrubAnswers(answers: Json, closed: Set<string>): Json {
  if (answers === null || typeof answers !== 'object') return answers;
  return Object.fromEntries(
    Object.entries(answers as Record<string, { value?: Json }>).map(([itemId, answer]) => [
      itemId,
      { value: closed.has(itemId) ? (answer?.value ?? null) : scrubValue(answer?.value ?? null) },
    ]),
  );
}

function scrubOutput(output: Json): Json {
  if (output === null || typeof output !== 'object') return output;
  const out: Record<string, Json> = {};
  const source = output as Record<string, Json>;
  if (source.judgement !== undefined) out.judgement = source.judgement;
  for (const key of OUTPUT_TEXT) if (source[key] !== undefined) out[key] = ANONYMISED_TEXT;
  return out;
}

function scrubDisagreement(itemId: string, ratings: Json, consensus: Json, closed: Set<string>) {
  const keep = itemId === 'output.judgement' || closed.has(itemId);
  if (keep) return { ratings, consensus };
  return {
    ratings: Array.isArray(ratings)
      ? ratings.map((r: { raterId?: string; value?: Json }) => ({
          raterId: r.raterId,
          value: scrubValue(r.value ?? null),
        }))
      : [],
    consensus: scrubValue(consensus),
  };
}

const json = (value: Json) => JSON.stringify(value);

/**
 * Assessments and decisions about an anonymised person: answers keep only closed-set values (the
 * bias report and the re-assessment schedule still work on them), narratives and reasons are
 * replaced, disagreement notes too; panel decisions keep kind, outcome and who sat, but the options
 * considered, the rationale and every dissent are replaced. Called by retention inside its
 * transaction, after its own access check.
 */
export async function anonymiseAssessments(
  trx: Transaction<DB>,
  personId: string,
  caseIds: readonly string[],
) {
  const rows = await trx
    .selectFrom('assessments')
    .innerJoin('instrument_versions', 'instrument_versions.id', 'assessments.instrument_version_id')
    .select([
      'assessments.id',
      'assessments.answers',
      'assessments.output',
      'assessments.sign_off_comment',
      'instrument_versions.definition',
    ])
    .where((eb) =>
      eb.or([
        eb('assessments.person_id', '=', personId),
        ...(caseIds.length > 0 ? [eb('assessments.case_id', 'in', [...caseIds])] : []),
      ]),
    )
    .execute();
  let ratings = 0;
  let disagreements = 0;
  for (const row of rows) {
    const closed = closedItems(row.definition);
    await trx
      .updateTable('assessments')
      .set({
        answers: row.answers === null ? null : json(scrubAnswers(row.answers, closed)),
        output: row.output === null ? null : json(scrubOutput(row.output)),
        sign_off_comment: row.sign_off_comment === null ? null : ANONYMISED_TEXT,
        version: sql<number>`version + 1`,
        updated_at: new Date(),
      })
      .where('id', '=', row.id)
      .execute();
    const raterRows = await trx
      .selectFrom('assessment_ratings')
      .select(['rater_id', 'answers', 'output'])
      .where('assessment_id', '=', row.id)
      .execute();
    for (const r of raterRows) {
      await trx
        .updateTable('assessment_ratings')
        .set({ answers: json(scrubAnswers(r.answers, closed)), output: json(scrubOutput(r.output)) })
        .where('assessment_id', '=', row.id)
        .where('rater_id', '=', r.rater_id)
        .execute();
      ratings += 1;
    }
    const differing = await trx
      .selectFrom('assessment_disagreements')
      .select(['item_id', 'ratings', 'consensus', 'note'])
      .where('assessment_id', '=', row.id)
      .execute();
    for (const d of differing) {
      const scrubbed = scrubDisagreement(d.item_id, d.ratings, d.consensus, closed);
      await trx
        .updateTable('assessment_disagreements')
        .set({
          ratings: json(scrubbed.ratings),
          consensus: scrubbed.consensus === null ? null : json(scrubbed.consensus),
          note: d.note === null ? null : ANONYMISED_TEXT,
        })
        .where('assessment_id', '=', row.id)
        .where('item_id', '=', d.item_id)
        .execute();
      disagreements += 1;
    }
  }
  let panelDecisions = 0;
  let dissents = 0;
  if (caseIds.length > 0) {
    const decisionIds = trx
      .selectFrom('panel_decisions')
      .select('id')
      .where('case_id', 'in', [...caseIds]);
    panelDecisions = changed(
      await trx
        .updateTable('panel_decisions')
        .set({
          rationale: ANONYMISED_TEXT,
          options: sql`(SELECT coalesce(jsonb_agg(CASE WHEN jsonb_typeof(o) = 'object'
              THEN jsonb_set(o, '{option}', to_jsonb(${ANONYMISED_TEXT}::text)) ELSE to_jsonb(${ANONYMISED_TEXT}::text) END), '[]'::jsonb)
            FROM jsonb_array_elements(options) AS o)`,
        })
        .where('case_id', 'in', [...caseIds])
        .executeTakeFirst(),
    );
    dissents = changed(
      await trx
        .updateTable('panel_decision_participants')
        .set({ dissent: ANONYMISED_TEXT })
        .where('decision_id', 'in', decisionIds)
        .where('dissent', 'is not', null)
        .executeTakeFirst(),
    );
  }
  return { assessments: rows.length, ratings, disagreements, panelDecisions, dissents };
}
