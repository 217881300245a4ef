// The authorisation matrix: every role × every API route (read from Fastify at start-up, so a new route is
// covered the moment it is registered) × every relation a record can have to the actor, checked against
// ONE declarative table of expectations. Runs on PGlite, and on PostgreSQL when DATABASE_URL is set.
import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRoles, type Permission } from './permissions.ts';
import {
  createWorld,
  type RecordKind,
  type RoleCode,
  recordKinds,
  roleCodes,
  type World,
} from './test-world.ts';

// ---------------------------------------------------------------------------------------------------
// THE TABLE OF EXPECTATIONS
// ---------------------------------------------------------------------------------------------------

/**
 * Which records each default role sees (DOMAIN.md §4), and which sections of each it reads: the truth
 * every row filter and every compartment decision must match. A record missing from a role's row is
 * invisible to it.
 */
const caseWorkerSections = ['education', 'identity', 'protection', 'referral_packet'];
const securitySections = ['identity', 'referral_packet', 'security'];
const seesSections: Record<RoleCode, Partial<Record<RecordKind, readonly string[]>>> = {
  case_worker: { assignedToMe: caseWorkerSections },
  supervisor: {
    assignedToMe: caseWorkerSections,
    teammate: caseWorkerSections,
    myAgencyUnassigned: caseWorkerSections,
  },
  security_assessor: Object.fromEntries(recordKinds.map((k) => [k, securitySections])),
  prosecutor: {
    disclosedToJustice: ['identity', 'justice'],
    disclosedToProsecutionOffice: ['identity', 'justice'],
  },
  health_worker: {},
  ngo_worker: { disclosedToNgo: ['identity', 'referral_packet'] },
  coordinator: {},
  data_protection_officer: {},
  admin: {},
};
/**
 * Which compartments each role writes on each record it sees: in scope, its role's; through a disclosure,
 * nothing, except the justice compartment disclosed to the prosecutor's own agency. Missing = none.
 */
const caseWorkerWrites = ['protection', 'referral_packet'];
const writesSections: Record<RoleCode, Partial<Record<RecordKind, readonly string[]>>> = {
  case_worker: { assignedToMe: caseWorkerWrites },
  supervisor: {
    assignedToMe: caseWorkerWrites,
    teammate: caseWorkerWrites,
    myAgencyUnassigned: caseWorkerWrites,
  },
  security_assessor: Object.fromEntries(recordKinds.map((k) => [k, ['security']])),
  prosecutor: { disclosedToProsecutionOffice: ['justice'] },
  health_worker: {},
  ngo_worker: {},
  coordinator: {},
  data_protection_officer: {},
  admin: {},
};
const sees = Object.fromEntries(
  roleCodes.map((role) => [role, recordKinds.filter((k) => seesSections[role][k] !== undefined)]),
) as unknown as Record<RoleCode, readonly RecordKind[]>;

type Outcome = 'ok' | 'forbidden' | 'hidden' | 'unauthenticated';
type Body = (w: World, kind: RecordKind) => unknown;

interface RouteRule {
  /** The permission the route asks for first; 'anyone' for one's own things (me, notifications). */
  who: Permission | 'anyone';
  /** The route is about one record: its id (or the body's personId) is the record's. */
  record?: 'case' | 'person';
  /** The record's visibility does not matter (a data-protection officer's duties). */
  unscoped?: true;
  /** The id in the path is not a world record: a random one, answered 404 to those allowed. */
  randomId?: true;
  body?: Body;
  query?: (w: World, kind: RecordKind) => string;
}

const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString();

