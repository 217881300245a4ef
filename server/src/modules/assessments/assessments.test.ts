import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../../../test/app.ts';
import { buildApp } from '../../platform/http/app.ts';
import { addYears, todayIso } from '../persons/age.ts';
import { registerAssessmentRoutes } from './routes.ts';
import { hasCompletedNonPunishmentReview } from './service.ts';
import { ensureShippedInstruments, loadShippedInstruments } from './shipped.ts';
import { addRole, insertSubject } from './test-fixtures.ts';

const RISK = 'example_adult_spj_template';
// biome-ignore lint/suspicious/noExplicitAny: definitions are broken on purpose, anywhere in their tree
type Definition = Record<string, any>;
const inYears = (years: number) => addYears(todayIso(), years);

/** A complete, synthetic needs assessment: three areas of high need, so the instrument suggests "urgent". */
const needsAnswers = {
  physical_health: { value: 'high' },
  mental_health: { value: 'high' },
  disability_support: { value: 'no' },
  civil_documents: { value: 'high', evidence: ['registry check 2026-01'] },
  legal_aid: { value: 'low' },
  housing: { value: 'unknown' },
  income: { value: 'moderate' },
  education: { value: 'none' },
  family_contact: { value: 'low' },
};

const riskRating = (overrides: Record<string, unknown> = {}) => ({
  answers: {
    social_isolation: { value: 'partly', evidence: ['interview 1'] },
    coercive_environment: { value: 'present', evidence: ['interview 1'] },
    unresolved_grievance: { value: 'absent', evidence: ['interview 1'] },
    endorses_violence: { value: 'absent', evidence: ['interview 2'] },
    dehumanising_language: { value: 'unknown' },
    means_to_harm: { value: 'absent', evidence: ['file review'] },
    family_support: { value: 'present', evidence: ['family visit'] },
    engagement_with_services: { value: 'present', evidence: ['provider report'] },
    meaningful_activity: { value: 'partly', evidence: ['provider report'] },
    ...overrides,
  },
  output: {
    judgement: 'low',
    narrative: 'Synthetic formulation.',
    scenarios: [{ title: 'Renewed contact', description: 'Synthetic scenario.' }],
    managementPlan: 'Synthetic plan.',
  },
});

