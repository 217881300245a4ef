import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from '../../platform/audit/audit.ts';

/**
 * The instrument format: an assessment tool as versioned data (ADR 0040). Domains hold items; items
 * carry a label and guidance by translation key; rating items use a scale the instrument defines,
 * which must include an "unknown / insufficient information" level. Skip logic (`showIf`) names an
 * earlier item; computed values exist only where the instrument defines them; the output section
 * declares the summary judgement's levels, narrative, scenarios and management plan.
 */

export const INSTRUMENT_LANGUAGES = ['en', 'ru', 'kk', 'uz', 'tg', 'ky', 'ar'] as const;
export type InstrumentLanguage = (typeof INSTRUMENT_LANGUAGES)[number];

export const INSTRUMENT_KINDS = [
  'needs',
  'best_interests_assessment',
  'best_interests_determination',
  'follow_up_survey',
  'trafficking_screening',
  'violent_extremism_risk',
  'other',
] as const;
export type InstrumentKind = (typeof INSTRUMENT_KINDS)[number];

/** Where an assessment made with the instrument lives (DOMAIN.md §4). */
export const INSTRUMENT_COMPARTMENTS = ['protection', 'justice', 'security', 'health', 'education'] as const;

export const REASSESSMENT_EVENTS = [
  'incident',
  'placement_change',
  'stage_change',
  'family_change',
  'new_information',
] as const;
export type ReassessmentEvent = (typeof REASSESSMENT_EVENTS)[number];

/** Risk instruments for violent extremism are never used for anyone who may be under this age. */
export const ADULT_AGE = 18;

const id = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'lower-case letters, digits and underscore');
const key = z.string().regex(/^[a-z0-9_.]{1,120}$/, 'a translation key: lower-case letters, digits, _ and .');
const scalar = z.union([z.string().max(100), z.number(), z.boolean()]);

const levelSchema = z.strictObject({
  value: id,
  label: key,
  /** Used by computed values; the unknown level never scores. */
  score: z.number().optional(),
  /** The "unknown / insufficient information" level. */
  unknown: z.boolean().optional(),
});

const scaleSchema = z.strictObject({ id, levels: z.array(levelSchema).min(2).max(20) });

const conditionSchema = z.strictObject({
  item: id,
  in: z.array(scalar).min(1).max(50),
});

const itemBase = {
  id,
  label: key,
  guidance: key.optional(),
  required: z.boolean().default(false),
  /** A protective factor: rendered and reported apart from risk or need items. */
  protective: z.boolean().default(false),
  /** Whether answers carry references to the evidence they rest on. */
  evidence: z.enum(['none', 'optional', 'required']).default('optional'),
  showIf: conditionSchema.optional(),
};

const optionSchema = z.strictObject({ value: id, label: key });

export const itemSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...itemBase, type: z.literal('rating'), scale: id }),
  z.strictObject({ ...itemBase, type: z.literal('yes_no') }),
  z.strictObject({
    ...itemBase,
    type: z.literal('single_choice'),
    options: z.array(optionSchema).min(2).max(50),
  }),
  z.strictObject({
    ...itemBase,
    type: z.literal('multi_choice'),
    options: z.array(optionSchema).min(2).max(50),
  }),
  z.strictObject({
    ...itemBase,
    type: z.literal('text'),
    maxLength: z.number().int().min(1).max(20_000).default(4000),
  }),
  z.strictObject({
    ...itemBase,
    type: z.literal('list'),
    maxItems: z.number().int().min(1).max(100).default(30),
  }),
  z.strictObject({
    ...itemBase,
    type: z.literal('number'),
    min: z.number().optional(),
    max: z.number().optional(),
    integer: z.boolean().default(false),
  }),
  z.strictObject({ ...itemBase, type: z.literal('date') }),
]);
export type InstrumentItem = z.infer<typeof itemSchema>;
export const ITEM_TYPES = [
  'rating',
  'yes_no',
  'single_choice',
  'multi_choice',
  'text',
  'list',
  'number',
  'date',
];

const domainSchema = z.strictObject({
  id,
  title: key,
  description: key.optional(),
  kind: z.enum(['needs', 'risk', 'protective', 'dimension', 'record']).default('needs'),
  items: z.array(itemSchema).min(1).max(200),
});

const computedSchema = z.strictObject({
  id,
  label: key,
  /** sum / mean of rating items' scores (unknown left out); count of items whose answer is in `values`. */
  method: z.enum(['sum', 'mean', 'count']),
  items: z.array(id).min(1).max(200),
  values: z.array(scalar).min(1).optional(),
});

