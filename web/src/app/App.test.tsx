import { QueryClient } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Me } from '../api/client.ts';
import { changeLanguage, forgetLanguageChoice, initI18n } from '../i18n/index.ts';
import { App } from './App.tsx';

/** A synthetic user: no real person. */
const aigerim: Me = {
  id: '00000000-0000-4000-8000-000000000001',
  username: 'caseworker',
  displayName: 'Demo Case Worker',
  agency: {
    id: '00000000-0000-4000-8000-0000000000a1',
    code: 'MLSP',
    name: 'Ministry of Social Protection',
    kind: 'ministry',
  },
  roles: [{ code: 'case_worker', name: 'Case worker' }],
  permissions: ['case.read'],
  totpEnabled: false,
  mfaEnrolmentPending: false,
  preferredLanguage: 'en',
  csrfToken: 'csrf-1',
};

type Handler = (request: Request) => Response | Promise<Response>;

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

const notSignedIn = () => json(401, { code: 'NOT_AUTHENTICATED', message: 'Sign in to continue' });

/** A fake server: routes "METHOD /path" to handlers and records every request. */
function fakeServer(routes: Record<string, Handler>) {
  const requests: Request[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL) => {
    const request = input instanceof Request ? input : new Request(input);
    requests.push(request.clone());
    const key = `${request.method} ${new URL(request.url).pathname}`;
    const handler = routes[key] ?? routes[`* ${new URL(request.url).pathname}`];
    return handler ? handler(request) : json(404, { code: 'ROUTE_NOT_FOUND', message: key });
  });
  vi.stubGlobal('fetch', fetchMock);
  return {
    requests,
    find: (key: string) => requests.filter((r) => `${r.method} ${new URL(r.url).pathname}` === key),
  };
}

function renderApp() {
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  return { ...render(<App queryClient={queryClient} />), queryClient };
}

function fillAndSubmit(fields: Record<string, string>, button: string) {
  for (const [label, value] of Object.entries(fields)) {
    fireEvent.change(screen.getByLabelText(label), { target: { value } });
  }
  fireEvent.click(screen.getByRole('button', { name: button }));
}

beforeAll(async () => {
  await initI18n('en');
});

