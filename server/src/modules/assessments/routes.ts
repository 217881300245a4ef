import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Config } from '../../platform/config.ts';
import type { Database } from '../../platform/db/database.ts';
import type { ZodApp } from '../../platform/http/app.ts';
import { serviceContext } from '../../platform/http/context.ts';
import { assessmentBiasReport } from './bias-report.ts';
import {
  getDecision,
  listDecisions,
  panelDecisionSchema,
  recordDecision,
  recordDecisionSchema,
} from './decisions.ts';
import * as instruments from './instruments-service.ts';
import {
  assessmentSchema,
  assessmentSummarySchema,
  biasQuerySchema,
  biasReportSchema,
  cancelAssessmentSchema,
  consensusSchema,
  createAssessmentSchema,
  eligibleInstrumentSchema,
  followUpScheduleSchema,
  grantQualificationSchema,
  idParamsSchema,
  importInstrumentSchema,
  instrumentVersionParamsSchema,
  instrumentVersionSchema,
  languageQuerySchema,
  overdueQuerySchema,
  qualificationQuerySchema,
  qualificationSchema,
  reassessmentEventSchema,
  renderedInstrumentSchema,
  saveRatingSchema,
  scheduleEntrySchema,
  signOffSchema,
} from './schemas.ts';
import * as assessments from './service.ts';

