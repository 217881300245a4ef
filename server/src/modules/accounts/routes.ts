import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { authenticateSession, SESSION_COOKIE } from '../../platform/auth/authenticate.ts';
import type { Config } from '../../platform/config.ts';
import type { Database } from '../../platform/db/database.ts';
import type { ZodApp } from '../../platform/http/app.ts';
import { serviceContext } from '../../platform/http/context.ts';
import * as admin from './admin-service.ts';
import * as auth from './auth-service.ts';
import { userRefSchema, userRefs } from './refs.ts';
import {
  agencySchema,
  apiTokenSchema,
  changePasswordSchema,
  createAgencySchema,
  createApiTokenSchema,
  createdApiTokenSchema,
  createRoleSchema,
  createUserSchema,
  idParamsSchema,
  loginRequestSchema,
  loginResponseSchema,
  meSchema,
  resetPasswordSchema,
  roleSchema,
  totpCodeSchema,
  totpDisableSchema,
  totpSetupResponseSchema,
  updateAgencySchema,
  updateMeSchema,
  updateRoleSchema,
  updateUserSchema,
  userSchema,
} from './schemas.ts';

const userNamesQuerySchema = z.strictObject({
  ids: z
    .preprocess(
      (value) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value),
      z.array(z.uuid()).min(1).max(100),
    )
    .describe('Comma-separated user ids, at most 100'),
});

function cookieSecure(config: Config, request: FastifyRequest): boolean {
  if (config.cookieSecure === 'always') return true;
  if (config.cookieSecure === 'never') return false;
  return request.protocol === 'https';
}

