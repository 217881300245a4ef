import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Me } from '../../api/client.ts';
import { initI18n } from '../../i18n/index.ts';
import { meQueryKey } from '../auth/session.tsx';
import { DecisionsSection } from './DecisionsSection.tsx';
import { PlanSection } from './PlanSection.tsx';
import { ReferralsSection } from './ReferralsSection.tsx';
import { TasksSection } from './TasksSection.tsx';

/** Synthetic people and agencies only. */
const CASE_ID = '00000000-0000-4000-8000-00000000c001';
const PERSON_ID = '00000000-0000-4000-8000-00000000a001';
const NGO_ID = '00000000-0000-4000-8000-0000000000b2';

function me(permissions: string[]): Me {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    username: 'supervisor',
    displayName: 'Demo Supervisor',
    agency: {
      id: '00000000-0000-4000-8000-0000000000a1',
      code: 'MSP',
      name: 'Ministry (demo)',
      kind: 'social_services',
    },
    roles: [{ code: 'supervisor', name: 'Supervisor' }],
    permissions,
    totpEnabled: false,
    mfaEnrolmentPending: false,
    preferredLanguage: 'en',
    csrfToken: 'csrf-1',
  };
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

type Handler = (request: Request) => Response | Promise<Response>;
function fakeServer(routes: Record<string, Handler>) {
  const requests: { key: string; body: unknown }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL) => {
      const request = input instanceof Request ? input : new Request(input);
      const key = `${request.method} ${new URL(request.url).pathname}`;
      const text = request.method === 'GET' ? '' : await request.clone().text();
      requests.push({ key, body: text ? JSON.parse(text) : undefined });
      const handler = routes[key];
      return handler ? handler(request) : json(404, { code: 'ROUTE_NOT_FOUND', message: key });
    }),
  );
  return requests;
}

function renderWith(user: Me, node: ReactNode) {
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  queryClient.setQueryData(meQueryKey, user);
  return render(<QueryClientProvider client={queryClient}>{node}</QueryClientProvider>);
}

const provider = {
  agencyId: NGO_ID,
  code: 'WRC',
  name: 'Women’s Resource Centre (demo NGO)',
  kind: 'womens_organisation',
  jurisdiction: 'Capital',
  description: '',
  services: ['psychosocial'],
  regions: ['Capital'],
  languages: ['ru', 'kk'],
  contacts: [],
  acceptsReferrals: true,
  version: 1,
};

function referralRoutes(onPost: Handler): Record<string, Handler> {
  return {
    'GET /api/referrals': () => json(200, []),
    [`GET /api/cases/${CASE_ID}`]: () => json(200, { id: CASE_ID, person: { id: PERSON_ID } }),
    'GET /api/consents': () => json(200, []),
    'GET /api/directory/providers': () => json(200, [provider]),
    [`POST /api/cases/${CASE_ID}/referrals`]: onPost,
  };
}

const consentRequired = () =>
  json(409, {
    code: 'CONSENT_REQUIRED',
    message: 'The person has not consented to this referral',
    details: { personId: PERSON_ID, purpose: 'referral', overridable: true },
  });

async function fillReferral() {
  fireEvent.click(await screen.findByRole('button', { name: 'New referral' }));
  fireEvent.click(await screen.findByRole('radio', { name: /Women’s Resource Centre/ }));
  fireEvent.change(screen.getByLabelText('Service requested'), { target: { value: 'psychosocial' } });
  fireEvent.change(screen.getByLabelText(/Referral packet/), {
    target: { value: 'Needs weekly counselling.' },
  });
  fireEvent.click(screen.getByRole('button', { name: 'Send referral' }));
}

