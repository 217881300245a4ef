import { type AuditContext, recordAudit } from '../../platform/audit/audit.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import { API_TOKEN_PREFIX } from '../../platform/auth/authenticate.ts';
import { announceAuthChange } from '../../platform/auth/invalidation.ts';
import {
  decoyPasswordHash,
  hashPassword,
  passwordWeakness,
  verifyPassword,
} from '../../platform/auth/passwords.ts';
import { newTotpSecret, totpUri, verifyTotp } from '../../platform/auth/totp.ts';
import type { Config } from '../../platform/config.ts';
import { decryptSecret, encryptSecret, hashToken, randomToken } from '../../platform/crypto/secrets.ts';
import type { Database } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { authorize } from '../access/access.ts';
import {
  clearFailedLogins,
  findUserByUsername,
  findUserSecrets,
  loadThrottle,
  recordFailedLogin,
  rolesRequireTotp,
} from './repository.ts';
import type { CreateApiToken, LoginRequest, Me } from './schemas.ts';

const TOTP_PURPOSE = 'users.totp_secret';

export interface LoginResult {
  sessionToken: string;
  csrfToken: string;
  userId: string;
  expiresAt: Date;
}

function secondsUntil(date: Date): number {
  return Math.max(1, Math.ceil((date.getTime() - Date.now()) / 1000));
}

/**
 * Signs a user in. Failures are counted per username as typed, existing or not, and every attempt
 * is audited; the answer to a wrong username and a wrong password is the same, in the same time.
 */
export async function login(
  db: Database,
  config: Config,
  input: LoginRequest,
  client: { ip: string | null; userAgent: string | null; requestId: string },
): Promise<LoginResult> {
  const usernameKey = input.username.trim().toLowerCase();
  const auditBase: AuditContext = {
    actorUserId: null,
    actorAgencyId: null,
    clientIp: client.ip,
    requestId: client.requestId,
  };

  const throttle = await loadThrottle(db, usernameKey);
  if (throttle?.locked_until && throttle.locked_until > new Date()) {
    await db.transaction().execute((trx) =>
      recordAudit(trx, auditBase, {
        action: 'auth.login',
        outcome: 'denied',
        details: { reason: 'locked' },
      }),
    );
    throw new AppError('ACCOUNT_LOCKED', { retryAfter: secondsUntil(throttle.locked_until) });
  }

  const user = await findUserByUsername(db, usernameKey);
  const passwordOk = await verifyPassword(user?.password_hash ?? (await decoyPasswordHash()), input.password);
  const usable = user !== undefined && user.status === 'active' && passwordOk;

  const fail = async (code: 'INVALID_CREDENTIALS' | 'TOTP_INVALID', reason: string): Promise<never> => {
    await db.transaction().execute(async (trx) => {
      await recordFailedLogin(trx, usernameKey, config.login.maxFailures, config.login.lockMinutes);
      await recordAudit(
        trx,
        { ...auditBase, actorUserId: user?.id ?? null, actorAgencyId: user?.agency_id ?? null },
        { action: 'auth.login', outcome: 'failure', details: { reason } },
      );
    });
    throw new AppError(code);
  };

  if (!usable || !user)
    return fail('INVALID_CREDENTIALS', user ? (passwordOk ? 'disabled' : 'password') : 'password');

  let totpStep: number | null = null;
  if (user.totp_enabled) {
    if (!input.totp) throw new AppError('TOTP_REQUIRED');
    const secret = decryptSecret(config.secretKey, user.totp_secret_encrypted ?? '', TOTP_PURPOSE);
    totpStep = verifyTotp(secret, input.totp, user.totp_last_step);
    if (totpStep === null) return fail('TOTP_INVALID', 'totp');
  }

  const sessionToken = randomToken();
  const csrfToken = randomToken();
  const expiresAt = new Date(Date.now() + config.session.absoluteHours * 3_600_000);
  await db.transaction().execute(async (trx) => {
    const mfaPending = !user.totp_enabled && (await rolesRequireTotp(trx, user.id));
    await clearFailedLogins(trx, usernameKey);
    if (totpStep !== null) {
      // Only a step later than the last one: two sign-ins racing with one code cannot both win.
      const claimed = await trx
        .updateTable('users')
        .set({ totp_last_step: totpStep })
        .where('id', '=', user.id)
        .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', totpStep)]))
        .returning('id')
        .executeTakeFirst();
      if (!claimed) throw new AppError('TOTP_INVALID');
    }
    await trx
      .insertInto('sessions')
      .values({
        token_hash: hashToken(sessionToken),
        user_id: user.id,
        csrf_token: csrfToken,
        mfa_enrolment_pending: mfaPending,
        expires_at: expiresAt,
        client_ip: client.ip,
        user_agent: client.userAgent?.slice(0, 300) ?? null,
      })
      .execute();
    await recordAudit(
      trx,
      { ...auditBase, actorUserId: user.id, actorAgencyId: user.agency_id },
      { action: 'auth.login', details: { mfaEnrolmentPending: mfaPending } },
    );
  });
  return { sessionToken, csrfToken, userId: user.id, expiresAt };
}

