// Referring a case for a justice decision (stage 5 → 6) names the prosecution office and discloses
// identity and justice to it in the same transaction (ADR 0020); and whoever sees a case only through a
// disclosure does no whole-case work on it (assignment, approvals) and reads only the disclosed
// compartments' attachments. On PGlite, and on PostgreSQL when DATABASE_URL is set.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../../../test/app.ts';
import { createWorld, type RoleCode, type Session, type World } from '../access/test-world.ts';
import { addUserDirect } from '../accounts/bootstrap.ts';
import { DEFAULT_WORKFLOW_FILE } from './workflow.ts';

const divert = () => ({
  kind: 'justice_decision',
  outcome: 'divert',
  decidedOn: new Date().toISOString().slice(0, 10),
  participants: [{ role: 'Prosecutor (chair)' }, { role: 'Social worker' }],
  options: [{ option: 'Divert to a rehabilitation programme' }, { option: 'Prosecute' }],
  rationale: 'Synthetic rationale: coercion established, diversion serves the purpose.',
});

/** A stage-5 case of an adult, owned by MSP and assigned to the world's case worker. */
async function stageFiveCase(w: World, label: string) {
  const owner = w.agencies.MSP!;
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
    .values({
      case_number: `TEST-REF-${label}`,
      person_id: person.id,
      owner_agency_id: owner,
      assigned_user_id: w.users.case_worker,
      stage: 5,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return created.id;
}

async function refer(w: World, as: RoleCode, caseId: string, extra: Record<string, unknown> = {}) {
  const current = await w.as(as, 'GET', `/api/cases/${caseId}`);
  const version = current.statusCode === 200 ? (current.json() as { version: number }).version : 0;
  return w.as(as, 'POST', `/api/cases/${caseId}/transitions`, {
    transition: 'refer_for_justice_decision',
    version,
    ...extra,
  });
}

/** Everything a refused referral must not have written. */
async function writtenFor(w: World, caseId: string) {
  const db = w.handle.db;
  const row = await db
    .selectFrom('cases')
    .select(['stage', 'version'])
    .where('id', '=', caseId)
    .executeTakeFirstOrThrow();
  const disclosures = await db.selectFrom('disclosures').select('id').where('case_id', '=', caseId).execute();
  const transitions = await db
    .selectFrom('case_transitions')
    .select('id')
    .where('case_id', '=', caseId)
    .execute();
  const approvals = await db
    .selectFrom('case_approvals')
    .select('id')
    .where('case_id', '=', caseId)
    .execute();
  return {
    stage: row.stage,
    version: row.version,
    disclosures: disclosures.length,
    transitions: transitions.length,
    approvals: approvals.length,
  };
}

describe('referring a case for a justice decision', () => {
  let w: World;
  beforeAll(async () => {
    w = await createWorld();
  });
  afterAll(() => w?.close());

  it('offers the referral as needing a prosecution office', async () => {
    const caseId = await stageFiveCase(w, 'offer');
    const offered = (await w.as('case_worker', 'GET', `/api/cases/${caseId}/available-transitions`)).json();
    expect(offered).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'refer_for_justice_decision', needsProsecutionOffice: true }),
      ]),
    );
    expect(offered.filter((t: { needsProsecutionOffice: boolean }) => t.needsProsecutionOffice)).toHaveLength(
      1,
    );
  });

  it('discloses identity and justice to the office named, audited; its prosecutor records "divert"', async () => {
    const caseId = await stageFiveCase(w, 'divert');
    // Nobody at the prosecution office sees the case before the referral.
    expect((await w.as('prosecutor', 'GET', `/api/cases/${caseId}`)).statusCode).toBe(404);
    const before = Date.now();
    const referred = await refer(w, 'case_worker', caseId, { prosecutionAgencyId: w.agencies.GPO });
    expect(referred.statusCode, referred.body).toBe(200);
    expect(referred.json()).toMatchObject({ outcome: 'applied', case: { stage: 6 } });

    const disclosures = await w.handle.db
      .selectFrom('disclosures')
      .selectAll()
      .where('case_id', '=', caseId)
      .execute();
    expect(disclosures).toHaveLength(1);
    const [disclosure] = disclosures;
    expect(disclosure).toMatchObject({
      recipient_agency_id: w.agencies.GPO,
      recipient_compartment: null,
      sections: ['identity', 'justice'],
      legal_basis: 'justice_referral',
      disclosed_by: w.users.case_worker,
      revoked_at: null,
    });
    // The configured lifetime: 180 days by default.
    const days = (disclosure!.expires_at.getTime() - before) / 86_400_000;
    expect(days).toBeGreaterThan(179.99);
    expect(days).toBeLessThan(180.01);

    const trail = await w.handle.db
      .selectFrom('audit_events')
      .select(['action', 'actor_user_id', 'sections', 'details'])
      .where('target_id', '=', caseId)
      .where('action', 'in', ['case.transition', 'disclosure.create'])
      .orderBy('seq')
      .execute();
    expect(trail.map((e) => [e.action, e.actor_user_id])).toEqual([
      ['case.transition', w.users.case_worker],
      ['disclosure.create', w.users.case_worker],
    ]);
    expect(trail[1]).toMatchObject({
      sections: ['identity', 'justice'],
      details: {
        disclosureId: disclosure!.id,
        recipientAgencyId: w.agencies.GPO,
        legalBasis: 'justice_referral',
      },
    });

    // The prosecutor opens the case, and works the justice compartment it was given.
    const access = (await w.as('prosecutor', 'GET', `/api/access/cases/${caseId}`)).json();
    expect(access).toMatchObject({
      read: ['identity', 'justice'],
      write: ['justice'],
      via: { scope: false },
    });
    expect((await w.as('prosecutor', 'GET', `/api/cases/${caseId}`)).statusCode).toBe(200);
    const transition = async (code: string) => {
      const version = (await w.as('prosecutor', 'GET', `/api/cases/${caseId}`)).json().version;
      return w.as('prosecutor', 'POST', `/api/cases/${caseId}/transitions`, { transition: code, version });
    };
    expect((await transition('justice.open')).statusCode).toBe(200);
    const decided = await w.as('prosecutor', 'POST', `/api/cases/${caseId}/decisions`, divert());
    expect(decided.statusCode, decided.body).toBe(201);
    expect(decided.json()).toMatchObject({ compartment: 'justice', outcome: 'divert' });
    const diverted = await transition('justice.divert');
    expect(diverted.statusCode, diverted.body).toBe(200);
    expect(diverted.json().case.tracks).toMatchObject([{ track: 'justice', status: 'diverted' }]);
  });

  it('refuses a missing office, a non-prosecution agency and an unknown one, writing nothing', async () => {
    const caseId = await stageFiveCase(w, 'refused');
    const nothing = await writtenFor(w, caseId);
    const cases: [Record<string, unknown>, number, string][] = [
      [{}, 400, 'PROSECUTION_OFFICE_REQUIRED'],
      [{ prosecutionAgencyId: w.agencies['NGO-WRC'] }, 400, 'PROSECUTION_OFFICE_REQUIRED'],
      [{ prosecutionAgencyId: w.agencies.MSP }, 400, 'PROSECUTION_OFFICE_REQUIRED'],
      [{ prosecutionAgencyId: randomUUID() }, 404, 'AGENCY_NOT_FOUND'],
    ];
    for (const [extra, status, code] of cases) {
      const response = await refer(w, 'case_worker', caseId, extra);
      expect([response.statusCode, response.json().code], JSON.stringify(extra)).toEqual([status, code]);
      expect(response.json().details.path).toBe('body.prosecutionAgencyId');
      expect(await writtenFor(w, caseId)).toEqual(nothing);
    }
    // An inactive prosecution office is not one.
    const closed = await w.handle.db
      .insertInto('agencies')
      .values({ code: 'GPO-CLOSED', name: 'Closed office', kind: 'prosecution', active: false })
      .returning('id')
      .executeTakeFirstOrThrow();
    const inactive = await refer(w, 'case_worker', caseId, { prosecutionAgencyId: closed.id });
    expect(inactive.json().code).toBe('PROSECUTION_OFFICE_REQUIRED');
    expect(await writtenFor(w, caseId)).toEqual(nothing);
    // No other transition takes an office.
    const version = (await w.as('case_worker', 'GET', `/api/cases/${caseId}`)).json().version;
    const other = await w.as('case_worker', 'POST', `/api/cases/${caseId}/transitions`, {
      transition: 'start_rehabilitation',
      version,
      prosecutionAgencyId: w.agencies.GPO,
    });
    expect([other.statusCode, other.json().details.path]).toEqual([400, 'body.prosecutionAgencyId']);
    expect(await writtenFor(w, caseId)).toEqual(nothing);
  });

  it('lets nobody outside the case’s scope refer it, even to a prosecution office', async () => {
    // The prosecutor sees this case through the world's disclosure, but a stage transition is whole-case work.
    const caseId = w.records.disclosedToProsecutionOffice.caseId;
    const nothing = await writtenFor(w, caseId);
    const response = await refer(w, 'prosecutor', caseId, { prosecutionAgencyId: w.agencies.GPO });
    expect(response.statusCode).toBe(403);
    expect(await writtenFor(w, caseId)).toEqual(nothing);
  });
});