describe('assessments', () => {
  let t: TestApp;
  let worker: Session;
  let otherWorker: Session;
  let supervisor: Session;
  let security: Session;
  let security2: Session;
  let security3: Session;
  let securityLead: Session;
  let admin: Session;
  let workerId: string;

  beforeAll(async () => {
    t = await createTestApp();
    await ensureShippedInstruments(t.handle.db);
    await addRole(t, 'security_lead', [
      'cases:read',
      'security:read',
      'security:write',
      'assessments:sign_off',
    ]);
    workerId = await t.addUser('as-worker', ['case_worker']);
    await t.addUser('as-worker2', ['case_worker']);
    await t.addUser('as-supervisor', ['supervisor']);
    await t.addUser('as-security', ['security_assessor'], 'NSS');
    await t.addUser('as-security2', ['security_assessor'], 'NSS');
    await t.addUser('as-security3', ['security_assessor'], 'NSS');
    await t.addUser('as-security-lead', ['security_lead'], 'NSS');
    await t.addUser('as-admin', ['admin']);
    worker = await t.login('as-worker');
    otherWorker = await t.login('as-worker2');
    supervisor = await t.login('as-supervisor');
    security = await t.login('as-security');
    security2 = await t.login('as-security2');
    security3 = await t.login('as-security3');
    securityLead = await t.login('as-security-lead');
    admin = await t.login('as-admin');
  });
  afterAll(() => t.close());

  const open = (as: Session, caseId: string, body: Record<string, unknown>) =>
    t.as(as, 'POST', `/api/cases/${caseId}/assessments`, body);
  const qualify = (userId: string, instrumentCode = RISK, expiresOn = inYears(1)) =>
    t.as(supervisor, 'POST', '/api/assessor-qualifications', { userId, instrumentCode, expiresOn });

  describe('who may be assessed with what', () => {
    it('refuses a risk instrument for a 16-year-old', async () => {
      const { caseId } = await insertSubject(t, { age: 16 });
      const response = await open(security, caseId, { instrumentCode: RISK });
      expect(response.statusCode).toBe(409);
      expect(response.json()).toMatchObject({
        code: 'INSTRUMENT_NOT_ELIGIBLE',
        details: { reason: 'possibly_a_child' },
      });
      const refused = await t.handle.db
        .selectFrom('audit_events')
        .select(['outcome', 'details'])
        .where('action', '=', 'assessment.refused')
        .where('target_id', '=', caseId)
        .executeTakeFirst();
      expect(refused).toMatchObject({ outcome: 'failure', details: { reason: 'possibly_a_child' } });
      expect(
        await t.handle.db.selectFrom('assessments').select('id').where('case_id', '=', caseId).execute(),
      ).toEqual([]);
    });

    it('refuses a risk instrument for someone who may be 17 or may be 20', async () => {
      const { caseId } = await insertSubject(t, { age: [17, 20] });
      const response = await open(security, caseId, { instrumentCode: RISK });
      expect(response.json().code).toBe('INSTRUMENT_NOT_ELIGIBLE');
      const unknownAge = await insertSubject(t, {});
      expect((await open(security, unknownAge.caseId, { instrumentCode: RISK })).json().code).toBe(
        'INSTRUMENT_NOT_ELIGIBLE',
      );
    });

    it('never offers a risk instrument for a child, and offers the child instruments', async () => {
      const child = await insertSubject(t, { age: 9, assignedUserId: workerId });
      const offered = (
        await t.as(worker, 'GET', `/api/cases/${child.caseId}/eligible-instruments`)
      ).json() as {
        code: string;
        eligible: boolean;
      }[];
      const eligible = offered.filter((i) => i.eligible).map((i) => i.code);
      expect(eligible).toEqual(expect.arrayContaining(['child_bia', 'bid_panel_record', 'needs_assessment']));
      expect(eligible).not.toContain(RISK);
      const forSecurity = (
        await t.as(security, 'GET', `/api/cases/${child.caseId}/eligible-instruments`)
      ).json();
      expect(forSecurity).toContainEqual(
        expect.objectContaining({ code: RISK, eligible: false, reason: 'possibly_a_child' }),
      );
    });

    it('refuses a child instrument for an adult and an instrument outside its stages', async () => {
      const adult = await insertSubject(t, { age: 30, assignedUserId: workerId });
      expect((await open(worker, adult.caseId, { instrumentCode: 'child_bia' })).json()).toMatchObject({
        code: 'INSTRUMENT_NOT_ELIGIBLE',
        details: { reason: 'above_maximum_age' },
      });
      const early = await insertSubject(t, { age: 30, stage: 1, assignedUserId: workerId });
      expect(
        (await open(worker, early.caseId, { instrumentCode: 'needs_assessment' })).json().details.reason,
      ).toBe('stage');
    });

    it('requires a current qualification for an instrument that asks for one', async () => {
      const { caseId } = await insertSubject(t, { age: 35 });
      expect((await open(security, caseId, { instrumentCode: RISK })).json().code).toBe(
        'ASSESSOR_NOT_QUALIFIED',
      );
      const expired = await t.as(supervisor, 'POST', '/api/assessor-qualifications', {
        userId: security.userId,
        instrumentCode: RISK,
        expiresOn: inYears(-1),
      });
      expect(expired.statusCode).toBe(201);
      expect(expired.json().current).toBe(false);
      expect((await open(security, caseId, { instrumentCode: RISK })).json().code).toBe(
        'ASSESSOR_NOT_QUALIFIED',
      );
      expect((await qualify(security.userId)).json().current).toBe(true);
      expect((await open(security, caseId, { instrumentCode: RISK })).statusCode).toBe(201);
    });

    it('keeps a case worker out of the security compartment, and a case out of reach invisible', async () => {
      const adult = await insertSubject(t, { age: 30, assignedUserId: workerId });
      expect((await open(worker, adult.caseId, { instrumentCode: RISK })).json().code).toBe(
        'COMPARTMENT_FORBIDDEN',
      );
      expect(
        (await open(otherWorker, adult.caseId, { instrumentCode: 'needs_assessment' })).json().code,
      ).toBe('CASE_NOT_FOUND');
    });
  });

  describe('the two-rater flow', () => {
    it('keeps both ratings and every disagreement, then needs a sign-off by a non-rater', async () => {
      await qualify(security.userId);
      await qualify(security2.userId);
      await qualify(security3.userId);
      const { caseId, personId } = await insertSubject(t, { age: 40 });
      const created = await open(security, caseId, { instrumentCode: RISK });
      expect(created.statusCode).toBe(201);
      const id = created.json().id as string;
      expect(created.json()).toMatchObject({ status: 'in_progress', personId, instrumentVersion: 1 });

      const first = await t.as(security, 'PUT', `/api/assessments/${id}/rating`, riskRating());
      expect(first.statusCode).toBe(200);
      const secondRating = riskRating({ means_to_harm: { value: 'partly', evidence: ['file review'] } });
      secondRating.output.judgement = 'moderate';
      expect((await t.as(security2, 'PUT', `/api/assessments/${id}/rating`, secondRating)).statusCode).toBe(
        200,
      );
      // Each rater rates on their own: the other's rating stays sealed until both are in.
      const seenBySecond = (await t.as(security2, 'GET', `/api/assessments/${id}`)).json();
      expect(seenBySecond.ratings).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ raterId: security.userId, hidden: true, answers: {}, output: {} }),
          expect.objectContaining({ raterId: security2.userId, hidden: false, output: secondRating.output }),
        ]),
      );
      expect((await t.as(security3, 'PUT', `/api/assessments/${id}/rating`, riskRating())).json().code).toBe(
        'ASSESSMENT_RATERS_FULL',
      );

      // A rater cannot see the other's rating change their own; consensus waits for both.
      expect((await t.as(security, 'POST', `/api/assessments/${id}/rating/submit`)).json().status).toBe(
        'in_progress',
      );
      expect(
        (await t.as(security, 'POST', `/api/assessments/${id}/consensus`, riskRating())).json().code,
      ).toBe('ASSESSMENT_WRONG_STATE');
      expect((await t.as(security2, 'POST', `/api/assessments/${id}/rating/submit`)).json().status).toBe(
        'awaiting_consensus',
      );

      const consensus = riskRating({
        means_to_harm: { value: 'partly', evidence: ['file review', 'panel'] },
      });
      consensus.output.judgement = 'moderate';
      expect((await t.as(security3, 'POST', `/api/assessments/${id}/consensus`, consensus)).json().code).toBe(
        'ASSESSMENT_NOT_A_RATER',
      );
      const settled = await t.as(security, 'POST', `/api/assessments/${id}/consensus`, {
        ...consensus,
        notes: { means_to_harm: 'Settled on the newer file review.' },
      });
      expect(settled.statusCode).toBe(200);
      const body = settled.json();
      expect(body).toMatchObject({
        status: 'submitted',
        complete: false,
        judgement: 'moderate',
        computed: {},
      });
      expect(body.ratings).toHaveLength(2);
      expect(body.disagreements).toEqual([
        {
          itemId: 'means_to_harm',
          ratings: expect.arrayContaining([
            { raterId: security.userId, value: 'absent' },
            { raterId: security2.userId, value: 'partly' },
          ]),
          consensus: 'partly',
          note: 'Settled on the newer file review.',
        },
        expect.objectContaining({ itemId: 'output.judgement', consensus: 'moderate' }),
      ]);

      expect(
        (await t.as(security2, 'POST', `/api/assessments/${id}/sign-off`, { decision: 'approve' })).json()
          .code,
      ).toBe('ASSESSMENT_SELF_SIGN_OFF');
      const signed = await t.as(securityLead, 'POST', `/api/assessments/${id}/sign-off`, {
        decision: 'approve',
      });
      expect(signed.json()).toMatchObject({
        status: 'signed_off',
        complete: true,
        signedOffBy: securityLead.userId,
      });
      const due = await t.handle.db
        .selectFrom('assessment_schedule')
        .selectAll()
        .where('source_assessment_id', '=', id)
        .execute();
      const in180Days = new Date(Date.now() + 180 * 86_400_000).toISOString().slice(0, 10);
      expect(due).toEqual([expect.objectContaining({ reason: 'interval', due_on: in180Days })]);
    });

    it('refuses a rating that lacks its evidence or a required output part at submission', async () => {
      await qualify(security.userId);
      const { caseId } = await insertSubject(t, { age: 40 });
      const id = (await open(security, caseId, { instrumentCode: RISK })).json().id as string;
      const rating = riskRating({ social_isolation: { value: 'present' } });
      expect((await t.as(security, 'PUT', `/api/assessments/${id}/rating`, rating)).statusCode).toBe(200);
      const refused = await t.as(security, 'POST', `/api/assessments/${id}/rating/submit`);
      expect(refused.statusCode).toBe(400);
      expect(refused.json()).toMatchObject({
        code: 'ASSESSMENT_INCOMPLETE',
        details: { path: 'answers.social_isolation.evidence' },
      });
    });
  });

  describe('a single-rater assessment', () => {
    it('refuses an answer off the item’s scale with 400 naming the item', async () => {
      const { caseId } = await insertSubject(t, { age: 30, assignedUserId: workerId });
      const id = (await open(worker, caseId, { instrumentCode: 'needs_assessment' })).json().id as string;
      const response = await t.as(worker, 'PUT', `/api/assessments/${id}/rating`, {
        answers: { housing: { value: 'catastrophic' } },
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({
        code: 'ASSESSMENT_ANSWER_INVALID',
        details: { path: 'body.answers.housing.value', item: 'housing' },
      });
      const unknownItem = await t.as(worker, 'PUT', `/api/assessments/${id}/rating`, {
        answers: { hobby: { value: 'x' } },
      });
      expect(unknownItem.json().details).toMatchObject({
        path: 'body.answers.hobby',
        reason: 'unknown_item',
      });
    });

    it('logs a judgement departing from the suggestion; refuses one without a reason', async () => {
      const { caseId } = await insertSubject(t, { age: 30, assignedUserId: workerId });
      const id = (await open(worker, caseId, { instrumentCode: 'needs_assessment' })).json().id as string;
      const output = { judgement: 'routine', managementPlan: 'Synthetic service plan.' };
      await t.as(worker, 'PUT', `/api/assessments/${id}/rating`, { answers: needsAnswers, output });
      const refused = await t.as(worker, 'POST', `/api/assessments/${id}/rating/submit`);
      expect(refused.json()).toMatchObject({
        code: 'OVERRIDE_REASON_MISSING',
        details: { suggested: 'urgent' },
      });
      await t.as(worker, 'PUT', `/api/assessments/${id}/rating`, {
        answers: needsAnswers,
        output: { ...output, overrideReason: 'Relatives already cover the urgent needs.' },
      });
      const submitted = await t.as(worker, 'POST', `/api/assessments/${id}/rating/submit`);
      expect(submitted.json()).toMatchObject({
        status: 'submitted',
        judgement: 'routine',
        suggestedJudgement: 'urgent',
        computed: { high_needs: { value: 3, answered: 7, unknown: 1 } },
      });
      const override = await t.handle.db
        .selectFrom('audit_events')
        .select('details')
        .where('action', '=', 'assessment.judgement_override')
        .where('target_id', '=', id)
        .executeTakeFirst();
      expect(override?.details).toEqual({ suggested: 'urgent', judgement: 'routine' });

      expect(
        (await t.as(worker, 'POST', `/api/assessments/${id}/sign-off`, { decision: 'approve' })).statusCode,
      ).toBe(403);
      const returned = await t.as(supervisor, 'POST', `/api/assessments/${id}/sign-off`, {
        decision: 'return',
        comment: 'Please describe the housing situation.',
      });
      expect(returned.json()).toMatchObject({ status: 'in_progress', answers: null });
      expect((await t.as(worker, 'POST', `/api/assessments/${id}/rating/submit`)).json().status).toBe(
        'submitted',
      );
      const signed = await t.as(supervisor, 'POST', `/api/assessments/${id}/sign-off`, {
        decision: 'approve',
      });
      expect(signed.json()).toMatchObject({ status: 'signed_off', complete: true });
    });

    it('audits a read with its section, and hides a child’s BIA from the security service', async () => {
      const { caseId } = await insertSubject(t, { age: 8, assignedUserId: workerId });
      const id = (await open(worker, caseId, { instrumentCode: 'child_bia' })).json().id as string;
      const read = await t.as(worker, 'GET', `/api/assessments/${id}?lang=ru`);
      expect(read.statusCode).toBe(200);
      expect(read.json().form).toMatchObject({
        language: 'ru',
        name: 'Оценка наилучших интересов ребёнка (ОНИ)',
      });
      const audit = await t.handle.db
        .selectFrom('audit_events')
        .select(['sections', 'actor_user_id'])
        .where('action', '=', 'assessment.read')
        .where('target_id', '=', id)
        .execute();
      expect(audit).toEqual([{ sections: ['protection'], actor_user_id: workerId }]);
      expect((await t.as(security, 'GET', `/api/assessments/${id}`)).json().code).toBe(
        'ASSESSMENT_NOT_FOUND',
      );
      expect((await t.as(security, 'GET', `/api/cases/${caseId}/assessments`)).json()).toEqual([]);
      expect((await t.as(worker, 'GET', `/api/cases/${caseId}/assessments`)).json()).toHaveLength(1);
    });
  });

  it('cancels an assessment that is not complete, keeping it', async () => {
    const { caseId } = await insertSubject(t, { age: 30, assignedUserId: workerId });
    const id = (await open(worker, caseId, { instrumentCode: 'needs_assessment' })).json().id as string;
    const cancelled = await t.as(worker, 'POST', `/api/assessments/${id}/cancel`, {
      reason: 'opened_in_error',
    });
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', complete: false });
    const again = await t.as(worker, 'POST', `/api/assessments/${id}/cancel`, { reason: 'duplicate' });
    expect(again.json().code).toBe('ASSESSMENT_WRONG_STATE');
    expect((await t.as(worker, 'GET', `/api/cases/${caseId}/assessments`)).json()).toEqual([
      expect.objectContaining({ id, status: 'cancelled' }),
    ]);
  });

  it('describes its routes in the API document', async () => {
    // Only this module's routes: the document of the whole app is other modules' business too.
    const app = await buildApp({
      db: t.handle.db,
      config: t.config,
      backend: t.handle.backend,
      logger: false,
      readiness: async () => ({ ready: true, schemaVersion: 0, expectedVersion: 0 }),
      registerRoutes: (zodApp) => registerAssessmentRoutes(zodApp, { db: t.handle.db, config: t.config }),
    });
    await app.ready();
    const document = (app as unknown as { swagger: () => { paths: Record<string, unknown> } }).swagger();
    await app.close();
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/instruments',
        '/api/cases/{id}/assessments',
        '/api/assessments/{id}/consensus',
        '/api/cases/{id}/decisions',
        '/api/reports/assessment-bias',
      ]),
    );
  });

  describe('versions', () => {
    it('renders an old assessment in its own version after a new version is published', async () => {
      const { caseId } = await insertSubject(t, { age: 30, assignedUserId: workerId });
      const oldId = (await open(worker, caseId, { instrumentCode: 'needs_assessment' })).json().id as string;
      await t.as(worker, 'PUT', `/api/assessments/${oldId}/rating`, {
        answers: needsAnswers,
        output: { judgement: 'urgent', managementPlan: 'Synthetic.' },
      });
      await t.as(worker, 'POST', `/api/assessments/${oldId}/rating/submit`);

      const v1 = loadShippedInstruments().find((s) => s.definition.code === 'needs_assessment')
        ?.raw as Definition;
      const v2 = structuredClone(v1);
      v2.version = 2;
      for (const language of ['en', 'ru', 'ar'])
        v2.translations[language]['needs.living.housing'] = `${language}: Housing (v2)`;
      v2.domains[2].items.push({ id: 'water', type: 'rating', label: 'needs.living.housing', scale: 'need' });
      const imported = await t.as(admin, 'POST', '/api/instruments', { definition: v2, publish: true });
      expect(imported.statusCode).toBe(201);
      expect(imported.json()).toMatchObject({ code: 'needs_assessment', version: 2, status: 'published' });

      const old = (await t.as(worker, 'GET', `/api/assessments/${oldId}?lang=en`)).json();
      expect(old.instrumentVersion).toBe(1);
      const housing = old.form.domains[2].items.find((i: { id: string }) => i.id === 'housing');
      expect(housing.label).toBe('Housing');
      expect(old.form.domains[2].items.map((i: { id: string }) => i.id)).not.toContain('water');
      expect(old.answers.housing).toEqual({ value: 'unknown' });

      const fresh = await open(worker, caseId, { instrumentCode: 'needs_assessment' });
      expect(fresh.json().instrumentVersion).toBe(2);
      expect(fresh.json().form.domains[2].items.map((i: { id: string }) => i.id)).toContain('water');

      const again = await t.as(admin, 'POST', '/api/instruments', {
        definition: { ...v2, name: 'needs.name' },
      });
      expect(again.json().code).toBe('INSTRUMENT_VERSION_PUBLISHED');
      await expect(
        sql`UPDATE instrument_versions SET definition = '{}'
          WHERE code = 'needs_assessment' AND version = 1`.execute(t.handle.db),
      ).rejects.toThrow(/immutable/);
      const exported = await t.as(admin, 'GET', '/api/instruments/needs_assessment/versions/2/export');
      expect(exported.json()).toEqual(v2);
    });

    it('takes drafts, publishes them once, retires a version keeping what was made in it', async () => {
      const base = loadShippedInstruments().find((s) => s.definition.code === 'trafficking_screening')
        ?.raw as Definition;
      const draft = { ...structuredClone(base), code: 'local_screening', version: 1 };
      expect((await t.as(admin, 'POST', '/api/instruments', { definition: draft })).json().status).toBe(
        'draft',
      );
      const listed = (await t.as(worker, 'GET', '/api/instruments')).json() as { code: string }[];
      expect(listed.map((i) => i.code)).not.toContain('local_screening');
      const { caseId } = await insertSubject(t, { age: 30, assignedUserId: workerId });
      expect((await open(worker, caseId, { instrumentCode: 'local_screening' })).json().code).toBe(
        'INSTRUMENT_NOT_PUBLISHED',
      );
      const published = await t.as(admin, 'POST', '/api/instruments/local_screening/versions/1/publish');
      expect(published.json()).toMatchObject({ status: 'published', shipped: false });
      const made = (await open(worker, caseId, { instrumentCode: 'local_screening' })).json().id as string;
      expect(
        (await t.as(admin, 'POST', '/api/instruments/local_screening/versions/1/publish')).statusCode,
      ).toBe(409);
      expect(
        (await t.as(admin, 'POST', '/api/instruments/local_screening/versions/1/retire')).json().status,
      ).toBe('retired');
      expect((await open(worker, caseId, { instrumentCode: 'local_screening' })).statusCode).toBe(409);
      expect((await t.as(worker, 'GET', `/api/assessments/${made}`)).json().form.code).toBe(
        'local_screening',
      );
      const rendered = await t.as(worker, 'GET', '/api/instruments/local_screening/versions/1?lang=ar');
      expect(rendered.json()).toMatchObject({ language: 'ar', name: 'فحص مؤشرات الاتجار بالبشر' });
    });

    it('refuses a faulty definition at import with the path of the fault', async () => {
      const base = loadShippedInstruments().find((s) => s.definition.code === 'trafficking_screening')
        ?.raw as Definition;
      const cases: [string, (d: Definition) => void, string][] = [
        [
          'an unknown item type',
          (d) => (d.domains[1].items[0].type = 'slider'),
          'body.definition.domains.1.items.0.type',
        ],
        [
          'a skip rule naming a missing item',
          (d) => (d.domains[0].items[1].showIf = { item: 'ghost', in: ['yes'] }),
          'body.definition.domains.0.items.1.showIf.item',
        ],
        [
          'a missing translation key',
          (d) => delete d.translations.ru['trafficking.control.debt'],
          'body.definition.translations.ru.trafficking.control.debt',
        ],
      ];
      for (const [what, breakIt, path] of cases) {
        const definition = structuredClone(base);
        definition.version = 9;
        breakIt(definition);
        const response = await t.as(admin, 'POST', '/api/instruments', { definition });
        expect(response.statusCode, what).toBe(400);
        expect(response.json(), what).toMatchObject({ code: 'INSTRUMENT_INVALID', details: { path } });
      }
      expect((await t.as(worker, 'POST', '/api/instruments', { definition: base })).statusCode).toBe(403);
    });
  });

  describe('re-assessment', () => {
    it('lists re-assessments due by event and by follow-up schedule, in the cases one may see', async () => {
      const { caseId } = await insertSubject(t, { age: 12, stage: 8, assignedUserId: workerId });
      const bia = (await open(worker, caseId, { instrumentCode: 'child_bia' })).json().id as string;
      expect(bia).toBeDefined();
      const raised = await t.as(worker, 'POST', `/api/cases/${caseId}/reassessment-events`, {
        event: 'placement_change',
      });
      expect(raised.statusCode).toBe(201);
      expect(raised.json()).toEqual([
        expect.objectContaining({ instrumentCode: 'child_bia', reason: 'event' }),
      ]);

      const scheduled = await t.as(worker, 'POST', `/api/cases/${caseId}/follow-ups`, {
        instrumentCode: 'reintegration_follow_up',
        from: addYears(todayIso(), -1),
      });
      expect(scheduled.json().map((e: { followUpMonth: number }) => e.followUpMonth)).toEqual([3, 6, 12]);

      const overdue = (await t.as(worker, 'GET', `/api/assessments/overdue?asOf=${inYears(1)}`)).json() as {
        caseId: string;
        reason: string;
      }[];
      const mine = overdue.filter((e) => e.caseId === caseId);
      expect(mine.map((e) => e.reason).sort()).toEqual(['event', 'follow_up', 'follow_up', 'follow_up']);
      const notMine = (await t.as(otherWorker, 'GET', `/api/assessments/overdue?asOf=${inYears(1)}`)).json();
      expect(notMine.filter((e: { caseId: string }) => e.caseId === caseId)).toEqual([]);

      // The 3-month survey answers the earliest wave only.
      const survey = (await open(worker, caseId, { instrumentCode: 'reintegration_follow_up' })).json()
        .id as string;
      const likert = Object.fromEntries(
        [
          'income',
          'housing',
          'work_or_training',
          'family_relations',
          'community_acceptance',
          'access_to_services',
          'free_of_stigma',
          'emotional_wellbeing',
          'daily_functioning',
          'hope',
        ].map((id, i) => [id, { value: i % 3 === 0 ? 'good' : 'fair' }]),
      );
      await t.as(worker, 'PUT', `/api/assessments/${survey}/rating`, {
        answers: { wave: { value: 'm3' }, ...likert },
      });
      const done = await t.as(worker, 'POST', `/api/assessments/${survey}/rating/submit`);
      expect(done.json()).toMatchObject({
        status: 'submitted',
        complete: true,
        computed: {
          economic_score: { value: 3.33 },
          social_score: { value: 3.5 },
          psychosocial_score: { value: 3.33 },
        },
      });
      const waves = await t.handle.db
        .selectFrom('assessment_schedule')
        .select(['follow_up_month', 'satisfied_by'])
        .where('case_id', '=', caseId)
        .where('reason', '=', 'follow_up')
        .orderBy('follow_up_month')
        .execute();
      expect(waves).toEqual([
        { follow_up_month: 3, satisfied_by: survey },
        { follow_up_month: 6, satisfied_by: null },
        { follow_up_month: 12, satisfied_by: null },
      ]);
    });
  });

  it('makes instruments due on an event, naming none of compartments one cannot open', async () => {
    await qualify(security.userId);
    const { caseId } = await insertSubject(t, { age: 33, assignedUserId: workerId });
    expect((await open(worker, caseId, { instrumentCode: 'needs_assessment' })).statusCode).toBe(201);
    expect((await open(security, caseId, { instrumentCode: RISK })).statusCode).toBe(201);
    const byWorker = await t.as(worker, 'POST', `/api/cases/${caseId}/reassessment-events`, {
      event: 'new_information',
    });
    expect(byWorker.json().map((e: { instrumentCode: string }) => e.instrumentCode)).toEqual([
      'needs_assessment',
    ]);
    const bySecurity = await t.as(security, 'POST', `/api/cases/${caseId}/reassessment-events`, {
      event: 'new_information',
    });
    expect(bySecurity.json().map((e: { instrumentCode: string }) => e.instrumentCode)).toEqual([RISK]);
    const overdue = (await t.as(worker, 'GET', `/api/assessments/overdue?asOf=${inYears(1)}`)).json();
    expect(
      overdue
        .filter((e: { caseId: string }) => e.caseId === caseId)
        .map((e: { instrumentCode: string }) => e.instrumentCode),
    ).toEqual(['needs_assessment']);
  });

  describe('the non-punishment review input', () => {
    it('counts a trafficking screening once it is signed off', async () => {
      const { caseId, personId } = await insertSubject(t, { age: 27, assignedUserId: workerId });
      expect(await hasCompletedNonPunishmentReview(t.handle.db, personId)).toBe(false);
      const id = (await open(worker, caseId, { instrumentCode: 'trafficking_screening' })).json()
        .id as string;
      const answers = Object.fromEntries(
        [
          'deceived',
          'movement_controlled',
          'forced_labour',
          'sexual_exploitation',
          'forced_marriage',
          'compelled_participation',
          'documents_withheld',
          'debt_bondage',
          'threats_to_family',
          'recruited_as_child',
        ].map((item, i) => [item, { value: i < 2 ? 'yes' : 'no' }]),
      );
      await t.as(worker, 'PUT', `/api/assessments/${id}/rating`, {
        answers,
        output: { judgement: 'indicators_present' },
      });
      expect((await t.as(worker, 'POST', `/api/assessments/${id}/rating/submit`)).json().status).toBe(
        'submitted',
      );
      expect(await hasCompletedNonPunishmentReview(t.handle.db, personId)).toBe(false);
      await t.as(supervisor, 'POST', `/api/assessments/${id}/sign-off`, { decision: 'approve' });
      expect(await hasCompletedNonPunishmentReview(t.handle.db, personId)).toBe(true);
    });
  });
});
