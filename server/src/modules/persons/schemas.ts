import { z } from 'zod';
import { PHOTO_SOURCES, PHOTO_TYPES } from '../../platform/db/tables/person-photos.ts';
import { maskable, restrictedValueSchema } from '../access/masking.ts';
import { AGE_BANDS, todayIso } from './age.ts';

export const sexSchema = z.enum(['female', 'male', 'unknown']);
export const scriptSchema = z.enum(['cyrillic', 'latin', 'arabic', 'other']);
export const nameTypeSchema = z.enum(['primary', 'variant', 'alias', 'kunya', 'nisba', 'maiden', 'document']);
export const nameSourceSchema = z.enum([
  'passport',
  'id_card',
  'birth_certificate',
  'civil_registry',
  'camp_list',
  'ngo_list',
  'un_agency_list',
  'testimony',
  'self_declared',
  'other',
]);
export const whereaboutsSchema = z.enum([
  'in_country',
  'camp',
  'detention',
  'abroad_other',
  'deceased',
  'unknown',
]);
export const vulnerabilityFlagSchema = z.enum([
  'unaccompanied',
  'separated',
  'orphan',
  'disability',
  'pregnant',
  'trafficking_indicators',
  'witness',
]);
export const nationalityStatusSchema = z.enum(['claimed', 'verified', 'rejected']);
export const evidenceKindSchema = z.enum([
  'document',
  'testimony',
  'dna_referral',
  'dna_result',
  'registry_check',
  'other',
]);
export const evidenceOutcomeSchema = z.enum(['pending', 'supports', 'contradicts', 'inconclusive']);
export const documentTypeSchema = z.enum([
  'passport',
  'national_id',
  'birth_certificate',
  'marriage_certificate',
  'death_certificate',
  'travel_document',
  'residence_permit',
  'other',
]);
export const documentStatusSchema = z.enum(['issued', 'applied_for', 'lost', 'confiscated', 'expired']);
export const ageBandSchema = z.enum(AGE_BANDS);

const isoDate = z.iso.date();
const notInFuture = (value: string) => value <= todayIso();
const pastDate = isoDate.refine(notInFuture, 'must not be in the future');
const countrySchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code');

/** Exact, year only, a range, or unknown; never in the future, never reversed. */
export const birthDateInputSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('exact'), date: pastDate }),
    z.strictObject({
      kind: z.literal('year'),
      year: z
        .number()
        .int()
        .min(1900)
        .refine((year) => year <= Number(todayIso().slice(0, 4)), 'must not be in the future'),
    }),
    z
      .strictObject({ kind: z.literal('range'), from: pastDate, to: pastDate })
      .refine((range) => range.from <= range.to, {
        message: 'the range is reversed: from must not be after to',
        path: ['to'],
      }),
    z.strictObject({ kind: z.literal('unknown') }),
  ])
  .describe('Date of birth: exact, year only, a range, or unknown');
export type BirthDateInput = z.infer<typeof birthDateInputSchema>;

export const nameInputSchema = z
  .strictObject({
    fullName: z.string().trim().min(1).max(300),
    givenName: z.string().trim().min(1).max(200).nullable().default(null),
    familyName: z.string().trim().min(1).max(200).nullable().default(null),
    patronymic: z.string().trim().min(1).max(200).nullable().default(null),
    script: scriptSchema,
    language: z.string().trim().min(2).max(16).nullable().default(null).describe('BCP 47 tag'),
    nameType: nameTypeSchema,
    source: nameSourceSchema,
    romanisation: z
      .string()
      .trim()
      .min(1)
      .max(60)
      .nullable()
      .default(null)
      .describe('Romanisation scheme, e.g. icao_9303, bgn_pcgn, kazakh_latin_2021'),
    recordedOn: pastDate.optional().describe('Defaults to today'),
    isDisplay: z.boolean().default(false).describe('Make this the display name'),
  })
  .meta({ id: 'NameInput' });
export type NameInput = z.infer<typeof nameInputSchema>;

