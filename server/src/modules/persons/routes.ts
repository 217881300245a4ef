import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Config } from '../../platform/config.ts';
import type { Database } from '../../platform/db/database.ts';
import { PHOTO_TYPES } from '../../platform/db/tables/person-photos.ts';
import { AppError } from '../../platform/errors.ts';
import type { ZodApp } from '../../platform/http/app.ts';
import { serviceContext } from '../../platform/http/context.ts';
import * as photos from './photos.ts';
import {
  createPersonSchema,
  documentInputSchema,
  evidenceInputSchema,
  historyEntrySchema,
  nameInputSchema,
  nationalityInputSchema,
  personChildParamsSchema,
  personParamsSchema,
  personPhotoSchema,
  personPhotosSchema,
  personSchema,
  personSearchQuerySchema,
  personSearchResultSchema,
  photoRemovalSchema,
  photoUploadQuerySchema,
  setDisplayNameSchema,
  updateDocumentSchema,
  updateNationalitySchema,
  updatePersonSchema,
} from './schemas.ts';
import { searchPersons } from './search.ts';
import * as persons from './service.ts';

export function registerPersonRoutes(app: ZodApp, deps: { db: Database; config: Config }) {
  const ctx = (request: FastifyRequest) => serviceContext(request, deps.db, deps.config);
  const tags = ['persons'];

  app.post(
    '/api/persons',
    {
      schema: {
        tags,
        summary: 'Register a person with their names, nationality claims and documents',
        body: createPersonSchema,
        response: { 201: personSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await persons.registerPerson(ctx(request), request.body)),
  );

  app.get(
    '/api/persons',
    {
      schema: {
        tags,
        summary: 'Persons in your scope by name prefix (any script) and whereabouts, newest first',
        querystring: personSearchQuerySchema,
        response: { 200: personSearchResultSchema },
      },
    },
    async (request) => searchPersons(ctx(request), request.query),
  );

  app.get(
    '/api/persons/:id',
    {
      schema: {
        tags,
        summary: 'A person’s record (404 when not visible to you)',
        params: personParamsSchema,
        response: { 200: personSchema },
      },
    },
    async (request) => persons.getPerson(ctx(request), request.params.id),
  );

  app.patch(
    '/api/persons/:id',
    {
      schema: {
        tags,
        summary: 'Change a person’s record; every change carries the version read',
        params: personParamsSchema,
        body: updatePersonSchema,
        response: { 200: personSchema },
      },
    },
    async (request) => persons.updatePerson(ctx(request), request.params.id, request.body),
  );

  app.get(
    '/api/persons/:id/history',
    {
      schema: {
        tags,
        summary: 'Every change to a person, per field: who, when, before, after',
        params: personParamsSchema,
        response: { 200: z.array(historyEntrySchema) },
      },
    },
    async (request) => persons.getPersonHistory(ctx(request), request.params.id),
  );

  app.post(
    '/api/persons/:id/names',
    {
      schema: {
        tags,
        summary: 'Record another name (names are never overwritten)',
        params: personParamsSchema,
        body: nameInputSchema,
        response: { 201: personSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await persons.addName(ctx(request), request.params.id, request.body)),
  );

  app.put(
    '/api/persons/:id/display-name',
    {
      schema: {
        tags,
        summary: 'Choose which recorded name is displayed',
        params: personParamsSchema,
        body: setDisplayNameSchema,
        response: { 200: personSchema },
      },
    },
    async (request) => persons.setDisplayName(ctx(request), request.params.id, request.body),
  );

  app.post(
    '/api/persons/:id/nationalities',
    {
      schema: {
        tags,
        summary: 'Record a nationality claim',
        params: personParamsSchema,
        body: nationalityInputSchema,
        response: { 201: personSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await persons.addNationality(ctx(request), request.params.id, request.body)),
  );

  app.put(
    '/api/persons/:id/nationalities/:childId/status',
    {
      schema: {
        tags,
        summary: 'Verify or reject a nationality claim',
        params: personChildParamsSchema,
        body: updateNationalitySchema,
        response: { 200: personSchema },
      },
    },
    async (request) =>
      persons.setNationalityStatus(
        ctx(request),
        request.params.id,
        request.params.childId,
        request.body.status,
      ),
  );

  app.post(
    '/api/persons/:id/nationalities/:childId/evidence',
    {
      schema: {
        tags,
        summary: 'Add to a nationality claim’s evidence register (documents, testimony, DNA reference)',
        params: personChildParamsSchema,
        body: evidenceInputSchema,
        response: { 201: personSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await persons.addNationalityEvidence(
            ctx(request),
            request.params.id,
            request.params.childId,
            request.body,
          ),
        ),
  );

  app.post(
    '/api/persons/:id/documents',
    {
      schema: {
        tags,
        summary: 'Record an identity document (issued, lost, confiscated…)',
        params: personParamsSchema,
        body: documentInputSchema,
        response: { 201: personSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await persons.addDocument(ctx(request), request.params.id, request.body)),
  );

  app.patch(
    '/api/persons/:id/documents/:childId',
    {
      schema: {
        tags,
        summary: 'Change an identity document (its status, number, dates)',
        params: personChildParamsSchema,
        body: updateDocumentSchema,
        response: { 200: personSchema },
      },
    },
    async (request) =>
      persons.updateDocument(ctx(request), request.params.id, request.params.childId, request.body),
  );

  registerPersonPhotoRoutes(app, deps);
}

/** Person photos: the upload body is the image itself; images are served only through these routes. */
function registerPersonPhotoRoutes(app: ZodApp, deps: { db: Database; config: Config }) {
  const ctx = (request: FastifyRequest) => serviceContext(request, deps.db, deps.config);
  const tags = ['persons'];

  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    const zodScope = scope as unknown as ZodApp;
    zodScope.post(
      '/api/persons/:id/photos',
      {
        schema: {
          tags,
          summary: 'Upload a photo of the person: the body is the image; it becomes the current photo',
          description: `Allowed types: ${PHOTO_TYPES.join(', ')}, checked against the image's own bytes. Stored encrypted (AES-256-GCM) in the database; the replaced photo stays in the history.`,
          params: personParamsSchema,
          querystring: photoUploadQuerySchema,
          response: { 201: personPhotoSchema },
        },
      },
      async (request, reply) => {
        const body = request.body as unknown;
        if (!(body instanceof Readable)) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
        const contentType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        const saved = await photos.uploadPhoto(ctx(request), request.params.id, {
          ...request.query,
          contentType,
          body,
        });
        return reply.status(201).send(saved);
      },
    );
  });

  app.get(
    '/api/persons/:id/photos',
    {
      schema: {
        tags,
        summary: 'Every photo of the person, newest first (removed ones without their image)',
        params: personParamsSchema,
        response: { 200: personPhotosSchema },
      },
    },
    async (request) => photos.listPhotos(ctx(request), request.params.id),
  );

  app.get(
    '/api/persons/:id/photos/:childId/image',
    {
      schema: {
        tags,
        summary: 'The photo’s image (decrypted and verified before it is sent; never cached)',
        params: personChildParamsSchema,
      },
    },
    async (request, reply) => {
      const { contentType, image } = await photos.downloadPhoto(
        ctx(request),
        request.params.id,
        request.params.childId,
      );
      return reply
        .header('content-type', contentType)
        .header('content-disposition', 'inline')
        .header('cache-control', 'no-store')
        .header('x-content-type-options', 'nosniff')
        .send(image);
    },
  );

  app.post(
    '/api/persons/:id/photos/:childId/removal',
    {
      schema: {
        tags,
        summary: 'Remove a photo with a reason: the image is erased, the record of it stays',
        params: personChildParamsSchema,
        body: photoRemovalSchema,
        response: { 200: personPhotoSchema },
      },
    },
    async (request) =>
      photos.removePhoto(ctx(request), request.params.id, request.params.childId, request.body),
  );
}