const outputPartSchema = z.strictObject({ label: key, required: z.boolean().default(false) });

const outputSchema = z.strictObject({
  judgement: z
    .strictObject({
      label: key,
      required: z.boolean().default(true),
      levels: z
        .array(z.strictObject({ value: id, label: key }))
        .min(2)
        .max(10),
      /** A suggested level from a computed value; a judgement that departs from it needs a reason, logged. */
      suggestion: z
        .strictObject({
          computed: id,
          bands: z.array(z.strictObject({ atLeast: z.number(), level: id })).min(1),
        })
        .optional(),
    })
    .optional(),
  narrative: outputPartSchema.optional(),
  scenarios: outputPartSchema.optional(),
  managementPlan: outputPartSchema.optional(),
});

const definitionShape = z.strictObject({
  format: z.literal('homeward-instrument/1'),
  code: z.string().regex(/^[a-z][a-z0-9_]{1,60}$/, 'lower-case letters, digits and underscore'),
  version: z.number().int().min(1).max(100_000),
  kind: z.enum(INSTRUMENT_KINDS),
  /** An example to be replaced by a licensed tool: shown as such wherever it is offered. */
  template: z.boolean().default(false),
  name: key,
  description: key.optional(),
  notice: key.optional(),
  compartment: z.enum(INSTRUMENT_COMPARTMENTS),
  eligibility: z
    .strictObject({
      minAge: z.number().int().min(0).max(120).optional(),
      maxAge: z.number().int().min(0).max(120).optional(),
      stages: z.array(z.number().int().min(0).max(10)).min(1).optional(),
    })
    .default({}),
  assessors: z
    .strictObject({
      raters: z.union([z.literal(1), z.literal(2)]).default(1),
      signOff: z.boolean().default(true),
      qualificationRequired: z.boolean().default(false),
    })
    .default({ raters: 1, signOff: true, qualificationRequired: false }),
  reassessment: z
    .strictObject({
      intervalDays: z.number().int().min(1).max(3650).optional(),
      events: z.array(z.enum(REASSESSMENT_EVENTS)).default([]),
      eventDueDays: z.number().int().min(0).max(365).default(14),
      followUpMonths: z.array(z.number().int().min(1).max(120)).optional(),
    })
    .default({ events: [], eventDueDays: 14 }),
  scales: z.array(scaleSchema).default([]),
  domains: z.array(domainSchema).min(1).max(50),
  computed: z.array(computedSchema).default([]),
  output: outputSchema.default({}),
  languages: z.array(z.enum(INSTRUMENT_LANGUAGES)).min(1),
  translations: z.record(z.string(), z.record(z.string(), z.string().min(1).max(5000))),
});

export type InstrumentDefinition = z.output<typeof definitionShape>;

export const instrumentDefinitionSchema = definitionShape.superRefine((def, ctx) => crossCheck(def, ctx));

/** Every item of the instrument in order, with its place. */
export function itemsOf(def: Pick<InstrumentDefinition, 'domains'>) {
  return def.domains.flatMap((domain, d) =>
    domain.items.map((item, i) => ({ item, domain, path: [d, i] as const })),
  );
}

/** The values an item's answer may take, where the set is closed. */
export function allowedValues(
  def: Pick<InstrumentDefinition, 'scales'>,
  item: InstrumentItem,
): unknown[] | null {
  switch (item.type) {
    case 'rating':
      return def.scales.find((s) => s.id === item.scale)?.levels.map((l) => l.value) ?? [];
    case 'yes_no':
      return ['yes', 'no', 'unknown'];
    case 'single_choice':
    case 'multi_choice':
      return item.options.map((o) => o.value);
    default:
      return null;
  }
}

