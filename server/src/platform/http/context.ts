import type { FastifyRequest } from 'fastify';
import type { AuditContext } from '../audit/audit.ts';
import type { Actor } from '../auth/actor.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { AppError } from '../errors.ts';

/** What every service function receives: the database, the configuration, who is asking, from where. */
export interface ServiceContext {
  db: Database;
  config: Config;
  actor: Actor;
  audit: AuditContext;
}

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyContextConfig {
    /** Reachable without signing in. */
    public?: boolean;
    /** Reachable while a role-required second factor is still being set up. */
    allowDuringMfaEnrolment?: boolean;
  }
}

export function auditContextOf(request: FastifyRequest): AuditContext {
  return {
    actorUserId: request.actor?.userId ?? null,
    actorAgencyId: request.actor?.agencyId ?? null,
    clientIp: request.ip ?? null,
    requestId: String(request.id),
  };
}

export function serviceContext(request: FastifyRequest, db: Database, config: Config): ServiceContext {
  if (!request.actor) throw new AppError('NOT_AUTHENTICATED');
  return { db, config, actor: request.actor, audit: auditContextOf(request) };
}
