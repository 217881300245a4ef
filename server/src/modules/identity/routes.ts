import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Config } from '../../platform/config.ts';
import type { Database } from '../../platform/db/database.ts';
import type { ZodApp } from '../../platform/http/app.ts';
import { serviceContext } from '../../platform/http/context.ts';
import { mergePersons, undoMerge } from './merge.ts';
import {
  duplicatesRequestSchema,
  linkRequestSchema,
  linkResponseSchema,
  mergeRequestSchema,
  mergeResultSchema,
  searchRequestSchema,
  searchResponseSchema,
} from './schemas.ts';
import * as identity from './service.ts';
import { registerWatchlistRoutes } from './watchlist-routes.ts';

export function registerIdentityRoutes(app: ZodApp, deps: { db: Database; config: Config }) {
  const { db, config } = deps;
  const ctx = (request: FastifyRequest) => serviceContext(request, db, config);

  app.post(
    '/api/identity/search',
    {
      schema: {
        tags: ['identity'],
        summary: 'Find persons by any of their names, in any script, with supporting evidence',
        description:
          'Key lookup, then full comparison; only persons you may see. Audited (result count, never the name).',
        body: searchRequestSchema,
        response: { 200: searchResponseSchema },
      },
    },
    async (request) => identity.searchPersons(ctx(request), request.body),
  );

  app.post(
    '/api/identity/duplicates',
    {
      schema: {
        tags: ['identity'],
        summary: 'Registration duplicate warning: likely existing persons, with score and explanation',
        body: duplicatesRequestSchema,
        response: { 200: searchResponseSchema },
      },
    },
    async (request) => identity.checkDuplicates(ctx(request), request.body),
  );

  app.post(
    '/api/identity/link',
    {
      schema: {
        tags: ['identity'],
        summary: 'Batch linkage: two lists with each other, or a list against the registry',
        body: linkRequestSchema,
        response: { 200: linkResponseSchema },
      },
    },
    async (request) => identity.linkRecords(ctx(request), request.body),
  );

  app.post(
    '/api/identity/merges',
    {
      schema: {
        tags: ['identity'],
        summary: 'Merge a confirmed duplicate into the surviving person (kept in history, reversible)',
        body: mergeRequestSchema,
        response: { 200: mergeResultSchema },
      },
    },
    async (request) => mergePersons(ctx(request), request.body),
  );

  app.post(
    '/api/identity/merges/:id/undo',
    {
      schema: {
        tags: ['identity'],
        summary: 'Undo a merge: exactly the names, nationality claims and documents that moved go back',
        params: z.strictObject({ id: z.uuid() }),
        response: { 200: mergeResultSchema },
      },
    },
    async (request) => undoMerge(ctx(request), request.params.id),
  );

  registerWatchlistRoutes(app, deps);
}
