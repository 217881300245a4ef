import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Config } from '../../platform/config.ts';
import type { Database } from '../../platform/db/database.ts';
import type { ZodApp } from '../../platform/http/app.ts';
import { serviceContext } from '../../platform/http/context.ts';
import * as breakGlass from './breakglass.ts';
import * as consent from './consent.ts';
import * as disclosures from './disclosures.ts';
import * as policies from './policies.ts';
import {
  accessPolicySchema,
  breakGlassSchema,
  caseAccessSchema,
  consentSchema,
  createDisclosureSchema,
  disclosureSchema,
  fieldRuleKeySchema,
  fieldRuleSchema,
  idParamsSchema,
  notificationSchema,
  openBreakGlassSchema,
  personQuerySchema,
  putAccessPolicySchema,
  putFieldRuleSchema,
  reasonSchema,
  recordConsentSchema,
  reviewBreakGlassSchema,
  roleCodeParamsSchema,
  withdrawConsentSchema,
} from './schemas.ts';
import * as subject from './subject-rights.ts';

const limitSchema = z.coerce.number().int().min(1).max(500).default(100);
const booleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

export const subjectExportSchema = z
  .object({
    personId: z.uuid(),
    generatedAt: z.iso.datetime(),
    records: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))),
    accesses: z.array(
      z.object({
        seq: z.number().int(),
        occurredAt: z.iso.datetime(),
        actorUserId: z.uuid().nullable(),
        actorUsername: z.string().nullable(),
        actorAgencyId: z.uuid().nullable(),
        action: z.string(),
        targetType: z.string().nullable(),
        targetId: z.string().nullable(),
        sections: z.array(z.string()),
        outcome: z.string(),
        justification: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'SubjectExport' });

const retentionCategorySchema = z.enum(['case_closed', 'child_majority', 'acquittal', 'no_open_case']);

export function registerAccessRoutes(app: ZodApp, deps: { db: Database; config: Config }) {
  const { db, config } = deps;
  const ctx = (request: FastifyRequest) => serviceContext(request, db, config);
  const noContent = (reply: FastifyReply) => reply.status(204).send();

  // Consent and legal basis
  app.get(
    '/api/consents',
    {
      schema: {
        tags: ['consent'],
        summary: 'Every consent and legal-basis record of a person, all versions, newest first per purpose',
        querystring: personQuerySchema,
        response: { 200: z.array(consentSchema) },
      },
    },
    async (request) => consent.listConsents(ctx(request), request.query.personId),
  );
  app.post(
    '/api/consents',
    {
      schema: {
        tags: ['consent'],
        summary: 'Record a new version of a person’s consent or legal basis for one purpose',
        body: recordConsentSchema,
        response: { 201: consentSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await consent.recordConsent(ctx(request), request.body)),
  );
  app.post(
    '/api/consents/:id/withdraw',
    {
      schema: {
        tags: ['consent'],
        summary: 'Withdraw a consent; the record stays as history',
        params: idParamsSchema,
        body: withdrawConsentSchema,
        response: { 200: consentSchema },
      },
    },
    async (request) => consent.withdrawConsent(ctx(request), request.params.id, request.body.reason),
  );

  // What one may see of a case, and why
  app.get(
    '/api/access/cases/:id',
    {
      schema: {
        tags: ['access'],
        summary:
          'The sections of a case the caller may read and write, and through what (scope, disclosure, break-glass)',
        params: idParamsSchema,
        response: { 200: caseAccessSchema },
      },
    },
    async (request) => policies.explainCaseAccess(ctx(request), request.params.id),
  );

  // Disclosures
  app.post(
    '/api/access/cases/:id/disclosures',
    {
      schema: {
        tags: ['disclosures'],
        summary:
          'Disclose chosen sections of a case to another agency or compartment, with legal basis and expiry',
        params: idParamsSchema,
        body: createDisclosureSchema,
        response: { 201: disclosureSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await disclosures.createDisclosure(ctx(request), request.params.id, request.body)),
  );
  app.get(
    '/api/access/cases/:id/disclosures',
    {
      schema: {
        tags: ['disclosures'],
        summary: 'The disclosures of a case (a recipient sees only those made to them)',
        params: idParamsSchema,
        response: { 200: z.array(disclosureSchema) },
      },
    },
    async (request) => disclosures.listCaseDisclosures(ctx(request), request.params.id),
  );
  app.get(
    '/api/disclosures',
    {
      schema: {
        tags: ['disclosures'],
        summary: 'Review list of disclosures (data-protection officer: all; supervisor: their agency’s)',
        querystring: z.strictObject({ active: booleanQuery.optional(), limit: limitSchema }),
        response: { 200: z.array(disclosureSchema) },
      },
    },
    async (request) => disclosures.listDisclosures(ctx(request), request.query),
  );
  app.post(
    '/api/disclosures/:id/revoke',
    {
      schema: {
        tags: ['disclosures'],
        summary: 'Revoke a disclosure: the recipient loses what it shared at once',
        params: idParamsSchema,
        body: reasonSchema,
        response: { 200: disclosureSchema },
      },
    },
    async (request) => disclosures.revokeDisclosure(ctx(request), request.params.id, request.body.reason),
  );

  // Break-glass
  app.post(
    '/api/access/cases/:id/break-glass',
    {
      schema: {
        tags: ['break-glass'],
        summary: 'Open a case outside one’s scope: written reason, time limit, supervisor and DPO alerted',
        params: idParamsSchema,
        body: openBreakGlassSchema,
        response: { 201: breakGlassSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await breakGlass.openBreakGlass(ctx(request), request.params.id, request.body)),
  );
  app.get(
    '/api/break-glass/mine',
    {
      schema: {
        tags: ['break-glass'],
        summary: 'One’s own break-glass openings',
        response: { 200: z.array(breakGlassSchema) },
      },
    },
    async (request) => breakGlass.listMyBreakGlass(ctx(request)),
  );
  app.post(
    '/api/break-glass/:id/end',
    {
      schema: {
        tags: ['break-glass'],
        summary: 'End one’s own break-glass opening early',
        params: idParamsSchema,
        response: { 200: breakGlassSchema },
      },
    },
    async (request) => breakGlass.endBreakGlass(ctx(request), request.params.id),
  );
  app.get(
    '/api/break-glass',
    {
      schema: {
        tags: ['break-glass'],
        summary:
          'Review list of break-glass openings (data-protection officer: all; supervisor: their team’s)',
        querystring: z.strictObject({ unreviewed: booleanQuery.optional(), limit: limitSchema }),
        response: { 200: z.array(breakGlassSchema) },
      },
    },
    async (request) => breakGlass.listBreakGlass(ctx(request), request.query),
  );
  app.post(
    '/api/break-glass/:id/review',
    {
      schema: {
        tags: ['break-glass'],
        summary: 'Record the review of a break-glass opening',
        params: idParamsSchema,
        body: reviewBreakGlassSchema,
        response: { 200: breakGlassSchema },
      },
    },
    async (request) => breakGlass.reviewBreakGlass(ctx(request), request.params.id, request.body),
  );

  // Notifications (alerts), polled by the web
  app.get(
    '/api/notifications',
    {
      schema: {
        tags: ['notifications'],
        summary: 'One’s alerts, newest first',
        querystring: z.strictObject({ unread: booleanQuery.optional() }),
        response: { 200: z.array(notificationSchema) },
      },
    },
    async (request) => breakGlass.listMyNotifications(ctx(request), request.query),
  );
  app.post(
    '/api/notifications/:id/read',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Mark an alert read',
        params: idParamsSchema,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await breakGlass.markNotificationRead(ctx(request), request.params.id);
      return noContent(reply);
    },
  );

  // Administration of the access model
  app.get(
    '/api/admin/access-policies',
    {
      schema: {
        tags: ['admin'],
        summary: 'Case scope and break-glass compartments per role',
        response: { 200: z.array(accessPolicySchema) },
      },
    },
    async (request) => policies.listAccessPolicies(ctx(request)),
  );
  app.put(
    '/api/admin/access-policies/:roleCode',
    {
      schema: {
        tags: ['admin'],
        summary: 'Set a role’s case scope and break-glass compartments',
        params: roleCodeParamsSchema,
        body: putAccessPolicySchema,
        response: { 200: accessPolicySchema },
      },
    },
    async (request) => policies.putAccessPolicy(ctx(request), request.params.roleCode, request.body),
  );
  app.get(
    '/api/admin/field-sensitivity',
    {
      schema: {
        tags: ['admin'],
        summary: 'Sensitive fields and the compartment each needs',
        response: { 200: z.array(fieldRuleSchema) },
      },
    },
    async (request) => policies.listFieldRules(ctx(request)),
  );
  app.put(
    '/api/admin/field-sensitivity',
    {
      schema: {
        tags: ['admin'],
        summary: 'Mark a field sensitive (or change its compartment and whom to ask)',
        body: putFieldRuleSchema,
        response: { 200: fieldRuleSchema },
      },
    },
    async (request) => policies.putFieldRule(ctx(request), request.body),
  );
  app.delete(
    '/api/admin/field-sensitivity',
    {
      schema: {
        tags: ['admin'],
        summary: 'Stop masking a field',
        querystring: fieldRuleKeySchema,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await policies.deleteFieldRule(ctx(request), request.query);
      return noContent(reply);
    },
  );

  // Data-subject rights and retention
  app.get(
    '/api/subject-requests/persons/:id/export',
    {
      schema: {
        tags: ['data protection'],
        summary: 'Everything held on a person, and who accessed it (JSON)',
        params: idParamsSchema,
        response: { 200: subjectExportSchema },
      },
    },
    async (request) => subject.exportSubject(ctx(request), request.params.id, 'json'),
  );
  app.get(
    '/api/subject-requests/persons/:id/export.pdf',
    {
      schema: {
        tags: ['data protection'],
        summary: 'Everything held on a person, and who accessed it (PDF)',
        params: idParamsSchema,
      },
    },
    async (request, reply) => {
      const data = await subject.exportSubject(ctx(request), request.params.id, 'pdf');
      const pdf = await subject.renderSubjectPdf(data);
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="subject-${request.params.id}.pdf"`)
        .header('cache-control', 'no-store')
        .send(pdf);
    },
  );
  app.get(
    '/api/retention/due',
    {
      schema: {
        tags: ['data protection'],
        summary: 'Persons due for retention review, by category',
        querystring: z.strictObject({ limit: limitSchema }),
        response: {
          200: z.array(
            z.object({
              personId: z.uuid(),
              category: retentionCategorySchema,
              dueSince: z.iso.datetime(),
              action: z.string(),
              legalHold: z.boolean(),
            }),
          ),
        },
      },
    },
    async (request) => subject.listRetentionDue(ctx(request), request.query.limit),
  );
  app.post(
    '/api/retention/reviews',
    {
      schema: {
        tags: ['data protection'],
        summary: 'Record a retention review of a person for one category',
        body: z.strictObject({
          personId: z.uuid(),
          category: retentionCategorySchema,
          decision: z.enum(['keep', 'anonymise', 'delete']),
        }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await subject.recordRetentionReview(ctx(request), request.body);
      return noContent(reply);
    },
  );
  const legalHoldSchema = z
    .object({
      id: z.uuid(),
      personId: z.uuid(),
      reason: z.string(),
      placedBy: z.uuid(),
      placedAt: z.iso.datetime(),
      liftedAt: z.iso.datetime().nullable(),
      liftedBy: z.uuid().nullable(),
      liftReason: z
        .string()
        .nullable()
        .describe('Null while in force, and for holds lifted before reasons were kept'),
    })
    .meta({ id: 'LegalHold' });
  app.get(
    '/api/retention/holds',
    {
      schema: {
        tags: ['data protection'],
        summary: "A person's legal holds, in force and lifted, newest first",
        querystring: z.strictObject({ personId: z.uuid() }),
        response: { 200: z.array(legalHoldSchema) },
      },
    },
    async (request) => subject.listLegalHolds(ctx(request), request.query.personId),
  );
  app.post(
    '/api/retention/holds',
    {
      schema: {
        tags: ['data protection'],
        summary: 'Place a legal hold: nothing about the person may be anonymised or deleted',
        body: z.strictObject({ personId: z.uuid(), reason: z.string().trim().min(10).max(1000) }),
        response: { 201: legalHoldSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await subject.placeLegalHold(ctx(request), request.body)),
  );
  app.post(
    '/api/retention/holds/:id/lift',
    {
      schema: {
        tags: ['data protection'],
        summary: 'Lift a legal hold, saying why (the proceedings ended, the order was withdrawn…)',
        params: idParamsSchema,
        body: z.strictObject({ reason: z.string().trim().min(10).max(1000) }),
        response: { 200: legalHoldSchema },
      },
    },
    async (request) => subject.liftLegalHold(ctx(request), request.params.id, request.body.reason),
  );
  app.post(
    '/api/retention/persons/:id/anonymise',
    {
      schema: {
        tags: ['data protection'],
        summary: 'Anonymise a person (refused under legal hold)',
        params: idParamsSchema,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await subject.anonymisePerson(ctx(request), request.params.id);
      return noContent(reply);
    },
  );
  app.delete(
    '/api/retention/persons/:id',
    {
      schema: {
        tags: ['data protection'],
        summary: 'Delete a person and everything referring to them (refused under legal hold)',
        params: idParamsSchema,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await subject.deletePerson(ctx(request), request.params.id);
      return noContent(reply);
    },
  );
}
