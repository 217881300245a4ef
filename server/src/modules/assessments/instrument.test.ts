import { describe, expect, it } from 'vitest';
import { addYears, todayIso } from '../persons/age.ts';
import { checkAnswers, checkComplete, computeValues, differingItems, suggestedJudgement } from './answers.ts';
import { checkEligibility } from './eligibility.ts';
import {
  type InstrumentDefinition,
  parseInstrument,
  renderInstrument,
  translationKeys,
} from './instrument.ts';
import { loadShippedInstruments } from './shipped.ts';

const shipped = loadShippedInstruments();
const byCode = (code: string) => {
  const found = shipped.find((s) => s.definition.code === code);
  if (!found) throw new Error(`no shipped instrument ${code}`);
  return found;
};
/** A deep copy of a shipped definition to break on purpose. */
// biome-ignore lint/suspicious/noExplicitAny: definitions are broken on purpose, anywhere in their tree
const copyOf = (code: string) => structuredClone(byCode(code).raw) as Record<string, any>;
const faultsOf = (raw: unknown) => {
  const parsed = parseInstrument(raw);
  return parsed.ok ? [] : parsed.faults;
};

describe('the shipped instruments', () => {
  it('are the default set: needs, BIA, BID, follow-up survey, trafficking screening, template', () => {
    expect(shipped.map((s) => s.definition.kind).sort()).toEqual([
      'best_interests_assessment',
      'best_interests_determination',
      'follow_up_survey',
      'needs',
      'trafficking_screening',
      'violent_extremism_risk',
    ]);
  });

  it.each(shipped.map((s) => [s.file, s] as const))(
    '%s has every key in English, Russian and Arabic',
    (_file, s) => {
      expect(s.definition.languages).toEqual(expect.arrayContaining(['en', 'ru', 'ar']));
      for (const language of ['en', 'ru', 'ar']) {
        const table = s.definition.translations[language] ?? {};
        const missing = translationKeys(s.definition).filter((k) => !table[k]?.trim());
        expect(missing, `${s.file} lacks ${language} for`).toEqual([]);
        // Not an English text pasted into the other languages.
        if (language !== 'en')
          expect(table[s.definition.name]).not.toBe(s.definition.translations.en?.[s.definition.name]);
      }
    },
  );

  it('fails when a shipped instrument lacks a translation', () => {
    const raw = copyOf('child_bia');
    delete raw.translations.ar['bia.views.heard'];
    expect(faultsOf(raw)).toContainEqual(
      expect.objectContaining({ path: 'translations.ar.bia.views.heard' }),
    );
  });

  it('marks the adult structured-judgement example as a template, for adults only, with no total', () => {
    const template = byCode('example_adult_spj_template').definition;
    expect(template.template).toBe(true);
    expect(template.notice).toBeDefined();
    expect(template.translations.en?.[template.notice as string]).toMatch(
      /replace it with a licensed instrument/i,
    );
    expect(template.eligibility.minAge).toBe(18);
    expect(template.computed).toEqual([]);
    expect(template.assessors).toMatchObject({ raters: 2, qualificationRequired: true });
  });

  it('schedules the reintegration survey at 3, 6 and 12 months with its three dimensions', () => {
    const survey = byCode('reintegration_follow_up').definition;
    expect(survey.reassessment.followUpMonths).toEqual([3, 6, 12]);
    expect(survey.computed.map((c) => c.id)).toEqual([
      'economic_score',
      'social_score',
      'psychosocial_score',
    ]);
  });

  it('renders in the language asked for, falling back to the instrument’s first', () => {
    const def = byCode('needs_assessment').definition;
    expect(renderInstrument(def, 'ru').name).toBe('Оценка потребностей');
    expect(renderInstrument(def, 'ar').name).toBe('تقييم الاحتياجات');
    expect(renderInstrument(def, 'kk')).toMatchObject({ language: 'en', name: 'Needs assessment' });
  });
});

describe('an instrument definition', () => {
  it('refuses an unknown item type at the item’s type', () => {
    const raw = copyOf('needs_assessment');
    raw.domains[1].items[0].type = 'slider';
    expect(faultsOf(raw)[0]?.path).toBe('domains.1.items.0.type');
  });

  it('refuses a skip rule naming a missing item', () => {
    const raw = copyOf('needs_assessment');
    raw.domains[0].items[3].showIf.item = 'no_such_item';
    expect(faultsOf(raw)[0]?.path).toBe('domains.0.items.3.showIf.item');
  });

  it('refuses a skip rule on a value the item cannot take', () => {
    const raw = copyOf('needs_assessment');
    raw.domains[0].items[3].showIf.in = ['perhaps'];
    expect(faultsOf(raw)[0]?.path).toBe('domains.0.items.3.showIf.in.0');
  });

  it('refuses a rating scale without an "unknown / insufficient information" level', () => {
    const raw = copyOf('needs_assessment');
    raw.scales[0].levels = raw.scales[0].levels.filter((l: { unknown?: boolean }) => !l.unknown);
    expect(faultsOf(raw)[0]?.path).toBe('scales.0.levels');
  });

  it('refuses a violent-extremism risk instrument open to anyone under 18', () => {
    const raw = copyOf('example_adult_spj_template');
    raw.eligibility.minAge = 16;
    expect(faultsOf(raw)[0]?.path).toBe('eligibility.minAge');
  });

  it('refuses a computed total over items that have no scores', () => {
    const raw = copyOf('example_adult_spj_template');
    raw.computed = [{ id: 'total', label: 'spj.name', method: 'sum', items: ['social_isolation'] }];
    expect(faultsOf(raw)[0]?.path).toBe('computed.0.items.0');
  });

  it('refuses unknown fields anywhere', () => {
    const raw = copyOf('needs_assessment');
    raw.domains[0].colour = 'red';
    expect(faultsOf(raw)[0]?.path).toBe('domains.0');
  });
});

