import type { FastifyServerOptions } from 'fastify';
import type { Config } from '../config.ts';

/**
 * Structured logs with request ids and no personal data: URLs are logged as their route pattern
 * (a query string may hold a name being searched), headers and bodies never, and errors without
 * the database's `detail` (which quotes the offending values).
 */
export function loggerOptions(config: Pick<Config, 'logLevel'>): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    serializers: {
      req(request: { method: string; routeOptions?: { url?: string }; id: string }) {
        return { method: request.method, route: request.routeOptions?.url ?? 'unmatched', id: request.id };
      },
      res(reply: { statusCode: number }) {
        return { statusCode: reply.statusCode };
      },
      err(error: Error & { code?: string; constraint?: string }) {
        // The message of a database error names the constraint, not the values; `detail` would quote them.
        return {
          type: error.name,
          message: error.message,
          code: error.code,
          constraint: error.constraint,
          stack: error.stack ?? '',
        };
      },
    },
  };
}