function crossCheck(def: InstrumentDefinition, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: 'custom', path, message });
  const scales = new Map<string, (typeof def.scales)[number]>();
  def.scales.forEach((scale, s) => {
    if (scales.has(scale.id)) issue(['scales', s, 'id'], 'duplicate scale id');
    scales.set(scale.id, scale);
    const unknown = scale.levels.filter((l) => l.unknown);
    if (unknown.length !== 1) {
      issue(
        ['scales', s, 'levels'],
        'a rating scale needs exactly one "unknown / insufficient information" level',
      );
    }
    scale.levels.forEach((level, l) => {
      if (level.unknown && level.score !== undefined)
        issue(['scales', s, 'levels', l, 'score'], 'unknown never scores');
    });
  });

  const seen = new Map<string, InstrumentItem>();
  const domainIds = new Set<string>();
  def.domains.forEach((domain, d) => {
    if (domainIds.has(domain.id)) issue(['domains', d, 'id'], 'duplicate domain id');
    domainIds.add(domain.id);
    domain.items.forEach((item, i) => {
      const at = ['domains', d, 'items', i];
      if (seen.has(item.id)) issue([...at, 'id'], 'duplicate item id');
      if (item.type === 'rating' && !scales.has(item.scale))
        issue([...at, 'scale'], `no scale "${item.scale}"`);
      if (item.showIf) {
        const target = seen.get(item.showIf.item);
        if (!target) {
          issue(
            [...at, 'showIf', 'item'],
            `skip rule names "${item.showIf.item}", which is not an earlier item`,
          );
        } else {
          const allowed = allowedValues(def, target);
          item.showIf.in.forEach((value, v) => {
            if (allowed && !allowed.includes(value)) {
              issue([...at, 'showIf', 'in', v], `"${String(value)}" is not a value of item "${target.id}"`);
            }
          });
        }
      }
      seen.set(item.id, item);
    });
  });

  const computed = new Set<string>();
  def.computed.forEach((c, k) => {
    if (computed.has(c.id) || seen.has(c.id)) issue(['computed', k, 'id'], 'duplicate id');
    computed.add(c.id);
    c.items.forEach((itemId, j) => {
      const item = seen.get(itemId);
      if (!item) {
        issue(['computed', k, 'items', j], `no item "${itemId}"`);
      } else if (c.method !== 'count') {
        const scale = item.type === 'rating' ? scales.get(item.scale) : undefined;
        if (!scale || scale.levels.some((l) => !l.unknown && l.score === undefined)) {
          issue(['computed', k, 'items', j], `"${itemId}" is not a rating item whose levels all have scores`);
        }
      }
    });
    if (c.method === 'count' && !c.values)
      issue(['computed', k, 'values'], 'count needs the values it counts');
  });

  const judgement = def.output.judgement;
  if (judgement?.suggestion) {
    if (!computed.has(judgement.suggestion.computed)) {
      issue(
        ['output', 'judgement', 'suggestion', 'computed'],
        `no computed value "${judgement.suggestion.computed}"`,
      );
    }
    const levels = new Set(judgement.levels.map((l) => l.value));
    judgement.suggestion.bands.forEach((band, b) => {
      if (!levels.has(band.level))
        issue(['output', 'judgement', 'suggestion', 'bands', b, 'level'], 'no such level');
    });
  }

  const { minAge, maxAge } = def.eligibility;
  if (minAge !== undefined && maxAge !== undefined && minAge > maxAge) {
    issue(['eligibility', 'maxAge'], 'maxAge is below minAge');
  }
  // Children are first and foremost victims: no extremism-risk scoring of anyone who may be a child.
  if (def.kind === 'violent_extremism_risk' && (minAge === undefined || minAge < ADULT_AGE)) {
    issue(['eligibility', 'minAge'], `a violent-extremism risk instrument needs minAge ${ADULT_AGE} or more`);
  }
  if (def.kind === 'violent_extremism_risk' && def.compartment !== 'security') {
    issue(['compartment'], 'a violent-extremism risk instrument lives in the security compartment');
  }

  const keys = translationKeys(def);
  def.languages.forEach((language, l) => {
    const table = def.translations[language];
    if (!table) issue(['translations', language], `no translations for declared language "${language}"`);
    for (const k of table ? keys : []) {
      if (!(k in (table ?? {}))) issue(['translations', language, k], `missing translation of "${k}"`);
    }
    if (def.languages.indexOf(language) !== l) issue(['languages', l], 'duplicate language');
  });
}

const YES_NO_KEYS = ['common.yes', 'common.no', 'common.unknown'];

/** Every translation key the definition uses, in document order. */
export function translationKeys(def: InstrumentDefinition): string[] {
  const keys: string[] = [def.name];
  const add = (k: string | undefined) => {
    if (k !== undefined) keys.push(k);
  };
  add(def.description);
  add(def.notice);
  for (const scale of def.scales) for (const level of scale.levels) add(level.label);
  for (const domain of def.domains) {
    add(domain.title);
    add(domain.description);
    for (const item of domain.items) {
      add(item.label);
      add(item.guidance);
      if (item.type === 'single_choice' || item.type === 'multi_choice')
        for (const o of item.options) add(o.label);
    }
  }
  // yes / no / unknown are the instrument's words too, in every language it declares.
  if (itemsOf(def).some(({ item }) => item.type === 'yes_no')) keys.push(...YES_NO_KEYS);
  for (const c of def.computed) add(c.label);
  const out = def.output;
  if (out.judgement) {
    add(out.judgement.label);
    for (const level of out.judgement.levels) add(level.label);
  }
  add(out.narrative?.label);
  add(out.scenarios?.label);
  add(out.managementPlan?.label);
  return [...new Set(keys)];
}

