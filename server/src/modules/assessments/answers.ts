import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import { allowedValues, type InstrumentDefinition, type InstrumentItem, itemsOf } from './instrument.ts';

/** One answer: its value, the evidence it rests on (references, never copies), a note. */
export const answerSchema = z.strictObject({
  value: z.union([
    z.string().max(20_000),
    z.number(),
    z.boolean(),
    z.array(z.string().max(2000)).max(100),
    z.null(),
  ]),
  evidence: z.array(z.string().trim().min(1).max(300)).max(30).optional(),
  note: z.string().max(4000).optional(),
});
export type Answer = z.infer<typeof answerSchema>;
export type Answers = Record<string, Answer>;

export const assessmentOutputSchema = z.strictObject({
  judgement: z.string().max(64).optional(),
  /** Why the judgement departs from the instrument's suggestion; logged. */
  overrideReason: z.string().trim().min(10).max(4000).optional(),
  narrative: z.string().max(20_000).optional(),
  scenarios: z
    .array(z.strictObject({ title: z.string().trim().min(1).max(300), description: z.string().max(10_000) }))
    .max(20)
    .optional(),
  managementPlan: z.string().max(20_000).optional(),
});
export type AssessmentOutput = z.infer<typeof assessmentOutputSchema>;

function answered(answer: Answer | undefined): boolean {
  if (!answer || answer.value === null) return false;
  if (Array.isArray(answer.value)) return answer.value.length > 0;
  if (typeof answer.value === 'string') return answer.value.trim().length > 0;
  return true;
}

/** Is the item shown, given the other answers? An item hidden by skip logic takes no answer. */
export function isVisible(
  item: InstrumentItem,
  answers: Answers,
  byId: Map<string, InstrumentItem>,
): boolean {
  if (!item.showIf) return true;
  const target = byId.get(item.showIf.item);
  if (!target || !isVisible(target, answers, byId)) return false;
  const value = answers[item.showIf.item]?.value;
  if (value === undefined || value === null) return false;
  const values = Array.isArray(value) ? value : [value];
  return values.some((v) => item.showIf?.in.includes(v));
}

function itemIndex(def: InstrumentDefinition): Map<string, InstrumentItem> {
  return new Map(itemsOf(def).map(({ item }) => [item.id, item]));
}

/** Why a value does not fit its item, or null when it fits. */
function misfit(def: InstrumentDefinition, item: InstrumentItem, value: Answer['value']): string | null {
  if (value === null) return null;
  const allowed = allowedValues(def, item);
  switch (item.type) {
    case 'rating':
    case 'yes_no':
    case 'single_choice':
      return typeof value === 'string' && allowed?.includes(value)
        ? null
        : `must be one of ${allowed?.join(', ')}`;
    case 'multi_choice':
      return Array.isArray(value) &&
        value.every((v) => allowed?.includes(v)) &&
        new Set(value).size === value.length
        ? null
        : `must be a list of distinct values from ${allowed?.join(', ')}`;
    case 'text':
      return typeof value === 'string' && value.length <= item.maxLength
        ? null
        : `must be text of at most ${item.maxLength} characters`;
    case 'list':
      return Array.isArray(value) && value.length <= item.maxItems
        ? null
        : `must be a list of at most ${item.maxItems} entries`;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number';
      if (item.integer && !Number.isInteger(value)) return 'must be a whole number';
      if (item.min !== undefined && value < item.min) return `must be at least ${item.min}`;
      if (item.max !== undefined && value > item.max) return `must be at most ${item.max}`;
      return null;
    case 'date':
      return typeof value === 'string' &&
        /^\d{4}-\d{2}-\d{2}$/.test(value) &&
        !Number.isNaN(Date.parse(value))
        ? null
        : 'must be a date, YYYY-MM-DD';
    default: {
      const never: never = item;
      return never;
    }
  }
}

/**
 * Checks answers against the instrument version: every key an item, every value on the item's scale,
 * nothing answered that skip logic hides. 400 `ASSESSMENT_ANSWER_INVALID` naming the item otherwise.
 */
export function checkAnswers(def: InstrumentDefinition, answers: Answers, pathPrefix = 'body.answers'): void {
  const byId = itemIndex(def);
  for (const [itemId, answer] of Object.entries(answers)) {
    const path = `${pathPrefix}.${itemId}`;
    const item = byId.get(itemId);
    if (!item)
      throw new AppError('ASSESSMENT_ANSWER_INVALID', {
        details: { path, item: itemId, reason: 'unknown_item' },
      });
    const reason = misfit(def, item, answer.value);
    if (reason) {
      throw new AppError('ASSESSMENT_ANSWER_INVALID', {
        message: `The answer to item ${itemId} ${reason}`,
        details: { path: `${path}.value`, item: itemId, reason: 'not_on_scale' },
      });
    }
    if (item.evidence === 'none' && answer.evidence && answer.evidence.length > 0) {
      throw new AppError('ASSESSMENT_ANSWER_INVALID', {
        details: { path: `${path}.evidence`, item: itemId, reason: 'no_evidence_for_item' },
      });
    }
    if (answered(answer) && !isVisible(item, answers, byId)) {
      throw new AppError('ASSESSMENT_ANSWER_INVALID', {
        message: `Item ${itemId} is skipped by its condition and takes no answer`,
        details: { path, item: itemId, reason: 'skipped' },
      });
    }
  }
}