describe('a referral for a justice decision that needs approval', () => {
  let w: World;
  beforeAll(async () => {
    const file = JSON.parse(readFileSync(DEFAULT_WORKFLOW_FILE, 'utf8'));
    for (const t of file.transitions) if (t.code === 'refer_for_justice_decision') t.requiresApproval = true;
    const path = join(mkdtempSync(join(tmpdir(), 'homeward-referral-')), 'workflow.json');
    writeFileSync(path, JSON.stringify(file));
    w = await createWorld({ HOMEWARD_WORKFLOW_FILE: path });
  });
  afterAll(() => w?.close());

  it('discloses when the supervisor approves, not when the worker asks', async () => {
    const caseId = await stageFiveCase(w, 'approval');
    const asked = await refer(w, 'case_worker', caseId, { prosecutionAgencyId: w.agencies.GPO });
    expect(asked.statusCode, asked.body).toBe(202);
    expect(await writtenFor(w, caseId)).toMatchObject({ stage: 5, disclosures: 0, approvals: 1 });
    expect((await w.as('prosecutor', 'GET', `/api/cases/${caseId}`)).statusCode).toBe(404);

    const approvalId = asked.json().approval.id;
    const approved = await w.as(
      'supervisor',
      'POST',
      `/api/cases/${caseId}/approvals/${approvalId}/approve`,
      {},
    );
    expect(approved.statusCode, approved.body).toBe(200);
    expect(await writtenFor(w, caseId)).toMatchObject({ stage: 6, disclosures: 1, transitions: 1 });
    const disclosure = await w.handle.db
      .selectFrom('disclosures')
      .selectAll()
      .where('case_id', '=', caseId)
      .executeTakeFirstOrThrow();
    expect(disclosure).toMatchObject({
      recipient_agency_id: w.agencies.GPO,
      sections: ['identity', 'justice'],
      legal_basis: 'justice_referral',
      disclosed_by: w.users.supervisor,
    });
    expect((await w.as('prosecutor', 'GET', `/api/cases/${caseId}`)).statusCode).toBe(200);
  });

  it('refuses the request without an office before anything waits for approval', async () => {
    const caseId = await stageFiveCase(w, 'approval-refused');
    const nothing = await writtenFor(w, caseId);
    const asked = await refer(w, 'case_worker', caseId, { prosecutionAgencyId: w.agencies['NGO-WRC'] });
    expect(asked.json().code).toBe('PROSECUTION_OFFICE_REQUIRED');
    expect(await writtenFor(w, caseId)).toEqual(nothing);
  });
});

