import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Config } from '../../platform/config.ts';
import type { Database } from '../../platform/db/database.ts';
import type { ZodApp } from '../../platform/http/app.ts';
import { serviceContext } from '../../platform/http/context.ts';
import { listCases } from './list.ts';
import {
  approvalDecisionSchema,
  assignCaseSchema,
  availableTransitionSchema,
  caseHistorySchema,
  caseListQuerySchema,
  caseListSchema,
  caseSchema,
  childParamsSchema,
  completeReviewSchema,
  idParamsSchema,
  intakeSchema,
  openCaseSchema,
  pendingApprovalSchema,
  rejectionSchema,
  reviewSchema,
  transitionRequestSchema,
  transitionResultSchema,
} from './schemas.ts';
import * as cases from './service.ts';
import { loadWorkflow, type Workflow } from './workflow.ts';

/**
 * Case routes. The deployment workflow is read and validated here, while the app is built: an
 * invalid file stops start-up with its path named.
 */
export function registerCaseRoutes(
  app: ZodApp,
  deps: { db: Database; config: Config; workflow?: Workflow | undefined },
) {
  const workflow = deps.workflow ?? loadWorkflow(deps.config.lifecycle.workflowFile);
  const ctx = (request: FastifyRequest) => serviceContext(request, deps.db, deps.config);
  const tags = ['cases'];

  app.get(
    '/api/cases',
    {
      schema: {
        tags,
        summary: 'The case list: filters, sorting, cursor pages and the total, all within your scope',
        querystring: caseListQuerySchema,
        response: { 200: caseListSchema },
      },
    },
    async (request) => listCases(ctx(request), request.query),
  );

  app.post(
    '/api/cases',
    {
      schema: {
        tags,
        summary: 'Open a case for a person (one open case per person)',
        body: openCaseSchema,
        response: { 201: caseSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await cases.openCase(ctx(request), workflow, request.body)),
  );

  app.post(
    '/api/cases/intake',
    {
      schema: {
        tags,
        summary: 'Intake: register a person and open their case, assigned to you, in one step',
        description:
          'With `family`, the same transaction registers (or links) each family member, puts everyone in ' +
          'one family unit, records each relationship with the family checks and opens a case for each ' +
          'member with `openCase`, all assigned to you and carrying the unit. Any refusal writes nothing and ' +
          'names the member: `details.path` `body.family.<i>.…` (docs/ERRORS.md).',
        body: intakeSchema,
        response: { 201: caseSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await cases.intake(ctx(request), workflow, request.body)),
  );

  app.get(
    '/api/cases/:id',
    {
      schema: {
        tags,
        summary: 'The case page: person, stage, tracks, family cases, pending approval, open tasks',
        params: idParamsSchema,
        response: { 200: caseSchema },
      },
    },
    async (request) => cases.getCase(ctx(request), workflow, request.params.id),
  );

  app.put(
    '/api/cases/:id/assignment',
    {
      schema: {
        tags,
        summary: 'Assign the case to a worker of the owner agency',
        params: idParamsSchema,
        body: assignCaseSchema,
        response: { 200: caseSchema },
      },
    },
    async (request) => cases.assignCase(ctx(request), workflow, request.params.id, request.body),
  );

  app.get(
    '/api/cases/:id/transitions',
    {
      schema: {
        tags,
        summary: 'Every transition, approval and rejection of the case',
        params: idParamsSchema,
        response: { 200: caseHistorySchema },
      },
    },
    async (request) => cases.getCaseHistory(ctx(request), request.params.id),
  );

  app.get(
    '/api/cases/:id/available-transitions',
    {
      schema: {
        tags,
        summary:
          'Transitions you could request from the current state (preconditions are checked on request)',
        params: idParamsSchema,
        response: { 200: z.array(availableTransitionSchema) },
      },
    },
    async (request) => cases.availableTransitions(ctx(request), workflow, request.params.id),
  );

  app.post(
    '/api/cases/:id/transitions',
    {
      schema: {
        tags,
        summary: 'Perform a workflow transition, or request approval where it needs a supervisor',
        description:
          '200 with outcome "applied", or 202 with outcome "approval_requested". A refusal is 409 ' +
          'TRANSITION_NOT_ALLOWED with details.precondition naming what is unmet.',
        params: idParamsSchema,
        body: transitionRequestSchema,
        response: { 200: transitionResultSchema, 202: transitionResultSchema },
      },
    },
    async (request, reply) => {
      const result = await cases.requestTransition(ctx(request), workflow, request.params.id, request.body);
      return reply.status(result.outcome === 'applied' ? 200 : 202).send(result);
    },
  );

  app.get(
    '/api/approvals',
    {
      schema: {
        tags,
        summary: 'Transitions waiting for a supervisor’s approval, oldest first',
        response: { 200: z.array(pendingApprovalSchema) },
      },
    },
    async (request) => cases.listPendingApprovals(ctx(request), workflow),
  );

  app.post(
    '/api/cases/:id/approvals/:childId/approve',
    {
      schema: {
        tags,
        summary: 'Approve a requested transition (not one’s own request); the transition is applied',
        params: childParamsSchema,
        body: approvalDecisionSchema,
        response: { 200: transitionResultSchema },
      },
    },
    async (request) =>
      cases.approveTransition(
        ctx(request),
        workflow,
        request.params.id,
        request.params.childId,
        request.body.comment ?? null,
      ),
  );

  app.post(
    '/api/cases/:id/approvals/:childId/reject',
    {
      schema: {
        tags,
        summary: 'Reject a requested transition with a comment',
        params: childParamsSchema,
        body: rejectionSchema,
        response: { 200: transitionResultSchema },
      },
    },
    async (request) =>
      cases.rejectTransition(
        ctx(request),
        workflow,
        request.params.id,
        request.params.childId,
        request.body.comment,
      ),
  );

  app.post(
    '/api/cases/:id/non-punishment-reviews',
    {
      schema: {
        tags,
        summary: 'Open a non-punishment review (trafficking indicators, before any charging decision)',
        params: idParamsSchema,
        response: { 201: reviewSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await cases.openNonPunishmentReview(ctx(request), request.params.id)),
  );

  app.post(
    '/api/cases/:id/non-punishment-reviews/:childId/complete',
    {
      schema: {
        tags,
        summary: 'Complete a non-punishment review with its outcome',
        params: childParamsSchema,
        body: completeReviewSchema,
        response: { 200: reviewSchema },
      },
    },
    async (request) =>
      cases.completeNonPunishmentReview(
        ctx(request),
        request.params.id,
        request.params.childId,
        request.body.outcome,
      ),
  );
}
