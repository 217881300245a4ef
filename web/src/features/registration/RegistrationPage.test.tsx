import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Me } from '../../api/client.ts';
import { initI18n } from '../../i18n/index.ts';
import type { Candidate } from './api.ts';
import { RegistrationPage } from './RegistrationPage.tsx';

/** Synthetic users and persons only: no real person. */
const me = {
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
  permissions: ['cases:read', 'cases:write', 'persons:read', 'persons:write'],
  totpEnabled: false,
  mfaEnrolmentPending: false,
  preferredLanguage: 'en',
  csrfToken: 'csrf-1',
} as Me;

const CASE_ID = '00000000-0000-4000-8000-00000000c001';
const MOTHER_ID = '00000000-0000-4000-8000-00000000b001';
const EXISTING_ID = '00000000-0000-4000-8000-00000000b999';

const candidate: Candidate = {
  personId: EXISTING_ID,
  displayName: 'Гульнара Жанбулатова',
  score: 0.91,
  decision: 'match',
  explanation: [
    'given name: Гульнара = Gulnara (same name key across scripts)',
    'date of birth: same year (1991)',
  ],
};
const restrictedCandidate = {
  personId: '00000000-0000-4000-8000-00000000b998',
  displayName: { restricted: true, compartment: 'security', ask: 'the security assessor' },
  score: 0.62,
  decision: 'possible',
  explanation: ['family name: Zhanbulatova ≈ Жанбулатова (transliteration)'],
} as unknown as Candidate;

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
      const path = new URL(request.url).pathname;
      const handler = routes[`${request.method} ${path}`];
      return handler ? handler(request) : json(404, { code: 'ROUTE_NOT_FOUND', message: 'no route' });
    }),
  );
  return {
    bodies: async (method: string, pathPattern: RegExp) =>
      Promise.all(
        requests
          .filter((r) => r.method === method && pathPattern.test(new URL(r.url).pathname))
          .map((r) => r.clone().json() as Promise<Record<string, unknown>>),
      ),
    paths: (method: string) =>
      requests.filter((r) => r.method === method).map((r) => new URL(r.url).pathname),
  };
}

const noDuplicates = () => json(200, { results: [], warnings: [], algorithmVersion: 'test' });
const intakeOk = () =>
  json(201, { id: CASE_ID, caseNumber: 'HW-2026-000201', person: { id: MOTHER_ID, displayName: null } });

function renderPage() {
  window.history.replaceState(null, '', '/register');
  const client = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  return render(
    <QueryClientProvider client={client}>
      <RegistrationPage me={me} />
    </QueryClientProvider>,
  );
}

const change = (element: HTMLElement, value: string) => fireEvent.change(element, { target: { value } });
const click = (name: string | RegExp) => fireEvent.click(screen.getByRole('button', { name }));
const member = (n: number) => screen.getByRole('region', { name: new RegExp(`^Family member ${n}\\b`) });

/** The person step with the fields the API requires. */
function fillMother() {
  change(screen.getByLabelText('Full name'), 'Gulnara Zhanbulatova');
  change(screen.getByLabelText('Sex'), 'female');
  fireEvent.click(screen.getByLabelText('Year only'));
  change(screen.getByLabelText('Year of birth'), '1991');
}

function fillMember(n: number, fields: { name: string; sex: string; relation: string; year: string }) {
  const section = member(n);
  change(within(section).getByLabelText(`Relationship of family member ${n}`), fields.relation);
  change(within(section).getByLabelText('Full name'), fields.name);
  change(within(section).getByLabelText(`Sex of family member ${n}`), fields.sex);
  fireEvent.click(within(section).getByLabelText('Year only'));
  change(within(section).getByLabelText('Year of birth'), fields.year);
}

