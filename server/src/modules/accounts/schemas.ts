import { z } from 'zod';
import { allPermissions } from '../access/permissions.ts';

export const languageSchema = z
  .enum(['en', 'ru', 'kk', 'uz', 'tg', 'ky', 'ar'])
  .describe('Interface language');
export const agencyKindSchema = z.enum([
  'ministry',
  'social_services',
  'security',
  'prosecution',
  'court',
  'health',
  'education',
  'ngo',
  'womens_organisation',
  'un_agency',
  'coordination',
  'local_authority',
  'other',
]);
export const permissionSchema = z.enum(allPermissions as [string, ...string[]]);
const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9._-]{3,64}$/, '3–64 characters: letters, digits, dot, dash, underscore');

export const loginRequestSchema = z
  .strictObject({
    username: z.string().trim().min(1).max(64),
    password: z.string().min(1).max(256),
    totp: z
      .string()
      .regex(/^\d{6}$/, 'six digits')
      .optional(),
  })
  .meta({ id: 'LoginRequest' });

export const agencySummarySchema = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  kind: z.string(),
});

export const meSchema = z
  .object({
    id: z.uuid(),
    username: z.string(),
    displayName: z.string(),
    agency: agencySummarySchema,
    roles: z.array(z.object({ code: z.string(), name: z.string() })),
    permissions: z.array(z.string()),
    totpEnabled: z.boolean(),
    mfaEnrolmentPending: z.boolean(),
    preferredLanguage: languageSchema,
    csrfToken: z
      .string()
      .nullable()
      .describe('Send as the x-csrf-token header on every cookie-authenticated write'),
  })
  .meta({ id: 'Me' });

export const loginResponseSchema = z
  .object({ user: meSchema, csrfToken: z.string() })
  .meta({ id: 'LoginResponse' });

export const updateMeSchema = z.strictObject({ preferredLanguage: languageSchema });

export const changePasswordSchema = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  newPassword: z.string().min(1).max(256),
});

export const totpSetupResponseSchema = z.object({
  secret: z.string().describe('Base32 seed for manual entry'),
  otpauthUrl: z.string().describe('otpauth:// URL for a QR code'),
});
export const totpCodeSchema = z.strictObject({ code: z.string().regex(/^\d{6}$/, 'six digits') });
export const totpDisableSchema = z.strictObject({ password: z.string().min(1).max(256) });

export const apiTokenSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    scopes: z.array(z.string()),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    revokedAt: z.iso.datetime().nullable(),
    lastUsedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ApiToken' });

export const createApiTokenSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(permissionSchema).min(1).describe('Permissions the token may use; a subset of your own'),
  expiresInDays: z.number().int().min(1).max(365).default(90),
});
export const createdApiTokenSchema = apiTokenSchema.extend({
  token: z.string().describe('Shown once: store it now, it cannot be read again'),
});

export const idParamsSchema = z.strictObject({ id: z.uuid() });

// Administration
export const agencySchema = z
  .object({
    id: z.uuid(),
    code: z.string(),
    name: z.string(),
    kind: agencyKindSchema,
    jurisdiction: z.string().nullable(),
    active: z.boolean(),
    version: z.number().int(),
  })
  .meta({ id: 'Agency' });
export const createAgencySchema = z.strictObject({
  code: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9_-]{2,32}$/, '2–32 characters: A–Z, digits, dash, underscore'),
  name: z.string().trim().min(1).max(200),
  kind: agencyKindSchema,
  jurisdiction: z.string().trim().max(200).nullable().default(null),
});
export const updateAgencySchema = z.strictObject({
  version: z.number().int().describe('The version you read; a stale one gets 409 VERSION_CONFLICT'),
  name: z.string().trim().min(1).max(200).optional(),
  kind: agencyKindSchema.optional(),
  jurisdiction: z.string().trim().max(200).nullable().optional(),
  active: z.boolean().optional(),
});

export const roleSchema = z
  .object({
    id: z.uuid(),
    code: z.string(),
    name: z.string(),
    description: z.string(),
    permissions: z.array(z.string()),
    requireTotp: z.boolean(),
    builtin: z.boolean(),
    version: z.number().int(),
  })
  .meta({ id: 'Role' });
export const createRoleSchema = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9_]{1,40}$/, 'lower-case letters, digits, underscore'),
  name: z.string().trim().min(1).max(100),
  description: z.string().trim().max(500).default(''),
  permissions: z.array(permissionSchema),
  requireTotp: z.boolean().default(false),
});
export const updateRoleSchema = z.strictObject({
  version: z.number().int(),
  name: z.string().trim().min(1).max(100).optional(),
  description: z.string().trim().max(500).optional(),
  permissions: z.array(permissionSchema).optional(),
  requireTotp: z.boolean().optional(),
});

export const userSchema = z
  .object({
    id: z.uuid(),
    username: z.string(),
    displayName: z.string(),
    agencyId: z.uuid(),
    supervisorId: z.uuid().nullable(),
    roles: z.array(z.string()),
    status: z.enum(['active', 'disabled']),
    totpEnabled: z.boolean(),
    preferredLanguage: languageSchema,
    lockedUntil: z.iso.datetime().nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'User' });
export const createUserSchema = z.strictObject({
  username: usernameSchema,
  displayName: z.string().trim().min(1).max(200),
  agencyId: z.uuid(),
  supervisorId: z.uuid().nullable().default(null),
  roles: z.array(z.string()).min(1).describe('Role codes'),
  password: z.string().min(1).max(256),
  preferredLanguage: languageSchema.default('en'),
});
export const updateUserSchema = z.strictObject({
  version: z.number().int(),
  displayName: z.string().trim().min(1).max(200).optional(),
  agencyId: z.uuid().optional(),
  supervisorId: z.uuid().nullable().optional(),
  roles: z.array(z.string()).min(1).optional(),
  status: z.enum(['active', 'disabled']).optional(),
  preferredLanguage: languageSchema.optional(),
});
export const resetPasswordSchema = z.strictObject({ newPassword: z.string().min(1).max(256) });

export type LoginRequest = z.infer<typeof loginRequestSchema>;
export type Me = z.infer<typeof meSchema>;
export type CreateAgency = z.infer<typeof createAgencySchema>;
export type UpdateAgency = z.infer<typeof updateAgencySchema>;
export type CreateRole = z.infer<typeof createRoleSchema>;
export type UpdateRole = z.infer<typeof updateRoleSchema>;
export type CreateUser = z.infer<typeof createUserSchema>;
export type UpdateUser = z.infer<typeof updateUserSchema>;
export type CreateApiToken = z.infer<typeof createApiTokenSchema>;