describe('answers', () => {
  const needs = byCode('needs_assessment').definition;
  const bia = byCode('child_bia').definition;
  const needsAnswers = {
    physical_health: { value: 'high' },
    mental_health: { value: 'high' },
    disability_support: { value: 'no' },
    civil_documents: { value: 'high' },
    legal_aid: { value: 'low' },
    housing: { value: 'unknown' },
    income: { value: 'moderate' },
    education: { value: 'none' },
    family_contact: { value: 'low' },
  };

  it('refuses a value off the item’s scale, naming the item', () => {
    expect(() => checkAnswers(needs, { housing: { value: 'dire' } })).toThrowError(
      expect.objectContaining({
        code: 'ASSESSMENT_ANSWER_INVALID',
        details: expect.objectContaining({ item: 'housing' }),
      }),
    );
  });

  it('refuses an answer to an item its skip rule hides', () => {
    expect(() =>
      checkAnswers(needs, {
        disability_support: { value: 'no' },
        disability_detail: { value: 'wheelchair' },
      }),
    ).toThrowError(expect.objectContaining({ details: expect.objectContaining({ reason: 'skipped' }) }));
    expect(() =>
      checkAnswers(needs, {
        disability_support: { value: 'yes' },
        disability_detail: { value: 'wheelchair' },
      }),
    ).not.toThrow();
  });

  it('requires only the items skip logic shows', () => {
    const complete = {
      current_safety: { value: 'no_concern', evidence: ['visit report 2026-03'] },
      violence_exposure: { value: 'some_concern' },
      caregiver: { value: 'none' },
      separation_risk: { value: 'unknown' },
      health: { value: 'no_concern' },
      psychosocial: { value: 'some_concern' },
      education: { value: 'serious_concern' },
      documentation: { value: 'serious_concern' },
      views_heard: { value: 'yes' },
      child_views: { value: 'Wants to stay with the aunt.' },
    };
    const output = { judgement: 'support_in_family', narrative: 'Synthetic narrative.' };
    expect(() => checkComplete(bia, complete as never, output)).not.toThrow();
    const { child_views: _dropped, ...withoutViews } = complete;
    expect(() => checkComplete(bia, withoutViews as never, output)).toThrowError(
      expect.objectContaining({
        code: 'ASSESSMENT_INCOMPLETE',
        details: expect.objectContaining({ path: 'answers.child_views' }),
      }),
    );
    const noEvidence = { ...complete, current_safety: { value: 'serious_concern' } };
    expect(() => checkComplete(bia, noEvidence as never, output)).toThrowError(
      expect.objectContaining({
        details: expect.objectContaining({ path: 'answers.current_safety.evidence' }),
      }),
    );
  });

  it('computes only what the instrument defines, leaving "unknown" out rather than scoring it', () => {
    const computed = computeValues(needs, needsAnswers);
    expect(computed).toEqual({ high_needs: { value: 3, answered: 7, unknown: 1 } });
    expect(suggestedJudgement(needs, computed)).toBe('urgent');
    expect(computeValues(byCode('example_adult_spj_template').definition, {})).toEqual({});
  });

  it('finds the items two raters differ on', () => {
    const other = { ...needsAnswers, housing: { value: 'high' }, income: { value: 'moderate' } };
    expect(differingItems(needs, needsAnswers, other)).toEqual(['housing']);
  });
});

describe('eligibility', () => {
  const risk = byCode('example_adult_spj_template').definition;
  const bia = byCode('child_bia').definition;
  const born = (yearsAgo: number) => addYears(todayIso(), -yearsAgo);
  const subject = (from: string | null, to: string | null, stage = 5) => ({
    birthDateFrom: from,
    birthDateTo: to,
    stage,
  });

  it('refuses a risk instrument for a 16-year-old', () => {
    expect(checkEligibility(risk, subject(born(16), born(16)))).toBe('possibly_a_child');
  });

  it('refuses a risk instrument for anyone who may be under 18 (youngest possible age)', () => {
    expect(checkEligibility(risk, subject(born(20), born(17)))).toBe('possibly_a_child');
    expect(checkEligibility(risk, subject(null, null))).toBe('possibly_a_child');
    expect(checkEligibility(risk, subject(born(30), born(18)))).toBeNull();
  });

  it('opens a child instrument to anyone who may still be a child', () => {
    expect(checkEligibility(bia, subject(born(19), born(17)))).toBeNull();
    expect(checkEligibility(bia, subject(born(25), born(19)))).toBe('above_maximum_age');
  });

  it('refuses an instrument outside its stages', () => {
    expect(checkEligibility(risk, subject(born(30), born(30), 2))).toBe('stage');
  });

  it('treats an instrument definition as data, not code', () => {
    const def: InstrumentDefinition = { ...bia, eligibility: { minAge: 5 } };
    expect(checkEligibility(def, subject(null, null))).toBe('age_unknown');
  });
});
