import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureShippedInstruments } from '../src/modules/assessments/index.ts';
import { addYears, todayIso } from '../src/modules/persons/age.ts';
import { verifyAuditChain } from '../src/platform/audit/audit.ts';
import { createTestApp, type Session, type TestApp } from './app.ts';
import { addJusticeRole, completeBiaAnswers, completeBiaOutput, panelDecision } from './lifecycle.ts';

/**
 * The whole lifecycle through the API, for one synthetic family (issue §9): a mother and three
 * children identified in a camp → identity and filiation verified → a BIA for each child →
 * repatriated → reception → needs assessment → the mother's trafficking indicators reviewed,
 * justice decision "divert" → rehabilitation plan with a referral an NGO accepts → documents issued,
 * school enrolment → monitoring → closure approved by a supervisor.
 */
describe('one family through the whole lifecycle', () => {
  let t: TestApp;
  let supervisor: Session;
  let worker: Session;
  let justice: Session;
  let ngo: Session;
  let ngoAgency: string;
  const today = todayIso();
  const family = {
    mother: '',
    children: [] as string[],
    cases: new Map<string, string>(),
  };

  beforeAll(async () => {
    t = await createTestApp();
    await ensureShippedInstruments(t.handle.db);
    await addJusticeRole(t);
    await t.addUser('sc-supervisor', ['supervisor'], 'MSP');
    await t.addUser('sc-worker', ['case_worker'], 'MSP');
    await t.addUser('sc-justice', ['justice_liaison'], 'MSP');
    await t.addUser('sc-ngo', ['ngo_worker'], 'NGO-WRC');
    supervisor = await t.login('sc-supervisor');
    worker = await t.login('sc-worker');
    justice = await t.login('sc-justice');
    ngo = await t.login('sc-ngo');
    ngoAgency = await t.agencyId('NGO-WRC');
  });
  afterAll(() => t.close());

  async function ok(response: Awaited<ReturnType<TestApp['as']>>, status = 200) {
    expect(response.statusCode, response.body).toBe(status);
    return response.json();
  }
  const caseOf = (personId: string) => family.cases.get(personId)!;
  const everyone = () => [family.mother, ...family.children];
  /** Requests a transition with the version just read; the answer may be a refusal. */
  async function attempt(as: Session, personId: string, code: string, extra: Record<string, unknown> = {}) {
    const caseId = caseOf(personId);
    const current = await ok(await t.as(as, 'GET', `/api/cases/${caseId}`));
    return t.as(as, 'POST', `/api/cases/${caseId}/transitions`, {
      transition: code,
      version: current.version,
      ...extra,
    });
  }
  /** A transition that must be applied (200) or sent for approval (202). */
  async function transition(
    as: Session,
    personId: string,
    code: string,
    extra: Record<string, unknown> = {},
  ) {
    const response = await attempt(as, personId, code, extra);
    expect([200, 202], `${code}: ${response.body}`).toContain(response.statusCode);
    return response.json();
  }
  /** A transition that must be refused: returns the 409 body. */
  async function refused(as: Session, personId: string, code: string, extra: Record<string, unknown> = {}) {
    const response = await attempt(as, personId, code, extra);
    expect(response.statusCode, `${code}: ${response.body}`).toBe(409);
    return response.json();
  }
  /** A multi-agency panel decision on the person's case, through the API. */
  async function decide(as: Session, personId: string, kind: string, outcome: string) {
    return ok(
      await t.as(as, 'POST', `/api/cases/${caseOf(personId)}/decisions`, panelDecision(kind, outcome, today)),
      201,
    );
  }
  async function approve(personId: string, approvalId: string) {
    return ok(
      await t.as(supervisor, 'POST', `/api/cases/${caseOf(personId)}/approvals/${approvalId}/approve`, {}),
    );
  }

  it('1. identifies a mother and three children in a camp and opens linked cases', async () => {
    const register = (body: Record<string, unknown>) => t.as(supervisor, 'POST', '/api/persons', body);
    const mother = await ok(
      await register({
        sex: 'female',
        birthDate: { kind: 'year', year: 1991 },
        placeOfBirth: 'Aktobe',
        whereabouts: 'camp',
        whereaboutsDetail: 'al-Hol',
        flags: ['trafficking_indicators'],
        names: [
          {
            fullName: 'Айгуль Маратовна Сапарова',
            script: 'cyrillic',
            nameType: 'primary',
            source: 'civil_registry',
            isDisplay: true,
          },
          { fullName: 'عايغول ساباروفا', script: 'arabic', nameType: 'variant', source: 'camp_list' },
          { fullName: 'Umm Ali al-Kazakhi', script: 'latin', nameType: 'kunya', source: 'camp_list' },
        ],
        nationalities: [{ country: 'KZ', status: 'claimed' }],
        documents: [{ documentType: 'passport', issuer: 'KZ', status: 'confiscated' }],
      }),
      201,
    );
    family.mother = mother.id;
    const births = [addYears(today, -12), addYears(today, -8), addYears(today, -5)];
    for (const [i, born] of births.entries()) {
      const child = await ok(
        await register({
          sex: i === 1 ? 'female' : 'male',
          birthDate: { kind: 'exact', date: born },
          placeOfBirth: i === 0 ? 'Aktobe' : 'al-Hol camp',
          placeOfBirthIsCamp: i > 0,
          whereabouts: 'camp',
          names: [
            {
              fullName: `Синтетик Ребёнок ${i + 1}`,
              script: 'cyrillic',
              nameType: 'primary',
              source: 'testimony',
            },
          ],
          nationalities: [{ country: 'KZ', status: 'claimed' }],
        }),
        201,
      );
      family.children.push(child.id);
      await ok(
        await t.as(supervisor, 'POST', `/api/persons/${child.id}/relationships`, {
          relatedPersonId: mother.id,
          relation: 'mother',
          provenance: 'claimed',
        }),
        201,
      );
    }
    const unit = await ok(
      await t.as(supervisor, 'POST', '/api/family-units', { memberIds: everyone() }),
      201,
    );
    for (const personId of everyone()) {
      const opened = await ok(
        await t.as(supervisor, 'POST', '/api/cases', {
          personId,
          familyUnitId: unit.id,
          assignedUserId: worker.userId,
        }),
        201,
      );
      family.cases.set(personId, opened.id);
    }
    const page = await ok(await t.as(worker, 'GET', `/api/cases/${caseOf(family.mother)}`));
    expect(page.familyCases).toHaveLength(3);
    expect(page).toMatchObject({ stage: 0, assignedUserId: worker.userId });
  });

  it('2. verifies identity, nationality and the children’s filiation', async () => {
    for (const personId of everyone()) await transition(worker, personId, 'begin_verification');
    // Filiation is not yet documented: the children cannot move on.
    const early = await refused(worker, family.children[0]!, 'assess_before_return');
    expect(early).toMatchObject({
      code: 'TRANSITION_NOT_ALLOWED',
      details: { precondition: 'nationality_verified' },
    });
    const motherFamily = await ok(await t.as(supervisor, 'GET', `/api/persons/${family.mother}/family`));
    for (const relative of motherFamily.relatives) {
      await ok(
        await t.as(supervisor, 'PUT', `/api/relationships/${relative.relationshipId}/provenance`, {
          provenance: 'dna_confirmed',
        }),
      );
    }
    for (const personId of everyone()) {
      const person = await ok(await t.as(supervisor, 'GET', `/api/persons/${personId}`));
      const nationality = person.nationalities[0].id;
      await ok(
        await t.as(supervisor, 'POST', `/api/persons/${personId}/nationalities/${nationality}/evidence`, {
          kind: personId === family.mother ? 'registry_check' : 'dna_result',
          reference: `SYN-REF-${personId.slice(0, 8)}`,
          outcome: 'supports',
        }),
        201,
      );
      await ok(
        await t.as(supervisor, 'PUT', `/api/persons/${personId}/nationalities/${nationality}/status`, {
          status: 'verified',
        }),
      );
      const moved = await transition(worker, personId, 'assess_before_return');
      expect(moved.case.stage).toBe(2);
    }
  });

  it('3. records a best-interests assessment for each child', async () => {
    // Without a completed BIA a child cannot be repatriated — nor their mother ahead of them.
    const early = await refused(worker, family.children[0]!, 'repatriate');
    expect(early.details.precondition).toBe('assessment.best_interests_assessment');
    const motherEarly = await refused(worker, family.mother, 'repatriate');
    expect(motherEarly.details.precondition).toBe('assessment.best_interests_assessment');
    for (const [index, child] of family.children.entries()) {
      const bia = await ok(
        await t.as(worker, 'POST', `/api/cases/${caseOf(child)}/assessments`, {
          instrumentCode: 'child_bia',
        }),
        201,
      );
      await ok(
        await t.as(worker, 'PUT', `/api/assessments/${bia.id}/rating`, {
          answers: completeBiaAnswers,
          output: completeBiaOutput,
        }),
      );
      await ok(await t.as(worker, 'POST', `/api/assessments/${bia.id}/rating/submit`));
      const signed = await ok(
        await t.as(supervisor, 'POST', `/api/assessments/${bia.id}/sign-off`, { decision: 'approve' }),
      );
      expect(signed.status).toBe('signed_off');
      await transition(worker, child, 'protection.open');
      if (index === 0) {
        // One child assessed, two to go: the mother still waits for every child's BIA.
        const waiting = await refused(worker, family.mother, 'repatriate');
        expect(waiting.details.precondition).toBe('assessment.best_interests_assessment');
      }
    }
    await transition(worker, family.mother, 'protection.open');
  });

  it('4. repatriates the family with a supervisor’s approval', async () => {
    for (const personId of everyone()) {
      const requested = await transition(worker, personId, 'repatriate', { comment: 'Manifest reconciled' });
      expect(requested.outcome).toBe('approval_requested');
      const approved = await approve(personId, requested.approval.id);
      expect(approved.case.stage).toBe(3);
    }
  });

  it('5. receives them, in family-based care with their mother', async () => {
    for (const personId of everyone()) {
      await transition(worker, personId, 'receive');
      const person = await ok(await t.as(supervisor, 'GET', `/api/persons/${personId}`));
      await ok(
        await t.as(supervisor, 'PATCH', `/api/persons/${personId}`, {
          version: person.version,
          whereabouts: 'in_country',
          whereaboutsDetail: null,
        }),
      );
    }
    for (const child of family.children) {
      const care = await ok(
        await t.as(supervisor, 'POST', `/api/persons/${child}/care-arrangements`, {
          kind: 'family_based',
          caregiverPersonId: family.mother,
          startsOn: today,
        }),
        201,
      );
      expect(care.careArrangements.at(-1)).toMatchObject({ kind: 'family_based', current: true });
    }
  });

  it('6. assesses everyone’s needs', async () => {
    for (const personId of everyone()) {
      await transition(worker, personId, 'assess_individually');
      await ok(
        await t.as(worker, 'POST', `/api/cases/${caseOf(personId)}/notes`, {
          compartment: 'protection',
          body: 'Needs assessment completed (synthetic).',
        }),
        201,
      );
    }
  });

  it('7. reviews the mother’s trafficking indicators before the justice decision: divert', async () => {
    const caseId = caseOf(family.mother);
    // The referral names the prosecution office; identity and justice are disclosed to it.
    const office = await t.handle.db
      .insertInto('agencies')
      .values({ code: 'GPO', name: 'Prosecution office (synthetic)', kind: 'prosecution' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await transition(worker, family.mother, 'refer_for_justice_decision', { prosecutionAgencyId: office.id });
    await transition(justice, family.mother, 'justice.open');
    const prosecute = await refused(justice, family.mother, 'justice.prosecute');
    expect(prosecute.details.precondition).toBe('safeguard.non_punishment_review');
    const review = await ok(await t.as(justice, 'POST', `/api/cases/${caseId}/non-punishment-reviews`), 201);
    await ok(
      await t.as(justice, 'POST', `/api/cases/${caseId}/non-punishment-reviews/${review.id}/complete`, {
        outcome: 'non_punishment_applies',
      }),
    );
    // The transition follows the panel's decision; it does not replace it.
    const undecided = await refused(justice, family.mother, 'justice.divert');
    expect(undecided.details.precondition).toBe('decision.justice_decision.divert');
    await decide(justice, family.mother, 'justice_decision', 'divert');
    const diverted = await transition(justice, family.mother, 'justice.divert');
    expect(diverted.case.tracks).toEqual(
      expect.arrayContaining([expect.objectContaining({ track: 'justice', status: 'diverted' })]),
    );
    // No child ever enters a justice track.
    const child = await refused(justice, family.children[0]!, 'justice.open');
    expect(child.details.precondition).toBe('safeguard.minimum_age_of_criminal_responsibility');
  });

  it('8. makes rehabilitation plans, with a referral the NGO accepts', async () => {
    const motherCase = caseOf(family.mother);
    await ok(
      await t.as(worker, 'POST', `/api/cases/${motherCase}/plans`, {
        title: 'Rehabilitation plan',
        goals: [{ domain: 'psychosocial', description: 'Counselling with a women-led organisation' }],
        actions: [
          { goal: 0, description: 'Weekly sessions', responsibleAgencyId: ngoAgency, dueOn: '2099-01-01' },
        ],
      }),
      201,
    );
    const noConsent = await t.as(worker, 'POST', `/api/cases/${motherCase}/referrals`, {
      toAgencyId: ngoAgency,
      serviceType: 'psychosocial',
      packetSummary: 'Adult woman; weekly counselling; Russian or Kazakh',
    });
    expect(noConsent.json().code).toBe('CONSENT_REQUIRED');
    await ok(
      await t.as(supervisor, 'POST', '/api/consents', {
        personId: family.mother,
        purpose: 'referral',
        legalBasis: 'consent',
        decision: 'granted',
      }),
      201,
    );
    const referral = await ok(
      await t.as(worker, 'POST', `/api/cases/${motherCase}/referrals`, {
        toAgencyId: ngoAgency,
        serviceType: 'psychosocial',
        packetSummary: 'Adult woman; weekly counselling; Russian or Kazakh',
      }),
      201,
    );
    const packet = await ok(await t.as(ngo, 'GET', `/api/referrals/${referral.id}`));
    expect(packet.person.displayName).toBeNull();
    await ok(await t.as(ngo, 'POST', `/api/referrals/${referral.id}/accept`));
    await ok(
      await t.as(ngo, 'POST', `/api/cases/${motherCase}/services`, {
        serviceType: 'psychosocial',
        referralId: referral.id,
        deliveredOn: today,
        outcome: 'completed',
      }),
      201,
    );
    for (const child of family.children) {
      await ok(
        await t.as(worker, 'POST', `/api/cases/${caseOf(child)}/plans`, {
          title: 'Child’s plan',
          goals: [
            { domain: 'education', description: 'Enrol in school' },
            { domain: 'documents', description: 'Birth certificate' },
          ],
        }),
        201,
      );
    }
    for (const personId of everyone()) {
      const moved = await transition(worker, personId, 'start_rehabilitation');
      expect(moved.case.stage).toBe(7);
    }
  });

  it('9. issues documents and enrols the children in school', async () => {
    for (const personId of everyone()) {
      await ok(
        await t.as(supervisor, 'POST', `/api/persons/${personId}/documents`, {
          documentType: personId === family.mother ? 'national_id' : 'birth_certificate',
          issuer: 'KZ civil registry',
          status: 'issued',
          issuedOn: today,
        }),
        201,
      );
      await transition(worker, personId, 'start_reintegration');
    }
    for (const child of family.children.slice(0, 2)) {
      await ok(
        await t.as(worker, 'POST', `/api/cases/${caseOf(child)}/services`, {
          serviceType: 'education',
          deliveredOn: today,
          outcome: 'ongoing',
        }),
        201,
      );
    }
  });

  it('10. monitors, then closes every case with a supervisor’s approval', async () => {
    for (const personId of everyone()) {
      await transition(worker, personId, 'start_monitoring');
      await transition(worker, personId, 'protection.monitor');
      const task = await ok(
        await t.as(worker, 'POST', `/api/cases/${caseOf(personId)}/tasks`, {
          title: 'Three-month follow-up visit',
          kind: 'follow_up',
          dueOn: today,
        }),
        201,
      );
      const early = await refused(worker, personId, 'close', { closeReason: 'goals_met' });
      expect(early.details.precondition).toBe('no_open_tasks');
      await ok(
        await t.as(worker, 'PATCH', `/api/cases/${caseOf(personId)}/tasks/${task.id}`, {
          version: 1,
          status: 'done',
        }),
      );
      const undecided = await refused(worker, personId, 'close', { closeReason: 'goals_met' });
      expect(undecided.details.precondition).toBe('decision.step_down.step_down');
      await decide(supervisor, personId, 'step_down', 'step_down');
      const requested = await transition(worker, personId, 'close', { closeReason: 'goals_met' });
      expect(requested.outcome).toBe('approval_requested');
      const selfApproval = await t.as(
        worker,
        'POST',
        `/api/cases/${caseOf(personId)}/approvals/${requested.approval.id}/approve`,
        {},
      );
      expect(selfApproval.statusCode).toBe(403);
      const closed = await approve(personId, requested.approval.id);
      expect(closed.case).toMatchObject({ status: 'closed', stage: 10, closeReason: 'goals_met' });
      expect(closed.case.tracks.every((tr: { status: string }) => tr.status === 'closed')).toBe(true);
    }
  });

  it('11. kept every transition, approval and change — and the audit chain holds', async () => {
    const history = await ok(
      await t.as(supervisor, 'GET', `/api/cases/${caseOf(family.mother)}/transitions`),
    );
    expect(
      history.transitions
        .filter((tr: { kind: string }) => tr.kind === 'stage')
        .map((tr: { to: string }) => tr.to),
    ).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    expect(
      history.approvals.map((a: { transition: string; status: string }) => `${a.transition}:${a.status}`),
    ).toEqual(['repatriate:approved', 'close:approved']);
    const personHistory = await ok(await t.as(supervisor, 'GET', `/api/persons/${family.mother}/history`));
    expect(personHistory.map((h: { field: string }) => h.field)).toEqual(
      expect.arrayContaining(['nationalities.status', 'whereabouts', 'documents']),
    );
    const list = await ok(await t.as(supervisor, 'GET', '/api/cases?status=closed&limit=10'));
    expect(list.total).toBe(4);
    const verification = await verifyAuditChain(t.handle.db);
    expect(verification.ok).toBe(true);
  });
});
