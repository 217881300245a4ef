import { z } from 'zod';
import { caseSortSchema, caseStatusSchema, trackSchema } from '../cases/schemas.ts';
import { ageBandSchema, sexSchema, vulnerabilityFlagSchema } from '../persons/schemas.ts';

const STAGE_LIST = /^(10|[0-9])(,(10|[0-9])){0,19}$/;
const FLAGS: readonly string[] = vulnerabilityFlagSchema.options;

/**
 * What a saved view holds: the case list's filter and sort parameters, as they appear in the page's
 * address (strings). Deliberately no search text (`q`), cursor or page size: a view is a filter, and
 * a name typed into the search box is personal data that is not kept. Unknown keys are refused.
 */
export const savedViewParamsSchema = z
  .strictObject({
    status: caseStatusSchema.optional(),
    stage: z.string().regex(STAGE_LIST, 'Comma-separated stages 0–10').optional(),
    track: trackSchema.optional(),
    trackStatus: z
      .string()
      .regex(/^[a-z_]{1,40}$/)
      .optional(),
    agencyId: z.uuid().optional(),
    assignedUserId: z
      .union([z.literal('me'), z.uuid()])
      .optional()
      .describe('A user id, or "me": whoever opens the view'),
    unassigned: z.enum(['true', 'false']).optional(),
    ageBand: ageBandSchema.optional(),
    sex: sexSchema.optional(),
    flag: z
      .string()
      .max(400)
      .refine((value) => value.split(',').every((flag) => FLAGS.includes(flag)), 'Unknown vulnerability flag')
      .optional()
      .describe('Comma-separated vulnerability flags'),
    overdueTasks: z.enum(['true', 'false']).optional(),
    sort: caseSortSchema.optional(),
  })
  .meta({ id: 'SavedViewParams' });
export type SavedViewParams = z.infer<typeof savedViewParamsSchema>;

const viewName = z
  .string()
  .trim()
  .min(1)
  .max(80)
  .describe('Unique among your saved views (case-insensitive)');

export const createSavedViewSchema = z
  .strictObject({ name: viewName, params: savedViewParamsSchema })
  .meta({ id: 'CreateSavedView' });
export type CreateSavedView = z.infer<typeof createSavedViewSchema>;

export const updateSavedViewSchema = z
  .strictObject({
    version: z.number().int().describe('The version you read'),
    name: viewName.optional(),
    params: savedViewParamsSchema.optional(),
  })
  .meta({ id: 'UpdateSavedView' });
export type UpdateSavedView = z.infer<typeof updateSavedViewSchema>;

export const deleteSavedViewQuerySchema = z.strictObject({
  version: z.coerce.number().int().describe('The version you read'),
});

export const savedViewSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    params: savedViewParamsSchema,
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    version: z.number().int(),
  })
  .meta({ id: 'SavedView' });

export const savedViewParamsIdSchema = z.strictObject({ id: z.uuid() });