/** Homeward access module routes, each with what it asks for. Routes of other modules: see `generic`. */
const rules: Record<string, RouteRule> = {
  'GET /api/consents': {
    who: 'consents:read',
    record: 'person',
    query: (w, k) => `?personId=${w.records[k].personId}`,
  },
  'POST /api/consents': {
    who: 'consents:write',
    record: 'person',
    body: (w, k) => ({
      personId: w.records[k].personId,
      purpose: 'services',
      legalBasis: 'consent',
      decision: 'granted',
    }),
  },
  'POST /api/consents/:id/withdraw': { who: 'consents:write', randomId: true, body: () => ({}) },
  'GET /api/access/cases/:id': { who: 'anyone', record: 'case' },
  'GET /api/access/cases/:id/disclosures': { who: 'anyone', record: 'case' },
  'POST /api/access/cases/:id/disclosures': {
    who: 'disclosures:create',
    record: 'case',
    body: (w) => ({
      recipientAgencyId: w.agencies['UN-HUB'],
      sections: ['referral_packet'],
      legalBasis: 'consent',
      purpose: 'matrix-created',
      expiresAt: tomorrow(),
    }),
  },
  'GET /api/disclosures': { who: 'disclosures:review' },
  'POST /api/disclosures/:id/revoke': { who: 'disclosures:create', randomId: true, body: () => ({}) },
  'POST /api/access/cases/:id/break-glass': {
    who: 'breakglass:use',
    record: 'case',
    unscoped: true,
    body: () => ({ reason: 'urgent safeguarding concern reported by phone' }),
  },
  'GET /api/break-glass/mine': { who: 'breakglass:use' },
  'POST /api/break-glass/:id/end': { who: 'breakglass:use', randomId: true },
  'GET /api/break-glass': { who: 'disclosures:review' },
  'POST /api/break-glass/:id/review': {
    who: 'disclosures:review',
    randomId: true,
    body: () => ({ outcome: 'justified' }),
  },
  'GET /api/notifications': { who: 'anyone' },
  'POST /api/notifications/:id/read': { who: 'anyone', randomId: true },
  'GET /api/admin/access-policies': { who: 'access:manage' },
  'PUT /api/admin/access-policies/:roleCode': {
    who: 'access:manage',
    body: () => ({ caseScope: 'none', breakGlassCompartments: [] }),
  },
  'GET /api/admin/field-sensitivity': { who: 'access:manage' },
  'PUT /api/admin/field-sensitivity': {
    who: 'access:manage',
    body: () => ({ resource: 'matrix', field: 'probe', compartment: 'health', ask: 'nobody' }),
  },
  'DELETE /api/admin/field-sensitivity': {
    who: 'access:manage',
    randomId: true,
    query: () => '?resource=matrix&field=absent',
  },
  'GET /api/subject-requests/persons/:id/export': {
    who: 'subject_requests:handle',
    record: 'person',
    unscoped: true,
  },
  'GET /api/subject-requests/persons/:id/export.pdf': {
    who: 'subject_requests:handle',
    record: 'person',
    unscoped: true,
  },
  'GET /api/retention/due': { who: 'retention:manage' },
  'POST /api/retention/reviews': {
    who: 'retention:manage',
    randomId: true,
    body: () => ({ personId: randomUUID(), category: 'case_closed', decision: 'keep' }),
  },
  'POST /api/retention/holds': {
    who: 'retention:manage',
    randomId: true,
    body: () => ({ personId: randomUUID(), reason: 'matrix probe of a legal hold' }),
  },
  'GET /api/retention/holds': {
    who: 'retention:manage',
    record: 'person',
    unscoped: true,
    query: (w, k) => `?personId=${w.records[k].personId}`,
  },
  'POST /api/retention/holds/:id/lift': {
    who: 'retention:manage',
    randomId: true,
    body: () => ({ reason: 'matrix probe of lifting a hold' }),
  },
  'POST /api/retention/persons/:id/anonymise': { who: 'retention:manage', randomId: true },
  'DELETE /api/retention/persons/:id': { who: 'retention:manage', randomId: true },
};

const rolePermissions = new Map(defaultRoles.map((r) => [r.code, new Set<string>(r.permissions)]));

/** What the table says must happen: permission first, then the record's visibility. */
function expected(rule: RouteRule, role: RoleCode, kind: RecordKind | null): Outcome {
  if (rule.who !== 'anyone' && !rolePermissions.get(role)?.has(rule.who)) return 'forbidden';
  if (rule.randomId) return 'hidden';
  if (rule.record && kind && !rule.unscoped && !sees[role].includes(kind)) return 'hidden';
  return 'ok';
}

function outcomeOf(response: LightMyRequestResponse): Outcome {
  if (response.statusCode === 401) return 'unauthenticated';
  if (response.statusCode === 403) return 'forbidden';
  if (response.statusCode === 404) return 'hidden';
  // 400/409 after the access checks passed (e.g. BREAK_GLASS_NOT_NEEDED) are business answers.
  if (response.statusCode < 500) return 'ok';
  throw new Error(`server error ${response.statusCode}: ${response.body}`);
}

function fillPath(url: string, id: string): string {
  return url
    .replace(/:id\b/, id)
    .replace(/:roleCode\b/, 'coordinator')
    .replace(/:[a-zA-Z]+/g, randomUUID());
}

