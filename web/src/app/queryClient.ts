import { QueryClient } from '@tanstack/react-query';
import { isApiError } from '../api/errors.ts';

/** Retry only what may succeed on a second try: network faults and server errors, not refusals. */
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (isApiError(error) && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 30_000 },
      mutations: { retry: false },
    },
  });
}
