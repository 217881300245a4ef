// A synthetic world for the access tests: one user per default role, and cases in every relation an
// actor can have to a record. Test support only (imported by *.test.ts files).
import type { LightMyRequestResponse, RouteOptions } from 'fastify';
import { TEST_PASSWORD } from '../../../test/app.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/database.ts';
import { keepAuthCacheCoherent } from '../../platform/auth/invalidation.ts';
import { loadConfig } from '../../platform/config.ts';
import { buildApp } from '../../platform/http/app.ts';
import { registerRoutes } from '../../routes.ts';
import { addUserDirect, ensureDefaultRoles } from '../accounts/bootstrap.ts';

export const roleCodes = [
  'case_worker',
  'supervisor',
  'security_assessor',
  'prosecutor',
  'health_worker',
  'ngo_worker',
  'coordinator',
  'data_protection_officer',
  'admin',
] as const;
export type RoleCode = (typeof roleCodes)[number];

/** Every relation a record can have to the actor the matrix asks about. */
export const recordKinds = [
  'assignedToMe',
  'teammate',
  'myAgencyUnassigned',
  'otherAgency',
  'disclosedToJustice',
  'disclosedToProsecutionOffice',
  'disclosedToNgo',
  'disclosureExpired',
  'disclosureRevoked',
] as const;
export type RecordKind = (typeof recordKinds)[number];

export interface WorldRecord {
  kind: RecordKind;
  caseId: string;
  personId: string;
  caseNumber: string;
  /** A string found only in this record's name: if it shows where it must not, it leaked. */
  canary: string;
}

export interface Session {
  cookie: string;
  csrfToken: string;
  userId: string;
}

