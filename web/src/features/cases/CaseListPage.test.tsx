import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Me } from '../../api/client.ts';
import { initI18n } from '../../i18n/index.ts';
import type { CaseList, CaseListItem, SavedView } from './api.ts';
import { CaseListPage } from './CaseListPage.tsx';

/** Synthetic users and cases only: no real person. */
const me: Me = {
  id: '00000000-0000-4000-8000-000000000001',
  username: 'caseworker',
  displayName: 'Demo Case Worker',
  agency: {
    id: '00000000-0000-4000-8000-0000000000a1',
    code: 'MSP',
    name: 'Ministry of Social Protection',
    kind: 'ministry',
  },
  roles: [{ code: 'case_worker', name: 'Case worker' }],
  permissions: ['cases:read', 'protection:read'],
  totpEnabled: false,
  mfaEnrolmentPending: false,
  preferredLanguage: 'en',
  csrfToken: 'csrf-1',
} as Me;

const gulnara: CaseListItem = {
  id: '00000000-0000-4000-8000-00000000c001',
  caseNumber: 'HW-2026-000101',
  status: 'open',
  stage: 5,
  personId: '00000000-0000-4000-8000-00000000p001'.replace('p', 'a'),
  displayName: 'Гульнара Жанбулатова',
  sex: 'female',
  ageBand: '25-59',
  flags: ['trafficking_indicators'],
  ownerAgencyId: me.agency.id,
  ownerAgency: { id: me.agency.id, code: 'MSP', name: 'Ministry of Social Protection' },
  assignedUserId: me.id,
  assignedUser: { id: me.id, displayName: 'Demo Case Worker' },
  familyUnitId: null,
  tracks: [
    {
      track: 'justice',
      status: { restricted: true, compartment: 'justice', ask: 'the prosecutor in charge' },
    },
    { track: 'protection', status: 'active' },
  ],
  nextDueOn: '2026-01-10',
  overdueTasks: 2,
  openedAt: '2026-01-02T10:00:00.000Z',
};
const yusuf: CaseListItem = {
  ...gulnara,
  id: '00000000-0000-4000-8000-00000000c002',
  caseNumber: 'HW-2026-000102',
  displayName: 'Юсуф Жанбулатов',
  sex: 'male',
  ageBand: '5-9',
  flags: [],
  tracks: [{ track: 'protection', status: 'active' }],
  assignedUserId: null,
  assignedUser: null,
  nextDueOn: null,
  overdueTasks: 0,
};

const overdueView: SavedView = {
  id: '00000000-0000-4000-8000-0000000000f1',
  name: 'My overdue',
  params: { overdueTasks: 'true', assignedUserId: 'me', sort: 'stage' },
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  version: 1,
};

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

type Handler = (request: Request) => Response | Promise<Response>;

function fakeServer(routes: Record<string, Handler>) {
  const requests: Request[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL) => {
      const request = input instanceof Request ? input : new Request(input);
      requests.push(request.clone());
      const handler = routes[`${request.method} ${new URL(request.url).pathname}`];
      return handler ? handler(request) : json(404, { code: 'ROUTE_NOT_FOUND', message: 'no route' });
    }),
  );
  return {
    /** The query parameters of every case-list request, in order. */
    listQueries: () =>
      requests
        .filter((r) => r.method === 'GET' && new URL(r.url).pathname === '/api/cases')
        .map((r) => new URL(r.url).searchParams),
    bodies: async (key: string) =>
      Promise.all(
        requests
          .filter((r) => `${r.method} ${new URL(r.url).pathname}` === key)
          .map((r) => r.clone().json() as Promise<unknown>),
      ),
  };
}

/** Answers the case list like the server would for these synthetic cases (sex and q only). */
function listHandler(request: Request): Response {
  const query = new URL(request.url).searchParams;
  let items = [gulnara, yusuf];
  const sex = query.get('sex');
  if (sex) items = items.filter((c) => c.sex === sex);
  if (query.get('q')) items = items.filter((c) => c.displayName === 'Гульнара Жанбулатова');
  const body: CaseList = { items, nextCursor: null, total: items.length, totalIsLowerBound: false };
  return json(200, body);
}

