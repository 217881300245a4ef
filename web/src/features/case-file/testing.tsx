import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { vi } from 'vitest';
import type { Me } from '../../api/client.ts';
import type { CaseDetail, Person } from './api.ts';

/** Synthetic users and records only: no real person. */
export const CASE_ID = '00000000-0000-4000-8000-00000000c001';
export const PERSON_ID = '00000000-0000-4000-8000-00000000a001';
export const OTHER_USER = 'abcdef12-0000-4000-8000-000000000099';

export function meWith(permissions: string[]): Me {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    username: 'caseworker',
    displayName: 'Demo Case Worker',
    agency: {
      id: '00000000-0000-4000-8000-0000000000a1',
      code: 'MLSP',
      name: 'Demo Ministry',
      kind: 'ministry',
    },
    roles: [{ code: 'case_worker', name: 'Case worker' }],
    permissions,
    totpEnabled: false,
    mfaEnrolmentPending: false,
    preferredLanguage: 'en',
    csrfToken: 'csrf-1',
  };
}

export function caseDetail(overrides: Partial<CaseDetail> = {}): CaseDetail {
  return {
    id: CASE_ID,
    caseNumber: 'HW-2026-000042',
    status: 'open',
    stage: 4,
    stageCode: 'reception',
    person: {
      id: PERSON_ID,
      displayName: 'Demo Person Alpha',
      sex: 'female',
      age: { youngest: 30, oldest: 30, band: '25-59', bandCertain: true },
      flags: ['pregnant'],
    },
    familyUnitId: null,
    familyCases: [],
    ownerAgencyId: '00000000-0000-4000-8000-0000000000a1',
    assignedUserId: null,
    tracks: [],
    pendingApproval: null,
    openTasks: [],
    openedAt: '2026-01-10T09:00:00.000Z',
    closedAt: null,
    closeReason: null,
    version: 3,
    ...overrides,
  };
}

export function person(overrides: Partial<Person> = {}): Person {
  return {
    id: PERSON_ID,
    displayName: 'Demo Person Alpha',
    sex: 'female',
    birthDate: { kind: 'year', from: '1996-01-01', to: '1996-12-31' },
    age: { youngest: 29, oldest: 30, band: '25-59', bandCertain: true },
    placeOfBirth: 'Demo Town',
    placeOfBirthIsCamp: false,
    whereabouts: 'in_country',
    whereaboutsDetail: null,
    flags: [],
    ownerAgencyId: '00000000-0000-4000-8000-0000000000a1',
    names: [],
    nationalities: [],
    documents: [],
    photo: null,
    version: 1,
    createdAt: '2026-01-10T09:00:00.000Z',
    updatedAt: '2026-01-10T09:00:00.000Z',
    ...overrides,
  };
}

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** A JSON body as an object; any other body (an uploaded file) as its text. */
function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

type Handler = (request: Request) => Response | Promise<Response>;

/** A fake server: "METHOD /path" → handler; every request is recorded with its body. */
export function fakeServer(routes: Record<string, Handler>) {
  const requests: { key: string; body: unknown; query: URLSearchParams }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL) => {
      const request = input instanceof Request ? input : new Request(input);
      const key = `${request.method} ${new URL(request.url).pathname}`;
      const text = request.method === 'GET' ? '' : await request.clone().text();
      requests.push({
        key,
        body: text ? parseBody(text) : undefined,
        query: new URL(request.url).searchParams,
      });
      const handler = routes[key];
      return handler ? handler(request) : json(404, { code: 'ROUTE_NOT_FOUND', message: key });
    }),
  );
  return { requests, bodiesOf: (key: string) => requests.filter((r) => r.key === key).map((r) => r.body) };
}

export function renderWithClient(ui: ReactNode) {
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  return render(<QueryClientProvider client={queryClient}>{ui}</QueryClientProvider>);
}
