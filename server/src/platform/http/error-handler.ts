import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type ErrorCode, errorCatalogue } from '../errors.ts';

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

function validationPath(httpPart: string | undefined, instancePath: string): string {
  const part = httpPart === 'querystring' ? 'query' : (httpPart ?? 'body');
  const rest = instancePath.replace(/^\//, '').split('/').filter(Boolean).join('.');
  return rest ? `${part}.${rest}` : part;
}

/**
 * Maps anything thrown to the one error body. Validation faults name their field path; nothing
 * internal (stack, SQL, values) reaches the client — and the log gets the code, never the values.
 */
export function toErrorResponse(error: unknown): { status: number; body: ErrorBody; retryAfter?: number } {
  if (error instanceof AppError) {
    return {
      status: error.status,
      body: {
        code: error.code,
        message: error.message,
        ...(error.details ? { details: error.details } : {}),
      },
      ...(error.retryAfter !== undefined ? { retryAfter: error.retryAfter } : {}),
    };
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = error.validation.map((issue) => {
      const params = issue.params as { issue?: { code?: string; path?: unknown[] } } | undefined;
      return {
        path: validationPath(error.validationContext, issue.instancePath),
        message: issue.message ?? 'invalid',
        ...(params?.issue?.code ? { code: params.issue.code } : {}),
      };
    });
    return {
      status: 400,
      body: {
        code: 'VALIDATION_FAILED',
        message: `${errorCatalogue.VALIDATION_FAILED.message}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
        details: { path: issues[0]?.path, issues },
      },
    };
  }
  const fastifyError = error as Partial<FastifyError>;
  const simple = (code: ErrorCode, details?: Record<string, unknown>) => ({
    status: errorCatalogue[code].status,
    body: { code, message: errorCatalogue[code].message, ...(details ? { details } : {}) },
  });
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return simple('MALFORMED_JSON', { path: 'body' });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return simple('BODY_TOO_LARGE', { path: 'body' });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return simple('UNSUPPORTED_MEDIA_TYPE');
    default:
      break;
  }
  if (error instanceof SyntaxError && fastifyError.statusCode === 400)
    return simple('MALFORMED_JSON', { path: 'body' });
  if (fastifyError.statusCode === 429) return simple('RATE_LIMITED');
  if (fastifyError.statusCode === 413) return simple('BODY_TOO_LARGE', { path: 'body' });
  return simple('INTERNAL');
}

export function sendError(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  const { status, body, retryAfter } = toErrorResponse(error);
  if (status >= 500) {
    request.log.error({ err: error, code: body.code }, 'request failed');
  } else {
    request.log.info({ code: body.code, status }, 'request refused');
  }
  if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
  return reply.status(status).type('application/json; charset=utf-8').send(body);
}