/** Strings that may not appear in what a role receives: canaries of records it may not see. */
function forbiddenStrings(w: World, role: RoleCode): string[] {
  return recordKinds
    .filter((k) => !sees[role].includes(k))
    .flatMap((k) => [w.records[k].canary, w.records[k].caseNumber]);
}

// Hundreds of requests per test: allow for a loaded machine.
describe('the authorisation matrix', { timeout: 300_000 }, () => {
  let w: World;
  beforeAll(async () => {
    w = await createWorld();
  });
  afterAll(() => w?.close());

  /** Undo what an allowed write changed, so every cell starts from the same world. */
  const settle = async () => {
    await sql`UPDATE break_glass_grants SET ended_at = now() WHERE ended_at IS NULL`.execute(w.handle.db);
    await sql`UPDATE disclosures SET revoked_at = now(), revoked_by = disclosed_by
      WHERE purpose = 'matrix-created' AND revoked_at IS NULL`.execute(w.handle.db);
  };

  it('lists every route of the access module in the table, and the table names no route that is gone', () => {
    const registered = new Set(w.routes.map((r) => `${r.method} ${r.url}`));
    const accessRoutes = [...registered].filter((r) =>
      /^\S+ \/api\/(consents|access|disclosures|break-glass|notifications|admin\/access-policies|admin\/field-sensitivity|subject-requests|retention)\b/.test(
        r,
      ),
    );
    expect(accessRoutes.filter((r) => !(r in rules))).toEqual([]);
    expect(Object.keys(rules).filter((r) => !registered.has(r))).toEqual([]);
  });

  it('refuses every non-public route to a caller who is not signed in', async () => {
    const wrong: string[] = [];
    for (const route of w.routes.filter((r) => !r.public)) {
      const response = await w.app.inject({
        method: route.method as 'GET',
        url: fillPath(route.url, randomUUID()),
      });
      // Schema validation runs before authentication (Fastify's order), so a malformed request may meet
      // 400 first; it carries no data. Anything else but 401 is a hole.
      const code = response.statusCode === 400 ? (response.json() as { code: string }).code : null;
      if (response.statusCode !== 401 && code !== 'VALIDATION_FAILED') {
        wrong.push(`${route.method} ${route.url} → ${response.statusCode}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('answers every role × access route × record relation as the table says', async () => {
    const mismatches: string[] = [];
    let cells = 0;
    for (const [key, rule] of Object.entries(rules)) {
      const [method, url] = key.split(' ') as [string, string];
      const kinds: (RecordKind | null)[] = rule.record ? [...recordKinds] : [null];
      for (const role of roleCodes) {
        for (const kind of kinds) {
          const record = kind ? w.records[kind] : null;
          const id =
            rule.randomId || !record
              ? randomUUID()
              : rule.record === 'person'
                ? record.personId
                : record.caseId;
          const path = fillPath(url, id) + (rule.query ? rule.query(w, kind ?? 'assignedToMe') : '');
          const response = await w.as(role, method, path, rule.body?.(w, kind ?? 'assignedToMe'));
          const actual = outcomeOf(response);
          const want = expected(rule, role, kind);
          cells += 1;
          if (actual !== want) {
            mismatches.push(
              `${role} ${key} [${kind ?? '-'}]: want ${want}, got ${response.statusCode} ${response.body.slice(0, 120)}`,
            );
          }
          if (actual === 'hidden' || actual === 'forbidden') {
            // A refusal carries no data: no names, no case numbers, whoever's record it was.
            for (const k of recordKinds) expect(response.body).not.toContain(w.records[k].canary);
          }
          await settle();
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(cells).toBeGreaterThan(500);
  });

  it('answers 404 with no data to every role guessing the id of a record it may not see, on every route', async () => {
    const leaks: string[] = [];
    const recordRoutes = w.routes.filter(
      (r) =>
        !r.public && !(`${r.method} ${r.url}` in rules) && /\/(persons|cases|family-units)\/:id/.test(r.url),
    );
    expect(recordRoutes.length).toBeGreaterThan(0);
    for (const route of recordRoutes) {
      for (const role of roleCodes) {
        for (const kind of recordKinds.filter((k) => !sees[role].includes(k))) {
          const record = w.records[kind];
          const id = route.url.includes('/persons/') ? record.personId : record.caseId;
          const response = await w.as(
            role,
            route.method,
            fillPath(route.url, id),
            route.method === 'GET' ? undefined : {},
          );
          const forbidden = forbiddenStrings(w, role).filter((s) => response.body.includes(s));
          const status = response.statusCode;
          // GET of an invisible record: 404 (or 403 when the role lacks the permission altogether).
          const refused =
            route.method === 'GET' ? status === 404 || status === 403 : status >= 400 && status !== 500;
          if (!refused || forbidden.length > 0) {
            leaks.push(`${role} ${route.method} ${route.url} [${kind}] → ${status} ${forbidden.join(',')}`);
          }
          await settle();
        }
      }
    }
    expect(leaks).toEqual([]);
  });

  it('never shows a role, on any list or search, a record outside its sight', async () => {
    const leaks: string[] = [];
    const lists = w.routes.filter((r) => r.method === 'GET' && !r.public && !r.url.includes(':'));
    for (const route of lists) {
      for (const role of roleCodes) {
        const response = await w.as(role, 'GET', route.url);
        const found = forbiddenStrings(w, role).filter((s) => response.body.includes(s));
        if (found.length > 0) leaks.push(`${role} GET ${route.url}: ${found.join(', ')}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it('opens exactly the sections the table says, per role × record × compartment, to read and to write', async () => {
    const wrong: string[] = [];
    for (const role of roleCodes) {
      for (const kind of recordKinds) {
        const response = await w.as(role, 'GET', `/api/access/cases/${w.records[kind].caseId}`);
        const body =
          response.statusCode === 200 ? (response.json() as { read: string[]; write: string[] }) : null;
        const want = seesSections[role][kind];
        if (JSON.stringify(body?.read) !== JSON.stringify(want)) {
          wrong.push(
            `${role} [${kind}] read: want ${want?.join(',') ?? 'invisible'}, got ${body?.read.join(',') ?? response.statusCode}`,
          );
        }
        const writes = body ? [...body.write].sort() : undefined;
        const wantWrites = want ? [...(writesSections[role][kind] ?? [])].sort() : undefined;
        if (JSON.stringify(writes) !== JSON.stringify(wantWrites)) {
          wrong.push(`${role} [${kind}] write: want ${wantWrites?.join(',')}, got ${writes?.join(',')}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('lets a prosecutor write justice only on a case whose justice compartment is disclosed to its office', async () => {
    // The same justice transition on every record: opened only where the table says the prosecutor writes
    // justice; 403 where it only reads (a disclosure to the compartment); 404 where it sees nothing.
    const wrong: string[] = [];
    for (const kind of recordKinds) {
      const { caseId } = w.records[kind];
      const current = await w.as('prosecutor', 'GET', `/api/cases/${caseId}`);
      const version = current.statusCode === 200 ? (current.json() as { version: number }).version : 0;
      const response = await w.as('prosecutor', 'POST', `/api/cases/${caseId}/transitions`, {
        transition: 'justice.open',
        version,
      });
      const want: Outcome = writesSections.prosecutor[kind]?.includes('justice')
        ? 'ok'
        : sees.prosecutor.includes(kind)
          ? 'forbidden'
          : 'hidden';
      if (outcomeOf(response) !== want) {
        wrong.push(`[${kind}] want ${want}, got ${response.statusCode} ${response.body.slice(0, 120)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('counts exactly the visible cases and persons, per role, in SQL', async () => {
    const { caseVisibilityFilter, personVisibilityFilter } = await import('./access.ts');
    const { authenticateSession } = await import('../../platform/auth/authenticate.ts');
    const { loadConfig } = await import('../../platform/config.ts');
    const config = loadConfig({ HOMEWARD_DATA_DIR: 'memory://', HOMEWARD_DEMO: '1' });
    const worldCases = Object.values(w.records).map((r) => r.caseId);
    const worldPersons = Object.values(w.records).map((r) => r.personId);
    for (const role of roleCodes) {
      const actor = await authenticateSession(
        w.handle.db,
        config,
        w.sessions[role].cookie.replace('hw_session=', ''),
      );
      const cases = await w.handle.db
        .selectFrom('cases')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('cases.id', 'in', worldCases)
        .where(caseVisibilityFilter(actor))
        .executeTakeFirstOrThrow();
      const persons = await w.handle.db
        .selectFrom('persons')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('persons.id', 'in', worldPersons)
        .where(personVisibilityFilter(actor))
        .executeTakeFirstOrThrow();
      expect([role, Number(cases.n)]).toEqual([role, sees[role].length]);
      expect([role, Number(persons.n)]).toEqual([role, sees[role].length]);
    }
  });
});
