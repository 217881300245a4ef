import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { type ReactNode, useState } from 'react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Me } from '../../api/client.ts';
import { initI18n } from '../../i18n/index.ts';
import { meQueryKey } from '../auth/session.tsx';
import { AssessmentsSection } from './AssessmentsSection.tsx';
import type { Answers, Assessment, RenderedInstrument } from './api.ts';
import { InstrumentForm } from './InstrumentForm.tsx';

/** A synthetic instrument in the shape the server renders (modules/assessments/instrument.ts). */
const form: RenderedInstrument = {
  code: 'needs_assessment',
  version: 1,
  kind: 'needs',
  template: false,
  language: 'en',
  name: 'Needs assessment',
  description: null,
  notice: null,
  compartment: 'protection',
  domains: [
    {
      id: 'health',
      kind: 'needs',
      title: 'Health',
      description: null,
      items: [
        {
          id: 'physical_health',
          type: 'rating',
          label: 'Physical health',
          guidance: 'Consider chronic illness and access to care.',
          required: true,
          protective: false,
          evidence: 'optional',
          showIf: null,
          choices: [
            { value: 'none', label: 'No need', unknown: false },
            { value: 'high', label: 'High need', unknown: false },
            { value: 'unknown', label: 'Unknown / insufficient information', unknown: true },
          ],
        },
        {
          id: 'disability_support',
          type: 'yes_no',
          label: 'Needs disability support',
          guidance: null,
          required: false,
          protective: false,
          evidence: 'none',
          showIf: null,
          choices: [
            { value: 'yes', label: 'Yes', unknown: false },
            { value: 'no', label: 'No', unknown: false },
            { value: 'unknown', label: 'Unknown', unknown: true },
          ],
        },
        {
          id: 'disability_detail',
          type: 'text',
          label: 'Support needed',
          guidance: null,
          required: false,
          protective: false,
          evidence: 'none',
          showIf: { item: 'disability_support', in: ['yes'] },
          choices: null,
        },
        {
          id: 'supportive_person',
          type: 'yes_no',
          label: 'Has a supportive person',
          guidance: null,
          required: false,
          protective: true,
          evidence: 'optional',
          showIf: null,
          choices: [
            { value: 'yes', label: 'Yes', unknown: false },
            { value: 'no', label: 'No', unknown: false },
            { value: 'unknown', label: 'Unknown', unknown: true },
          ],
        },
      ],
    },
  ],
  computed: [{ id: 'high_needs', label: 'High needs', method: 'count' }],
  output: {
    judgement: {
      label: 'Priority',
      required: true,
      levels: [
        { value: 'routine', label: 'Routine' },
        { value: 'urgent', label: 'Urgent' },
      ],
    },
    narrative: { label: 'Narrative', required: false },
    scenarios: null,
    managementPlan: { label: 'Management plan', required: true },
  },
};

const CASE_ID = '00000000-0000-4000-8000-00000000c001';
const PERSON_ID = '00000000-0000-4000-8000-00000000a001';
const ME_ID = '00000000-0000-4000-8000-000000000001';
const ASSESSMENT_ID = '00000000-0000-4000-8000-00000000f001';

const user: Me = {
  id: ME_ID,
  username: 'caseworker',
  displayName: 'Demo Case Worker',
  agency: {
    id: '00000000-0000-4000-8000-0000000000a1',
    code: 'MSP',
    name: 'Ministry (demo)',
    kind: 'social_services',
  },
  roles: [{ code: 'case_worker', name: 'Case worker' }],
  permissions: ['cases:read', 'cases:write', 'assessments:conduct', 'protection:write'],
  totpEnabled: false,
  mfaEnrolmentPending: false,
  preferredLanguage: 'en',
  csrfToken: 'csrf-1',
};

const assessment: Assessment = {
  id: ASSESSMENT_ID,
  caseId: CASE_ID,
  personId: PERSON_ID,
  instrumentCode: 'needs_assessment',
  instrumentVersion: 1,
  compartment: 'protection',
  status: 'in_progress',
  complete: false,
  reason: 'initial',
  judgement: null,
  createdAt: '2026-11-20T09:00:00.000Z',
  submittedAt: null,
  signedOffAt: null,
  version: 1,
  reasonEvent: null,
  answers: null,
  computed: null,
  output: null,
  suggestedJudgement: null,
  ratings: [],
  disagreements: [],
  createdBy: ME_ID,
  submittedBy: null,
  signedOffBy: null,
  signOffComment: null,
  form,
};

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

