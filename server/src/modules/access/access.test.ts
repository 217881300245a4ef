import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../platform/auth/actor.ts';
import { authenticateSession } from '../../platform/auth/authenticate.ts';
import { loadConfig } from '../../platform/config.ts';
import { caseAccess } from './access.ts';
import { applyFieldMask, loadFieldRules, maskFields } from './masking.ts';
import { createWorld, type RecordKind, type RoleCode, roleCodes, type World } from './test-world.ts';

const config = loadConfig({ HOMEWARD_DATA_DIR: 'memory://', HOMEWARD_DEMO: '1' });
const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

describe('need-to-know access', { timeout: 180_000 }, () => {
  let w: World;
  const actor = (role: RoleCode): Promise<Actor> =>
    authenticateSession(w.handle.db, config, w.sessions[role].cookie.replace('hw_session=', ''));
  const audits = (action: string) =>
    w.handle.db
      .selectFrom('audit_events')
      .select(['outcome', 'justification', 'details', 'sections', 'target_id'])
      .where('action', '=', action)
      .orderBy('seq')
      .execute();

  beforeAll(async () => {
    w = await createWorld();
  });
  afterAll(() => w?.close());

  describe('break-glass', () => {
    it('refuses an empty or short reason with 400 BREAK_GLASS_REASON_REQUIRED, and audits the attempt', async () => {
      for (const reason of ['', 'too short really']) {
        const response = await w.as(
          'case_worker',
          'POST',
          `/api/access/cases/${w.records.otherAgency.caseId}/break-glass`,
          {
            reason,
          },
        );
        expect(response.statusCode).toBe(400);
        expect(response.json()).toMatchObject({
          code: 'BREAK_GLASS_REASON_REQUIRED',
          details: { path: 'body.reason' },
        });
      }
      const failures = (await audits('breakglass.open')).filter((a) => a.outcome === 'failure');
      expect(failures).toHaveLength(2);
    });

    it('is forbidden per role and compartment: NGO roles not at all, security assessors outside security', async () => {
      const ngo = await w.as(
        'ngo_worker',
        'POST',
        `/api/access/cases/${w.records.otherAgency.caseId}/break-glass`,
        {
          reason: 'client disclosed immediate risk of harm today',
        },
      );
      expect(ngo.statusCode).toBe(403);
      const security = await w.as(
        'security_assessor',
        'POST',
        `/api/access/cases/${w.records.otherAgency.caseId}/break-glass`,
        { reason: 'client disclosed immediate risk of harm today', compartments: ['protection'] },
      );
      expect(security.statusCode).toBe(403);
      expect(security.json()).toMatchObject({
        code: 'BREAK_GLASS_FORBIDDEN',
        details: { compartments: ['protection'] },
      });
    });

    it('opens a case outside scope for 60 minutes, alerts supervisor and DPO, lists it for review, and expires', async () => {
      const target = w.records.otherAgency;
      expect((await w.as('case_worker', 'GET', `/api/access/cases/${target.caseId}`)).statusCode).toBe(404);
      const opened = await w.as('case_worker', 'POST', `/api/access/cases/${target.caseId}/break-glass`, {
        reason: 'child reported missing, need last known placement',
      });
      expect(opened.statusCode).toBe(201);
      const grant = opened.json();
      expect(new Date(grant.expiresAt).getTime() - new Date(grant.openedAt).getTime()).toBe(60 * 60_000);
      expect(grant.compartments.sort()).toEqual(['education', 'health', 'protection', 'referral_packet']);

      const access = await w.as('case_worker', 'GET', `/api/access/cases/${target.caseId}`);
      expect(access.statusCode).toBe(200);
      expect(access.json()).toMatchObject({ via: { scope: false, breakGlassGrantId: grant.id }, write: [] });
      expect(access.json().read).toContain('health');

      // Alerts, at once, to the supervisor and the data-protection officer.
      for (const role of ['supervisor', 'data_protection_officer'] as const) {
        const inbox = (await w.as(role, 'GET', '/api/notifications?unread=true')).json();
        expect(inbox).toEqual(
          expect.arrayContaining([expect.objectContaining({ kind: 'break_glass', subjectId: grant.id })]),
        );
      }
      expect((await w.as('case_worker', 'GET', '/api/notifications')).json()).toEqual([]);
      // The review list: the DPO sees it; the supervisor sees their supervisee's.
      for (const role of ['supervisor', 'data_protection_officer'] as const) {
        const list = (await w.as(role, 'GET', '/api/break-glass?unreviewed=true')).json();
        expect(list.map((g: { id: string }) => g.id)).toContain(grant.id);
      }
      const review = await w.as('supervisor', 'POST', `/api/break-glass/${grant.id}/review`, {
        outcome: 'justified',
      });
      expect(review.json()).toMatchObject({ reviewOutcome: 'justified' });
      expect((await audits('breakglass.open')).at(-1)).toMatchObject({
        outcome: 'success',
        justification: 'child reported missing, need last known placement',
        target_id: target.caseId,
      });

      // Expiry is honoured by the row filter itself.
      await w.handle.db
        .updateTable('break_glass_grants')
        .set({ opened_at: new Date(Date.now() - 2 * 3_600_000), expires_at: new Date(Date.now() - 1000) })
        .where('id', '=', grant.id)
        .execute();
      expect((await w.as('case_worker', 'GET', `/api/access/cases/${target.caseId}`)).statusCode).toBe(404);
      expect((await w.as('case_worker', 'GET', `/api/cases/${target.caseId}`)).statusCode).toBe(404);
    });

    it('answers 409 BREAK_GLASS_NOT_NEEDED to someone who already sees everything asked for', async () => {
      const response = await w.as(
        'case_worker',
        'POST',
        `/api/access/cases/${w.records.assignedToMe.caseId}/break-glass`,
        {
          reason: 'checking the protection compartment again',
          compartments: ['protection'],
        },
      );
      expect(response.statusCode).toBe(409);
      expect(response.json().code).toBe('BREAK_GLASS_NOT_NEEDED');
    });

    it('lasts as long as configured', async () => {
      const short = await createWorld({ HOMEWARD_BREAK_GLASS_MINUTES: '5' });
      try {
        const opened = await short.as(
          'case_worker',
          'POST',
          `/api/access/cases/${short.records.otherAgency.caseId}/break-glass`,
          { reason: 'child reported missing, need last known placement' },
        );
        const grant = opened.json();
        expect(new Date(grant.expiresAt).getTime() - new Date(grant.openedAt).getTime()).toBe(5 * 60_000);
      } finally {
        await short.close();
      }
    });
  });

  describe('disclosures', () => {
    const base = () => ({
      recipientAgencyId: w.agencies.MOH,
      sections: ['protection'],
      legalBasis: 'best_interests',
      purpose: 'health follow-up of a returnee',
      expiresAt: inAnHour(),
    });

    it('refuses no legal basis, a past expiry or an unclear recipient with their own codes, each audited', async () => {
      const url = `/api/access/cases/${w.records.myAgencyUnassigned.caseId}/disclosures`;
      const { legalBasis: _, ...noBasis } = base();
      const cases: [unknown, string][] = [
        [noBasis, 'DISCLOSURE_LEGAL_BASIS_REQUIRED'],
        [{ ...base(), expiresAt: new Date(Date.now() - 60_000).toISOString() }, 'DISCLOSURE_EXPIRY_INVALID'],
        [{ ...base(), recipientCompartment: 'health' }, 'DISCLOSURE_RECIPIENT_INVALID'],
      ];
      for (const [body, code] of cases) {
        const response = await w.as('supervisor', 'POST', url, body);
        expect(response.statusCode).toBe(400);
        expect(response.json().code).toBe(code);
      }
      const failures = (await audits('disclosure.create')).filter((a) => a.outcome === 'failure');
      expect(failures.map((f) => (f.details as { code: string }).code)).toEqual(
        cases.map(([, code]) => code),
      );
    });

    it('refuses to pass on a section the discloser cannot read', async () => {
      const response = await w.as(
        'supervisor',
        'POST',
        `/api/access/cases/${w.records.myAgencyUnassigned.caseId}/disclosures`,
        {
          ...base(),
          sections: ['security'],
        },
      );
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({
        code: 'COMPARTMENT_FORBIDDEN',
        details: { section: 'security' },
      });
    });

    it('shows the recipient exactly the disclosed sections, for exactly as long, until revoked', async () => {
      const target = w.records.myAgencyUnassigned;
      expect((await w.as('health_worker', 'GET', `/api/access/cases/${target.caseId}`)).statusCode).toBe(404);
      const created = await w.as(
        'supervisor',
        'POST',
        `/api/access/cases/${target.caseId}/disclosures`,
        base(),
      );
      expect(created.statusCode).toBe(201);
      const disclosure = created.json();
      const seen = await w.as('health_worker', 'GET', `/api/access/cases/${target.caseId}`);
      expect(seen.json()).toMatchObject({ read: ['protection'], write: [], via: { scope: false } });
      // The recipient sees the disclosure made to it, not the case's other disclosures.
      const listed = (
        await w.as('health_worker', 'GET', `/api/access/cases/${target.caseId}/disclosures`)
      ).json();
      expect(listed.map((d: { id: string }) => d.id)).toEqual([disclosure.id]);
      expect((await audits('disclosure.create')).at(-1)).toMatchObject({
        outcome: 'success',
        sections: ['protection'],
      });

      const revoked = await w.as('supervisor', 'POST', `/api/disclosures/${disclosure.id}/revoke`, {
        reason: 'done',
      });
      expect(revoked.json()).toMatchObject({ active: false });
      expect((await w.as('health_worker', 'GET', `/api/access/cases/${target.caseId}`)).statusCode).toBe(404);
      expect(
        (await w.as('supervisor', 'POST', `/api/disclosures/${disclosure.id}/revoke`, {})).json().code,
      ).toBe('DISCLOSURE_ALREADY_REVOKED');
      // The DPO's review list carries it.
      const review = (await w.as('data_protection_officer', 'GET', '/api/disclosures')).json();
      expect(review.map((d: { id: string }) => d.id)).toContain(disclosure.id);
    });

    it('lets a compartment recipient see a justice disclosure, and the prosecutor nothing else', async () => {
      const prosecutor = await actor('prosecutor');
      const disclosed = await caseAccess(w.handle.db, prosecutor, w.records.disclosedToJustice.caseId);
      expect(disclosed && [...disclosed.read].sort()).toEqual(['identity', 'justice']);
      expect(await caseAccess(w.handle.db, prosecutor, w.records.otherAgency.caseId)).toBeNull();
    });
  });

  describe('justice disclosed to a prosecution office', () => {
    let n = 0;
    /** A stage-6 case of an adult, owned by MSP-NORTH, that nobody at GPO sees yet. */
    const adultCase = async () => {
      n += 1;
      const owner = w.agencies['MSP-NORTH']!;
      const person = await w.handle.db
        .insertInto('persons')
        .values({
          sex: 'female',
          birth_date_kind: 'year',
          birth_date_from: '1990-01-01',
          birth_date_to: '1990-12-31',
          owner_agency_id: owner,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const created = await w.handle.db
        .insertInto('cases')
        .values({ case_number: `TEST-JUS-${n}`, person_id: person.id, owner_agency_id: owner, stage: 6 })
        .returning('id')
        .executeTakeFirstOrThrow();
      return created.id;
    };
    const discloseJustice = (caseId: string, expiresAt = new Date(Date.now() + 86_400_000)) =>
      w.handle.db
        .insertInto('disclosures')
        .values({
          case_id: caseId,
          recipient_agency_id: w.agencies.GPO!,
          sections: ['identity', 'justice'],
          legal_basis: 'legal_obligation',
          purpose: 'justice decision',
          disclosed_by: w.users.supervisor,
          expires_at: expiresAt,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    const divert = (kind = 'justice_decision', outcome = 'divert') => ({
      kind,
      outcome,
      decidedOn: new Date().toISOString().slice(0, 10),
      participants: [{ role: 'Prosecutor (chair)' }, { role: 'Social worker' }],
      options: [{ option: 'Divert to a rehabilitation programme' }, { option: 'Prosecute' }],
      rationale: 'Synthetic rationale: coercion established, diversion serves the purpose.',
    });
    const transition = async (caseId: string, code: string) => {
      const current = await w.as('prosecutor', 'GET', `/api/cases/${caseId}`);
      const version = current.statusCode === 200 ? (current.json() as { version: number }).version : 0;
      return w.as('prosecutor', 'POST', `/api/cases/${caseId}/transitions`, { transition: code, version });
    };

    it('lets the office’s prosecutor record a "divert" decision and divert the justice track, audited', async () => {
      const caseId = await adultCase();
      await discloseJustice(caseId);
      const access = (await w.as('prosecutor', 'GET', `/api/access/cases/${caseId}`)).json();
      expect(access).toMatchObject({
        read: ['identity', 'justice'],
        write: ['justice'],
        via: { scope: false },
      });

      const offered = (await w.as('prosecutor', 'GET', `/api/cases/${caseId}/available-transitions`)).json();
      expect(offered.map((t: { code: string }) => t.code)).toEqual(['justice.open']);
      expect((await transition(caseId, 'justice.open')).statusCode).toBe(200);
      const review = await w.as('prosecutor', 'POST', `/api/cases/${caseId}/non-punishment-reviews`);
      expect(review.statusCode).toBe(201);
      const decided = await w.as('prosecutor', 'POST', `/api/cases/${caseId}/decisions`, divert());
      expect(decided.statusCode).toBe(201);
      expect(decided.json()).toMatchObject({ compartment: 'justice', outcome: 'divert' });
      const diverted = await transition(caseId, 'justice.divert');
      expect(diverted.statusCode).toBe(200);
      expect(diverted.json().case.tracks).toMatchObject([{ track: 'justice', status: 'diverted' }]);

      const trail = await w.handle.db
        .selectFrom('audit_events')
        .select(['action', 'actor_user_id', 'sections'])
        .where('target_id', '=', caseId)
        .where('action', 'in', [
          'panel_decision.record',
          'case.transition',
          'case.non_punishment_review.open',
        ])
        .orderBy('seq')
        .execute();
      expect(trail.map((e) => e.action)).toEqual([
        'case.transition',
        'case.non_punishment_review.open',
        'panel_decision.record',
        'case.transition',
      ]);
      expect(new Set(trail.map((e) => e.actor_user_id))).toEqual(new Set([w.users.prosecutor]));
    });

    it('writes nothing outside justice: no protection decision, no note, no stage transition', async () => {
      const caseId = await adultCase();
      await discloseJustice(caseId);
      const care = await w.as(
        'prosecutor',
        'POST',
        `/api/cases/${caseId}/decisions`,
        divert('care_arrangement', 'kinship'),
      );
      expect(care.json()).toMatchObject({
        code: 'COMPARTMENT_FORBIDDEN',
        details: { section: 'protection' },
      });
      const note = await w.as('prosecutor', 'POST', `/api/cases/${caseId}/notes`, {
        compartment: 'protection',
        body: 'Synthetic note',
      });
      expect(note.statusCode).toBe(403);
      expect((await transition(caseId, 'start_rehabilitation')).statusCode).toBe(403);
      // A role that writes protection and works on cases gains nothing from a justice disclosure either.
      const { caseAccess: resolve, requireCaseWork } = await import('./access.ts');
      const mixed = { ...(await actor('prosecutor')) };
      mixed.permissions = new Set([...mixed.permissions, 'cases:write', 'protection:write']);
      expect([...((await resolve(w.handle.db, mixed, caseId))?.write ?? [])]).toEqual(['justice']);
      await expect(requireCaseWork(w.handle.db, mixed, caseId, 'protection')).rejects.toMatchObject({
        code: 'COMPARTMENT_FORBIDDEN',
      });
      await expect(requireCaseWork(w.handle.db, mixed, caseId, null)).rejects.toMatchObject({
        code: 'COMPARTMENT_FORBIDDEN',
      });
    });

    it('keeps a disclosure to the justice compartment (every office) read-only', async () => {
      const { caseId } = w.records.disclosedToJustice;
      expect((await w.as('prosecutor', 'GET', `/api/access/cases/${caseId}`)).json()).toMatchObject({
        write: [],
      });
      expect((await w.as('prosecutor', 'POST', `/api/cases/${caseId}/decisions`, divert())).statusCode).toBe(
        403,
      );
      expect((await transition(caseId, 'justice.open')).statusCode).toBe(403);
      expect((await w.as('prosecutor', 'GET', `/api/cases/${caseId}/available-transitions`)).json()).toEqual(
        [],
      );
    });

    it('lets a case worker who sees another agency’s case through a disclosure write nothing on it', async () => {
      const caseId = await adultCase();
      await w.handle.db
        .insertInto('disclosures')
        .values({
          case_id: caseId,
          recipient_agency_id: w.agencies.MSP!,
          sections: ['identity', 'referral_packet'],
          legal_basis: 'consent',
          purpose: 'referral',
          disclosed_by: w.users.supervisor,
          expires_at: new Date(Date.now() + 86_400_000),
        })
        .execute();
      expect((await w.as('case_worker', 'GET', `/api/access/cases/${caseId}`)).statusCode).toBe(200);
      await w.handle.db
        .insertInto('case_notes')
        .values({
          case_id: caseId,
          compartment: 'protection',
          body: 'Synthetic NoteCanaryKp4',
          author_id: w.users.supervisor,
        })
        .execute();
      const notes = await w.as('case_worker', 'GET', `/api/cases/${caseId}/notes`);
      expect(notes.statusCode).toBe(200);
      expect(notes.body).not.toContain('NoteCanaryKp4');
      const note = await w.as('case_worker', 'POST', `/api/cases/${caseId}/notes`, {
        compartment: 'protection',
        body: 'Synthetic note',
      });
      expect(note.json()).toMatchObject({ code: 'COMPARTMENT_FORBIDDEN' });
      const version = (await w.as('case_worker', 'GET', `/api/cases/${caseId}`)).json().version as number;
      const moved = await w.as('case_worker', 'POST', `/api/cases/${caseId}/transitions`, {
        transition: 'protection.open',
        version,
      });
      expect(moved.json()).toMatchObject({ code: 'COMPARTMENT_FORBIDDEN' });
      const task = await w.as('case_worker', 'POST', `/api/cases/${caseId}/tasks`, {
        title: 'Synthetic follow-up',
        dueOn: '2030-01-01',
      });
      expect(task.json()).toMatchObject({ code: 'COMPARTMENT_FORBIDDEN' });
      const onward = await w.as('case_worker', 'POST', `/api/cases/${caseId}/referrals`, {
        toAgencyId: w.agencies['NGO-WRC'],
        serviceType: 'vocational',
        packetSummary: 'Synthetic packet',
        override: { reason: 'Synthetic reason for an override' },
      });
      expect(onward.json()).toMatchObject({ code: 'COMPARTMENT_FORBIDDEN' });
    });

    it('ends with revocation or expiry, and without a disclosure the case is 404', async () => {
      const caseId = await adultCase();
      expect((await w.as('prosecutor', 'GET', `/api/cases/${caseId}`)).statusCode).toBe(404);
      expect((await w.as('prosecutor', 'POST', `/api/cases/${caseId}/decisions`, divert())).statusCode).toBe(
        404,
      );
      expect((await transition(caseId, 'justice.open')).statusCode).toBe(404);

      const disclosure = await discloseJustice(caseId);
      expect((await transition(caseId, 'justice.open')).statusCode).toBe(200);
      await w.handle.db
        .updateTable('disclosures')
        .set({ revoked_at: new Date(), revoked_by: w.users.supervisor })
        .where('id', '=', disclosure.id)
        .execute();
      expect((await w.as('prosecutor', 'POST', `/api/cases/${caseId}/decisions`, divert())).statusCode).toBe(
        404,
      );
      expect(
        (await w.as('prosecutor', 'POST', `/api/cases/${caseId}/non-punishment-reviews`)).statusCode,
      ).toBe(404);

      const expired = await discloseJustice(caseId, new Date(Date.now() + 1000));
      expect((await w.as('prosecutor', 'GET', `/api/access/cases/${caseId}`)).json()).toMatchObject({
        write: ['justice'],
      });
      await w.handle.db
        .updateTable('disclosures')
        .set({ disclosed_at: new Date(Date.now() - 86_400_000), expires_at: new Date(Date.now() - 1000) })
        .where('id', '=', expired.id)
        .execute();
      expect((await w.as('prosecutor', 'POST', `/api/cases/${caseId}/decisions`, divert())).statusCode).toBe(
        404,
      );
      expect((await transition(caseId, 'justice.investigate')).statusCode).toBe(404);
    });
  });

  describe('scopes as data', () => {
    const visibleTo = async (role: RoleCode) => {
      const seen: string[] = [];
      for (const record of Object.values(w.records)) {
        const response = await w.as(role, 'GET', `/api/access/cases/${record.caseId}`);
        if (response.statusCode === 200) seen.push(record.kind);
      }
      return seen.sort();
    };
    const setScope = async (roleCode: string, caseScope: string, breakGlassCompartments: string[]) => {
      const response = await w.as('admin', 'PUT', `/api/admin/access-policies/${roleCode}`, {
        caseScope,
        breakGlassCompartments,
      });
      expect(response.statusCode).toBe(200);
    };

    it('widens and narrows a role’s scope at once when an administrator edits it', async () => {
      const keep = ['protection', 'health', 'education', 'referral_packet'];
      expect(await visibleTo('case_worker')).toEqual(['assignedToMe']);
      await setScope('case_worker', 'team', keep);
      expect(await visibleTo('case_worker')).toEqual(['assignedToMe', 'teammate']);
      await setScope('case_worker', 'agency', keep);
      expect(await visibleTo('case_worker')).toEqual(['assignedToMe', 'myAgencyUnassigned', 'teammate']);
      await setScope('case_worker', 'jurisdiction', keep);
      expect(await visibleTo('case_worker')).toEqual(['assignedToMe', 'myAgencyUnassigned', 'teammate']);
      await setScope('case_worker', 'none', keep);
      expect(await visibleTo('case_worker')).toEqual([]);
      await setScope('case_worker', 'assigned', keep);
      expect(await visibleTo('case_worker')).toEqual(['assignedToMe']);
      const trail = await audits('access.policy_update');
      expect(trail).toHaveLength(5);
    });

    it('narrows to an API token’s scopes: a token without cases:read sees no case', async () => {
      const created = await w.as('supervisor', 'POST', '/api/me/tokens', {
        name: 'sync',
        scopes: ['tokens:manage_own'],
      });
      const token = created.json().token as string;
      const response = await w.app.inject({
        method: 'GET',
        url: `/api/access/cases/${w.records.assignedToMe.caseId}`,
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.statusCode).toBe(404);
    });
  });

  describe('relatives without a case of their own', () => {
    /** A person of another agency, with no case, recorded as `relation` of the record's person. */
    const relativeOf = async (kind: RecordKind, relation: 'mother' | 'child') => {
      const db = w.handle.db;
      const relative = await db
        .insertInto('persons')
        .values({
          sex: 'female',
          birth_date_kind: 'unknown',
          owner_agency_id: w.agencies['MSP-NORTH']!,
          whereabouts: 'deceased',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('relationships')
        .values(
          relation === 'mother'
            ? {
                person_id: w.records[kind].personId,
                related_person_id: relative.id,
                relation,
                provenance: 'claimed',
              }
            : {
                person_id: relative.id,
                related_person_id: w.records[kind].personId,
                relation,
                provenance: 'claimed',
              },
        )
        .execute();
      return relative.id;
    };

    it('shows a relative to whoever sees a related person’s case, either way the link was recorded, and to nobody else', async () => {
      const mother = await relativeOf('assignedToMe', 'mother');
      const parent = await relativeOf('assignedToMe', 'child');
      const stranger = await relativeOf('otherAgency', 'mother');
      for (const id of [mother, parent]) {
        expect((await w.as('case_worker', 'GET', `/api/persons/${id}`)).statusCode).toBe(200);
      }
      expect((await w.as('case_worker', 'GET', `/api/persons/${stranger}`)).statusCode).toBe(404);
      // A disclosure names the disclosed person to a reader without persons:read, never their family.
      const disclosed = await relativeOf('disclosedToNgo', 'mother');
      const { personVisibilityFilter } = await import('./access.ts');
      const visibleTo = async (role: RoleCode) =>
        (
          await w.handle.db
            .selectFrom('persons')
            .select('id')
            .where('id', 'in', [mother, parent, stranger, disclosed, w.records.disclosedToNgo.personId])
            .where(personVisibilityFilter(await actor(role)))
            .execute()
        )
          .map((r) => r.id)
          .sort();
      expect(await visibleTo('case_worker')).toEqual([mother, parent].sort());
      expect(await visibleTo('ngo_worker')).toEqual([w.records.disclosedToNgo.personId]);
    });

    it('never opens a relative who has a case of their own: that case’s access decides', async () => {
      const relative = w.records.otherAgency.personId;
      expect((await w.as('case_worker', 'GET', `/api/persons/${relative}`)).statusCode).toBe(404);
      await w.handle.db
        .insertInto('relationships')
        .values({
          person_id: w.records.assignedToMe.personId,
          related_person_id: relative,
          relation: 'sibling',
          provenance: 'claimed',
        })
        .execute();
      expect((await w.as('case_worker', 'GET', `/api/persons/${relative}`)).statusCode).toBe(404);
    });
  });

  describe('field masking', () => {
    it('replaces a sensitive field by "restricted, ask …" for a reader without its compartment', async () => {
      const record = { id: 'x', whereaboutsDetail: w.whereaboutsCanary, sex: 'female' };
      const security = await maskFields(w.handle.db, await actor('security_assessor'), 'person', record);
      expect(security.whereaboutsDetail).toEqual({
        restricted: true,
        compartment: 'protection',
        ask: 'the protection case worker of the owner agency',
      });
      expect(JSON.stringify(security)).not.toContain(w.whereaboutsCanary);
      const worker = await maskFields(w.handle.db, await actor('case_worker'), 'person', record);
      expect(worker.whereaboutsDetail).toBe(w.whereaboutsCanary);
      // Through a case: what caseAccess says the reader may read.
      const rules = await loadFieldRules(w.handle.db);
      const access = await caseAccess(
        w.handle.db,
        await actor('prosecutor'),
        w.records.disclosedToJustice.caseId,
      );
      expect(applyFieldMask({ status: 'charged' }, 'case.track.justice', access!.read, rules)).toEqual({
        status: 'charged',
      });
      expect(
        applyFieldMask({ status: 'flag' }, 'case.track.security', access!.read, rules).status,
      ).toMatchObject({
        restricted: true,
        ask: 'the security service focal point',
      });
    });

    it('lets an administrator mark a field sensitive, effective at once', async () => {
      const put = await w.as('admin', 'PUT', '/api/admin/field-sensitivity', {
        resource: 'person',
        field: 'sex',
        compartment: 'health',
        ask: 'the health focal point',
      });
      expect(put.statusCode).toBe(200);
      const masked = await maskFields(w.handle.db, await actor('case_worker'), 'person', { sex: 'female' });
      expect(masked.sex).toMatchObject({ restricted: true, compartment: 'health' });
      expect(
        (await w.as('admin', 'DELETE', '/api/admin/field-sensitivity?resource=person&field=sex')).statusCode,
      ).toBe(204);
    });

    /**
     * Routes of other modules that still return a sensitive field unmasked. Each must adopt maskFields
     * (and `maskable()` in its response schema); the test fails if a new route leaks, and fails if a
     * listed route stops leaking (so the list only shrinks).
     */
    const pendingMasking = new Set<string>();

    it('never shows a masked value in any response or error to a reader without its compartment', async () => {
      const leaks = new Set<string>();
      const target = w.records.assignedToMe;
      const readers = roleCodes.filter((r) => r !== 'case_worker' && r !== 'supervisor');
      for (const route of w.routes.filter((r) => r.method === 'GET' && !r.public)) {
        if (route.url.startsWith('/api/subject-requests/')) continue; // the subject's own export: everything
        for (const role of readers) {
          const ids = route.url.includes('/persons/') ? [target.personId] : [target.caseId];
          const url = route.url
            .replace(/:id\b/, ids[0]!)
            .replace(/:[a-zA-Z]+/g, '00000000-0000-4000-8000-000000000000');
          const response = await w.as(role, 'GET', url);
          if (response.body.includes(w.whereaboutsCanary)) leaks.add(`GET ${route.url}`);
        }
      }
      expect([...leaks].filter((l) => !pendingMasking.has(l))).toEqual([]);
      expect([...pendingMasking].filter((l) => !leaks.has(l))).toEqual([]);
    });

    it('keeps names and masked values out of the logs, even at trace level and on errors', async () => {
      const chunks: string[] = [];
      // pino writes to file descriptor 1 directly (sonic-boom), past process.stdout: listen there.
      const originalWrite = fs.write;
      const originalWriteSync = fs.writeSync;
      const devNull = fs.openSync('/dev/null', 'w');
      const capture = (fd: unknown, data: unknown) => {
        if (fd === 1)
          chunks.push(typeof data === 'string' ? data : Buffer.from(data as Uint8Array).toString());
        return fd === 1 ? devNull : (fd as number);
      };
      fs.writeSync = ((fd: number, ...rest: unknown[]) =>
        (originalWriteSync as (...a: unknown[]) => number)(
          capture(fd, rest[0]),
          ...rest,
        )) as typeof fs.writeSync;
      fs.write = ((fd: number, ...rest: unknown[]) =>
        (originalWrite as (...a: unknown[]) => void)(capture(fd, rest[0]), ...rest)) as typeof fs.write;
      try {
        const logged = await createWorld({ LOG_LEVEL: 'trace' });
        try {
          const target = logged.records.assignedToMe;
          for (const role of roleCodes) {
            await logged.as(role, 'GET', `/api/persons/${target.personId}`);
            await logged.as(role, 'GET', `/api/cases?q=${encodeURIComponent(target.canary)}`);
            await logged.as(role, 'POST', '/api/consents', {
              personId: target.personId,
              purpose: target.canary,
            });
            await logged.as(role, 'POST', `/api/access/cases/${target.caseId}/break-glass`, {
              reason: target.canary,
            });
          }
          await logged.as(
            'data_protection_officer',
            'GET',
            `/api/subject-requests/persons/${target.personId}/export`,
          );
        } finally {
          await logged.close();
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      } finally {
        fs.write = originalWrite;
        fs.writeSync = originalWriteSync;
        fs.closeSync(devNull);
      }
      const text = chunks.join('');
      expect(text).toContain('"route"');
      for (const secret of [w.whereaboutsCanary, 'ZqxassignedToMeCanary', 'Gulnara'])
        expect(text).not.toContain(secret);
    });
  });

  describe('data-subject rights and retention', () => {
    it('exports everything held on a person and who accessed it, as JSON and PDF, audited', async () => {
      const target = w.records.assignedToMe;
      await w.as('case_worker', 'GET', `/api/consents?personId=${target.personId}`);
      const json = await w.as(
        'data_protection_officer',
        'GET',
        `/api/subject-requests/persons/${target.personId}/export`,
      );
      expect(json.statusCode).toBe(200);
      const body = json.json();
      expect(Object.keys(body.records)).toEqual(expect.arrayContaining(['persons', 'person_names', 'cases']));
      expect(JSON.stringify(body.records.person_names)).toContain(target.canary);
      expect(body.accesses).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ action: 'consent.list', actorUsername: 'm-case-worker' }),
        ]),
      );
      const pdf = await w.as(
        'data_protection_officer',
        'GET',
        `/api/subject-requests/persons/${target.personId}/export.pdf`,
      );
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
      expect((await audits('subject.export')).map((a) => (a.details as { format: string }).format)).toEqual([
        'json',
        'pdf',
      ]);
      // Not for a case worker, whoever's record it is.
      expect(
        (await w.as('case_worker', 'GET', `/api/subject-requests/persons/${target.personId}/export`))
          .statusCode,
      ).toBe(403);
    });

    it('flags a closed case past its schedule for review, and a review settles it', async () => {
      const target = w.records.disclosureRevoked;
      await w.handle.db
        .updateTable('cases')
        .set({
          status: 'closed',
          closed_at: new Date(Date.now() - 6 * 365 * 86_400_000),
          close_reason: 'goals met',
        })
        .where('id', '=', target.caseId)
        .execute();
      const due = (await w.as('data_protection_officer', 'GET', '/api/retention/due')).json();
      expect(due).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ personId: target.personId, category: 'case_closed' }),
        ]),
      );
      const reviewed = await w.as('data_protection_officer', 'POST', '/api/retention/reviews', {
        personId: target.personId,
        category: 'case_closed',
        decision: 'keep',
      });
      expect(reviewed.statusCode).toBe(204);
      const after = (await w.as('data_protection_officer', 'GET', '/api/retention/due')).json();
      expect(after.map((d: { personId: string }) => d.personId)).not.toContain(target.personId);
    });

    it('flags a person for review a year after acquittal or no case, not after a conviction', async () => {
      const agency = await w.handle.db
        .selectFrom('agencies')
        .select('id')
        .where('code', '=', 'MSP')
        .executeTakeFirstOrThrow();
      const yearsAgo = (years: number) => new Date(Date.now() - years * 365 * 86_400_000);
      /** A person whose case's justice track went through `steps` (status, when). */
      const withJustice = async (label: string, steps: [string, Date][]) => {
        const person = await w.handle.db
          .insertInto('persons')
          .values({ sex: 'female', birth_date_kind: 'unknown', owner_agency_id: agency.id })
          .returning('id')
          .executeTakeFirstOrThrow();
        const created = await w.handle.db
          .insertInto('cases')
          .values({
            case_number: `TEST-RET-${label}`,
            person_id: person.id,
            owner_agency_id: agency.id,
            stage: 6,
            opened_at: yearsAgo(4),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        let from: string | null = null;
        for (const [to, at] of steps) {
          await w.handle.db
            .insertInto('case_transitions')
            .values({
              case_id: created.id,
              transition: `justice.${to}`,
              kind: 'track',
              track: 'justice',
              from_value: from,
              to_value: to,
              performed_at: at,
            })
            .execute();
          from = to;
        }
        return person.id;
      };
      const acquitted = await withJustice('acquitted', [
        ['pending', yearsAgo(3)],
        ['charged', yearsAgo(2.5)],
        ['acquitted', yearsAgo(2)],
        ['closed', yearsAgo(1.5)],
      ]);
      const noCase = await withJustice('no-case', [
        ['pending', yearsAgo(3)],
        ['no_case', yearsAgo(1.2)],
      ]);
      const recent = await withJustice('recent', [
        ['charged', yearsAgo(1)],
        ['acquitted', yearsAgo(0.5)],
      ]);
      const convicted = await withJustice('convicted', [
        ['charged', yearsAgo(3)],
        ['convicted', yearsAgo(2)],
      ]);
      const dueFor = async () =>
        (
          (await w.as('data_protection_officer', 'GET', '/api/retention/due')).json() as {
            personId: string;
            category: string;
            dueSince: string;
            action: string;
          }[]
        ).filter((d) => d.category === 'acquittal');
      const due = await dueFor();
      expect(due.map((d) => d.personId).sort()).toEqual([acquitted, noCase].sort());
      expect(due.find((d) => d.personId === acquitted)).toMatchObject({ action: 'review' });
      // The clock starts at the acquittal, not at the track's closing: a year after two years ago.
      const since = Date.parse(due.find((d) => d.personId === acquitted)!.dueSince);
      expect(Math.abs(since - (yearsAgo(2).getTime() + 365 * 86_400_000))).toBeLessThan(86_400_000);
      expect(due.map((d) => d.personId)).not.toContain(recent);
      expect(due.map((d) => d.personId)).not.toContain(convicted);
      // The trigger is data: a schedule that also names convictions flags the convicted person too.
      await w.handle.db
        .updateTable('retention_schedules')
        .set({ trigger_statuses: ['acquitted', 'no_case', 'convicted'] })
        .where('category', '=', 'acquittal')
        .execute();
      expect((await dueFor()).map((d) => d.personId)).toContain(convicted);
      await w.handle.db
        .updateTable('retention_schedules')
        .set({ trigger_statuses: ['acquitted', 'no_case'] })
        .where('category', '=', 'acquittal')
        .execute();
      const reviewed = await w.as('data_protection_officer', 'POST', '/api/retention/reviews', {
        personId: acquitted,
        category: 'acquittal',
        decision: 'keep',
      });
      expect(reviewed.statusCode).toBe(204);
      expect((await dueFor()).map((d) => d.personId)).toEqual([noCase]);
    });

    it('refuses to anonymise or delete under legal hold; anonymises and deletes once it is lifted', async () => {
      const target = w.records.disclosureExpired;
      const hold = await w.as('data_protection_officer', 'POST', '/api/retention/holds', {
        personId: target.personId,
        reason: 'pending court proceedings',
      });
      expect(hold.statusCode).toBe(201);
      for (const [method, url] of [
        ['POST', `/api/retention/persons/${target.personId}/anonymise`],
        ['DELETE', `/api/retention/persons/${target.personId}`],
      ] as const) {
        const refused = await w.as('data_protection_officer', method, url);
        expect(refused.statusCode).toBe(409);
        expect(refused.json().code).toBe('LEGAL_HOLD_ACTIVE');
      }
      const noReason = await w.as(
        'data_protection_officer',
        'POST',
        `/api/retention/holds/${hold.json().id}/lift`,
        {},
      );
      expect(noReason.statusCode).toBe(400);
      expect(noReason.json().details.path).toBe('body.reason');
      const lifted = await w.as(
        'data_protection_officer',
        'POST',
        `/api/retention/holds/${hold.json().id}/lift`,
        {
          reason: 'the proceedings have ended',
        },
      );
      expect(lifted.statusCode).toBe(200);
      expect(lifted.json()).toMatchObject({ liftReason: 'the proceedings have ended' });
      const holds = await w.as(
        'data_protection_officer',
        'GET',
        `/api/retention/holds?personId=${target.personId}`,
      );
      expect(holds.statusCode).toBe(200);
      expect(holds.json()).toEqual([
        expect.objectContaining({
          id: hold.json().id,
          reason: 'pending court proceedings',
          liftReason: 'the proceedings have ended',
          liftedBy: expect.any(String),
        }),
      ]);
      expect(
        (await w.as('case_worker', 'GET', `/api/retention/holds?personId=${target.personId}`)).statusCode,
      ).toBe(403);
      expect(
        (
          await w.as('data_protection_officer', 'POST', `/api/retention/holds/${hold.json().id}/lift`, {
            reason: 'lifting it a second time',
          })
        ).json().code,
      ).toBe('LEGAL_HOLD_NOT_FOUND');
      expect(
        (await w.as('data_protection_officer', 'POST', `/api/retention/persons/${target.personId}/anonymise`))
          .statusCode,
      ).toBe(204);
      const names = await w.handle.db
        .selectFrom('person_names')
        .select('full_name')
        .where('person_id', '=', target.personId)
        .execute();
      expect(names).toEqual([{ full_name: '[anonymised]' }]);
      expect(
        (
          await w.as('data_protection_officer', 'POST', `/api/retention/persons/${target.personId}/anonymise`)
        ).json().code,
      ).toBe('ALREADY_ANONYMISED');
      expect(
        (await w.as('data_protection_officer', 'DELETE', `/api/retention/persons/${target.personId}`))
          .statusCode,
      ).toBe(204);
      const left = await w.handle.db
        .selectFrom('cases')
        .select('id')
        .where('person_id', '=', target.personId)
        .execute();
      expect(left).toEqual([]);
    });
  });
});
