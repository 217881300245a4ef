/**
 * One error type for the whole server. Codes are stable: documented in docs/ERRORS.md,
 * never reused for something else. The HTTP status is decided here and nowhere else.
 */
import { accessErrors } from './errors/access.ts';
import { assessmentsErrors } from './errors/assessments.ts';
import { identityErrors } from './errors/identity.ts';
import { lifecycleErrors } from './errors/lifecycle.ts';
import { savedViewsErrors } from './errors/saved-views.ts';

export type ErrorCatalogue = Record<string, { status: number; message: string }>;

const platformErrors = {
  VALIDATION_FAILED: { status: 400, message: 'The request is not valid' },
  MALFORMED_JSON: { status: 400, message: 'The request body is not valid JSON' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Unsupported content type' },
  BODY_TOO_LARGE: { status: 413, message: 'The request body is too large' },
  NOT_AUTHENTICATED: { status: 401, message: 'Sign in to continue' },
  INVALID_CREDENTIALS: { status: 401, message: 'Wrong username or password' },
  TOTP_REQUIRED: { status: 401, message: 'A one-time code from your authenticator app is required' },
  TOTP_INVALID: { status: 401, message: 'The one-time code is not valid' },
  SESSION_EXPIRED: { status: 401, message: 'Your session has ended; sign in again' },
  TOKEN_INVALID: { status: 401, message: 'The API token is not valid, expired or revoked' },
  MFA_ENROLMENT_REQUIRED: {
    status: 403,
    message: 'Your role requires a second factor: set up an authenticator app first',
  },
  CSRF_TOKEN_INVALID: { status: 403, message: 'The request lacks a valid CSRF token' },
  TOKEN_SCOPE: { status: 403, message: 'The API token does not cover this action' },
  FORBIDDEN: { status: 403, message: 'You are not allowed to do this' },
  ACCOUNT_LOCKED: { status: 429, message: 'Too many failed sign-in attempts; try again later' },
  RATE_LIMITED: { status: 429, message: 'Too many requests; try again later' },
  NOT_FOUND: { status: 404, message: 'Not found' },
  ROUTE_NOT_FOUND: { status: 404, message: 'No such route' },
  USER_NOT_FOUND: { status: 404, message: 'User not found' },
  AGENCY_NOT_FOUND: { status: 404, message: 'Agency not found' },
  ROLE_NOT_FOUND: { status: 404, message: 'Role not found' },
  API_TOKEN_NOT_FOUND: { status: 404, message: 'API token not found' },
  USERNAME_TAKEN: { status: 409, message: 'That username is already in use' },
  AGENCY_CODE_TAKEN: { status: 409, message: 'That agency code is already in use' },
  ROLE_CODE_TAKEN: { status: 409, message: 'That role code is already in use' },
  VERSION_CONFLICT: { status: 409, message: 'The record was changed by someone else' },
  ROLE_IN_USE: { status: 409, message: 'The role is still held by users' },
  TOTP_ALREADY_ENABLED: { status: 409, message: 'A second factor is already enabled' },
  TOTP_NOT_PENDING: { status: 409, message: 'Start the authenticator set-up first' },
  WEAK_PASSWORD: { status: 400, message: 'The password is too weak' },
  BACKUP_INVALID: { status: 400, message: 'The file is not a valid Homeward backup' },
  RESTORE_TARGET_NOT_EMPTY: { status: 409, message: 'Restore needs an empty database' },
  NOT_READY: { status: 503, message: 'The service is not ready' },
  INTERNAL: { status: 500, message: 'Something went wrong on our side' },
} as const satisfies ErrorCatalogue;

/** Each area keeps its codes in ./errors/<area>.ts; a code appears in one area only (a test checks). */
export const errorAreas = {
  platform: platformErrors,
  lifecycle: lifecycleErrors,
  access: accessErrors,
  identity: identityErrors,
  assessments: assessmentsErrors,
  savedViews: savedViewsErrors,
};

export const errorCatalogue = {
  ...platformErrors,
  ...lifecycleErrors,
  ...accessErrors,
  ...identityErrors,
  ...assessmentsErrors,
  ...savedViewsErrors,
};

export type ErrorCode = keyof typeof errorCatalogue;

export interface ErrorDetails {
  /** Field path of a validation fault, e.g. "body.roles.0". */
  path?: string;
  issues?: { path: string; message: string; code?: string }[];
  [key: string]: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: ErrorDetails | undefined;
  /** Seconds, for 429 and 503 answers. */
  readonly retryAfter: number | undefined;

  constructor(
    code: ErrorCode,
    options: { message?: string; details?: ErrorDetails; retryAfter?: number } = {},
  ) {
    super(options.message ?? errorCatalogue[code].message);
    this.name = 'AppError';
    this.code = code;
    this.status = errorCatalogue[code].status;
    this.details = options.details;
    this.retryAfter = options.retryAfter;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