/** Ends the session in the database: the cookie is worthless from this moment, wherever it is. */
export async function logout(ctx: ServiceContext): Promise<void> {
  const tokenHash = ctx.actor.sessionTokenHash;
  await ctx.db.transaction().execute(async (trx) => {
    if (tokenHash) {
      await trx
        .updateTable('sessions')
        .set({ ended_at: new Date(), end_reason: 'logout' })
        .where('token_hash', '=', tokenHash)
        .where('ended_at', 'is', null)
        .execute();
      await announceAuthChange(ctx.db, trx, `session:${tokenHash}`);
    }
    await recordAudit(trx, ctx.audit, { action: 'auth.logout' });
  });
}

/** The signed-in user as the web app shows them: straight from the resolved actor, no query. */
/**
 * What `GET /api/me` answers, built once per resolved actor: the authentication cache hands the same
 * actor object to every request of a session, so the sorted permission list is not rebuilt each time.
 */
const described = new WeakMap<Actor, Me>();

export function describeMe(actor: Actor): Me {
  let me = described.get(actor);
  if (me === undefined) {
    me = meOf(actor);
    described.set(actor, me);
  }
  return me;
}

function meOf(actor: Actor): Me {
  return {
    id: actor.userId,
    username: actor.username,
    displayName: actor.displayName,
    agency: { id: actor.agencyId, code: actor.agencyCode, name: actor.agencyName, kind: actor.agencyKind },
    roles: actor.roleNames,
    permissions: [...actor.permissions].sort(),
    totpEnabled: actor.totpEnabled,
    mfaEnrolmentPending: actor.mfaEnrolmentPending,
    preferredLanguage: actor.preferredLanguage as Me['preferredLanguage'],
    csrfToken: actor.csrfToken,
  };
}

export async function updateMyLanguage(ctx: ServiceContext, language: Me['preferredLanguage']): Promise<Me> {
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set((eb) => ({ preferred_language: language, updated_at: new Date(), version: eb('version', '+', 1) }))
      .where('id', '=', ctx.actor.userId)
      .execute();
    await announceAuthChange(ctx.db, trx, `user:${ctx.actor.userId}`);
    await recordAudit(trx, ctx.audit, {
      action: 'user.update_preferences',
      targetType: 'user',
      targetId: ctx.actor.userId,
    });
  });
  return describeMe({ ...ctx.actor, preferredLanguage: language });
}

export async function changeOwnPassword(
  ctx: ServiceContext,
  currentPassword: string,
  newPassword: string,
): Promise<void> {
  const user = await findUserSecrets(ctx.db, ctx.actor.userId);
  if (!user || !(await verifyPassword(user.password_hash, currentPassword))) {
    throw new AppError('INVALID_CREDENTIALS', { details: { path: 'body.currentPassword' } });
  }
  const weakness = passwordWeakness(newPassword, user.username);
  if (weakness)
    throw new AppError('WEAK_PASSWORD', {
      message: `The password is too weak: ${weakness}`,
      details: { path: 'body.newPassword' },
    });
  const passwordHash = await hashPassword(newPassword);
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set((eb) => ({
        password_hash: passwordHash,
        password_changed_at: new Date(),
        updated_at: new Date(),
        version: eb('version', '+', 1),
      }))
      .where('id', '=', user.id)
      .execute();
    // Every other session of this user ends: a changed password shuts out whoever else had it.
    let others = trx
      .updateTable('sessions')
      .set({ ended_at: new Date(), end_reason: 'password_changed' })
      .where('user_id', '=', user.id)
      .where('ended_at', 'is', null);
    if (ctx.actor.sessionTokenHash) others = others.where('token_hash', '<>', ctx.actor.sessionTokenHash);
    await others.execute();
    await announceAuthChange(ctx.db, trx, `user:${user.id}`);
    await recordAudit(trx, ctx.audit, {
      action: 'user.change_password',
      targetType: 'user',
      targetId: user.id,
    });
  });
}

/** Step one of enrolment: a fresh seed, stored encrypted, inactive until a code proves the app has it. */
export async function startTotpEnrolment(
  ctx: ServiceContext,
): Promise<{ secret: string; otpauthUrl: string }> {
  const user = await findUserSecrets(ctx.db, ctx.actor.userId);
  if (!user) throw new AppError('USER_NOT_FOUND');
  if (user.totp_enabled) throw new AppError('TOTP_ALREADY_ENABLED');
  const secret = newTotpSecret();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({
        totp_secret_encrypted: encryptSecret(ctx.config.secretKey, secret, TOTP_PURPOSE),
        updated_at: new Date(),
      })
      .where('id', '=', user.id)
      .execute();
    await recordAudit(trx, ctx.audit, { action: 'auth.totp.setup', targetType: 'user', targetId: user.id });
  });
  return { secret, otpauthUrl: totpUri(secret, user.username) };
}