beforeAll(async () => {
  await initI18n('en');
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

// A full walk through the wizard takes a few seconds on a busy machine.
describe('RegistrationPage', { timeout: 20_000 }, () => {
  it('warns of likely existing persons as a name is typed, with the explanation of each', async () => {
    const server = fakeServer({
      'POST /api/identity/duplicates': () =>
        json(200, { results: [candidate, restrictedCandidate], warnings: [], algorithmVersion: 'test' }),
    });
    renderPage();
    change(screen.getByLabelText('Full name'), 'Gulnara Zhanbulatova');
    change(screen.getByLabelText('Sex'), 'female');

    expect(await screen.findByText('2 persons already registered may be the same.')).toBeTruthy();
    expect(screen.getByText('given name: Гульнара = Gulnara (same name key across scripts)')).toBeTruthy();
    expect(screen.getByText('date of birth: same year (1991)')).toBeTruthy();
    expect(screen.getByText('score 91%', { exact: false })).toBeTruthy();
    // A masked name reads as restricted, with whom to ask.
    expect(screen.getByText('Restricted — ask the security assessor')).toBeTruthy();
    const open = screen.getByRole('link', { name: /Open Гульнара Жанбулатова/ });
    expect(open.getAttribute('href')).toBe(`/persons/${EXISTING_ID}`);
    expect(open.getAttribute('target')).toBe('_blank');
    // The warnings are in a polite live region.
    expect(
      screen.getByText('2 persons already registered may be the same.').closest('[aria-live="polite"]'),
    ).toBeTruthy();

    // The last request carries what was typed (the debounce dropped or cancelled the earlier ones).
    const bodies = await server.bodies('POST', /\/api\/identity\/duplicates$/);
    expect(bodies.at(-1)).toEqual({ person: { full_name: 'Gulnara Zhanbulatova', sex: 'F' } });

    click(/^Not the same person \(Гульнара Жанбулатова\)/);
    expect(screen.queryByText('given name: Гульнара = Gulnara (same name key across scripts)')).toBeNull();
    expect(screen.getByText('1 person already registered may be the same.')).toBeTruthy();
  });

  it('refuses a reversed date-of-birth range before anything is sent', async () => {
    const server = fakeServer({ 'POST /api/identity/duplicates': noDuplicates });
    renderPage();
    change(screen.getByLabelText('Full name'), 'Gulnara Zhanbulatova');
    change(screen.getByLabelText('Sex'), 'female');
    fireEvent.click(screen.getByLabelText('Approximate (between two dates)'));
    change(screen.getByLabelText('Born on or after'), '1992-05-01');
    change(screen.getByLabelText('Born on or before'), '1990-01-01');
    click('Next');

    const to = screen.getByLabelText('Born on or before');
    expect(to.getAttribute('aria-invalid')).toBe('true');
    const message = 'The range is reversed: the first date must not be after the second';
    expect(document.getElementById(`${to.id}-error`)?.textContent).toBe(message);
    const summary = screen.getByRole('alert');
    const link = within(summary).getByRole('link', { name: `Date of birth, Born on or before: ${message}` });
    expect(link.getAttribute('href')).toBe(`#${to.id}`);
    // Still on the first step.
    expect(screen.getByRole('heading', { level: 2, name: 'The person' })).toBeTruthy();
    expect(server.paths('POST').filter((p) => p !== '/api/identity/duplicates')).toEqual([]);

    // A valid range shows the derived age and lets the user go on.
    change(screen.getByLabelText('Born on or before'), '1993-01-01');
    expect(screen.getByText(/^Age: between \d+ and \d+ years$/)).toBeTruthy();
    click('Next');
    expect(screen.getByRole('heading', { level: 2, name: 'Family members' })).toBeTruthy();
  });

  it('puts an API error on a family member’s name next to that field, on the family step', async () => {
    const server = fakeServer({
      'POST /api/identity/duplicates': noDuplicates,
      'POST /api/cases/intake': () =>
        json(400, {
          code: 'VALIDATION_FAILED',
          message: 'The request is not valid',
          details: {
            path: 'body.family.1.person.names.0.fullName',
            issues: [
              { path: 'body.family.1.person.names.0.fullName', message: 'Too long: at most 300 characters' },
            ],
          },
        }),
    });
    renderPage();
    fillMother();
    click('Next');
    click('Add a family member');
    fillMember(1, { name: 'Amina', sex: 'female', relation: 'child', year: '2016' });
    click('Add a family member');
    fillMember(2, { name: 'Yusuf', sex: 'male', relation: 'child', year: '2019' });
    click('Next');
    click('Next');
    expect(screen.getByRole('heading', { level: 2, name: 'Review and submit' })).toBeTruthy();
    click('Register and open the case');

    await screen.findByRole('heading', { level: 2, name: 'Family members' }, { timeout: 4000 });
    const field = within(member(2)).getByLabelText('Full name');
    await waitFor(() => expect(field.getAttribute('aria-invalid')).toBe('true'));
    expect(document.getElementById(`${field.id}-error`)?.textContent).toBe(
      'Too long: at most 300 characters',
    );
    expect(field.getAttribute('aria-describedby')).toContain(`${field.id}-error`);
    expect(within(member(1)).getByLabelText('Full name').getAttribute('aria-invalid')).not.toBe('true');
    const summary = screen.getByRole('alert');
    expect(
      within(summary).getByRole('link', {
        name: 'Family member 2, Name 1, Full name: Too long: at most 300 characters',
      }),
    ).toBeTruthy();
    // One request, one transaction: nothing was written, so there is nothing half-saved to report.
    expect(server.paths('POST').filter((p) => p !== '/api/identity/duplicates')).toEqual([
      '/api/cases/intake',
    ]);
    expect(screen.queryByRole('link', { name: 'Open the case' })).toBeNull();
    expect(window.location.pathname).toBe('/register');
  });

  it('shows a refused relationship next to that member’s relationship, and one without a field in the summary', async () => {
    let answer = json(409, {
      code: 'PARENT_AGE_IMPOSSIBLE',
      message: 'The dates of birth make this parent–child link impossible',
      details: { path: 'body.family.0.relation', reason: 'child_older_than_parent' },
    });
    const server = fakeServer({
      'POST /api/identity/duplicates': noDuplicates,
      'POST /api/cases/intake': () => answer,
    });
    renderPage();
    fillMother();
    click('Next');
    click('Add a family member');
    fillMember(1, { name: 'Amina', sex: 'female', relation: 'child', year: '1985' });
    click('Next');
    click('Next');
    click('Register and open the case');

    const relation = await screen.findByLabelText('Relationship of family member 1', {}, { timeout: 4000 });
    await waitFor(() => expect(relation.getAttribute('aria-invalid')).toBe('true'));
    expect(document.getElementById(`${relation.id}-error`)?.textContent).toBe(
      'The dates of birth make this parent–child link impossible',
    );

    // A refusal that names no field of the wizard is still tied to the member in the summary.
    answer = json(409, {
      code: 'CASE_ALREADY_OPEN',
      message: 'The person already has an open case',
      details: { path: 'body.family.0.openCase' },
    });
    click('Next');
    click('Next');
    click('Register and open the case');
    const summary = await screen.findByRole('alert');
    await waitFor(() =>
      expect(within(summary).getByText('Family member 1: The person already has an open case')).toBeTruthy(),
    );
    expect(server.paths('POST').filter((p) => p === '/api/cases/intake')).toHaveLength(2);
  });

  it('submits what the user entered: a mother with two children', async () => {
    const server = fakeServer({
      'POST /api/identity/duplicates': noDuplicates,
      'POST /api/cases/intake': intakeOk,
    });
    renderPage();
    fillMother();
    click('Add another name');
    const names = screen.getAllByLabelText('Full name');
    change(names[1] as HTMLElement, 'Гульнара Жанбулатова');
    expect((screen.getAllByLabelText('Script')[1] as HTMLSelectElement).value).toBe('cyrillic');
    change(screen.getAllByLabelText('Source')[1] as HTMLElement, 'camp_list');
    change(screen.getByLabelText('Place of birth'), 'Almaty');
    fireEvent.click(screen.getByLabelText('Trafficking indicators'));
    click('Add a nationality claim');
    change(screen.getByLabelText('Country of nationality claim 1'), 'kz');
    click('Next');

    click('Add a family member');
    fillMember(1, { name: 'Amina Zhanbulatova', sex: 'female', relation: 'child', year: '2016' });
    click('Add a family member');
    fillMember(2, { name: 'Yusuf Zhanbulatov', sex: 'male', relation: 'child', year: '2019' });
    change(
      within(member(2)).getByLabelText('How the relationship of family member 2 is known'),
      'documented',
    );
    click('Add a family member');
    fillMember(3, { name: 'Rustam Zhanbulatov', sex: 'male', relation: 'spouse', year: '1985' });
    change(within(member(3)).getByLabelText('Where family member 3 is now'), 'deceased');
    click('Next');
    change(screen.getByLabelText('Starting stage'), '1');
    click('Next');
    // The review says who gets a case of their own: the children, not their dead father.
    const reviewed = (n: number) =>
      screen.getAllByLabelText(`Family member ${n}`).find((e) => e.tagName === 'DL') as HTMLElement;
    expect(within(reviewed(1)).getByText('A case is opened in the family')).toBeTruthy();
    expect(within(reviewed(3)).getByText('No case of their own; visible through the family')).toBeTruthy();
    click('Register and open the case');

    await waitFor(() => expect(window.location.pathname).toBe(`/cases/${CASE_ID}`), { timeout: 4000 });
    const intakes = await server.bodies('POST', /\/api\/cases\/intake$/);
    expect(intakes).toHaveLength(1);
    expect(intakes[0]).toEqual({
      person: {
        sex: 'female',
        birthDate: { kind: 'year', year: 1991 },
        placeOfBirth: 'Almaty',
        placeOfBirthIsCamp: false,
        whereabouts: 'camp',
        whereaboutsDetail: null,
        flags: ['trafficking_indicators'],
        names: [
          expect.objectContaining({
            fullName: 'Gulnara Zhanbulatova',
            script: 'latin',
            nameType: 'primary',
            isDisplay: true,
          }),
          expect.objectContaining({
            fullName: 'Гульнара Жанбулатова',
            script: 'cyrillic',
            nameType: 'variant',
            source: 'camp_list',
            romanisation: null,
            isDisplay: false,
          }),
        ],
        nationalities: [{ country: 'KZ', status: 'claimed' }],
        documents: [],
      },
      familyUnitId: null,
      stage: 1,
      // The whole family in the same request: the children (with her, so with a case each) and
      // the father, who is dead (no case).
      family: [
        {
          person: expect.objectContaining({
            sex: 'female',
            birthDate: { kind: 'year', year: 2016 },
            whereabouts: 'camp',
            names: [expect.objectContaining({ fullName: 'Amina Zhanbulatova', isDisplay: true })],
          }),
          relation: 'child',
          provenance: 'claimed',
          openCase: true,
        },
        {
          person: expect.objectContaining({
            sex: 'male',
            birthDate: { kind: 'year', year: 2019 },
            names: [expect.objectContaining({ fullName: 'Yusuf Zhanbulatov', isDisplay: true })],
          }),
          relation: 'child',
          provenance: 'documented',
          openCase: true,
        },
        {
          person: expect.objectContaining({
            sex: 'male',
            whereabouts: 'deceased',
            names: [expect.objectContaining({ fullName: 'Rustam Zhanbulatov' })],
          }),
          relation: 'spouse',
          provenance: 'claimed',
          openCase: false,
        },
      ],
    });
    expect(server.paths('POST').filter((p) => p !== '/api/identity/duplicates')).toEqual([
      '/api/cases/intake',
    ]);
  });
});