/** Instruments, assessments, re-assessment, assessor qualifications, panel decisions, bias monitoring. */
export function registerAssessmentRoutes(app: ZodApp, deps: { db: Database; config: Config }) {
  const ctx = (request: FastifyRequest) => serviceContext(request, deps.db, deps.config);
  const tags = ['assessments'];

  // Instruments ---------------------------------------------------------------------------------------
  app.get(
    '/api/instruments',
    {
      schema: {
        tags,
        summary: 'Every instrument version (drafts only for instrument managers)',
        querystring: languageQuerySchema,
        response: { 200: z.array(instrumentVersionSchema) },
      },
    },
    async (request) => instruments.listInstruments(ctx(request), request.query.lang),
  );
  app.post(
    '/api/instruments',
    {
      schema: {
        tags,
        summary: 'Import an instrument version; faults are refused with their path (400 INSTRUMENT_INVALID)',
        body: importInstrumentSchema,
        response: { 201: instrumentVersionSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await instruments.importInstrument(ctx(request), request.body.definition, request.body.publish),
        ),
  );
  app.get(
    '/api/instruments/:code/versions/:version',
    {
      schema: {
        tags,
        summary: 'An instrument version rendered in a language',
        params: instrumentVersionParamsSchema,
        querystring: languageQuerySchema,
        response: { 200: renderedInstrumentSchema },
      },
    },
    async (request) =>
      instruments.renderInstrumentVersion(
        ctx(request),
        request.params.code,
        request.params.version,
        request.query.lang,
      ),
  );
  app.get(
    '/api/instruments/:code/versions/:version/export',
    {
      schema: {
        tags,
        summary: 'Export an instrument version: the definition exactly as imported',
        params: instrumentVersionParamsSchema,
        response: { 200: z.record(z.string(), z.unknown()) },
      },
    },
    async (request) =>
      instruments.exportInstrument(ctx(request), request.params.code, request.params.version),
  );
  app.post(
    '/api/instruments/:code/versions/:version/publish',
    {
      schema: {
        tags,
        summary: 'Publish a draft version; from then on it never changes',
        params: instrumentVersionParamsSchema,
        response: { 200: instrumentVersionSchema },
      },
    },
    async (request) =>
      instruments.publishInstrument(ctx(request), request.params.code, request.params.version),
  );
  app.post(
    '/api/instruments/:code/versions/:version/retire',
    {
      schema: {
        tags,
        summary: 'Retire a version: no new assessments; those made in it still render in it',
        params: instrumentVersionParamsSchema,
        response: { 200: instrumentVersionSchema },
      },
    },
    async (request) =>
      instruments.retireInstrument(ctx(request), request.params.code, request.params.version),
  );

  // Assessor qualifications ---------------------------------------------------------------------------
  app.get(
    '/api/assessor-qualifications',
    {
      schema: {
        tags,
        summary: 'Assessor qualifications, optionally of one user',
        querystring: qualificationQuerySchema,
        response: { 200: z.array(qualificationSchema) },
      },
    },
    async (request) => instruments.listQualifications(ctx(request), request.query.userId),
  );
  app.post(
    '/api/assessor-qualifications',
    {
      schema: {
        tags,
        summary: 'Qualify a user to rate with an instrument until a date',
        body: grantQualificationSchema,
        response: { 201: qualificationSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await instruments.grantQualification(ctx(request), request.body)),
  );
  app.post(
    '/api/assessor-qualifications/:id/revoke',
    {
      schema: {
        tags,
        summary: 'Revoke a qualification',
        params: idParamsSchema,
        response: { 200: qualificationSchema },
      },
    },
    async (request) => instruments.revokeQualification(ctx(request), request.params.id),
  );

  // Assessments ---------------------------------------------------------------------------------------
  app.get(
    '/api/cases/:id/eligible-instruments',
    {
      schema: {
        tags,
        summary: 'The instruments you may use for this case’s person now (the web app offers only these)',
        params: idParamsSchema,
        querystring: languageQuerySchema,
        response: { 200: z.array(eligibleInstrumentSchema) },
      },
    },
    async (request) => assessments.eligibleInstruments(ctx(request), request.params.id, request.query.lang),
  );
  app.get(
    '/api/cases/:id/assessments',
    {
      schema: {
        tags,
        summary: 'A case’s assessments in the compartments you may open',
        params: idParamsSchema,
        response: { 200: z.array(assessmentSummarySchema) },
      },
    },
    async (request) => assessments.listCaseAssessments(ctx(request), request.params.id),
  );
  app.post(
    '/api/cases/:id/assessments',
    {
      schema: {
        tags,
        summary: 'Open an assessment (409 INSTRUMENT_NOT_ELIGIBLE outside the instrument’s population)',
        params: idParamsSchema,
        body: createAssessmentSchema,
        response: { 201: assessmentSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await assessments.createAssessment(ctx(request), request.params.id, request.body)),
  );
  app.get(
    '/api/assessments/overdue',
    {
      schema: {
        tags,
        summary: 'Re-assessments past due in the cases you may see',
        querystring: overdueQuerySchema,
        response: { 200: z.array(scheduleEntrySchema) },
      },
    },
    async (request) => assessments.overdueReassessments(ctx(request), request.query),
  );
  app.get(
    '/api/assessments/:id',
    {
      schema: {
        tags,
        summary: 'An assessment, rendered in the instrument version it was made in',
        params: idParamsSchema,
        querystring: languageQuerySchema,
        response: { 200: assessmentSchema },
      },
    },
    async (request) => assessments.getAssessment(ctx(request), request.params.id, request.query.lang),
  );
  app.put(
    '/api/assessments/:id/rating',
    {
      schema: {
        tags,
        summary:
          'Save your own rating (answers and output); answers off the item’s scale get 400 naming the item',
        params: idParamsSchema,
        body: saveRatingSchema,
        response: { 200: assessmentSchema },
      },
    },
    async (request) => assessments.saveRating(ctx(request), request.params.id, request.body),
  );
  app.post(
    '/api/assessments/:id/rating/submit',
    {
      schema: {
        tags,
        summary: 'Submit your rating',
        params: idParamsSchema,
        response: { 200: assessmentSchema },
      },
    },
    async (request) => assessments.submitRating(ctx(request), request.params.id),
  );
  app.post(
    '/api/assessments/:id/consensus',
    {
      schema: {
        tags,
        summary: 'Record the consensus of two raters; their disagreements are kept',
        params: idParamsSchema,
        body: consensusSchema,
        response: { 200: assessmentSchema },
      },
    },
    async (request) => assessments.recordConsensus(ctx(request), request.params.id, request.body),
  );
  app.post(
    '/api/assessments/:id/sign-off',
    {
      schema: {
        tags,
        summary: 'Approve or return a submitted assessment (not by one of its raters)',
        params: idParamsSchema,
        body: signOffSchema,
        response: { 200: assessmentSchema },
      },
    },
    async (request) => assessments.signOffAssessment(ctx(request), request.params.id, request.body),
  );
  app.post(
    '/api/assessments/:id/cancel',
    {
      schema: {
        tags,
        summary: 'Cancel an assessment that is not complete (it is kept)',
        params: idParamsSchema,
        body: cancelAssessmentSchema,
        response: { 200: assessmentSchema },
      },
    },
    async (request) => assessments.cancelAssessment(ctx(request), request.params.id, request.body.reason),
  );
  app.post(
    '/api/cases/:id/reassessment-events',
    {
      schema: {
        tags,
        summary: 'Record an event that makes instruments used in the case due again',
        params: idParamsSchema,
        body: reassessmentEventSchema,
        response: { 201: z.array(scheduleEntrySchema) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await assessments.raiseReassessmentEvent(ctx(request), request.params.id, request.body.event)),
  );
  app.post(
    '/api/cases/:id/follow-ups',
    {
      schema: {
        tags,
        summary: 'Schedule an instrument’s follow-ups (e.g. at 3, 6 and 12 months) from a day',
        params: idParamsSchema,
        body: followUpScheduleSchema,
        response: { 201: z.array(scheduleEntrySchema) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await assessments.scheduleFollowUps(ctx(request), request.params.id, request.body)),
  );

  // Panel decisions ---------------------------------------------------------------------------------
  app.get(
    '/api/cases/:id/decisions',
    {
      schema: {
        tags,
        summary: 'A case’s multi-agency panel decisions in the compartments you may open',
        params: idParamsSchema,
        response: { 200: z.array(panelDecisionSchema) },
      },
    },
    async (request) => listDecisions(ctx(request), request.params.id),
  );
  app.post(
    '/api/cases/:id/decisions',
    {
      schema: {
        tags,
        summary:
          'Record a panel decision with participants, options, rationale, dissent and assessments relied on',
        params: idParamsSchema,
        body: recordDecisionSchema,
        response: { 201: panelDecisionSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await recordDecision(ctx(request), request.params.id, request.body)),
  );

  app.get(
    '/api/decisions/:id',
    {
      schema: {
        tags,
        summary: 'One panel decision (404 outside your cases and compartments)',
        params: idParamsSchema,
        response: { 200: panelDecisionSchema },
      },
    },
    async (request) => getDecision(ctx(request), request.params.id),
  );

  // Bias monitoring -----------------------------------------------------------------------------------
  app.get(
    '/api/reports/assessment-bias',
    {
      schema: {
        tags: ['reports'],
        summary:
          'Ratings or judgements of an instrument by sex, age band and nationality; small cells suppressed',
        querystring: biasQuerySchema,
        response: { 200: biasReportSchema },
      },
    },
    async (request) => assessmentBiasReport(ctx(request), request.query),
  );
}