export interface World {
  handle: TestDatabase;
  app: Awaited<ReturnType<typeof buildApp>>;
  routes: { method: string; url: string; public: boolean }[];
  agencies: Record<string, string>;
  users: Record<RoleCode | 'teammate', string>;
  sessions: Record<RoleCode, Session>;
  records: Record<RecordKind, WorldRecord>;
  /** Sensitive value in the 'assignedToMe' person's whereabouts detail (masked outside protection). */
  whereaboutsCanary: string;
  as(role: RoleCode, method: string, url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

const agencyKinds: Record<string, string> = {
  MSP: 'social_services',
  'MSP-NORTH': 'social_services',
  NSS: 'security',
  GPO: 'prosecution',
  MOH: 'health',
  'NGO-WRC': 'ngo',
  'UN-HUB': 'coordination',
};
const homeAgency: Record<RoleCode, string> = {
  case_worker: 'MSP',
  supervisor: 'MSP',
  security_assessor: 'NSS',
  prosecutor: 'GPO',
  health_worker: 'MOH',
  ngo_worker: 'NGO-WRC',
  coordinator: 'UN-HUB',
  data_protection_officer: 'MSP',
  admin: 'MSP',
};

export async function createWorld(env: Record<string, string> = {}): Promise<World> {
  const handle = await createTestDatabase();
  const db = handle.db;
  await ensureDefaultRoles(db);
  const config = loadConfig({
    HOMEWARD_DATA_DIR: 'memory://',
    HOMEWARD_DEMO: '1',
    LOG_LEVEL: 'silent',
    HOMEWARD_AUTH_RATE_LIMIT: '100000',
    ...env,
  });
  const routes: World['routes'] = [];
  // The app exactly as createApp composes it, with a hook that records every route as it is added: the
  // matrix covers a route the moment a module registers it.
  const deps = {
    db,
    config,
    backend: handle.backend,
    readiness: async () => ({ ready: true, schemaVersion: 0, expectedVersion: 0 }),
  };
  const app = await buildApp({
    ...deps,
    ...(config.logLevel === 'silent' ? { logger: false } : {}),
    registerRoutes: (zodApp) => {
      zodApp.addHook('onRoute', (route: RouteOptions) => {
        for (const method of [route.method].flat()) {
          if (method === 'HEAD' || !route.url.startsWith('/api')) continue;
          routes.push({ method, url: route.url, public: route.config?.public === true });
        }
      });
      return registerRoutes(zodApp, deps);
    },
  });
  const authCoherence = await keepAuthCacheCoherent(handle);
  app.addHook('onClose', () => authCoherence.close());
  await app.ready();

  const agencies: Record<string, string> = {};
  for (const [code, kind] of Object.entries(agencyKinds)) {
    const row = await db
      .insertInto('agencies')
      .values({
        code,
        name: `Agency ${code}`,
        kind,
        jurisdiction: code === 'MSP-NORTH' ? 'North' : 'National',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    agencies[code] = row.id;
  }
  const users = {} as World['users'];
  const add = (username: string, role: RoleCode, supervisorId: string | null = null) =>
    addUserDirect(db, {
      username,
      displayName: `Test ${username}`,
      password: TEST_PASSWORD,
      agencyId: agencies[homeAgency[role]]!,
      roles: [role],
      supervisorId,
    });
  users.supervisor = await add('m-supervisor', 'supervisor');
  for (const role of roleCodes) {
    if (role === 'supervisor') continue;
    users[role] = await add(
      `m-${role.replace(/_/g, '-')}`,
      role,
      role === 'case_worker' ? users.supervisor : null,
    );
  }
  users.teammate = await add('m-teammate', 'case_worker', users.supervisor);

  let n = 0;
  const record = async (kind: RecordKind, owner: string, assignee: string | null): Promise<WorldRecord> => {
    n += 1;
    const canary = `Zqx${kind}Canary`;
    const person = await db
      .insertInto('persons')
      .values({
        sex: 'female',
        birth_date_kind: 'year',
        birth_date_from: '1991-01-01',
        birth_date_to: '1991-12-31',
        owner_agency_id: agencies[owner]!,
        whereabouts: 'in_country',
        whereabouts_detail: kind === 'assignedToMe' ? 'WhereaboutsCanaryQv7' : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('person_names')
      .values({
        person_id: person.id,
        full_name: `Gulnara ${canary}`,
        script: 'latin',
        name_type: 'primary',
        source: 'camp_list',
        is_display: true,
      })
      .execute();
    const caseNumber = `MTX-${n}-${kind.toUpperCase()}`;
    const created = await db
      .insertInto('cases')
      .values({
        case_number: caseNumber,
        person_id: person.id,
        owner_agency_id: agencies[owner]!,
        assigned_user_id: assignee,
        stage: 5,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { kind, caseId: created.id, personId: person.id, caseNumber, canary };
  };
  const records = {} as World['records'];
  records.assignedToMe = await record('assignedToMe', 'MSP', users.case_worker);
  records.teammate = await record('teammate', 'MSP', users.teammate);
  records.myAgencyUnassigned = await record('myAgencyUnassigned', 'MSP', null);
  records.otherAgency = await record('otherAgency', 'MSP-NORTH', null);
  records.disclosedToJustice = await record('disclosedToJustice', 'MSP-NORTH', null);
  records.disclosedToProsecutionOffice = await record('disclosedToProsecutionOffice', 'MSP-NORTH', null);
  records.disclosedToNgo = await record('disclosedToNgo', 'MSP-NORTH', null);
  records.disclosureExpired = await record('disclosureExpired', 'MSP-NORTH', null);
  records.disclosureRevoked = await record('disclosureRevoked', 'MSP-NORTH', null);
  const discloser = users.supervisor;
  const now = Date.now();
  const disclose = (
    kind: RecordKind,
    to: { recipient_agency_id?: string; recipient_compartment?: 'justice' },
    sections: string[],
    extra: { disclosed_at?: Date; expires_at?: Date; revoked_at?: Date; revoked_by?: string } = {},
  ) =>
    db
      .insertInto('disclosures')
      .values({
        case_id: records[kind].caseId,
        recipient_agency_id: to.recipient_agency_id ?? null,
        recipient_compartment: to.recipient_compartment ?? null,
        sections,
        legal_basis: 'legal_obligation',
        purpose: 'matrix',
        disclosed_by: discloser,
        expires_at: new Date(now + 86_400_000),
        ...extra,
      })
      .execute();
  await disclose('disclosedToJustice', { recipient_compartment: 'justice' }, ['identity', 'justice']);
  // The justice compartment disclosed to one prosecution office: its prosecutors may write there.
  await disclose('disclosedToProsecutionOffice', { recipient_agency_id: agencies.GPO! }, [
    'identity',
    'justice',
  ]);
  await disclose('disclosedToNgo', { recipient_agency_id: agencies['NGO-WRC']! }, [
    'identity',
    'referral_packet',
  ]);
  await disclose('disclosureExpired', { recipient_agency_id: agencies['NGO-WRC']! }, ['referral_packet'], {
    disclosed_at: new Date(now - 2 * 86_400_000),
    expires_at: new Date(now - 86_400_000),
  });
  await disclose('disclosureRevoked', { recipient_agency_id: agencies['NGO-WRC']! }, ['referral_packet'], {
    revoked_at: new Date(now - 1000),
    revoked_by: discloser,
  });

  const sessions = {} as World['sessions'];
  for (const role of roleCodes) {
    const username = role === 'supervisor' ? 'm-supervisor' : `m-${role.replace(/_/g, '-')}`;
    const response = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password: TEST_PASSWORD },
    });
    if (response.statusCode !== 200) throw new Error(`login ${role}: ${response.statusCode}`);
    const cookie = response.cookies.find((c) => c.name === 'hw_session');
    const body = response.json() as { csrfToken: string; user: { id: string } };
    sessions[role] = {
      cookie: `hw_session=${cookie?.value}`,
      csrfToken: body.csrfToken,
      userId: body.user.id,
    };
  }

  return {
    handle,
    app,
    routes,
    agencies,
    users,
    sessions,
    records,
    whereaboutsCanary: 'WhereaboutsCanaryQv7',
    as: (role, method, url, payload) =>
      app.inject({
        method: method as 'GET',
        url,
        headers: { cookie: sessions[role].cookie, 'x-csrf-token': sessions[role].csrfToken },
        ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
      }),
    close: async () => {
      await app.close();
      await handle.close();
    },
  };
}
