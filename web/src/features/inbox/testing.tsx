import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { vi } from 'vitest';
import type { Me } from '../../api/client.ts';

/** Test helpers shared by the home and inbox component tests. Synthetic users only. */

export type Handler = (request: Request) => Response | Promise<Response>;

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** A fake server: routes "METHOD /path" to handlers and records every request. */
export function fakeServer(routes: Record<string, Handler>) {
  const requests: Request[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL) => {
      const request = input instanceof Request ? input : new Request(input);
      requests.push(request.clone());
      const key = `${request.method} ${new URL(request.url).pathname}`;
      const handler = routes[key];
      return handler ? handler(request) : json(404, { code: 'ROUTE_NOT_FOUND', message: key });
    }),
  );
  const find = (key: string) => requests.filter((r) => `${r.method} ${new URL(r.url).pathname}` === key);
  return { requests, find, paths: () => requests.map((r) => new URL(r.url).pathname) };
}

export function renderWithClient(ui: ReactNode) {
  const client = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  return render(<QueryClientProvider client={client}>{ui}</QueryClientProvider>);
}

export const AGENCY = {
  id: '00000000-0000-4000-8000-0000000000a1',
  code: 'MLSP',
  name: 'Ministry of Social Protection',
  kind: 'ministry',
} as const;

export function userWith(permissions: string[], overrides: Partial<Me> = {}): Me {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    username: 'supervisor',
    displayName: 'Demo Supervisor',
    agency: { ...AGENCY },
    roles: [{ code: 'supervisor', name: 'Supervisor' }],
    permissions,
    totpEnabled: false,
    mfaEnrolmentPending: false,
    preferredLanguage: 'en',
    csrfToken: 'csrf-1',
    ...overrides,
  } as Me;
}

export const OTHER_USER = '00000000-0000-4000-8000-000000000002';
export const CASE_ID = '00000000-0000-4000-8000-00000000c001';