export const nationalityInputSchema = z.strictObject({
  country: countrySchema,
  status: nationalityStatusSchema,
});
export const evidenceInputSchema = z.strictObject({
  kind: evidenceKindSchema,
  reference: z.string().trim().min(1).max(300).describe('Document number, statement or laboratory reference'),
  outcome: evidenceOutcomeSchema,
  recordedOn: pastDate.optional(),
});
export const documentInputSchema = z.strictObject({
  documentType: documentTypeSchema,
  number: z.string().trim().min(1).max(100).nullable().default(null),
  issuer: z.string().trim().min(1).max(200),
  status: documentStatusSchema,
  issuedOn: pastDate.nullable().default(null),
  expiresOn: isoDate.nullable().default(null),
});
export const updateDocumentSchema = z.strictObject({
  version: z.number().int(),
  number: z.string().trim().min(1).max(100).nullable().optional(),
  issuer: z.string().trim().min(1).max(200).optional(),
  status: documentStatusSchema.optional(),
  issuedOn: pastDate.nullable().optional(),
  expiresOn: isoDate.nullable().optional(),
});

export const createPersonSchema = z
  .strictObject({
    sex: sexSchema,
    birthDate: birthDateInputSchema,
    placeOfBirth: z.string().trim().min(1).max(200).nullable().default(null),
    placeOfBirthIsCamp: z.boolean().default(false).describe('A camp is a valid place of birth'),
    whereabouts: whereaboutsSchema.default('unknown'),
    whereaboutsDetail: z.string().trim().max(300).nullable().default(null),
    flags: z.array(vulnerabilityFlagSchema).max(7).default([]),
    names: z.array(nameInputSchema).min(1).max(50),
    nationalities: z.array(nationalityInputSchema).max(10).default([]),
    documents: z.array(documentInputSchema).max(20).default([]),
  })
  .meta({ id: 'CreatePerson' });
export type CreatePerson = z.infer<typeof createPersonSchema>;

export const updatePersonSchema = z
  .strictObject({
    version: z.number().int().describe('The version you read; a stale one gets 409 VERSION_CONFLICT'),
    sex: sexSchema.optional(),
    birthDate: birthDateInputSchema.optional(),
    placeOfBirth: z.string().trim().min(1).max(200).nullable().optional(),
    placeOfBirthIsCamp: z.boolean().optional(),
    whereabouts: whereaboutsSchema.optional(),
    whereaboutsDetail: z.string().trim().max(300).nullable().optional(),
    flags: z.array(vulnerabilityFlagSchema).max(7).optional(),
  })
  .meta({ id: 'UpdatePerson' });
export type UpdatePerson = z.infer<typeof updatePersonSchema>;

export const setDisplayNameSchema = z.strictObject({ nameId: z.uuid(), version: z.number().int() });
export const updateNationalitySchema = z.strictObject({ status: nationalityStatusSchema });

export const personParamsSchema = z.strictObject({ id: z.uuid() });
export const personChildParamsSchema = z.strictObject({ id: z.uuid(), childId: z.uuid() });

export const nameSchema = z
  .object({
    id: z.uuid(),
    fullName: z.string(),
    givenName: z.string().nullable(),
    familyName: z.string().nullable(),
    patronymic: z.string().nullable(),
    script: scriptSchema,
    language: z.string().nullable(),
    nameType: nameTypeSchema,
    source: nameSourceSchema,
    romanisation: z.string().nullable(),
    recordedOn: z.string(),
    isDisplay: z.boolean(),
  })
  .meta({ id: 'PersonName' });

export const evidenceSchema = z.object({
  id: z.uuid(),
  kind: evidenceKindSchema,
  reference: z.string(),
  outcome: evidenceOutcomeSchema,
  recordedOn: z.string(),
});
export const nationalitySchema = z
  .object({
    id: z.uuid(),
    country: z.string(),
    status: nationalityStatusSchema,
    evidence: z.array(evidenceSchema),
  })
  .meta({ id: 'Nationality' });
export const documentSchema = z
  .object({
    id: z.uuid(),
    documentType: documentTypeSchema,
    number: z.string().nullable(),
    issuer: z.string(),
    status: documentStatusSchema,
    issuedOn: z.string().nullable(),
    expiresOn: z.string().nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'IdentityDocument' });

