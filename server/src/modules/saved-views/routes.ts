import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Config } from '../../platform/config.ts';
import type { Database } from '../../platform/db/database.ts';
import type { ZodApp } from '../../platform/http/app.ts';
import { serviceContext } from '../../platform/http/context.ts';
import {
  createSavedViewSchema,
  deleteSavedViewQuerySchema,
  savedViewParamsIdSchema,
  savedViewSchema,
  updateSavedViewSchema,
} from './schemas.ts';
import * as views from './service.ts';

/** Saved views of the case list: each user's own, on the server so they follow the user. */
export function registerSavedViewRoutes(app: ZodApp, deps: { db: Database; config: Config }) {
  const ctx = (request: FastifyRequest) => serviceContext(request, deps.db, deps.config);
  const tags = ['saved-views'];

  app.get(
    '/api/saved-views',
    {
      schema: {
        tags,
        summary: 'Your saved views of the case list, by name',
        response: { 200: z.array(savedViewSchema) },
      },
    },
    async (request) => views.listSavedViews(ctx(request)),
  );
  app.post(
    '/api/saved-views',
    {
      schema: {
        tags,
        summary: 'Save the case list’s current filters and sort under a name',
        body: createSavedViewSchema,
        response: { 201: savedViewSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await views.createSavedView(ctx(request), request.body)),
  );
  app.get(
    '/api/saved-views/:id',
    {
      schema: {
        tags,
        summary: 'One of your saved views',
        params: savedViewParamsIdSchema,
        response: { 200: savedViewSchema },
      },
    },
    async (request) => views.getSavedView(ctx(request), request.params.id),
  );
  app.patch(
    '/api/saved-views/:id',
    {
      schema: {
        tags,
        summary: 'Rename a saved view or replace its filters (with the version you read)',
        params: savedViewParamsIdSchema,
        body: updateSavedViewSchema,
        response: { 200: savedViewSchema },
      },
    },
    async (request) => views.updateSavedView(ctx(request), request.params.id, request.body),
  );
  app.delete(
    '/api/saved-views/:id',
    {
      schema: {
        tags,
        summary: 'Delete a saved view (with the version you read)',
        params: savedViewParamsIdSchema,
        querystring: deleteSavedViewQuerySchema,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await views.deleteSavedView(ctx(request), request.params.id, request.query.version);
      return reply.status(204).send(null);
    },
  );
}
