import { sql } from 'kysely';
import type { Config } from '../config.ts';
import { hashToken } from '../crypto/secrets.ts';
import type { Database } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { type Actor, caseScopes } from './actor.ts';
import { apiTokenKey, authCacheFor, sessionKey } from './cache.ts';

export const SESSION_COOKIE = 'hw_session';
export const API_TOKEN_PREFIX = 'hwt_';

interface PrincipalRow {
  user_id: string;
  username: string;
  display_name: string;
  agency_id: string;
  agency_kind: string;
  agency_code: string;
  agency_name: string;
  supervisor_id: string | null;
  totp_enabled: boolean;
  preferred_language: string;
  roles: { code: string; name: string }[];
  permissions: string[];
  case_scope_rank: number;
}

/** One query for the user, their agency and the union of their roles' permissions. */
async function loadPrincipal(db: Database, userId: string): Promise<PrincipalRow | undefined> {
  const result = await sql<PrincipalRow>`
    SELECT u.id AS user_id, u.username, u.display_name, u.agency_id, a.kind AS agency_kind, a.code AS agency_code,
           a.name AS agency_name, u.supervisor_id, u.totp_enabled, u.preferred_language,
           coalesce(json_agg(json_build_object('code', r.code, 'name', r.name) ORDER BY r.code)
                    FILTER (WHERE r.code IS NOT NULL), '[]') AS roles,
           coalesce((SELECT array_agg(DISTINCT p) FROM user_roles ur2 JOIN roles r2 ON r2.id = ur2.role_id,
                     unnest(r2.permissions) AS p WHERE ur2.user_id = u.id), '{}') AS permissions,
           coalesce((SELECT max(array_position(${[...caseScopes]}::text[], pol.case_scope)) - 1
                     FROM user_roles ur3 JOIN roles r3 ON r3.id = ur3.role_id
                     JOIN access_role_policies pol ON pol.role_code = r3.code WHERE ur3.user_id = u.id), 0)
             AS case_scope_rank
    FROM users u
    JOIN agencies a ON a.id = u.agency_id AND a.active
    LEFT JOIN user_roles ur ON ur.user_id = u.id
    LEFT JOIN roles r ON r.id = ur.role_id
    WHERE u.id = ${userId} AND u.status = 'active'
    GROUP BY u.id, a.kind, a.code, a.name`.execute(db);
  return result.rows[0];
}

function toActor(
  row: PrincipalRow,
  fields: Pick<Actor, 'via' | 'tokenId' | 'sessionTokenHash' | 'csrfToken' | 'mfaEnrolmentPending'> & {
    scopes?: string[];
  },
): Actor {
  // Sorted once here, so what lists them per request (`GET /api/me`) sorts an already sorted array.
  const rolePermissions = new Set([...row.permissions].sort());
  const permissions = fields.scopes
    ? new Set([...rolePermissions].filter((permission) => fields.scopes?.includes(permission)))
    : rolePermissions;
  return {
    userId: row.user_id,
    username: row.username,
    displayName: row.display_name,
    agencyId: row.agency_id,
    agencyKind: row.agency_kind,
    agencyCode: row.agency_code,
    agencyName: row.agency_name,
    supervisorId: row.supervisor_id,
    roles: row.roles.map((r) => r.code),
    roleNames: row.roles,
    rolePermissions,
    permissions,
    via: fields.via,
    tokenId: fields.tokenId,
    sessionTokenHash: fields.sessionTokenHash,
    csrfToken: fields.csrfToken,
    mfaEnrolmentPending: fields.mfaEnrolmentPending,
    totpEnabled: row.totp_enabled,
    preferredLanguage: row.preferred_language,
    caseScope: caseScopes[row.case_scope_rank] ?? 'none',
  };
}

/** last_seen_at is written at most this often, so reading a page is not a write per request. */
const TOUCH_INTERVAL_MS = 60_000;

/**
 * Resolves a session cookie. An idle or expired session is ended in the database the moment it is
 * seen, so it can never be revived.
 */
