import { z } from 'zod';
import type { Config } from '../../platform/config.ts';
import { AppError } from '../../platform/errors.ts';
import type { ZodApp } from '../../platform/http/app.ts';

export const APP_VERSION = '0.1.0';

export const metaSchema = z
  .object({
    name: z.literal('Homeward'),
    version: z.string(),
    demo: z.boolean().describe('True when the server holds the synthetic demo dataset'),
    backend: z.enum(['pglite', 'postgres']),
    breakGlassMinutes: z
      .number()
      .int()
      .describe('How long a break-glass opening lasts (HOMEWARD_BREAK_GLASS_MINUTES)'),
  })
  .meta({ id: 'Meta' });

export function registerSystemRoutes(
  app: ZodApp,
  deps: {
    config: Config;
    backend: 'pglite' | 'postgres';
    readiness: () => Promise<{ ready: boolean; schemaVersion: number; expectedVersion: number }>;
  },
) {
  app.get(
    '/api/health',
    {
      config: { public: true },
      schema: {
        tags: ['system'],
        summary: 'Liveness: the process answers',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/api/ready',
    {
      config: { public: true },
      schema: {
        tags: ['system'],
        summary: 'Readiness: the database answers and its schema is current',
        response: {
          200: z.object({
            status: z.literal('ready'),
            schemaVersion: z.number().int(),
            backend: z.enum(['pglite', 'postgres']),
          }),
        },
      },
    },
    async () => {
      let state: Awaited<ReturnType<typeof deps.readiness>>;
      try {
        state = await deps.readiness();
      } catch {
        throw new AppError('NOT_READY', { message: 'The database is not reachable', retryAfter: 5 });
      }
      if (!state.ready) {
        throw new AppError('NOT_READY', {
          message: 'The database schema is not current',
          details: { schemaVersion: state.schemaVersion, expectedVersion: state.expectedVersion },
          retryAfter: 5,
        });
      }
      return { status: 'ready' as const, schemaVersion: state.schemaVersion, backend: deps.backend };
    },
  );

  app.get(
    '/api/meta',
    {
      config: { public: true },
      schema: { tags: ['system'], summary: 'What this server is', response: { 200: metaSchema } },
    },
    async () => ({
      name: 'Homeward' as const,
      version: APP_VERSION,
      demo: deps.config.demo,
      backend: deps.backend,
      breakGlassMinutes: deps.config.breakGlassMinutes,
    }),
  );
}