function isUnknown(def: InstrumentDefinition, item: InstrumentItem, value: unknown): boolean {
  if (item.type === 'yes_no') return value === 'unknown';
  if (item.type !== 'rating') return false;
  return def.scales.find((s) => s.id === item.scale)?.levels.find((l) => l.value === value)?.unknown === true;
}

/** Is the rating ready to submit? Required visible items answered, evidence where required, output parts. */
export function checkComplete(def: InstrumentDefinition, answers: Answers, output: AssessmentOutput): void {
  const byId = itemIndex(def);
  for (const { item } of itemsOf(def)) {
    if (!isVisible(item, answers, byId)) continue;
    const answer = answers[item.id];
    if (item.required && !answered(answer)) {
      throw new AppError('ASSESSMENT_INCOMPLETE', {
        details: { path: `answers.${item.id}`, item: item.id, reason: 'required' },
      });
    }
    if (item.evidence === 'required' && answered(answer) && !isUnknown(def, item, answer?.value)) {
      if (!answer?.evidence || answer.evidence.length === 0) {
        throw new AppError('ASSESSMENT_INCOMPLETE', {
          details: { path: `answers.${item.id}.evidence`, item: item.id, reason: 'evidence_required' },
        });
      }
    }
  }
  const spec = def.output;
  const need = (part: 'narrative' | 'scenarios' | 'managementPlan', present: boolean) => {
    if (spec[part]?.required && !present) {
      throw new AppError('ASSESSMENT_INCOMPLETE', {
        details: { path: `output.${part}`, reason: 'required' },
      });
    }
  };
  if (spec.judgement?.required && !output.judgement) {
    throw new AppError('ASSESSMENT_INCOMPLETE', {
      details: { path: 'output.judgement', reason: 'required' },
    });
  }
  need('narrative', Boolean(output.narrative?.trim()));
  need('scenarios', (output.scenarios?.length ?? 0) > 0);
  need('managementPlan', Boolean(output.managementPlan?.trim()));
}

/** Checks the output against the instrument: a judgement among its levels, nothing it does not declare. */
export function checkOutput(
  def: InstrumentDefinition,
  output: AssessmentOutput,
  pathPrefix = 'body.output',
): void {
  const spec = def.output;
  if (output.judgement !== undefined && !spec.judgement?.levels.some((l) => l.value === output.judgement)) {
    throw new AppError('ASSESSMENT_ANSWER_INVALID', {
      details: { path: `${pathPrefix}.judgement`, reason: 'not_a_judgement_level' },
    });
  }
  for (const part of ['narrative', 'scenarios', 'managementPlan'] as const) {
    if (output[part] !== undefined && !spec[part]) {
      throw new AppError('ASSESSMENT_ANSWER_INVALID', {
        details: { path: `${pathPrefix}.${part}`, reason: 'not_in_instrument' },
      });
    }
  }
}

export interface ComputedValue {
  value: number | null;
  /** Items that counted, and items answered "unknown" (left out, never scored as zero). */
  answered: number;
  unknown: number;
}

/** The values the instrument defines, and only those: no total is made up where none is defined. */
export function computeValues(def: InstrumentDefinition, answers: Answers): Record<string, ComputedValue> {
  const byId = itemIndex(def);
  const result: Record<string, ComputedValue> = {};
  for (const c of def.computed) {
    let total = 0;
    let counted = 0;
    let unknown = 0;
    for (const itemId of c.items) {
      const item = byId.get(itemId);
      const value = answers[itemId]?.value;
      if (!item || value === undefined || value === null || !isVisible(item, answers, byId)) continue;
      if (isUnknown(def, item, value)) {
        unknown += 1;
        continue;
      }
      if (c.method === 'count') {
        const values = Array.isArray(value) ? value : [value];
        if (values.some((v) => c.values?.includes(v))) total += 1;
        counted += 1;
      } else if (item.type === 'rating') {
        const level = def.scales.find((s) => s.id === item.scale)?.levels.find((l) => l.value === value);
        if (level?.score !== undefined) {
          total += level.score;
          counted += 1;
        }
      }
    }
    const value =
      c.method === 'mean' ? (counted === 0 ? null : Math.round((total / counted) * 100) / 100) : total;
    result[c.id] = {
      value: c.method !== 'count' && counted === 0 ? null : value,
      answered: counted,
      unknown,
    };
  }
  return result;
}

/** The judgement level the instrument suggests from its computed value, if it defines one. */
export function suggestedJudgement(
  def: InstrumentDefinition,
  computed: Record<string, ComputedValue>,
): string | null {
  const suggestion = def.output.judgement?.suggestion;
  if (!suggestion) return null;
  const value = computed[suggestion.computed]?.value;
  if (value === null || value === undefined) return null;
  let level: string | null = null;
  let best = Number.NEGATIVE_INFINITY;
  for (const band of suggestion.bands) {
    if (value >= band.atLeast && band.atLeast >= best) {
      best = band.atLeast;
      level = band.level;
    }
  }
  return level;
}

/** Items on which two ratings differ: the disagreements a consensus step must settle and keep. */
export function differingItems(def: InstrumentDefinition, a: Answers, b: Answers): string[] {
  const same = (x: Answer['value'] | undefined, y: Answer['value'] | undefined) =>
    JSON.stringify(Array.isArray(x) ? [...x].sort() : (x ?? null)) ===
    JSON.stringify(Array.isArray(y) ? [...y].sort() : (y ?? null));
  return itemsOf(def)
    .map(({ item }) => item)
    .filter((item) => item.type !== 'text' && item.type !== 'list')
    .filter((item) => !same(a[item.id]?.value, b[item.id]?.value))
    .map((item) => item.id);
}