function fakeServer(routes: Record<string, (request: Request) => Response | Promise<Response>>) {
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

function wrap(node: ReactNode) {
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  queryClient.setQueryData(meQueryKey, user);
  return <QueryClientProvider client={queryClient}>{node}</QueryClientProvider>;
}

/** The form driven by state, as the rating form drives it. */
function Editable() {
  const [answers, setAnswers] = useState<Answers>({});
  return (
    <InstrumentForm
      prefix="t"
      form={form}
      answers={answers}
      output={{}}
      onAnswers={setAnswers}
      onOutput={() => {}}
    />
  );
}

beforeAll(async () => {
  await initI18n('en');
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('InstrumentForm', () => {
  it('shows a conditional item only while its skip rule holds', () => {
    render(wrap(<Editable />));
    expect(screen.queryByLabelText('Support needed')).toBeNull();
    const question = screen.getByRole('group', { name: /Needs disability support/ });
    fireEvent.click(within(question).getByLabelText('Yes'));
    expect(screen.getByLabelText('Support needed')).toBeTruthy();
    fireEvent.click(within(question).getByLabelText('No'));
    expect(screen.queryByLabelText('Support needed')).toBeNull();
  });

  it('offers the unknown option on every scale', () => {
    render(wrap(<Editable />));
    const scaled = form.domains.flatMap((d) => d.items).filter((i) => i.choices && i.type !== 'multi_choice');
    expect(scaled.length).toBeGreaterThan(2);
    for (const item of scaled) {
      const group = screen.getByRole('group', { name: new RegExp(item.label) });
      const unknown = item.choices?.find((c) => c.unknown);
      expect(unknown).toBeDefined();
      expect(within(group).getByRole('radio', { name: unknown?.label ?? '' })).toBeTruthy();
    }
  });

  it('marks protective factors in words', () => {
    render(wrap(<Editable />));
    const group = screen.getByRole('group', { name: /Has a supportive person/ });
    expect(within(group).getByText('Protective factor')).toBeTruthy();
  });
});

describe('AssessmentsSection', () => {
  const eligible = [
    {
      code: 'needs_assessment',
      version: 1,
      name: 'Needs assessment',
      kind: 'needs',
      template: false,
      compartment: 'protection',
      eligible: true,
      reason: null,
      qualified: true,
    },
    {
      code: 'example_adult_spj_template',
      version: 1,
      name: 'Example adult risk template',
      kind: 'violent_extremism_risk',
      template: true,
      compartment: 'security',
      eligible: false,
      reason: 'possibly_a_child',
      qualified: true,
    },
  ];

  it('offers only the eligible instruments', async () => {
    fakeServer({
      [`GET /api/cases/${CASE_ID}/assessments`]: () => json(200, []),
      [`GET /api/cases/${CASE_ID}/eligible-instruments`]: () => json(200, eligible),
      'GET /api/assessments/overdue': () => json(200, []),
    });
    render(wrap(<AssessmentsSection caseId={CASE_ID} personId={PERSON_ID} />));
    const select = await screen.findByLabelText(/^Instrument/);
    const options = within(select)
      .getAllByRole('option')
      .map((o) => o.textContent);
    expect(options.some((o) => o?.includes('Needs assessment'))).toBe(true);
    expect(options.some((o) => o?.includes('risk'))).toBe(false);
  });

  it('shows a 400 on an answer at the item it names', async () => {
    const requests = fakeServer({
      [`GET /api/cases/${CASE_ID}/assessments`]: () => json(200, [assessment]),
      [`GET /api/cases/${CASE_ID}/eligible-instruments`]: () => json(200, eligible),
      'GET /api/assessments/overdue': () => json(200, []),
      [`GET /api/assessments/${ASSESSMENT_ID}`]: () => json(200, assessment),
      [`PUT /api/assessments/${ASSESSMENT_ID}/rating`]: () =>
        json(400, {
          code: 'ASSESSMENT_ANSWER_INVALID',
          message: 'The answer to item physical_health must be one of none, high, unknown',
          details: {
            path: 'body.answers.physical_health.value',
            item: 'physical_health',
            reason: 'not_on_scale',
          },
        }),
    });
    render(wrap(<AssessmentsSection caseId={CASE_ID} personId={PERSON_ID} />));
    fireEvent.click(await screen.findByRole('button', { name: /Open Needs assessment/ }));
    const group = await screen.findByRole('group', { name: /Physical health/ });
    fireEvent.click(within(group).getByLabelText('High need'));
    fireEvent.click(screen.getByRole('button', { name: 'Save draft' }));
    await waitFor(() => expect(within(group).getByText(/must be one of none, high, unknown/)).toBeTruthy());
    expect(group.className).toContain('field-invalid');
    expect(requests.find((r) => r.key.startsWith('PUT'))?.body).toEqual({
      answers: { physical_health: { value: 'high' } },
      output: {},
    });
  });
});
