/** Codes the client itself produces when no server answer could be read. */
export type ClientErrorCode = 'NETWORK_ERROR' | 'UNEXPECTED_RESPONSE';

export interface ValidationIssue {
  path: string;
  message: string;
  code?: string;
}

export interface ApiErrorDetails {
  path?: string;
  issues?: ValidationIssue[];
  [key: string]: unknown;
}

/**
 * Every failed API call rejects with one of these, built from the server's error body
 * `{ code, message, details? }`. `code` is the server's stable code (INVALID_CREDENTIALS,
 * SESSION_EXPIRED…) and is what the UI translates; `message` is the server's English fallback.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ApiErrorDetails | undefined;
  /** Seconds from the Retry-After header on 429 and 503 answers. */
  readonly retryAfterSeconds: number | undefined;

  constructor(init: {
    status: number;
    code: string;
    message: string;
    details?: ApiErrorDetails | undefined;
    retryAfterSeconds?: number | undefined;
  }) {
    super(init.message);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.details = init.details;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }

  /** Issues of a VALIDATION_FAILED answer, keyed by the last segment of their path (body.username → username). */
  fieldIssues(): Record<string, string> {
    const byField: Record<string, string> = {};
    for (const issue of this.details?.issues ?? []) {
      const field = issue.path.split('.').at(-1);
      if (field && !(field in byField)) byField[field] = issue.message;
    }
    return byField;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a failed response into an ApiError without ever throwing while doing so. */
export async function apiErrorFromResponse(response: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await response.clone().json();
  } catch {
    body = undefined;
  }
  const retryAfterSeconds = parseRetryAfter(response.headers.get('retry-after'));
  if (isRecord(body) && typeof body.code === 'string') {
    return new ApiError({
      status: response.status,
      code: body.code,
      message: typeof body.message === 'string' ? body.message : response.statusText,
      details: isRecord(body.details) ? (body.details as ApiErrorDetails) : undefined,
      retryAfterSeconds,
    });
  }
  return new ApiError({
    status: response.status,
    code: 'UNEXPECTED_RESPONSE',
    message: `HTTP ${response.status}`,
    retryAfterSeconds,
  });
}
