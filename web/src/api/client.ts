import createClient, { type Middleware } from 'openapi-fetch';
import { ApiError, apiErrorFromResponse } from './errors.ts';
import type { paths } from './schema.d.ts';

/** Response body type of an operation, derived from the generated paths (never written twice). */
type JsonOf<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;
export type Meta = JsonOf<paths['/api/meta']['get']['responses'][200]>;
export type Me = JsonOf<paths['/api/me']['get']['responses'][200]>;
export type LoginRequest = NonNullable<
  paths['/api/auth/login']['post']['requestBody']
>['content']['application/json'];
export type LoginResponse = JsonOf<paths['/api/auth/login']['post']['responses'][200]>;
export type TotpSetup = JsonOf<paths['/api/me/totp/setup']['post']['responses'][200]>;
export type Language = Me['preferredLanguage'];

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The CSRF token of the current session. It lives only in memory: it arrives with the login
 * answer and with every GET /api/me, and is forgotten when the session ends.
 */
let csrfToken: string | undefined;

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

type SessionEndedListener = (code: 'SESSION_EXPIRED' | 'NOT_AUTHENTICATED') => void;
const sessionEndedListeners = new Set<SessionEndedListener>();

/** Called whenever the server says the session is gone, whichever call discovered it. */
export function onSessionEnded(listener: SessionEndedListener): () => void {
  sessionEndedListeners.add(listener);
  return () => sessionEndedListeners.delete(listener);
}

type SessionStaleListener = (code: 'MFA_ENROLMENT_REQUIRED' | 'CSRF_TOKEN_INVALID') => void;
const sessionStaleListeners = new Set<SessionStaleListener>();

/**
 * Called when the server's view of the session differs from ours (a second factor became
 * required, the CSRF token changed): the shell reloads /api/me to catch up.
 */
export function onSessionStale(listener: SessionStaleListener): () => void {
  sessionStaleListeners.add(listener);
  return () => sessionStaleListeners.delete(listener);
}

const csrfAndErrors: Middleware = {
  onRequest({ request }) {
    if (UNSAFE_METHODS.has(request.method) && csrfToken) {
      request.headers.set('x-csrf-token', csrfToken);
    }
    return request;
  },
  async onResponse({ request, response }) {
    if (response.ok) return undefined;
    const error = await apiErrorFromResponse(response);
    const isLogin = new URL(request.url).pathname === '/api/auth/login';
    if (!isLogin && (error.code === 'SESSION_EXPIRED' || error.code === 'NOT_AUTHENTICATED')) {
      csrfToken = undefined;
      for (const listener of sessionEndedListeners) listener(error.code);
    } else if (error.code === 'MFA_ENROLMENT_REQUIRED' || error.code === 'CSRF_TOKEN_INVALID') {
      for (const listener of sessionStaleListeners) listener(error.code);
    }
    throw error;
  },
  onError({ error }) {
    if (error instanceof ApiError) return error;
    return new ApiError({
      status: 0,
      code: 'NETWORK_ERROR',
      message: error instanceof Error ? error.message : 'Network error',
    });
  },
};

export const api = createClient<paths>({
  baseUrl: globalThis.location?.origin ?? '',
  credentials: 'same-origin',
  headers: { accept: 'application/json' },
  // Looked up at call time so tests can replace fetch.
  fetch: (request) => globalThis.fetch(request),
});
api.use(csrfAndErrors);

/**
 * Unwraps an openapi-fetch result. Failures have already been thrown as ApiError by the
 * middleware, so reaching the error branch means the answer was not understood.
 */
export async function call<T>(
  result: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await result;
  if (error !== undefined || !response.ok) throw await apiErrorFromResponse(response);
  return data as T;
}