export function registerAccountRoutes(app: ZodApp, deps: { db: Database; config: Config }) {
  const { db, config } = deps;
  /** Sign-in attempts per client address (default 10 a minute), on top of the per-username lockout. */
  const AUTH_RATE_LIMIT = { max: config.login.ratePerMinute, timeWindow: '1 minute' };
  const ctx = (request: FastifyRequest) => serviceContext(request, db, config);
  const noContent = (reply: FastifyReply) => reply.status(204).send();

  app.post(
    '/api/auth/login',
    {
      config: { public: true, rateLimit: AUTH_RATE_LIMIT },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with username, password and, when enabled, a one-time code',
        body: loginRequestSchema,
        response: { 200: loginResponseSchema },
      },
    },
    async (request, reply) => {
      const result = await auth.login(db, config, request.body, {
        ip: request.ip ?? null,
        userAgent: request.headers['user-agent'] ?? null,
        requestId: String(request.id),
      });
      reply.setCookie(SESSION_COOKIE, result.sessionToken, {
        httpOnly: true,
        sameSite: 'strict',
        secure: cookieSecure(config, request),
        path: '/',
        expires: result.expiresAt,
      });
      const actor = await authenticateSession(db, config, result.sessionToken);
      return { user: auth.describeMe(actor), csrfToken: result.csrfToken };
    },
  );

  app.post(
    '/api/auth/logout',
    {
      config: { allowDuringMfaEnrolment: true },
      schema: { tags: ['auth'], summary: 'End this session', response: { 204: z.null() } },
    },
    async (request, reply) => {
      await auth.logout(ctx(request));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return noContent(reply);
    },
  );

  app.get(
    '/api/me',
    {
      config: { allowDuringMfaEnrolment: true },
      schema: {
        tags: ['me'],
        summary: 'The signed-in user, agency, roles and permissions',
        response: { 200: meSchema },
      },
    },
    async (request) => auth.describeMe(ctx(request).actor),
  );

  app.get(
    '/api/users/names',
    {
      schema: {
        tags: ['me'],
        summary: 'Display names of users by id: who acted on a record the caller reads',
        description:
          'Records name the staff who acted on them by id (a transition, an approval, a history entry). ' +
          'This turns up to 100 ids into display names, never usernames; unknown ids are left out.',
        querystring: userNamesQuerySchema,
        response: { 200: z.object({ users: z.array(userRefSchema) }) },
      },
    },
    async (request) => ({ users: [...(await userRefs(db, request.query.ids)).values()] }),
  );

  app.patch(
    '/api/me',
    {
      config: { allowDuringMfaEnrolment: true },
      schema: {
        tags: ['me'],
        summary: 'Change one’s interface language',
        body: updateMeSchema,
        response: { 200: meSchema },
      },
    },
    async (request) => auth.updateMyLanguage(ctx(request), request.body.preferredLanguage),
  );

  app.post(
    '/api/me/password',
    {
      config: { rateLimit: AUTH_RATE_LIMIT },
      schema: {
        tags: ['me'],
        summary: 'Change one’s password; other sessions end',
        body: changePasswordSchema,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await auth.changeOwnPassword(ctx(request), request.body.currentPassword, request.body.newPassword);
      return noContent(reply);
    },
  );

  app.post(
    '/api/me/totp/setup',
    {
      config: { allowDuringMfaEnrolment: true },
      schema: {
        tags: ['me'],
        summary: 'Start authenticator enrolment',
        response: { 200: totpSetupResponseSchema },
      },
    },
    async (request) => auth.startTotpEnrolment(ctx(request)),
  );

  app.post(
    '/api/me/totp/enable',
    {
      config: { allowDuringMfaEnrolment: true, rateLimit: AUTH_RATE_LIMIT },
      schema: {
        tags: ['me'],
        summary: 'Prove a code and turn the second factor on',
        body: totpCodeSchema,
        response: { 200: meSchema },
      },
    },
    async (request) => {
      const context = ctx(request);
      await auth.confirmTotpEnrolment(context, request.body.code);
      return auth.describeMe({ ...context.actor, mfaEnrolmentPending: false, totpEnabled: true });
    },
  );

  app.post(
    '/api/me/totp/disable',
    {
      config: { rateLimit: AUTH_RATE_LIMIT },
      schema: {
        tags: ['me'],
        summary: 'Turn the second factor off (not where a role requires it)',
        body: totpDisableSchema,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await auth.disableOwnTotp(ctx(request), request.body.password);
      return noContent(reply);
    },
  );

  app.get(
    '/api/me/tokens',
    { schema: { tags: ['me'], summary: 'One’s API tokens', response: { 200: z.array(apiTokenSchema) } } },
    async (request) => auth.listOwnApiTokens(ctx(request)),
  );
  app.post(
    '/api/me/tokens',
    {
      schema: {
        tags: ['me'],
        summary: 'Create a scoped, expiring API token for a machine client',
        body: createApiTokenSchema,
        response: { 201: createdApiTokenSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await auth.createApiToken(ctx(request), request.body)),
  );
  app.delete(
    '/api/me/tokens/:id',
    {
      schema: {
        tags: ['me'],
        summary: 'Revoke an API token',
        params: idParamsSchema,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await auth.revokeOwnApiToken(ctx(request), request.params.id);
      return noContent(reply);
    },
  );

  // Administration
  app.get(
    '/api/admin/agencies',
    { schema: { tags: ['admin'], summary: 'List agencies', response: { 200: z.array(agencySchema) } } },
    async (request) => admin.listAgencies(ctx(request)),
  );
  app.post(
    '/api/admin/agencies',
    {
      schema: {
        tags: ['admin'],
        summary: 'Create an agency',
        body: createAgencySchema,
        response: { 201: agencySchema },
      },
    },
    async (request, reply) => reply.status(201).send(await admin.createAgency(ctx(request), request.body)),
  );
  app.patch(
    '/api/admin/agencies/:id',
    {
      schema: {
        tags: ['admin'],
        summary: 'Update an agency',
        params: idParamsSchema,
        body: updateAgencySchema,
        response: { 200: agencySchema },
      },
    },
    async (request) => admin.updateAgency(ctx(request), request.params.id, request.body),
  );

  app.get(
    '/api/admin/roles',
    {
      schema: {
        tags: ['admin'],
        summary: 'List roles and their permissions',
        response: { 200: z.array(roleSchema) },
      },
    },
    async (request) => admin.listRoles(ctx(request)),
  );
  app.post(
    '/api/admin/roles',
    {
      schema: {
        tags: ['admin'],
        summary: 'Create a role',
        body: createRoleSchema,
        response: { 201: roleSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await admin.createRole(ctx(request), request.body)),
  );
  app.patch(
    '/api/admin/roles/:id',
    {
      schema: {
        tags: ['admin'],
        summary: 'Update a role',
        params: idParamsSchema,
        body: updateRoleSchema,
        response: { 200: roleSchema },
      },
    },
    async (request) => admin.updateRole(ctx(request), request.params.id, request.body),
  );
  app.delete(
    '/api/admin/roles/:id',
    {
      schema: {
        tags: ['admin'],
        summary: 'Delete a role no user holds',
        params: idParamsSchema,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await admin.deleteRole(ctx(request), request.params.id);
      return noContent(reply);
    },
  );

  app.get(
    '/api/admin/users',
    {
      schema: {
        tags: ['admin'],
        summary: 'List users',
        querystring: z.strictObject({ agencyId: z.uuid().optional() }),
        response: { 200: z.array(userSchema) },
      },
    },
    async (request) => admin.listUsers(ctx(request), { agencyId: request.query.agencyId }),
  );
  app.get(
    '/api/admin/users/:id',
    {
      schema: { tags: ['admin'], summary: 'One user', params: idParamsSchema, response: { 200: userSchema } },
    },
    async (request) => admin.getUser(ctx(request), request.params.id),
  );
  app.post(
    '/api/admin/users',
    {
      schema: {
        tags: ['admin'],
        summary: 'Create a user',
        body: createUserSchema,
        response: { 201: userSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await admin.createUser(ctx(request), request.body)),
  );
  app.patch(
    '/api/admin/users/:id',
    {
      schema: {
        tags: ['admin'],
        summary: 'Update a user; role or agency changes end their sessions',
        params: idParamsSchema,
        body: updateUserSchema,
        response: { 200: userSchema },
      },
    },
    async (request) => admin.updateUser(ctx(request), request.params.id, request.body),
  );
  app.post(
    '/api/admin/users/:id/password',
    {
      schema: {
        tags: ['admin'],
        summary: 'Set a new password; the user’s sessions end',
        params: idParamsSchema,
        body: resetPasswordSchema,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await admin.resetUserPassword(ctx(request), request.params.id, request.body.newPassword);
      return noContent(reply);
    },
  );
  app.post(
    '/api/admin/users/:id/unlock',
    {
      schema: {
        tags: ['admin'],
        summary: 'Lift a sign-in lockout',
        params: idParamsSchema,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await admin.unlockUser(ctx(request), request.params.id);
      return noContent(reply);
    },
  );
}