export async function authenticateSession(db: Database, config: Config, token: string): Promise<Actor> {
  const tokenHash = hashToken(token);
  const now = Date.now();
  const idleMs = config.session.idleMinutes * 60_000;
  const cache = authCacheFor(db);
  const key = sessionKey(tokenHash);
  const cached = cache.get(key, now);
  if (cached && now < cached.lastSeenMs + idleMs) {
    if (now - cached.lastSeenMs > TOUCH_INTERVAL_MS) {
      await db
        .updateTable('sessions')
        .set({ last_seen_at: new Date(now) })
        .where('token_hash', '=', tokenHash)
        .execute();
      cached.lastSeenMs = now;
    }
    return cached.actor;
  }
  // Noted before reading: a change evicted while this lookup reads is not cached after it.
  const epoch = cache.epoch;
  const session = await db
    .selectFrom('sessions')
    .select(['user_id', 'csrf_token', 'mfa_enrolment_pending', 'last_seen_at', 'expires_at', 'ended_at'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!session || session.ended_at) throw new AppError('SESSION_EXPIRED');
  const idleLimit = session.last_seen_at.getTime() + idleMs;
  if (now >= session.expires_at.getTime() || now >= idleLimit) {
    await db
      .updateTable('sessions')
      .set({ ended_at: new Date(now), end_reason: now >= session.expires_at.getTime() ? 'expired' : 'idle' })
      .where('token_hash', '=', tokenHash)
      .where('ended_at', 'is', null)
      .execute();
    throw new AppError('SESSION_EXPIRED');
  }
  const principal = await loadPrincipal(db, session.user_id);
  if (!principal) throw new AppError('SESSION_EXPIRED');
  let lastSeenMs = session.last_seen_at.getTime();
  if (now - lastSeenMs > TOUCH_INTERVAL_MS) {
    await db
      .updateTable('sessions')
      .set({ last_seen_at: new Date(now) })
      .where('token_hash', '=', tokenHash)
      .execute();
    lastSeenMs = now;
  }
  const actor = toActor(principal, {
    via: 'session',
    tokenId: null,
    sessionTokenHash: tokenHash,
    csrfToken: session.csrf_token,
    mfaEnrolmentPending: session.mfa_enrolment_pending,
  });
  cache.set(key, { actor, expiresAtMs: session.expires_at.getTime(), lastSeenMs }, epoch);
  return actor;
}

/** Resolves `Authorization: Bearer hwt_…`: hashed lookup, expiry, revocation; scopes narrow permissions. */
export async function authenticateApiToken(db: Database, token: string): Promise<Actor> {
  if (!token.startsWith(API_TOKEN_PREFIX)) throw new AppError('TOKEN_INVALID');
  const tokenHash = hashToken(token);
  const cache = authCacheFor(db);
  const key = apiTokenKey(tokenHash);
  const cached = cache.get(key);
  if (cached) return cached.actor;
  const epoch = cache.epoch;
  const row = await db
    .selectFrom('api_tokens')
    .select(['id', 'user_id', 'scopes', 'expires_at', 'revoked_at', 'last_used_at'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  const now = Date.now();
  if (!row || row.revoked_at || row.expires_at.getTime() <= now) throw new AppError('TOKEN_INVALID');
  const principal = await loadPrincipal(db, row.user_id);
  if (!principal) throw new AppError('TOKEN_INVALID');
  if (!row.last_used_at || now - row.last_used_at.getTime() > TOUCH_INTERVAL_MS) {
    await db
      .updateTable('api_tokens')
      .set({ last_used_at: new Date(now) })
      .where('id', '=', row.id)
      .execute();
  }
  const actor = toActor(principal, {
    via: 'token',
    tokenId: row.id,
    sessionTokenHash: null,
    csrfToken: null,
    mfaEnrolmentPending: false,
    scopes: row.scopes,
  });
  cache.set(key, { actor, expiresAtMs: row.expires_at.getTime(), lastSeenMs: now }, epoch);
  return actor;
}
