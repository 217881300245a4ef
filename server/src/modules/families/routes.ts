import type { FastifyRequest } from 'fastify';
import type { Config } from '../../platform/config.ts';
import type { Database } from '../../platform/db/database.ts';
import type { ZodApp } from '../../platform/http/app.ts';
import { serviceContext } from '../../platform/http/context.ts';
import {
  careArrangementInputSchema,
  createRelationshipSchema,
  endCareArrangementSchema,
  familySchema,
  familyUnitInputSchema,
  familyUnitMemberInputSchema,
  familyUnitSchema,
  idParamsSchema,
  tracingRequestInputSchema,
  tracingRequestSchema,
  updateProvenanceSchema,
  updateTracingRequestSchema,
} from './schemas.ts';
import * as families from './service.ts';

export function registerFamilyRoutes(app: ZodApp, deps: { db: Database; config: Config }) {
  const ctx = (request: FastifyRequest) => serviceContext(request, deps.db, deps.config);
  const tags = ['families'];

  app.get(
    '/api/persons/:id/family',
    {
      schema: {
        tags,
        summary: 'The family graph around a person: relatives, family units, care, tracing',
        params: idParamsSchema,
        response: { 200: familySchema },
      },
    },
    async (request) => families.getFamily(ctx(request), request.params.id),
  );

  app.post(
    '/api/persons/:id/relationships',
    {
      schema: {
        tags,
        summary: 'Link a relative (cycles and impossible parent–child links are refused)',
        params: idParamsSchema,
        body: createRelationshipSchema,
        response: { 201: familySchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await families.addRelationship(ctx(request), request.params.id, request.body)),
  );

  app.put(
    '/api/relationships/:id/provenance',
    {
      schema: {
        tags,
        summary: 'Change how a link is established: claimed, documented, DNA-confirmed',
        params: idParamsSchema,
        body: updateProvenanceSchema,
        response: { 200: familySchema },
      },
    },
    async (request) =>
      families.setRelationshipProvenance(ctx(request), request.params.id, request.body.provenance),
  );

  app.post(
    '/api/persons/:id/care-arrangements',
    {
      schema: {
        tags,
        summary: 'Record a care arrangement (family-based first; an institution needs a reason)',
        params: idParamsSchema,
        body: careArrangementInputSchema,
        response: { 201: familySchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await families.addCareArrangement(ctx(request), request.params.id, request.body)),
  );

  app.put(
    '/api/care-arrangements/:id/end',
    {
      schema: {
        tags,
        summary: 'End a care arrangement on a given day (the record is kept)',
        params: idParamsSchema,
        body: endCareArrangementSchema,
        response: { 200: familySchema },
      },
    },
    async (request) => families.endCareArrangement(ctx(request), request.params.id, request.body),
  );

  app.post(
    '/api/family-units',
    {
      schema: {
        tags,
        summary: 'Group persons into a family unit',
        body: familyUnitInputSchema,
        response: { 201: familyUnitSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await families.createFamilyUnit(ctx(request), request.body)),
  );

  app.get(
    '/api/family-units/:id',
    {
      schema: {
        tags,
        summary: 'A family unit and its members',
        params: idParamsSchema,
        response: { 200: familyUnitSchema },
      },
    },
    async (request) => families.getFamilyUnit(ctx(request), request.params.id),
  );

  app.post(
    '/api/family-units/:id/members',
    {
      schema: {
        tags,
        summary: 'Add a person to a family unit',
        params: idParamsSchema,
        body: familyUnitMemberInputSchema,
        response: { 200: familyUnitSchema },
      },
    },
    async (request) => families.addFamilyUnitMember(ctx(request), request.params.id, request.body.personId),
  );

  app.post(
    '/api/tracing-requests',
    {
      schema: {
        tags,
        summary: 'Open a tracing request for a relative',
        body: tracingRequestInputSchema,
        response: { 201: tracingRequestSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await families.openTracingRequest(ctx(request), request.body)),
  );

  app.patch(
    '/api/tracing-requests/:id',
    {
      schema: {
        tags,
        summary: 'Update a tracing request (located, not found, withdrawn)',
        params: idParamsSchema,
        body: updateTracingRequestSchema,
        response: { 200: tracingRequestSchema },
      },
    },
    async (request) => families.updateTracingRequest(ctx(request), request.params.id, request.body),
  );
}
