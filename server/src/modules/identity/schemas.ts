import { z } from 'zod';

const text = (max: number) => z.string().max(max);

/** One person as a list or a registration form describes them: the linkage columns (README). */
export const personRecordSchema = z
  .strictObject({
    id: text(100).optional().describe('The record’s own identifier, echoed in results'),
    full_name: text(300).optional(),
    given_name: text(200).optional(),
    family_name: text(200).optional(),
    patronymic: text(200).optional(),
    sex: text(10).optional().describe('F, M, U, female, male or unknown'),
    date_of_birth: text(20).optional().describe('YYYY, YYYY-MM or YYYY-MM-DD'),
    place_of_birth: text(200).optional(),
    nationality: text(200)
      .optional()
      .describe('ISO 3166-1 alpha-2 or alpha-3 codes or English names, separated by ";"'),
    mother_name: text(300).optional(),
    father_name: text(300).optional(),
    aliases: z.array(text(300)).max(50).optional().describe('Other names: variants, kunya, aliases'),
  })
  .meta({ id: 'PersonRecord', description: 'A person as described by a list or a registration form' });
export type PersonRecord = z.infer<typeof personRecordSchema>;

export const searchRequestSchema = z
  .strictObject({
    person: personRecordSchema,
    threshold: z.number().min(0).max(1).default(0.5).describe('Lowest score returned'),
    limit: z.number().int().min(1).max(100).default(20),
  })
  .meta({ id: 'IdentitySearchRequest' });

export const duplicatesRequestSchema = z
  .strictObject({
    person: personRecordSchema,
    excludePersonId: z
      .uuid()
      .optional()
      .describe('The person being edited, never reported as its own duplicate'),
  })
  .meta({ id: 'DuplicateCheckRequest' });

export const problemSchema = z.object({
  column: z.string(),
  severity: z.enum(['error', 'warning']),
  code: z.string(),
  message: z.string(),
});

export const candidateSchema = z
  .object({
    personId: z.uuid(),
    displayName: z.string(),
    score: z.number(),
    decision: z.enum(['match', 'possible']),
    explanation: z
      .array(z.string())
      .describe('Why: the name parts that matched and how, and the other evidence'),
  })
  .meta({ id: 'IdentityCandidate' });

export const searchResponseSchema = z
  .object({
    results: z.array(candidateSchema),
    warnings: z.array(problemSchema),
    algorithmVersion: z.string(),
  })
  .meta({ id: 'IdentitySearchResponse' });

export const linkRequestSchema = z
  .strictObject({
    left: z.array(personRecordSchema).min(1).max(5000),
    right: z
      .union([z.array(personRecordSchema).min(1).max(5000), z.literal('registry')])
      .describe('A second list, or "registry" for the persons you may see'),
    threshold: z.number().min(0).max(1).default(0.6).describe('Lowest score written (default 0.6)'),
    onBadDate: z.enum(['year', 'refuse']).default('year'),
  })
  .meta({ id: 'LinkRequest' });

export const linkPairSchema = z.object({
  leftId: z.string(),
  rightId: z.string(),
  score: z.number(),
  decision: z.enum(['match', 'possible']),
  explanation: z.string(),
});

export const linkResponseSchema = z
  .object({
    pairs: z.array(linkPairSchema),
    warnings: z.array(problemSchema.extend({ side: z.enum(['left', 'right']), row: z.number().int() })),
    algorithmVersion: z.string(),
  })
  .meta({ id: 'LinkResponse' });

export const mergeRequestSchema = z
  .strictObject({
    survivorId: z.uuid().describe('The person who remains'),
    mergedId: z.uuid().describe('The confirmed duplicate whose names, nationalities and documents move'),
    reason: z.string().trim().min(10).max(2000).describe('Why these are the same person'),
  })
  .meta({ id: 'PersonMergeRequest' });

export const mergeResultSchema = z
  .object({
    id: z.uuid(),
    survivorId: z.uuid(),
    mergedId: z.uuid(),
    moved: z.object({
      names: z.number().int(),
      nationalities: z.number().int(),
      documents: z.number().int(),
      photos: z.number().int(),
    }),
    mergedAt: z.string(),
    undoneAt: z.string().nullable(),
  })
  .meta({ id: 'PersonMerge' });