beforeEach(async () => {
  // Each test is a fresh page: nothing stored, no language picked yet.
  localStorage.clear();
  forgetLanguageChoice();
  await changeLanguage('en');
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const meta = () => json(200, { name: 'Homeward', version: '0.1.0', demo: true, backend: 'pglite' });

describe('sign-in', () => {
  it('shows the demo banner and asks for the one-time code when the server answers TOTP_REQUIRED', async () => {
    const server = fakeServer({
      'GET /api/meta': meta,
      'GET /api/me': notSignedIn,
      'POST /api/auth/login': async (request) => {
        const body = (await request.json()) as { username: string; password: string; totp?: string };
        if (body.password !== 'homeward-demo')
          return json(401, { code: 'INVALID_CREDENTIALS', message: 'x' });
        if (!body.totp) return json(401, { code: 'TOTP_REQUIRED', message: 'x' });
        if (body.totp !== '123456') return json(401, { code: 'TOTP_INVALID', message: 'x' });
        return json(200, { user: aigerim, csrfToken: 'csrf-1' });
      },
    });
    renderApp();

    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in' })).toBeTruthy();
    expect(await screen.findByText('Demo data — synthetic persons only')).toBeTruthy();

    fillAndSubmit({ Username: 'caseworker', Password: 'homeward-demo' }, 'Sign in');
    expect(await screen.findByRole('heading', { level: 1, name: 'Enter your one-time code' })).toBeTruthy();

    fillAndSubmit({ 'One-time code': '000000' }, 'Verify and sign in');
    expect(await screen.findAllByText(/That code is not valid/)).toHaveLength(2);
    expect(screen.getByLabelText('One-time code').getAttribute('aria-invalid')).toBe('true');

    fillAndSubmit({ 'One-time code': '123456' }, 'Verify and sign in');
    expect(await screen.findByRole('heading', { level: 1, name: 'Welcome, Demo Case Worker' })).toBeTruthy();
    expect(screen.getByText('Ministry of Social Protection')).toBeTruthy();
    expect(screen.getByText('Case worker')).toBeTruthy();

    const logins = server.find('POST /api/auth/login');
    expect(logins).toHaveLength(3);
    expect(await logins[2]?.json()).toEqual({
      username: 'caseworker',
      password: 'homeward-demo',
      totp: '123456',
    });
  });

  it('names the missing fields without calling the server', async () => {
    const server = fakeServer({ 'GET /api/meta': meta, 'GET /api/me': notSignedIn });
    renderApp();
    await screen.findByRole('heading', { level: 1, name: 'Sign in' });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    const summary = await screen.findByRole('alert');
    expect(within(summary).getByText('Enter your username.')).toBeTruthy();
    expect(within(summary).getByText('Enter your password.')).toBeTruthy();
    expect(server.find('POST /api/auth/login')).toHaveLength(0);
  });

  it('says the username or password is wrong', async () => {
    fakeServer({
      'GET /api/meta': meta,
      'GET /api/me': notSignedIn,
      'POST /api/auth/login': () =>
        json(401, { code: 'INVALID_CREDENTIALS', message: 'Wrong username or password' }),
    });
    renderApp();
    await screen.findByRole('heading', { level: 1, name: 'Sign in' });
    fillAndSubmit({ Username: 'caseworker', Password: 'nope' }, 'Sign in');
    expect(await screen.findByText('The username or password is not correct.')).toBeTruthy();
    expect((screen.getByLabelText('Password') as HTMLInputElement).value).toBe('');
  });

  it.each([
    ['900', 'Try again in 15 minutes.'],
    ['61', 'Try again in 2 minutes.'],
    ['1', 'Try again in 1 second.'],
  ])('says how long a locked account must wait (Retry-After: %s)', async (retryAfter, expected) => {
    fakeServer({
      'GET /api/meta': meta,
      'GET /api/me': notSignedIn,
      'POST /api/auth/login': () =>
        json(429, { code: 'ACCOUNT_LOCKED', message: 'locked' }, { 'retry-after': retryAfter }),
    });
    renderApp();
    await screen.findByRole('heading', { level: 1, name: 'Sign in' });
    fillAndSubmit({ Username: 'caseworker', Password: 'x' }, 'Sign in');
    expect(await screen.findByText(`Too many failed sign-in attempts. ${expected}`)).toBeTruthy();
  });

  it('puts validation faults from the server on their fields', async () => {
    fakeServer({
      'GET /api/meta': meta,
      'GET /api/me': notSignedIn,
      'POST /api/auth/login': () =>
        json(400, {
          code: 'VALIDATION_FAILED',
          message: 'x',
          details: { issues: [{ path: 'body.username', message: 'Too long' }] },
        }),
    });
    renderApp();
    await screen.findByRole('heading', { level: 1, name: 'Sign in' });
    fillAndSubmit({ Username: 'x'.repeat(300), Password: 'x' }, 'Sign in');
    await waitFor(() => expect(screen.getByLabelText('Username').getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getAllByText('Too long').length).toBeGreaterThan(0);
  });
});

describe('a signed-in session', () => {
  it('keeps the page when the session expires and asks to sign in again in a dialog', async () => {
    const server = fakeServer({
      'GET /api/meta': meta,
      'GET /api/me': () => json(200, aigerim),
      'PATCH /api/me': () => json(401, { code: 'SESSION_EXPIRED', message: 'Your session has ended' }),
    });
    renderApp();
    await screen.findByRole('heading', { level: 1, name: 'Welcome, Demo Case Worker' });

    fireEvent.change(screen.getByLabelText('Language'), { target: { value: 'ru' } });
    const dialog = await screen.findByRole('dialog', { name: 'Ваш сеанс завершён' });
    expect((within(dialog).getByLabelText('Имя пользователя') as HTMLInputElement).value).toBe('caseworker');
    expect(screen.getByRole('heading', { level: 1, name: 'Здравствуйте, Demo Case Worker' })).toBeTruthy();

    const patch = server.find('PATCH /api/me')[0];
    expect(patch?.headers.get('x-csrf-token')).toBe('csrf-1');
    expect(await patch?.json()).toEqual({ preferredLanguage: 'ru' });
  });

  it('signs out with the CSRF token and says so', async () => {
    const server = fakeServer({
      'GET /api/meta': meta,
      'GET /api/me': () => json(200, aigerim),
      'POST /api/auth/logout': () => new Response(null, { status: 204 }),
    });
    renderApp();
    await screen.findByRole('heading', { level: 1, name: 'Welcome, Demo Case Worker' });
    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByText('You have signed out.')).toBeTruthy();
    expect(server.find('POST /api/auth/logout')[0]?.headers.get('x-csrf-token')).toBe('csrf-1');
  });

  it('switches to Arabic right to left, and saves the choice on the account', async () => {
    const server = fakeServer({
      'GET /api/meta': meta,
      'GET /api/me': () => json(200, aigerim),
      'PATCH /api/me': () => json(200, { ...aigerim, preferredLanguage: 'ar' }),
    });
    renderApp();
    await screen.findByRole('heading', { level: 1, name: 'Welcome, Demo Case Worker' });
    expect(document.documentElement.dir).toBe('ltr');

    fireEvent.change(screen.getByLabelText('Language'), { target: { value: 'ar' } });
    expect(await screen.findByRole('heading', { level: 1, name: 'مرحبًا، Demo Case Worker' })).toBeTruthy();
    expect(document.documentElement.dir).toBe('rtl');
    expect(document.documentElement.lang).toBe('ar');
    await waitFor(() => expect(server.find('PATCH /api/me')).toHaveLength(1));
  });

  it("applies the account's preferred language on sign-in", async () => {
    fakeServer({
      'GET /api/meta': meta,
      'GET /api/me': () => json(200, { ...aigerim, preferredLanguage: 'ru' }),
    });
    renderApp();
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Здравствуйте, Demo Case Worker' }),
    ).toBeTruthy();
    expect(document.documentElement.lang).toBe('ru');
  });

  it('keeps a language picked while the account was loading, and saves it on the account', async () => {
    let answerMe: (response: Response) => void = () => undefined;
    const server = fakeServer({
      'GET /api/meta': meta,
      'GET /api/me': () => new Promise<Response>((resolve) => (answerMe = resolve)),
      'PATCH /api/me': () => json(200, { ...aigerim, preferredLanguage: 'ar' }),
    });
    renderApp();
    // The page is still asking who is signed in when the user picks Arabic.
    fireEvent.change(await screen.findByLabelText('Language'), { target: { value: 'ar' } });
    await waitFor(() => expect(document.documentElement.lang).toBe('ar'));
    await waitFor(() => expect(server.find('GET /api/me').length).toBeGreaterThan(0));
    act(() => answerMe(json(200, { ...aigerim, preferredLanguage: 'ru' })));
    expect(await screen.findByRole('heading', { level: 1, name: 'مرحبًا، Demo Case Worker' })).toBeTruthy();
    expect(document.documentElement.lang).toBe('ar');
    await waitFor(() => expect(server.find('PATCH /api/me')).toHaveLength(1));
    expect(await server.find('PATCH /api/me')[0]?.json()).toEqual({ preferredLanguage: 'ar' });
  });

  it('shows no demo banner when the instance is not a demo', async () => {
    fakeServer({
      'GET /api/meta': () =>
        json(200, { name: 'Homeward', version: '1.0.0', demo: false, backend: 'postgres' }),
      'GET /api/me': () => json(200, aigerim),
    });
    renderApp();
    await screen.findByText('Version 1.0.0');
    expect(screen.queryByText('Demo data — synthetic persons only')).toBeNull();
  });
});

describe('second-factor enrolment', () => {
  it('blocks everything until an authenticator is set up, then opens the home page', async () => {
    const pending = { ...aigerim, mfaEnrolmentPending: true };
    const server = fakeServer({
      'GET /api/meta': meta,
      'GET /api/me': () => json(200, pending),
      'POST /api/me/totp/setup': () =>
        json(200, {
          secret: 'JBSWY3DPEHPK3PXPJBSWY3DP',
          otpauthUrl: 'otpauth://totp/Homeward:caseworker?secret=JBSWY3DPEHPK3PXPJBSWY3DP&issuer=Homeward',
        }),
      'POST /api/me/totp/enable': async (request) => {
        const { code } = (await request.json()) as { code: string };
        return code === '654321'
          ? json(200, { ...aigerim, totpEnabled: true, csrfToken: 'csrf-2' })
          : json(401, { code: 'TOTP_INVALID', message: 'x' });
      },
    });
    renderApp();
    expect(await screen.findByRole('heading', { level: 1, name: 'Set up two-step sign-in' })).toBeTruthy();
    expect(screen.queryByRole('navigation')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Show my set-up key' }));
    expect(await screen.findByText('JBSW Y3DP EHPK 3PXP JBSW Y3DP')).toBeTruthy();
    expect(screen.getByText(/^otpauth:\/\/totp\/Homeward:caseworker/)).toBeTruthy();

    fillAndSubmit({ 'Code from the app': '111111' }, 'Turn on two-step sign-in');
    expect(await screen.findAllByText(/That code is not valid/)).toHaveLength(2);

    fillAndSubmit({ 'Code from the app': '654321' }, 'Turn on two-step sign-in');
    expect(await screen.findByRole('heading', { level: 1, name: 'Welcome, Demo Case Worker' })).toBeTruthy();
    expect(server.find('POST /api/me/totp/setup')).toHaveLength(1);
    expect(server.find('POST /api/me/totp/enable')[0]?.headers.get('x-csrf-token')).toBe('csrf-1');
  });
});

describe('not found', () => {
  it('shows a not-found page for unknown paths', async () => {
    window.history.pushState(null, '', '/nowhere');
    fakeServer({ 'GET /api/meta': meta, 'GET /api/me': () => json(200, aigerim) });
    renderApp();
    expect(await screen.findByRole('heading', { level: 1, name: 'Page not found' })).toBeTruthy();
    act(() => {
      fireEvent.click(screen.getByRole('link', { name: 'Go to the home page' }));
    });
    expect(await screen.findByRole('heading', { level: 1, name: 'Welcome, Demo Case Worker' })).toBeTruthy();
  });
});

describe('a session the server sees differently', () => {
  it('reloads the user when the server says a second factor is now required', async () => {
    let pending = false;
    fakeServer({
      'GET /api/meta': meta,
      'GET /api/me': () => json(200, { ...aigerim, mfaEnrolmentPending: pending }),
      'PATCH /api/me': () => {
        pending = true;
        return json(403, { code: 'MFA_ENROLMENT_REQUIRED', message: 'x' });
      },
    });
    renderApp();
    await screen.findByRole('heading', { level: 1, name: 'Welcome, Demo Case Worker' });
    fireEvent.change(screen.getByLabelText('Language'), { target: { value: 'ru' } });
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Настройка двухэтапного входа' }),
    ).toBeTruthy();
  });
});

describe('no connection', () => {
  it('says Homeward cannot be reached and offers to try again', async () => {
    let online = false;
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: Request) => {
        if (!online) throw new TypeError('Failed to fetch');
        const path = new URL(input.url).pathname;
        return path === '/api/me' ? json(200, aigerim) : meta();
      }),
    );
    renderApp();
    expect(
      await screen.findByText('Homeward cannot be reached. Check your connection and try again.'),
    ).toBeTruthy();
    online = true;
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Welcome, Demo Case Worker' })).toBeTruthy();
  });
});

