import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Config } from '../../platform/config.ts';
import type { Database } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import type { ZodApp } from '../../platform/http/app.ts';
import { serviceContext } from '../../platform/http/context.ts';
import { userRefSchema } from '../accounts/refs.ts';
import { readRecord } from './evidence.ts';
import { personRecordSchema } from './schemas.ts';
import * as watchlist from './watchlist.ts';

const diffSchema = z.object({
  added: z.array(z.string()),
  removed: z.array(z.string()),
  changed: z.array(z.string()),
});

const versionSchema = z
  .object({
    id: z.uuid(),
    dateGenerated: z.string(),
    importedAt: z.string(),
    individuals: z.number().int(),
    entities: z.number().int(),
    previousVersionId: z.uuid().nullable(),
    diff: diffSchema.describe('Reference numbers added, removed and changed since the previous version'),
    sha256: z.string(),
  })
  .meta({ id: 'WatchlistVersion' });

const runSchema = z
  .object({
    runId: z.uuid(),
    versionId: z.uuid(),
    personsScreened: z.number().int(),
    hits: z.number().int(),
    suppressed: z.number().int().describe('Not raised again: remembered false positives'),
    alreadyOpen: z.number().int().describe('Not raised again: an undecided or confirmed hit exists'),
    threshold: z.number(),
    algorithmVersion: z.string(),
  })
  .meta({ id: 'ScreeningRun' });

const hitStatusSchema = z.enum(['pending', 'in_review', 'confirmed', 'false_positive']);

const hitSchema = z
  .object({
    id: z.uuid(),
    personId: z.uuid(),
    referenceNumber: z.string(),
    listedName: z.string(),
    score: z.number(),
    decision: z.enum(['match', 'possible']),
    explanation: z.array(z.string()),
    weakAlias: z
      .boolean()
      .describe(
        "Weak evidence: the best name pair used an alias the list rates 'Low', or only a kunya matched",
      ),
    status: hitStatusSchema,
    createdAt: z.string(),
    decidedAt: z.string().nullable(),
    versionId: z.uuid(),
    algorithmVersion: z.string(),
    threshold: z.number(),
    reviews: z.array(
      z.object({
        reviewerId: z.uuid(),
        reviewer: userRefSchema,
        disposition: z.enum(['confirmed', 'false_positive']),
        reason: z.string().nullable(),
        reviewedAt: z.string(),
      }),
    ),
  })
  .meta({
    id: 'ScreeningHit',
    description: 'A candidate only: decided by two reviewers, never acted on automatically',
  });

const recordResultSchema = z
  .object({
    versionId: z.uuid(),
    threshold: z.number(),
    algorithmVersion: z.string(),
    results: z.array(
      z.object({
        id: z.string(),
        referenceNumber: z.string(),
        listedName: z.string(),
        score: z.number(),
        decision: z.enum(['match', 'possible']),
        weakAlias: z.boolean(),
        explanation: z.string(),
      }),
    ),
  })
  .meta({ id: 'RecordScreeningResult' });

export function registerWatchlistRoutes(app: ZodApp, deps: { db: Database; config: Config }) {
  const { db, config } = deps;
  const ctx = (request: FastifyRequest) => serviceContext(request, db, config);
  const idParams = z.strictObject({ id: z.uuid() });

  app.get(
    '/api/watchlist/versions',
    {
      schema: {
        tags: ['watchlist'],
        summary: 'Imported sanctions list versions, newest first, each with its diff',
        response: { 200: z.array(versionSchema) },
      },
    },
    async (request) => watchlist.listWatchlistVersions(ctx(request)),
  );

  app.post(
    '/api/watchlist/versions/:id/rescreen',
    {
      schema: {
        tags: ['watchlist'],
        summary: 'Screen every person again against this list version',
        params: idParams,
        response: { 200: runSchema },
      },
    },
    async (request) => watchlist.rescreenEveryone(ctx(request), request.params.id),
  );

  app.post(
    '/api/watchlist/screen/persons/:id',
    {
      schema: {
        tags: ['watchlist'],
        summary: 'Screen a registered person against the latest list version (at registration)',
        params: idParams,
        response: { 200: z.object({ run: runSchema, hits: z.array(hitSchema) }) },
      },
    },
    async (request) => watchlist.screenPerson(ctx(request), request.params.id),
  );

  app.post(
    '/api/watchlist/screen/record',
    {
      schema: {
        tags: ['watchlist'],
        summary: 'Screen a person before registration: results only, nothing stored but the audit entry',
        body: z.strictObject({ person: personRecordSchema }),
        response: { 200: recordResultSchema },
      },
    },
    async (request) => {
      const { aliases, ...rest } = request.body.person;
      const read = readRecord({ ...rest, ...(aliases ? { aliases: aliases.join(';') } : {}) }, 'request');
      const error = read.problems.find((p) => p.severity === 'error');
      if (error !== undefined) {
        throw new AppError('VALIDATION_FAILED', { details: { path: `body.person.${error.column}` } });
      }
      return watchlist.screenRecordNow(ctx(request), read);
    },
  );

  app.get(
    '/api/watchlist/hits',
    {
      schema: {
        tags: ['watchlist'],
        summary: 'Screening hits of persons you may see (newest first, at most 200)',
        querystring: z.strictObject({ personId: z.uuid().optional(), status: hitStatusSchema.optional() }),
        response: { 200: z.array(hitSchema) },
      },
    },
    async (request) => watchlist.listHits(ctx(request), request.query),
  );

  app.post(
    '/api/watchlist/hits/:id/reviews',
    {
      schema: {
        tags: ['watchlist'],
        summary: 'Record one review of a hit; two different reviewers agreeing decide it',
        params: idParams,
        body: z.strictObject({
          disposition: z.enum(['confirmed', 'false_positive']),
          reason: z.string().max(2000).optional().describe('Required (10+ characters) for a false positive'),
        }),
        response: {
          200: z.object({ id: z.uuid(), status: hitStatusSchema, reviews: z.number().int() }),
        },
      },
    },
    async (request) => watchlist.reviewHit(ctx(request), request.params.id, request.body),
  );
}