export const photoSourceSchema = z
  .enum(PHOTO_SOURCES)
  .describe('Where the photo comes from: taken at reception, a copy from a document, a field visit…');
export const photoTypeSchema = z.enum(PHOTO_TYPES);

/** A photo's metadata; the image itself is downloaded separately and never embedded in a response. */
export const personPhotoSchema = z
  .object({
    id: z.uuid(),
    personId: z.uuid(),
    contentType: photoTypeSchema,
    sizeBytes: z.number().int(),
    sha256: z.string().describe('SHA-256 of the image, hex'),
    takenOn: z.string().nullable(),
    source: photoSourceSchema,
    current: z.boolean().describe('The photo shown for the person; at most one per person'),
    uploadedBy: z.uuid().nullable(),
    createdAt: z.iso.datetime(),
    removedAt: z.iso.datetime().nullable().describe('Set once removed: the image is erased, the row stays'),
    removedBy: z.uuid().nullable(),
    removalReason: z.string().nullable(),
  })
  .meta({ id: 'PersonPhoto' });
export type PersonPhoto = z.infer<typeof personPhotoSchema>;

export const photoUploadQuerySchema = z.strictObject({
  takenOn: pastDate.optional().describe('When the photo was taken, if known'),
  source: photoSourceSchema.default('other'),
});
export type PhotoUploadQuery = z.infer<typeof photoUploadQuerySchema>;

export const photoRemovalSchema = z
  .strictObject({
    reason: z.string().trim().min(10).max(1000).describe('Why the photo is removed (kept with the record)'),
  })
  .meta({ id: 'PhotoRemoval' });

/** Every photo of the person, newest first, or a RestrictedValue when photos are masked for the reader. */
export const personPhotosSchema = z
  .object({ photos: z.union([z.array(personPhotoSchema), restrictedValueSchema]) })
  .meta({ id: 'PersonPhotos' });

export const ageSchema = z
  .object({
    youngest: z.number().int(),
    oldest: z.number().int(),
    band: ageBandSchema,
    bandCertain: z.boolean(),
  })
  .describe('Derived from the date of birth; the band is that of the youngest possible age');

export const personSchema = z
  .object({
    id: z.uuid(),
    displayName: z.string().nullable(),
    sex: sexSchema,
    birthDate: z.object({
      kind: z.enum(['exact', 'year', 'range', 'unknown']),
      from: z.string().nullable(),
      to: z.string().nullable(),
    }),
    age: ageSchema.nullable(),
    placeOfBirth: maskable(z.string()).nullable(),
    placeOfBirthIsCamp: z.boolean(),
    whereabouts: whereaboutsSchema,
    whereaboutsDetail: maskable(z.string()).nullable(),
    flags: z.array(z.string()),
    ownerAgencyId: z.uuid(),
    names: z.array(nameSchema),
    nationalities: z.array(nationalitySchema),
    documents: z.array(documentSchema),
    photo: maskable(personPhotoSchema)
      .nullable()
      .describe('The current photo’s metadata (download it from the photos route), or null'),
    version: z.number().int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Person' });
export type Person = z.infer<typeof personSchema>;

export const historyEntrySchema = z
  .object({
    id: z.number().int(),
    field: z.string(),
    before: z.unknown(),
    after: z.unknown(),
    changedBy: z.uuid().nullable(),
    changedAt: z.iso.datetime(),
  })
  .meta({ id: 'PersonHistoryEntry' });

export const personSearchQuerySchema = z.strictObject({
  q: z.string().trim().min(1).max(100).optional().describe('Exact or prefix match on any recorded name'),
  whereabouts: whereaboutsSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(300).optional(),
});
export type PersonSearchQuery = z.infer<typeof personSearchQuerySchema>;

export const personSearchResultSchema = z
  .object({
    items: z.array(
      z.object({
        id: z.uuid(),
        displayName: z.string().nullable(),
        sex: sexSchema,
        ageBand: ageBandSchema.nullable(),
        whereabouts: whereaboutsSchema,
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'PersonSearchResult' });
