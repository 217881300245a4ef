import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Config } from '../../platform/config.ts';
import type { Database } from '../../platform/db/database.ts';
import type { ZodApp } from '../../platform/http/app.ts';
import { serviceContext } from '../../platform/http/context.ts';
import { agencyRefSchema } from '../accounts/refs.ts';
import {
  agencyParamsSchema,
  agencyQuerySchema,
  providerProfileInputSchema,
  providerQuerySchema,
  providerSchema,
} from './schemas.ts';
import * as directory from './service.ts';

export function registerDirectoryRoutes(app: ZodApp, deps: { db: Database; config: Config }) {
  const ctx = (request: FastifyRequest) => serviceContext(request, deps.db, deps.config);
  const tags = ['directory'];

  app.get(
    '/api/directory/providers',
    {
      schema: {
        tags,
        summary: 'Service providers, filtered by service, region, language, kind or name',
        querystring: providerQuerySchema,
        response: { 200: z.array(providerSchema) },
      },
    },
    async (request) => directory.listProviders(ctx(request), request.query),
  );
  app.get(
    '/api/directory/agencies',
    {
      schema: {
        tags,
        summary: 'Active agencies of one kind (id, code, name), e.g. the prosecution offices',
        querystring: agencyQuerySchema,
        response: { 200: z.array(agencyRefSchema) },
      },
    },
    async (request) => directory.listAgencies(ctx(request), request.query),
  );
  app.get(
    '/api/directory/providers/:agencyId',
    {
      schema: {
        tags,
        summary: 'One provider’s directory entry',
        params: agencyParamsSchema,
        response: { 200: providerSchema },
      },
    },
    async (request) => directory.getProvider(ctx(request), request.params.agencyId),
  );
  app.put(
    '/api/directory/providers/:agencyId',
    {
      schema: {
        tags,
        summary: 'Create or replace an agency’s directory entry',
        params: agencyParamsSchema,
        body: providerProfileInputSchema,
        response: { 200: providerSchema },
      },
    },
    async (request) => directory.saveProvider(ctx(request), request.params.agencyId, request.body),
  );
}
