import { z } from 'zod';
import type { Config } from '../../platform/config.ts';
import type { Database } from '../../platform/db/database.ts';
import type { ZodApp } from '../../platform/http/app.ts';
import { serviceContext } from '../../platform/http/context.ts';
import { searchAuditTrail, verifyTrail } from './service.ts';

const auditEventSchema = z
  .object({
    seq: z.number().int(),
    occurredAt: z.iso.datetime(),
    actorUserId: z.uuid().nullable(),
    actorAgencyId: z.uuid().nullable(),
    action: z.string(),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    sections: z.array(z.string()),
    justification: z.string().nullable(),
    clientIp: z.string().nullable(),
    requestId: z.string().nullable(),
    outcome: z.enum(['success', 'denied', 'failure']),
    details: z.record(z.string(), z.unknown()),
    hash: z.string(),
  })
  .meta({ id: 'AuditEvent' });

export function registerAuditTrailRoutes(app: ZodApp, deps: { db: Database; config: Config }) {
  app.get(
    '/api/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Search the audit trail, newest first',
        querystring: z.strictObject({
          actorUserId: z.uuid().optional(),
          targetType: z.string().max(64).optional(),
          targetId: z.string().max(128).optional(),
          action: z.string().max(64).optional(),
          outcome: z.enum(['success', 'denied', 'failure']).optional(),
          before: z.coerce
            .number()
            .int()
            .positive()
            .optional()
            .describe('Cursor: the nextBefore of the previous page'),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: {
          200: z.object({ items: z.array(auditEventSchema), nextBefore: z.number().int().nullable() }),
        },
      },
    },
    async (request) => searchAuditTrail(serviceContext(request, deps.db, deps.config), request.query),
  );

  app.get(
    '/api/audit/verify',
    {
      schema: {
        tags: ['audit'],
        summary: 'Verify the hash chain of the whole trail',
        response: {
          200: z.object({
            ok: z.boolean(),
            checked: z.number().int(),
            firstBad: z
              .object({
                seq: z.number().int(),
                reason: z.enum(['hash_mismatch', 'broken_link', 'sequence_gap']),
              })
              .optional(),
          }),
        },
      },
    },
    async (request) => verifyTrail(serviceContext(request, deps.db, deps.config)),
  );
}
