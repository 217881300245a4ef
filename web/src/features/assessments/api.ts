import { isApiError } from '../../api/errors.ts';
import type { components } from '../../api/schema.d.ts';

type Schemas = components['schemas'];
export type Assessment = Schemas['Assessment'];
export type AssessmentSummary = Schemas['AssessmentSummary'];
export type EligibleInstrument = Schemas['EligibleInstrument'];
export type RenderedInstrument = Schemas['RenderedInstrument'];
export type InstrumentItem = RenderedInstrument['domains'][number]['items'][number];
export type ReassessmentDue = Schemas['ReassessmentDue'];
export type Answer = Schemas['SaveRating']['answers'][string];
export type Answers = Record<string, Answer>;
export type AssessmentOutput = NonNullable<Schemas['SaveRating']['output']>;

export const assessmentKeys = {
  list: (caseId: string) => ['cases', caseId, 'assessments'] as const,
  eligible: (caseId: string, lang: string) => ['cases', caseId, 'eligible-instruments', lang] as const,
  overdue: ['assessments', 'overdue'] as const,
  one: (id: string, lang: string) => ['assessments', id, lang] as const,
};

/** The instrument languages the server renders (modules/assessments/instrument.ts). */
const INSTRUMENT_LANGUAGES = ['en', 'ru', 'kk', 'uz', 'tg', 'ky', 'ar'];
export function instrumentLanguage(uiLanguage: string): 'en' | 'ru' | 'kk' | 'uz' | 'tg' | 'ky' | 'ar' {
  const base = uiLanguage.split('-')[0] ?? 'en';
  return (INSTRUMENT_LANGUAGES.includes(base) ? base : 'en') as 'en';
}

/**
 * Is an item shown, given the answers? The client copy of the server's skip rule
 * (modules/assessments/answers.ts `isVisible`): an item whose condition names a hidden or
 * unanswered item is hidden too.
 */
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

export function itemIndex(form: RenderedInstrument): Map<string, InstrumentItem> {
  return new Map(form.domains.flatMap((d) => d.items.map((item) => [item.id, item] as const)));
}

function hasAnswer(answer: Answer | undefined): boolean {
  if (!answer || answer.value === null) return false;
  if (Array.isArray(answer.value)) return answer.value.length > 0;
  if (typeof answer.value === 'string') return answer.value.trim().length > 0;
  return true;
}

/** The answers to send: hidden items dropped (the server refuses them), empty ones left out. */
export function answersToSend(form: RenderedInstrument, answers: Answers): Answers {
  const byId = itemIndex(form);
  const result: Answers = {};
  for (const [id, answer] of Object.entries(answers)) {
    const item = byId.get(id);
    if (!item || !isVisible(item, answers, byId)) continue;
    const evidence = answer.evidence?.map((e) => e.trim()).filter(Boolean) ?? [];
    if (!hasAnswer(answer) && evidence.length === 0) continue;
    result[id] = {
      value: answer.value,
      ...(evidence.length > 0 && item.evidence !== 'none' ? { evidence } : {}),
      ...(answer.note?.trim() ? { note: answer.note } : {}),
    };
  }
  return result;
}

/** The output to send: empty parts left out, scenarios without a title dropped. */
export function outputToSend(output: AssessmentOutput): AssessmentOutput {
  const scenarios = output.scenarios?.filter((s) => s.title.trim());
  return {
    ...(output.judgement ? { judgement: output.judgement } : {}),
    ...(output.overrideReason?.trim() ? { overrideReason: output.overrideReason } : {}),
    ...(output.narrative?.trim() ? { narrative: output.narrative } : {}),
    ...(scenarios && scenarios.length > 0 ? { scenarios } : {}),
    ...(output.managementPlan?.trim() ? { managementPlan: output.managementPlan } : {}),
  };
}

/** Where an API error belongs in the instrument form: an item, an output part, or the form. */
export interface AssessmentFormErrors {
  items: Record<string, string>;
  output: Record<string, string>;
  form: string | undefined;
}

export function assessmentErrorsFrom(
  error: unknown,
  fallback: (error: unknown) => string,
): AssessmentFormErrors {
  const result: AssessmentFormErrors = { items: {}, output: {}, form: undefined };
  if (!error) return result;
  if (!isApiError(error)) return { ...result, form: fallback(error) };
  const paths =
    error.details?.issues?.map((i) => ({ path: i.path, message: i.message })) ??
    (typeof error.details?.path === 'string' ? [{ path: error.details.path, message: error.message }] : []);
  const item = typeof error.details?.item === 'string' ? error.details.item : undefined;
  let placed = false;
  for (const { path, message } of paths) {
    const parts = path.replace(/^body\.?/, '').split('.');
    const text = error.status >= 500 ? fallback(error) : message;
    if (parts[0] === 'answers' && parts[1]) {
      result.items[parts[1]] ??= text;
      placed = true;
    } else if (parts[0] === 'output' && parts[1]) {
      result.output[parts[1]] ??= text;
      placed = true;
    }
  }
  if (!placed && item) {
    result.items[item] = error.message;
    placed = true;
  }
  if (!placed) result.form = error.status < 500 ? error.message : fallback(error);
  return result;
}
