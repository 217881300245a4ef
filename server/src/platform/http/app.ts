import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyRequest,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { recordAuditAlone } from '../audit/audit.ts';
import { authenticateApiToken, authenticateSession, SESSION_COOKIE } from '../auth/authenticate.ts';
import type { Config } from '../config.ts';
import { constantTimeEqual } from '../crypto/secrets.ts';
import type { Database } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { auditContextOf } from './context.ts';
import { sendError } from './error-handler.ts';
import { loggerOptions } from './logger.ts';
import { securityHeadersFor } from './security-headers.ts';
import { createResponseSerializerCompiler } from './serializer.ts';

export type App = FastifyInstance;
export type ZodApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export interface AppDependencies {
  db: Database;
  config: Config;
  backend: 'pglite' | 'postgres';
  /** Homeward's own routes, registered by the composition root (server/src/routes.ts). */
  registerRoutes: (app: ZodApp) => Promise<void> | void;
  /** Is the database reachable and migrated? For /api/ready. */
  readiness: () => Promise<{ ready: boolean; schemaVersion: number; expectedVersion: number }>;
  logger?: boolean;
  /**
   * Encode every response with zod as well and fail it if the fast serialiser writes anything else
   * (ADR 0006). On by default under the tests (NODE_ENV=test), off in production.
   */
  checkResponsesAgainstZod?: boolean;
}

export const BODY_LIMIT_BYTES = 1024 * 1024;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const [scheme, value] = header.split(' ');
  if (scheme?.toLowerCase() !== 'bearer' || !value) throw new AppError('TOKEN_INVALID');
  return value;
}

export function defaultWebDist(): string {
  return resolve(join(import.meta.dirname, '../../../../web/dist'));
}

export async function buildApp(deps: AppDependencies): Promise<App> {
  const { db, config } = deps;
  const app = Fastify({
    logger: deps.logger === false ? false : loggerOptions(config),
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: config.trustProxy,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(
    createResponseSerializerCompiler({
      checkAgainstZod: deps.checkResponsesAgainstZod ?? process.env.NODE_ENV === 'test',
      onUnsupported: (route, reason) => app.log.debug({ route, reason }, 'response serialised by zod'),
    }),
  );
  app.decorateRequest('actor', null);

  // Helmet decides the security headers; they are the same for every response, so they are worked
  // out once here and set in one step per request (per-request helmet halved throughput).
  const securityHeaders = securityHeadersFor(config);
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(securityHeaders);
    reply.header('x-request-id', request.id);
    done();
  });
  // Cookies are read only where they mean something (the session cookie, on /api routes: see the
  // authentication hook below), not on every static file; replies can still set them.
  await app.register(fastifyCookie, { hook: false });
  await app.register(fastifyRateLimit, { global: false });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Homeward API',
        description:
          'Case management for people returned from Syria and Iraq. Every error body is `{ code, message, details? }`; codes are listed in docs/ERRORS.md.',
        version: '0.1.0',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          apiToken: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { apiToken: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  app.setErrorHandler(async (error, request, reply) => {
    // Denials are part of the trail: who tried what, and which rule said no.
    if (error instanceof AppError && error.status === 403) {
      await recordAuditAlone(db, auditContextOf(request), {
        action: 'access.denied',
        outcome: 'denied',
        details: {
          code: error.code,
          method: request.method,
          route: request.routeOptions.url ?? 'unmatched',
          ...(error.details?.required ? { required: error.details.required } : {}),
        },
      }).catch((auditError: unknown) => request.log.error({ err: auditError }, 'could not audit a denial'));
    }
    return sendError(request, reply, error);
  });

  // Authentication runs for every /api route; authorisation is the access module's, per service call.
  app.addHook('preHandler', async (request, reply) => {
    // Unmatched routes get their JSON 404 whoever asks; the API description is public, like this file.
    // `routeOptions` builds a new object on every read: read it once.
    const { url: routePattern, config: routeConfig } = request.routeOptions;
    if (routePattern === undefined || !request.url.startsWith('/api/')) return;
    if (request.url.startsWith('/api/docs')) return;
    const token = bearerToken(request);
    const cookieHeader = request.headers.cookie;
    const cookie = cookieHeader ? app.parseCookie(cookieHeader)[SESSION_COOKIE] : undefined;
    try {
      if (token) request.actor = await authenticateApiToken(db, token);
      else if (cookie) request.actor = await authenticateSession(db, config, cookie);
    } catch (error) {
      // A stale cookie on a public route (the login page) is no reason to refuse it.
      if (routeConfig.public && !token) {
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return;
      }
      throw error;
    }
    if (routeConfig.public) return;
    if (!request.actor) throw new AppError('NOT_AUTHENTICATED');
    if (request.actor.via === 'session') {
      if (!SAFE_METHODS.has(request.method)) {
        const header = request.headers['x-csrf-token'];
        if (
          typeof header !== 'string' ||
          !request.actor.csrfToken ||
          !constantTimeEqual(header, request.actor.csrfToken)
        ) {
          throw new AppError('CSRF_TOKEN_INVALID');
        }
      }
      if (request.actor.mfaEnrolmentPending && !routeConfig.allowDuringMfaEnrolment) {
        throw new AppError('MFA_ENROLMENT_REQUIRED');
      }
    }
  });

  const zodApp = app.withTypeProvider<ZodTypeProvider>();
  await deps.registerRoutes(zodApp);
  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  const webDist = config.webDist ?? defaultWebDist();
  const webBuilt = existsSync(join(webDist, 'index.html'));
  if (webBuilt) {
    await app.register(fastifyStatic, { root: webDist, wildcard: false, index: ['index.html'] });
  }
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/') || request.url === '/api' || !webBuilt || request.method !== 'GET') {
      return sendError(request, reply, new AppError('ROUTE_NOT_FOUND'));
    }
    // Single-page app: every other GET serves the shell, which routes on the client.
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
  return app;
}