beforeAll(async () => {
  await initI18n('en');
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('ReferralsSection', () => {
  it('shows that no referral consent is recorded', async () => {
    fakeServer(referralRoutes(() => json(500, {})));
    renderWith(
      me(['cases:read', 'cases:write', 'consents:read', 'directory:read']),
      <ReferralsSection caseId={CASE_ID} />,
    );
    expect(await screen.findByText(/no referral consent is recorded/)).toBeTruthy();
  });

  it('answers a consent refusal with the override, which needs a justification', async () => {
    const requests = fakeServer(
      referralRoutes(async (request) => {
        const body = (await request.json()) as { override?: { reason: string } };
        if (!body.override) return consentRequired();
        return json(201, {
          id: '00000000-0000-4000-8000-00000000e001',
          caseId: CASE_ID,
          fromAgencyId: '00000000-0000-4000-8000-0000000000a1',
          toAgencyId: NGO_ID,
          serviceType: 'psychosocial',
          packetSummary: 'Needs weekly counselling.',
          urgency: 'normal',
          status: 'pending',
          consentBasis: 'override',
          person: { displayName: null, sex: 'female', ageBand: '25-59' },
          packetNotes: [],
          declineReason: null,
          createdAt: '2026-11-28T03:00:00.000Z',
          decidedAt: null,
          version: 1,
        });
      }),
    );
    renderWith(
      me(['cases:read', 'cases:write', 'consents:read', 'directory:read', 'referrals:override_consent']),
      <ReferralsSection caseId={CASE_ID} />,
    );
    await fillReferral();
    expect(await screen.findByText(/consent does not cover a referral/)).toBeTruthy();
    const justification = screen.getByLabelText('Justification for referring without consent');
    fireEvent.change(justification, { target: { value: 'Too short' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send with override' }));
    expect(await screen.findByText(/at least 20 characters/)).toBeTruthy();
    expect(requests.filter((r) => r.key.startsWith('POST'))).toHaveLength(1);

    fireEvent.change(justification, {
      target: { value: 'Immediate risk of harm; the person cannot be reached to consent this week.' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Send with override' }));
    expect(await screen.findByText(/override is recorded/)).toBeTruthy();
    const posts = requests.filter((r) => r.key.startsWith('POST'));
    expect(posts).toHaveLength(2);
    expect(posts[1]?.body).toMatchObject({
      toAgencyId: NGO_ID,
      serviceType: 'psychosocial',
      override: { reason: 'Immediate risk of harm; the person cannot be reached to consent this week.' },
    });
  });

  it('offers no override to a user without the permission', async () => {
    fakeServer(referralRoutes(() => consentRequired()));
    renderWith(
      me(['cases:read', 'cases:write', 'consents:read', 'directory:read']),
      <ReferralsSection caseId={CASE_ID} />,
    );
    await fillReferral();
    expect(await screen.findByText(/ask a supervisor who may override/)).toBeTruthy();
    expect(screen.queryByLabelText('Justification for referring without consent')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Send with override' })).toBeNull();
  });
});

describe('TasksSection', () => {
  const task = {
    id: '00000000-0000-4000-8000-00000000d001',
    caseId: CASE_ID,
    kind: 'follow_up',
    title: 'Home visit',
    dueOn: '2026-01-10',
    assignedUserId: null,
    status: 'open',
    overdue: true,
    version: 1,
  };

  it('marks an overdue task in words and hides actions from a reader', async () => {
    fakeServer({ [`GET /api/cases/${CASE_ID}/tasks`]: () => json(200, [task]) });
    renderWith(me(['cases:read']), <TasksSection caseId={CASE_ID} />);
    expect(await screen.findByText('1 task is overdue.')).toBeTruthy();
    const item = screen.getByText('Home visit').closest('li') as HTMLElement;
    expect(within(item).getByText(/Overdue/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Mark “Home visit” done/ })).toBeNull();
  });

  it('completes a task with the version it read', async () => {
    const requests = fakeServer({
      [`GET /api/cases/${CASE_ID}/tasks`]: () => json(200, [task]),
      [`PATCH /api/cases/${CASE_ID}/tasks/${task.id}`]: () =>
        json(200, { ...task, status: 'done', overdue: false, version: 2 }),
    });
    renderWith(me(['cases:read', 'cases:write']), <TasksSection caseId={CASE_ID} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Mark “Home visit” done' }));
    expect(await screen.findByText('“Home visit” marked done.')).toBeTruthy();
    expect(requests.find((r) => r.key.startsWith('PATCH'))?.body).toEqual({ version: 1, status: 'done' });
  });
});

describe('DecisionsSection', () => {
  const routes = (onPost: Handler): Record<string, Handler> => ({
    [`GET /api/cases/${CASE_ID}/decisions`]: () => json(200, []),
    [`GET /api/cases/${CASE_ID}/assessments`]: () => json(200, []),
    'GET /api/directory/providers': () => json(200, []),
    [`POST /api/cases/${CASE_ID}/decisions`]: onPost,
  });

  it('is not offered without decisions:record', async () => {
    fakeServer(routes(() => json(500, {})));
    renderWith(me(['cases:read']), <DecisionsSection caseId={CASE_ID} />);
    expect(await screen.findByText('No panel decisions you may read.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Record a decision' })).toBeNull();
  });

  it('validates as the API does and shows each error at its field', async () => {
    const requests = fakeServer(routes(() => json(500, {})));
    renderWith(me(['cases:read', 'decisions:record']), <DecisionsSection caseId={CASE_ID} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Record a decision' }));
    fireEvent.change(screen.getByLabelText('Vote of member 2'), { target: { value: 'dissent' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save decision' }));
    const invalid = (label: string | RegExp) => screen.getByLabelText(label).getAttribute('aria-invalid');
    expect(invalid(/^Outcome/)).toBe('true');
    expect(invalid('Role of member 1')).toBe('true');
    expect(invalid(/Dissent of member 2/)).toBe('true');
    expect(invalid('Option 1')).toBe('true');
    expect(invalid('Rationale')).toBe('true');
    expect(
      screen.getByText('Record the dissent of member 2 in their own words.', { selector: '.field-error' }),
    ).toBeTruthy();
    expect(requests.some((r) => r.key.startsWith('POST'))).toBe(false);
  });

  it('shows the API’s refusal at the field it names', async () => {
    fakeServer(
      routes(() =>
        json(409, {
          code: 'DECISION_NOT_ALLOWED',
          message: 'Below the minimum age of criminal responsibility',
          details: { path: 'body.outcome', reason: 'below_minimum_age_of_criminal_responsibility' },
        }),
      ),
    );
    renderWith(me(['cases:read', 'decisions:record']), <DecisionsSection caseId={CASE_ID} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Record a decision' }));
    fireEvent.change(screen.getByLabelText(/^Outcome/), { target: { value: 'prosecute' } });
    fireEvent.change(screen.getByLabelText('Role of member 1'), { target: { value: 'Prosecutor' } });
    fireEvent.change(screen.getByLabelText('Role of member 2'), {
      target: { value: 'Child protection officer' },
    });
    fireEvent.change(screen.getByLabelText('Option 1'), { target: { value: 'Diversion programme' } });
    fireEvent.change(screen.getByLabelText('Rationale'), { target: { value: 'Synthetic rationale.' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save decision' }));
    await waitFor(() => expect(screen.getByLabelText(/^Outcome/).getAttribute('aria-invalid')).toBe('true'));
    expect(
      screen.getByText('Below the minimum age of criminal responsibility', { selector: '.field-error' }),
    ).toBeTruthy();
  });
});

describe('PlanSection', () => {
  const plan = {
    id: '00000000-0000-4000-8000-00000000b101',
    caseId: CASE_ID,
    title: 'Reintegration plan',
    status: 'active',
    goals: [],
    version: 3,
  };

  it('keeps what was typed on a stale version and saves again after a reload', async () => {
    let calls = 0;
    const requests = fakeServer({
      [`GET /api/cases/${CASE_ID}/plans`]: () =>
        json(200, [calls === 0 ? plan : { ...plan, title: 'Plan renamed by a colleague', version: 4 }]),
      'GET /api/directory/providers': () => json(200, []),
      [`PATCH /api/cases/${CASE_ID}/plans/${plan.id}`]: () => {
        calls += 1;
        return calls === 1
          ? json(409, {
              code: 'VERSION_CONFLICT',
              message: 'The record was changed by someone else',
              details: { path: 'body.version', currentVersion: 4 },
            })
          : json(200, { ...plan, title: 'My new title', version: 5 });
      },
    });
    renderWith(me(['cases:read', 'cases:write']), <PlanSection caseId={CASE_ID} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Edit plan Reintegration plan' }));
    fireEvent.change(screen.getByLabelText('Plan title'), { target: { value: 'My new title' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save plan' }));
    expect(await screen.findByText(/Someone else changed this record/)).toBeTruthy();
    expect((screen.getByLabelText('Plan title') as HTMLInputElement).value).toBe('My new title');

    fireEvent.click(screen.getByRole('button', { name: 'Reload the latest version' }));
    expect(await screen.findByText('Plan renamed by a colleague')).toBeTruthy();
    expect((screen.getByLabelText('Plan title') as HTMLInputElement).value).toBe('My new title');
    fireEvent.click(screen.getByRole('button', { name: 'Save plan' }));
    expect(await screen.findByText('Plan saved.')).toBeTruthy();
    const patches = requests.filter((r) => r.key.startsWith('PATCH'));
    expect(patches.map((r) => (r.body as { version: number }).version)).toEqual([3, 4]);
  });
});