describe('whole-case work and attachments for one who sees a case only through a disclosure', () => {
  let w: World;
  /** A supervisor of the prosecution office: holds cases:assign and cases:approve, sees the case by disclosure. */
  let officeSupervisor: Session;
  const as = (method: string, url: string, payload?: unknown) =>
    w.app.inject({
      method: method as 'GET',
      url,
      headers: { cookie: officeSupervisor.cookie, 'x-csrf-token': officeSupervisor.csrfToken },
      ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
    });
  beforeAll(async () => {
    w = await createWorld();
    await addUserDirect(w.handle.db, {
      username: 'gpo-supervisor',
      displayName: 'Test gpo-supervisor',
      password: TEST_PASSWORD,
      agencyId: w.agencies.GPO!,
      roles: ['supervisor'],
    });
    const login = await w.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'gpo-supervisor', password: TEST_PASSWORD },
    });
    const body = login.json() as { csrfToken: string; user: { id: string } };
    const cookie = login.cookies.find((c) => c.name === 'hw_session');
    officeSupervisor = {
      cookie: `hw_session=${cookie?.value}`,
      csrfToken: body.csrfToken,
      userId: body.user.id,
    };
  });
  afterAll(() => w?.close());

  const caseId = () => w.records.disclosedToProsecutionOffice.caseId;

  it('sees the case through the disclosure, and only identity and justice', async () => {
    const access = (await as('GET', `/api/access/cases/${caseId()}`)).json();
    expect(access).toMatchObject({ read: ['identity', 'justice'], via: { scope: false } });
  });

  it('may not assign it', async () => {
    const before = await w.handle.db
      .selectFrom('cases')
      .select(['assigned_user_id', 'version'])
      .where('id', '=', caseId())
      .executeTakeFirstOrThrow();
    const response = await as('PUT', `/api/cases/${caseId()}/assignment`, {
      version: before.version,
      assignedUserId: null,
    });
    expect([response.statusCode, response.json().code]).toEqual([403, 'COMPARTMENT_FORBIDDEN']);
    const after = await w.handle.db
      .selectFrom('cases')
      .select(['assigned_user_id', 'version'])
      .where('id', '=', caseId())
      .executeTakeFirstOrThrow();
    expect(after).toEqual(before);
  });

  it('may not reject (nor approve) its pending approval', async () => {
    const approval = await w.handle.db
      .insertInto('case_approvals')
      .values({
        case_id: caseId(),
        transition: 'start_rehabilitation',
        payload: JSON.stringify({ closeReason: null }),
        requested_by: w.users.supervisor,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const rejected = await as('POST', `/api/cases/${caseId()}/approvals/${approval.id}/reject`, {
      comment: 'Synthetic rejection',
    });
    expect([rejected.statusCode, rejected.json().code]).toEqual([403, 'COMPARTMENT_FORBIDDEN']);
    const approved = await as('POST', `/api/cases/${caseId()}/approvals/${approval.id}/approve`, {});
    expect(approved.statusCode).toBe(403);
    const row = await w.handle.db
      .selectFrom('case_approvals')
      .select(['status', 'decided_by'])
      .where('id', '=', approval.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'pending', decided_by: null });
  });

  it('lists and downloads only the attachments of the disclosed compartments', async () => {
    const attach = (compartment: 'protection' | 'justice') =>
      w.handle.db
        .insertInto('case_attachments')
        .values({
          id: randomUUID(),
          case_id: caseId(),
          compartment,
          file_name: `${compartment}.txt`,
          content_type: 'text/plain',
          size_bytes: 1,
          sha256: '0'.repeat(64),
          iv: 'AAAAAAAAAAAAAAAA',
          auth_tag: 'AAAAAAAAAAAAAAAAAAAAAA==',
          uploaded_by: w.users.supervisor,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    const protection = await attach('protection');
    const justice = await attach('justice');
    // The office supervisor's role reads protection, but the disclosure opens only identity and justice.
    const listed = await as('GET', `/api/cases/${caseId()}/attachments`);
    expect(listed.statusCode).toBe(200);
    expect(listed.json().map((a: { id: string }) => a.id)).toEqual([justice.id]);
    const download = await as('GET', `/api/cases/${caseId()}/attachments/${protection.id}`);
    expect([download.statusCode, download.json().code]).toEqual([404, 'ATTACHMENT_NOT_FOUND']);
    // The prosecutor, whose role reads justice, lists the justice attachment of the disclosed case too.
    const prosecutor = await w.as('prosecutor', 'GET', `/api/cases/${caseId()}/attachments`);
    expect(prosecutor.json().map((a: { id: string }) => a.id)).toEqual([justice.id]);
  });
});
