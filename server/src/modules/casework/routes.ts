import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Config } from '../../platform/config.ts';
import type { Database } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import type { ZodApp } from '../../platform/http/app.ts';
import { serviceContext } from '../../platform/http/context.ts';
import * as attachments from './attachments.ts';
import * as referrals from './referrals-service.ts';
import {
  attachmentSchema,
  attachmentUploadQuerySchema,
  childParamsSchema,
  createNoteSchema,
  createPlanSchema,
  createReferralSchema,
  createTaskSchema,
  declineReferralSchema,
  dueTasksQuerySchema,
  dueTasksSchema,
  grandchildParamsSchema,
  idParamsSchema,
  noteListQuerySchema,
  noteSchema,
  overdueQuerySchema,
  planSchema,
  recordServiceSchema,
  referralListQuerySchema,
  referralSchema,
  serviceDeliverySchema,
  taskSchema,
  updateActionSchema,
  updatePlanSchema,
  updateTaskSchema,
} from './schemas.ts';
import * as casework from './service.ts';

export function registerCaseworkRoutes(app: ZodApp, deps: { db: Database; config: Config }) {
  const ctx = (request: FastifyRequest) => serviceContext(request, deps.db, deps.config);
  const tags = ['case work'];

  app.get(
    '/api/cases/:id/plans',
    {
      schema: {
        tags,
        summary: 'The case’s plans',
        params: idParamsSchema,
        response: { 200: z.array(planSchema) },
      },
    },
    async (request) => casework.listPlans(ctx(request), request.params.id),
  );
  app.post(
    '/api/cases/:id/plans',
    {
      schema: {
        tags,
        summary: 'Make an individual plan: goals, actions, responsible agencies, due dates',
        params: idParamsSchema,
        body: createPlanSchema,
        response: { 201: planSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await casework.createPlan(ctx(request), request.params.id, request.body)),
  );
  app.patch(
    '/api/cases/:id/plans/:childId',
    {
      schema: {
        tags,
        summary: 'Change a plan’s title or status',
        params: childParamsSchema,
        body: updatePlanSchema,
        response: { 200: planSchema },
      },
    },
    async (request) =>
      casework.updatePlan(ctx(request), request.params.id, request.params.childId, request.body),
  );
  app.put(
    '/api/cases/:id/plans/:childId/actions/:grandchildId/status',
    {
      schema: {
        tags,
        summary: 'Set the status of a plan action',
        params: grandchildParamsSchema,
        body: updateActionSchema,
        response: { 200: planSchema },
      },
    },
    async (request) =>
      casework.updatePlanAction(
        ctx(request),
        request.params.id,
        request.params.childId,
        request.params.grandchildId,
        request.body.status,
      ),
  );

  app.get(
    '/api/cases/:id/notes',
    {
      schema: {
        tags,
        summary: 'Notes of the compartments you read',
        params: idParamsSchema,
        querystring: noteListQuerySchema,
        response: { 200: z.array(noteSchema) },
      },
    },
    async (request) => casework.listNotes(ctx(request), request.params.id, request.query.compartment),
  );
  app.post(
    '/api/cases/:id/notes',
    {
      schema: {
        tags,
        summary: 'Add a note to one compartment (notes are never edited)',
        params: idParamsSchema,
        body: createNoteSchema,
        response: { 201: noteSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await casework.addNote(ctx(request), request.params.id, request.body)),
  );

  app.get(
    '/api/cases/:id/tasks',
    {
      schema: {
        tags,
        summary: 'The case’s tasks and follow-ups',
        params: idParamsSchema,
        response: { 200: z.array(taskSchema) },
      },
    },
    async (request) => casework.listTasks(ctx(request), request.params.id),
  );
  app.post(
    '/api/cases/:id/tasks',
    {
      schema: {
        tags,
        summary: 'Add a task or follow-up with a due date',
        params: idParamsSchema,
        body: createTaskSchema,
        response: { 201: taskSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await casework.addTask(ctx(request), request.params.id, request.body)),
  );
  app.patch(
    '/api/cases/:id/tasks/:childId',
    {
      schema: {
        tags,
        summary: 'Complete, cancel, reschedule or reassign a task',
        params: childParamsSchema,
        body: updateTaskSchema,
        response: { 200: taskSchema },
      },
    },
    async (request) =>
      casework.updateTask(ctx(request), request.params.id, request.params.childId, request.body),
  );
  app.get(
    '/api/tasks/overdue',
    {
      schema: {
        tags,
        summary: 'Open tasks past their due date in your cases, oldest first',
        querystring: overdueQuerySchema,
        response: { 200: z.array(taskSchema) },
      },
    },
    async (request) =>
      casework.listOverdueTasks(ctx(request), {
        mine: request.query.mine === 'true',
        limit: request.query.limit,
      }),
  );

  app.get(
    '/api/tasks/due',
    {
      schema: {
        tags,
        summary: 'Open tasks due by a date in your cases (overdue ones too), oldest first, with counts',
        querystring: dueTasksQuerySchema,
        response: { 200: dueTasksSchema },
      },
    },
    async (request) =>
      casework.listDueTasks(ctx(request), {
        mine: request.query.mine === 'true',
        before: request.query.before,
        from: request.query.from,
        limit: request.query.limit,
      }),
  );

  app.post(
    '/api/cases/:id/referrals',
    {
      schema: {
        tags,
        summary: 'Refer the case to an agency (outside the owner agency: consent or a permitted override)',
        params: idParamsSchema,
        body: createReferralSchema,
        response: { 201: referralSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await referrals.createReferral(ctx(request), request.params.id, request.body)),
  );
  app.get(
    '/api/referrals',
    {
      schema: {
        tags,
        summary: 'Incoming referrals to your agency, or outgoing referrals of your cases',
        querystring: referralListQuerySchema,
        response: { 200: z.array(referralSchema) },
      },
    },
    async (request) => referrals.listReferrals(ctx(request), request.query),
  );
  app.get(
    '/api/referrals/:id',
    {
      schema: {
        tags,
        summary: 'A referral: the packet only, for the recipient',
        params: idParamsSchema,
        response: { 200: referralSchema },
      },
    },
    async (request) => referrals.getReferral(ctx(request), request.params.id),
  );
  app.post(
    '/api/referrals/:id/accept',
    {
      schema: {
        tags,
        summary: 'Accept a referral to your agency',
        params: idParamsSchema,
        response: { 200: referralSchema },
      },
    },
    async (request) => referrals.acceptReferral(ctx(request), request.params.id),
  );
  app.post(
    '/api/referrals/:id/decline',
    {
      schema: {
        tags,
        summary: 'Decline a referral to your agency, with the reason',
        params: idParamsSchema,
        body: declineReferralSchema,
        response: { 200: referralSchema },
      },
    },
    async (request) => referrals.declineReferral(ctx(request), request.params.id, request.body.reason),
  );

  app.get(
    '/api/cases/:id/services',
    {
      schema: {
        tags,
        summary: 'Service deliveries of the case (a provider sees only its own)',
        params: idParamsSchema,
        response: { 200: z.array(serviceDeliverySchema) },
      },
    },
    async (request) => referrals.listServices(ctx(request), request.params.id),
  );
  app.post(
    '/api/cases/:id/services',
    {
      schema: {
        tags,
        summary: 'Record a service delivered: type, provider, date, outcome',
        params: idParamsSchema,
        body: recordServiceSchema,
        response: { 201: serviceDeliverySchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await referrals.recordService(ctx(request), request.params.id, request.body)),
  );

  // Attachments: the request body is the file itself, streamed (never buffered) into encrypted storage.
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    const zodScope = scope as unknown as ZodApp;
    zodScope.post(
      '/api/cases/:id/attachments',
      {
        schema: {
          tags,
          summary: 'Upload an attachment: the body is the file, Content-Type one of the allowed types',
          description: `Allowed types: ${attachments.ATTACHMENT_TYPES.join(', ')}. Stored encrypted (AES-256-GCM).`,
          params: idParamsSchema,
          querystring: attachmentUploadQuerySchema,
          response: { 201: attachmentSchema },
        },
      },
      async (request, reply) => {
        const body = request.body as unknown;
        if (!(body instanceof Readable)) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
        const contentType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        const saved = await attachments.uploadAttachment(ctx(request), request.params.id, {
          compartment: request.query.compartment,
          fileName: request.query.fileName,
          contentType,
          body,
        });
        return reply.status(201).send(saved);
      },
    );
  });
  app.get(
    '/api/cases/:id/attachments',
    {
      schema: {
        tags,
        summary: 'Attachments of the compartments you read',
        params: idParamsSchema,
        response: { 200: z.array(attachmentSchema) },
      },
    },
    async (request) => attachments.listAttachments(ctx(request), request.params.id),
  );
  app.get(
    '/api/cases/:id/attachments/:childId',
    {
      schema: {
        tags,
        summary: 'Download an attachment (decrypted and verified before it is sent)',
        params: childParamsSchema,
      },
    },
    async (request, reply) => {
      const { attachment, content } = await attachments.downloadAttachment(
        ctx(request),
        request.params.id,
        request.params.childId,
      );
      return reply
        .header('content-type', attachment.contentType)
        .header(
          'content-disposition',
          `attachment; filename*=UTF-8''${encodeURIComponent(attachment.fileName)}`,
        )
        .header('cache-control', 'no-store')
        .send(content);
    },
  );
}
