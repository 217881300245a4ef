import { z } from 'zod';
import { agencyKindSchema } from '../accounts/schemas.ts';
import { serviceTypeSchema } from '../casework/schemas.ts';

const regionSchema = z.string().trim().min(1).max(100);
const languageSchema = z
  .string()
  .trim()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a BCP 47 language tag such as ru, kk, uz-Latn');

export const contactSchema = z.strictObject({
  kind: z.enum(['phone', 'email', 'address', 'other']),
  value: z.string().trim().min(1).max(300),
  label: z.string().trim().min(1).max(100).optional(),
});

export const providerProfileInputSchema = z
  .strictObject({
    version: z.number().int().optional().describe('Required when the profile exists: the version you read'),
    description: z.string().trim().max(2000).default(''),
    services: z.array(serviceTypeSchema).max(20).default([]),
    regions: z.array(regionSchema).max(50).default([]),
    languages: z.array(languageSchema).max(20).default([]),
    contacts: z.array(contactSchema).max(20).default([]),
    acceptsReferrals: z.boolean().default(true),
  })
  .meta({ id: 'ProviderProfileInput' });
export type ProviderProfileInput = z.infer<typeof providerProfileInputSchema>;

export const providerSchema = z
  .object({
    agencyId: z.uuid(),
    code: z.string(),
    name: z.string(),
    kind: z.string(),
    jurisdiction: z.string().nullable(),
    description: z.string(),
    services: z.array(serviceTypeSchema),
    regions: z.array(z.string()),
    languages: z.array(z.string()),
    contacts: z.array(contactSchema),
    acceptsReferrals: z.boolean(),
    version: z.number().int(),
  })
  .meta({ id: 'Provider' });

export const providerQuerySchema = z.strictObject({
  service: serviceTypeSchema.optional(),
  region: regionSchema.optional(),
  language: languageSchema.optional(),
  kind: z.string().max(40).optional(),
  q: z.string().trim().min(1).max(100).optional().describe('Part of the organisation’s name or code'),
  acceptsReferrals: z.enum(['true', 'false']).optional(),
});
export type ProviderQuery = z.infer<typeof providerQuerySchema>;

export const agencyParamsSchema = z.strictObject({ agencyId: z.uuid() });

export const agencyQuerySchema = z.strictObject({
  kind: agencyKindSchema.describe('Only agencies of this kind, e.g. prosecution'),
});