describe('a session that expires while the user types', () => {
  const supervisor: Me = {
    ...aigerim,
    username: 'supervisor',
    displayName: 'Demo Supervisor',
    permissions: ['cases:read', 'cases:approve'],
  };
  const caseId = '00000000-0000-4000-8000-00000000c001';
  const approvalId = '00000000-0000-4000-8000-00000000a001';
  const approval = {
    id: approvalId,
    caseId,
    transition: 'close_case',
    status: 'pending',
    requestedBy: '00000000-0000-4000-8000-000000000002',
    requestedAt: '2026-11-20T10:00:00.000Z',
    requestComment: null,
    decidedBy: null,
    decidedAt: null,
    decisionComment: null,
    transitionLabel: 'Close the case',
    kind: 'stage',
    track: null,
    to: '10',
    toStage: { stage: 10, code: 'closed', label: 'Closed' },
    requester: { id: '00000000-0000-4000-8000-000000000002', displayName: 'Demo Case Worker' },
    case: {
      id: caseId,
      caseNumber: 'HW-2026-000123',
      displayName: 'Aisulu Demo',
      stage: { stage: 9, code: 'monitoring', label: 'Monitoring' },
    },
  };

  function serve(loginAs: Me) {
    let sessionValid = true;
    const server = fakeServer({
      'GET /api/meta': meta,
      'GET /api/me': () =>
        sessionValid ? json(200, supervisor) : json(401, { code: 'SESSION_EXPIRED', message: 'x' }),
      'GET /api/approvals': () => json(200, [approval]),
      [`GET /api/cases/${caseId}`]: () =>
        json(200, {
          id: caseId,
          caseNumber: 'HW-2026-000123',
          stage: 10,
          person: { displayName: 'Aisulu Demo' },
        }),
      [`POST /api/cases/${caseId}/approvals/${approvalId}/reject`]: () => {
        if (!sessionValid) return json(401, { code: 'SESSION_EXPIRED', message: 'Your session has ended' });
        return json(200, {});
      },
      'POST /api/auth/login': async (request) => {
        const body = (await request.json()) as { password: string; totp?: string };
        if (body.password !== 'homeward-demo')
          return json(401, { code: 'INVALID_CREDENTIALS', message: 'x' });
        if (!body.totp) return json(401, { code: 'TOTP_REQUIRED', message: 'x' });
        sessionValid = true;
        return json(200, { user: { ...loginAs, csrfToken: 'csrf-2' }, csrfToken: 'csrf-2' });
      },
    });
    return {
      server,
      expire: () => {
        sessionValid = false;
      },
    };
  }

  async function typeThenExpire(loginAs: Me) {
    window.history.pushState(null, '', '/inbox/approvals');
    const control = serve(loginAs);
    const rendered = renderApp();
    const comment = await screen.findByLabelText('Your comment');
    fireEvent.change(comment, { target: { value: 'The plan review is not finished' } });
    control.expire();
    fireEvent.click(screen.getByRole('button', { name: 'Reject' }));
    const dialog = await screen.findByRole('dialog', { name: 'Your session has ended' });
    return { dialog, rendered, server: control.server };
  }

  function signInWithin(dialog: HTMLElement) {
    fireEvent.change(within(dialog).getByLabelText('Password'), { target: { value: 'homeward-demo' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Sign in' }));
  }

  it('keeps typed text through a new sign-in (with its one-time code) and lets the user save again', async () => {
    const { dialog, server } = await typeThenExpire(supervisor);
    expect((screen.getByLabelText('Your comment') as HTMLTextAreaElement).value).toBe(
      'The plan review is not finished',
    );
    expect((within(dialog).getByLabelText('Username') as HTMLInputElement).value).toBe('supervisor');

    signInWithin(dialog);
    fireEvent.change(await within(dialog).findByLabelText('One-time code'), { target: { value: '123456' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Verify and sign in' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    expect((screen.getByLabelText('Your comment') as HTMLTextAreaElement).value).toBe(
      'The plan review is not finished',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Reject' }));
    expect(await screen.findByText('Rejected: Close the case.')).toBeTruthy();
    const rejects = server.find(`POST /api/cases/${caseId}/approvals/${approvalId}/reject`);
    expect(rejects).toHaveLength(2);
    expect(rejects[1]?.headers.get('x-csrf-token')).toBe('csrf-2');
    expect(await rejects[1]?.json()).toEqual({ comment: 'The plan review is not finished' });
  });

  it('can be closed to look at the page, leaving a bar that opens the sign-in again', async () => {
    const { dialog } = await typeThenExpire(supervisor);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(screen.getByText('Your session has ended. Nothing you typed is lost.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Sign in again' }));
    expect(await screen.findByRole('dialog', { name: 'Your session has ended' })).toBeTruthy();
  });

  it('forgets everything and opens the home page when someone else signs in', async () => {
    const other: Me = {
      ...aigerim,
      id: '00000000-0000-4000-8000-000000000009',
      username: 'health',
      displayName: 'Demo Health Worker',
      permissions: [],
    };
    const { dialog, rendered } = await typeThenExpire(other);
    fireEvent.change(within(dialog).getByLabelText('Username'), { target: { value: 'health' } });
    signInWithin(dialog);
    fireEvent.change(await within(dialog).findByLabelText('One-time code'), { target: { value: '123456' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Verify and sign in' }));

    expect(
      await screen.findByRole('heading', { level: 1, name: 'Welcome, Demo Health Worker' }),
    ).toBeTruthy();
    expect(window.location.pathname).toBe('/');
    expect(screen.queryByText('The plan review is not finished')).toBeNull();
    expect(screen.queryByText(/Aisulu Demo/)).toBeNull();
    expect(rendered.queryClient.getQueryData(['inbox', 'approvals'])).toBeUndefined();
    expect(rendered.queryClient.getQueryData(['inbox', 'case', caseId])).toBeUndefined();
  });
});