export async function confirmTotpEnrolment(ctx: ServiceContext, code: string): Promise<void> {
  const user = await findUserSecrets(ctx.db, ctx.actor.userId);
  if (!user) throw new AppError('USER_NOT_FOUND');
  if (user.totp_enabled) throw new AppError('TOTP_ALREADY_ENABLED');
  if (!user.totp_secret_encrypted) throw new AppError('TOTP_NOT_PENDING');
  const secret = decryptSecret(ctx.config.secretKey, user.totp_secret_encrypted, TOTP_PURPOSE);
  const step = verifyTotp(secret, code);
  if (step === null) throw new AppError('TOTP_INVALID', { details: { path: 'body.code' } });
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set((eb) => ({
        totp_enabled: true,
        totp_last_step: step,
        updated_at: new Date(),
        version: eb('version', '+', 1),
      }))
      .where('id', '=', user.id)
      .execute();
    await trx
      .updateTable('sessions')
      .set({ mfa_enrolment_pending: false })
      .where('user_id', '=', user.id)
      .where('ended_at', 'is', null)
      .execute();
    await announceAuthChange(ctx.db, trx, `user:${user.id}`);
    await recordAudit(trx, ctx.audit, { action: 'auth.totp.enable', targetType: 'user', targetId: user.id });
  });
}

export async function disableOwnTotp(ctx: ServiceContext, password: string): Promise<void> {
  const user = await findUserSecrets(ctx.db, ctx.actor.userId);
  if (!user || !(await verifyPassword(user.password_hash, password))) {
    throw new AppError('INVALID_CREDENTIALS', { details: { path: 'body.password' } });
  }
  if (await rolesRequireTotp(ctx.db, user.id)) {
    throw new AppError('FORBIDDEN', {
      message: 'Your role requires a second factor; it cannot be turned off',
    });
  }
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set((eb) => ({
        totp_enabled: false,
        totp_secret_encrypted: null,
        totp_last_step: null,
        updated_at: new Date(),
        version: eb('version', '+', 1),
      }))
      .where('id', '=', user.id)
      .execute();
    await announceAuthChange(ctx.db, trx, `user:${user.id}`);
    await recordAudit(trx, ctx.audit, { action: 'auth.totp.disable', targetType: 'user', targetId: user.id });
  });
}

type TokenRow = {
  id: string;
  name: string;
  scopes: string[];
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
};

export function toApiToken(row: TokenRow) {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    revokedAt: row.revoked_at?.toISOString() ?? null,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
  };
}

/** A machine client's token: scoped to a subset of its owner's permissions, expiring, stored hashed. */
export async function createApiToken(ctx: ServiceContext, input: CreateApiToken) {
  authorize(ctx.actor, 'tokens:manage_own');
  if (ctx.actor.via === 'token')
    throw new AppError('FORBIDDEN', { message: 'API tokens cannot create API tokens' });
  const beyond = input.scopes.filter((scope) => !ctx.actor.rolePermissions.has(scope));
  if (beyond.length > 0) {
    throw new AppError('FORBIDDEN', {
      message: 'A token cannot hold permissions its owner lacks',
      details: { path: 'body.scopes', scopes: beyond },
    });
  }
  const secret = `${API_TOKEN_PREFIX}${randomToken()}`;
  const expiresAt = new Date(Date.now() + input.expiresInDays * 86_400_000);
  const row = await ctx.db.transaction().execute(async (trx) => {
    const created = await trx
      .insertInto('api_tokens')
      .values({
        user_id: ctx.actor.userId,
        name: input.name,
        token_hash: hashToken(secret),
        scopes: input.scopes,
        expires_at: expiresAt,
      })
      .returning(['id', 'name', 'scopes', 'created_at', 'expires_at', 'revoked_at', 'last_used_at'])
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx.audit, {
      action: 'api_token.create',
      targetType: 'api_token',
      targetId: created.id,
      details: { scopes: input.scopes, expiresAt: expiresAt.toISOString() },
    });
    return created;
  });
  return { ...toApiToken(row), token: secret };
}

export async function listOwnApiTokens(ctx: ServiceContext) {
  authorize(ctx.actor, 'tokens:manage_own');
  const rows = await ctx.db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'scopes', 'created_at', 'expires_at', 'revoked_at', 'last_used_at'])
    .where('user_id', '=', ctx.actor.userId)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map(toApiToken);
}

export async function revokeOwnApiToken(ctx: ServiceContext, tokenId: string): Promise<void> {
  authorize(ctx.actor, 'tokens:manage_own');
  await ctx.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('api_tokens')
      .set({ revoked_at: new Date() })
      .where('id', '=', tokenId)
      .where('user_id', '=', ctx.actor.userId)
      .where('revoked_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    if (!updated) throw new AppError('API_TOKEN_NOT_FOUND');
    await announceAuthChange(ctx.db, trx, `token:${tokenId}`);
    await recordAudit(trx, ctx.audit, {
      action: 'api_token.revoke',
      targetType: 'api_token',
      targetId: tokenId,
    });
  });
}