function renderPage(url = '/cases') {
  window.history.replaceState(null, '', url);
  const client = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  return render(
    <QueryClientProvider client={client}>
      <CaseListPage me={me} />
    </QueryClientProvider>,
  );
}

beforeAll(async () => {
  await initI18n('en');
});
beforeEach(() => {
  HTMLDialogElement.prototype.showModal ??= function showModal(this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  HTMLDialogElement.prototype.close ??= function close(this: HTMLDialogElement) {
    this.removeAttribute('open');
  };
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('the case list page', () => {
  it('shows the cases with names isolated, restricted values as restricted, and announces the count', async () => {
    fakeServer({ 'GET /api/cases': listHandler, 'GET /api/saved-views': () => json(200, []) });
    renderPage();
    const status = await screen.findByText('2 cases found');
    expect(status.getAttribute('role')).toBe('status');
    expect(status.getAttribute('aria-live')).toBe('polite');
    const row = screen.getByRole('row', { name: /HW-2026-000101/ });
    expect(within(row).getByText('Гульнара Жанбулатова').tagName).toBe('BDI');
    expect(within(row).getByText('Restricted — ask the prosecutor in charge')).toBeTruthy();
    expect(
      within(row).getByText((_, el) => el?.tagName === 'LI' && el.textContent === 'Protection: active'),
    ).toBeTruthy();
    expect(
      within(row).getByText(
        (_, el) =>
          el?.tagName === 'LI' &&
          /^Justice: .*Restricted — ask the prosecutor in charge$/.test(el.textContent ?? ''),
      ),
    ).toBeTruthy();
    expect(within(row).getByText('2 overdue tasks')).toBeTruthy();
    expect(within(row).getByText('You')).toBeTruthy();
    expect(within(screen.getByRole('row', { name: /HW-2026-000102/ })).getByText('Unassigned')).toBeTruthy();
  });

  it('says "10,000+" when the server stopped counting at its cap', async () => {
    fakeServer({
      'GET /api/cases': () =>
        json(200, { items: [gulnara], nextCursor: 'next', total: 10000, totalIsLowerBound: true }),
      'GET /api/saved-views': () => json(200, []),
    });
    renderPage();
    const status = await screen.findByText('Cases found: 10,000+ — narrow the filters for an exact count');
    expect(status.getAttribute('role')).toBe('status');
  });

  it('puts a filter into the address and the request, and Back undoes it', async () => {
    const server = fakeServer({ 'GET /api/cases': listHandler, 'GET /api/saved-views': () => json(200, []) });
    renderPage();
    await screen.findByText('2 cases found');
    fireEvent.change(screen.getByLabelText('Sex'), { target: { value: 'female' } });
    await screen.findByText('1 case found');
    expect(new URLSearchParams(window.location.search).get('sex')).toBe('female');
    expect(server.listQueries().at(-1)?.get('sex')).toBe('female');

    fireEvent.click(screen.getByLabelText('4 · Reception'));
    fireEvent.click(screen.getByLabelText('5 · Individual assessment'));
    await waitFor(() => expect(server.listQueries().at(-1)?.getAll('stage')).toEqual(['4', '5']));
    expect(new URLSearchParams(window.location.search).get('stage')).toBe('4,5');

    act(() => window.history.back());
    await waitFor(() => expect(new URLSearchParams(window.location.search).get('stage')).toBe('4'));
  });

  it('searches in any script: an Arabic spelling goes to the server as typed', async () => {
    const server = fakeServer({ 'GET /api/cases': listHandler, 'GET /api/saved-views': () => json(200, []) });
    renderPage();
    await screen.findByText('2 cases found');
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search by name' }), {
      target: { value: 'غولنارا' },
    });
    await screen.findByText('1 case found');
    expect(server.listQueries().at(-1)?.get('q')).toBe('غولنارا');
    expect(new URLSearchParams(window.location.search).get('q')).toBe('غولنارا');
  });

  it('applies a saved view: its filters reach the address and the request, "me" as the user', async () => {
    const server = fakeServer({
      'GET /api/cases': listHandler,
      'GET /api/saved-views': () => json(200, [overdueView]),
    });
    renderPage('/cases?sex=male');
    fireEvent.click(await screen.findByRole('link', { name: 'My overdue' }));
    await waitFor(() => expect(server.listQueries().at(-1)?.get('overdueTasks')).toBe('true'));
    const query = server.listQueries().at(-1)!;
    expect(query.get('assignedUserId')).toBe(me.id);
    expect(query.get('sort')).toBe('stage');
    expect(query.get('sex')).toBeNull();
    expect(screen.getByRole('link', { name: 'My overdue' }).getAttribute('aria-current')).toBe('page');
    expect((screen.getByLabelText('Only cases with overdue tasks') as HTMLInputElement).checked).toBe(true);
  });

  it('saves the current filters without the search text, and shows a taken name next to the field', async () => {
    let taken = false;
    const server = fakeServer({
      'GET /api/cases': listHandler,
      'GET /api/saved-views': () => json(200, []),
      'POST /api/saved-views': () =>
        taken
          ? json(409, {
              code: 'SAVED_VIEW_NAME_TAKEN',
              message: 'You already have a saved view with that name',
              details: { path: 'body.name' },
            })
          : json(201, { ...overdueView, name: 'Girls', params: { sex: 'female' } }),
    });
    renderPage('/cases?sex=female&q=Gulnara');
    await screen.findByText('1 case found');
    fireEvent.change(screen.getByLabelText('Name for the current filters'), { target: { value: 'Girls' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save view' }));
    await screen.findByText('Saved view “Girls”.');
    expect(await server.bodies('POST /api/saved-views')).toEqual([
      { name: 'Girls', params: { sex: 'female' } },
    ]);

    taken = true;
    fireEvent.change(screen.getByLabelText('Name for the current filters'), { target: { value: 'Girls' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save view' }));
    const field = screen.getByLabelText('Name for the current filters');
    await waitFor(() => expect(field.getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getByText('You already have a saved view with that name')).toBeTruthy();
  });

  it('renames and deletes a saved view with the version it read', async () => {
    const server = fakeServer({
      'GET /api/cases': listHandler,
      'GET /api/saved-views': () => json(200, [overdueView]),
      'PATCH /api/saved-views/00000000-0000-4000-8000-0000000000f1': () =>
        json(200, { ...overdueView, name: 'Overdue (mine)', version: 2 }),
      'DELETE /api/saved-views/00000000-0000-4000-8000-0000000000f1': () =>
        new Response(null, { status: 204 }),
    });
    renderPage();
    fireEvent.click(await screen.findByRole('button', { name: 'Rename or delete views' }));
    fireEvent.change(screen.getByLabelText('New name for “My overdue”'), {
      target: { value: 'Overdue (mine)' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Rename' }));
    await waitFor(async () =>
      expect(await server.bodies('PATCH /api/saved-views/00000000-0000-4000-8000-0000000000f1')).toEqual([
        { version: 1, name: 'Overdue (mine)' },
      ]),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Delete view “My overdue”' }));
    await waitFor(() =>
      expect(
        (fetch as unknown as { mock: { calls: [Request][] } }).mock.calls.some(
          ([r]) => r.method === 'DELETE' && new URL(r.url).searchParams.get('version') === '1',
        ),
      ).toBe(true),
    );
  });

  it('shows the server’s refusal of a restricted filter instead of a list', async () => {
    fakeServer({
      'GET /api/cases': (request) =>
        new URL(request.url).searchParams.get('trackStatus')
          ? json(403, { code: 'FORBIDDEN', message: 'You may not filter on the status of this track' })
          : listHandler(request),
      'GET /api/saved-views': () => json(200, []),
    });
    renderPage('/cases?track=justice&trackStatus=charged');
    expect(await screen.findByRole('alert')).toBeTruthy();
    expect((screen.getByLabelText('Track status') as HTMLSelectElement).disabled).toBe(true);
  });
});