export interface InstrumentFault {
  path: string;
  message: string;
}

/** Parses a definition; faults name their path, e.g. `domains.1.items.0.showIf.item`. */
export function parseInstrument(
  raw: unknown,
): { ok: true; definition: InstrumentDefinition } | { ok: false; faults: InstrumentFault[] } {
  const parsed = instrumentDefinitionSchema.safeParse(raw);
  if (parsed.success) return { ok: true, definition: parsed.data };
  const faults = parsed.error.issues.map((issue) => {
    const path = issue.path.map(String);
    // An unknown item type: the fault is the item's `type`, whichever way the validator reports it.
    if (
      issue.code === 'invalid_union' &&
      'discriminator' in issue &&
      typeof issue.discriminator === 'string'
    ) {
      if (path.at(-1) !== issue.discriminator) path.push(issue.discriminator);
    }
    return { path: path.join('.'), message: issue.message };
  });
  return { ok: false, faults };
}

/** The checksum of a definition as imported: key order does not matter, content does. */
export function definitionChecksum(raw: unknown): string {
  return createHash('sha256').update(canonicalJson(raw)).digest('hex');
}

/** The language an instrument is shown in: the one asked for if it has it, else its first. */
export function pickLanguage(def: InstrumentDefinition, wanted: string | undefined): InstrumentLanguage {
  const found = def.languages.find((l) => l === wanted);
  return found ?? (def.languages[0] as InstrumentLanguage);
}

/** The instrument with every key replaced by its text in one language: what a form or a PDF shows. */
export function renderInstrument(def: InstrumentDefinition, wanted?: string) {
  const language = pickLanguage(def, wanted);
  const table = def.translations[language] ?? {};
  const t = (k: string) => table[k] ?? k;
  const opt = (k: string | undefined) => (k === undefined ? null : t(k));
  const scaleOf = (scaleId: string) => def.scales.find((s) => s.id === scaleId);
  return {
    code: def.code,
    version: def.version,
    kind: def.kind,
    template: def.template,
    language,
    name: t(def.name),
    description: opt(def.description),
    notice: opt(def.notice),
    compartment: def.compartment,
    domains: def.domains.map((domain) => ({
      id: domain.id,
      kind: domain.kind,
      title: t(domain.title),
      description: opt(domain.description),
      items: domain.items.map((item) => ({
        id: item.id,
        type: item.type,
        label: t(item.label),
        guidance: opt(item.guidance),
        required: item.required,
        protective: item.protective,
        evidence: item.evidence,
        showIf: item.showIf ?? null,
        choices:
          item.type === 'rating'
            ? (scaleOf(item.scale)?.levels ?? []).map((l) => ({
                value: l.value,
                label: t(l.label),
                unknown: l.unknown === true,
              }))
            : item.type === 'single_choice' || item.type === 'multi_choice'
              ? item.options.map((o) => ({ value: o.value, label: t(o.label), unknown: false }))
              : item.type === 'yes_no'
                ? YES_NO_KEYS.map((k) => ({
                    value: k.slice('common.'.length),
                    label: t(k),
                    unknown: k === 'common.unknown',
                  }))
                : null,
      })),
    })),
    computed: def.computed.map((c) => ({ id: c.id, label: t(c.label), method: c.method })),
    output: {
      judgement: def.output.judgement
        ? {
            label: t(def.output.judgement.label),
            required: def.output.judgement.required,
            levels: def.output.judgement.levels.map((l) => ({ value: l.value, label: t(l.label) })),
          }
        : null,
      narrative: def.output.narrative
        ? { label: t(def.output.narrative.label), required: def.output.narrative.required }
        : null,
      scenarios: def.output.scenarios
        ? { label: t(def.output.scenarios.label), required: def.output.scenarios.required }
        : null,
      managementPlan: def.output.managementPlan
        ? { label: t(def.output.managementPlan.label), required: def.output.managementPlan.required }
        : null,
    },
  };
}
export type RenderedInstrument = ReturnType<typeof renderInstrument>;
