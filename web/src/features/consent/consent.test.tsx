import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Me } from '../../api/client.ts';
import { initI18n } from '../../i18n/index.ts';
import { meQueryKey } from '../auth/session.tsx';
import { CaseFilePage } from '../case-file/CaseFilePage.tsx';
import { CASE_ID, caseDetail, fakeServer, json, meWith, PERSON_ID, person } from '../case-file/testing.tsx';
import { ReferralsSection } from '../casework/ReferralsSection.tsx';
import type { Consent } from './api.ts';
import { ConsentSection } from './ConsentSection.tsx';

/** Synthetic people only. */
const MOTHER_ID = '00000000-0000-4000-8000-00000000a002';
const CASE_WORKER = [
  'persons:read',
  'cases:read',
  'cases:write',
  'consents:read',
  'consents:write',
  'directory:read',
];

function renderAs(me: Me, node: ReactNode) {
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  queryClient.setQueryData(meQueryKey, me);
  return render(<QueryClientProvider client={queryClient}>{node}</QueryClientProvider>);
}

function consent(overrides: Partial<Consent> = {}): Consent {
  return {
    id: '00000000-0000-4000-8000-00000000d001',
    personId: PERSON_ID,
    purpose: 'referral',
    version: 1,
    legalBasis: 'consent',
    decision: 'granted',
    subjectIsChild: false,
    childAssent: null,
    guardianConsent: null,
    guardianPersonId: null,
    recipientAgencyId: null,
    recordedBy: '00000000-0000-4000-8000-000000000001',
    recordedAt: '2026-11-01T09:00:00.000Z',
    validUntil: null,
    withdrawnAt: null,
    withdrawnBy: null,
    withdrawalReason: null,
    effective: true,
    ...overrides,
  };
}

const family = {
  personId: PERSON_ID,
  relatives: [
    {
      personId: MOTHER_ID,
      displayName: 'Demo Mother Beta',
      role: 'mother',
      provenance: 'documented',
      relationshipId: '00000000-0000-4000-8000-00000000f001',
      whereabouts: 'in_country',
    },
  ],
  familyUnits: [],
  careArrangements: [],
  tracingRequests: [],
};

const child = caseDetail({
  person: {
    id: PERSON_ID,
    displayName: 'Demo Child Alpha',
    sex: 'female',
    age: { youngest: 12, oldest: 12, band: '10-13', bandCertain: true },
    flags: [],
  },
});

function section(name: string) {
  return screen.getByRole('region', { name });
}

beforeAll(async () => {
  await initI18n('en');
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('ConsentSection', () => {
  it('shows each purpose’s current state and every earlier version', async () => {
    fakeServer({
      'GET /api/consents': () =>
        json(200, [
          consent({ id: '00000000-0000-4000-8000-00000000d002', version: 2 }),
          consent({
            version: 1,
            withdrawnAt: '2026-10-01T09:00:00.000Z',
            withdrawnBy: '00000000-0000-4000-8000-000000000001',
            withdrawalReason: 'Wanted to think it over',
            effective: false,
          }),
        ]),
      [`GET /api/persons/${PERSON_ID}/family`]: () => json(200, { ...family, relatives: [] }),
      'GET /api/directory/providers': () => json(200, []),
    });
    renderAs(meWith(CASE_WORKER), <ConsentSection me={meWith(CASE_WORKER)} detail={caseDetail()} />);

    const referral = await screen.findByRole('region', { name: /Referral to other organisations/ });
    expect(within(referral).getByText('In effect', { selector: '.consent-state' })).toBeTruthy();
    expect(within(referral).getByText('Any organisation')).toBeTruthy();
    const history = within(referral).getByRole('table', { name: /Every version of the consent/ });
    const rows = within(history).getAllByRole('row');
    expect(rows.map((r) => within(r).queryByRole('rowheader')?.textContent)).toEqual([undefined, '2', '1']);
    expect(within(rows[2] as HTMLElement).getByText('Withdrawn')).toBeTruthy();
    expect(
      within(section('Services')).getByText('Nothing recorded', { selector: '.consent-state' }),
    ).toBeTruthy();
    expect(
      within(section('Family tracing')).getByText('Nothing recorded', { selector: '.consent-state' }),
    ).toBeTruthy();
  });

  it('records a child’s consent with the child’s assent and the mother, chosen from the family, consenting', async () => {
    let recorded: Consent[] = [];
    const server = fakeServer({
      'GET /api/consents': () => json(200, recorded),
      [`GET /api/persons/${PERSON_ID}/family`]: () => json(200, family),
      'GET /api/directory/providers': () => json(200, []),
      'POST /api/consents': async (request) => {
        const body = (await request.json()) as Partial<Consent>;
        const saved = consent({ ...body, subjectIsChild: true, version: 1 });
        recorded = [saved];
        return json(201, saved);
      },
    });
    renderAs(meWith(CASE_WORKER), <ConsentSection me={meWith(CASE_WORKER)} detail={child} />);

    // The mother is a person of the case too: her own consents can be shown.
    const chooser = await screen.findByLabelText(/^Person/);
    expect(within(chooser).getByRole('option', { name: 'Demo Mother Beta (Mother)' })).toBeTruthy();

    fireEvent.click(
      await screen.findByRole('button', { name: 'Record consent: Referral to other organisations' }),
    );
    const dialog = screen.getByRole('form', { name: 'Record consent: Referral to other organisations' });
    fireEvent.change(within(dialog).getByLabelText("Child's assent"), { target: { value: 'given' } });
    fireEvent.change(within(dialog).getByLabelText("Guardian's consent"), { target: { value: 'given' } });
    fireEvent.change(within(dialog).getByLabelText(/^Guardian$/), { target: { value: MOTHER_ID } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Record this version' }));

    expect(await screen.findByText('Referral to other organisations: version 1 recorded.')).toBeTruthy();
    expect(server.bodiesOf('POST /api/consents')).toEqual([
      {
        personId: PERSON_ID,
        purpose: 'referral',
        legalBasis: 'consent',
        decision: 'granted',
        childAssent: 'given',
        guardianConsent: 'given',
        guardianPersonId: MOTHER_ID,
      },
    ]);
    const referral = section('Referral to other organisations');
    await within(referral).findByText('In effect', { selector: '.consent-state' });
    expect(within(referral).getByText('The child agrees')).toBeTruthy();
    expect(within(referral).getByText('Demo Mother Beta')).toBeTruthy();
  });

  it('says in words which part of a child’s consent is missing when the API refuses it', async () => {
    const server = fakeServer({
      'GET /api/consents': () => json(200, []),
      [`GET /api/persons/${PERSON_ID}/family`]: () => json(200, family),
      'GET /api/directory/providers': () => json(200, []),
      'POST /api/consents': () =>
        json(400, {
          code: 'CONSENT_INCOMPLETE',
          message: 'A child’s consent needs the guardian’s consent',
          details: { path: 'body.guardianConsent' },
        }),
    });
    renderAs(meWith(CASE_WORKER), <ConsentSection me={meWith(CASE_WORKER)} detail={child} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Record consent: Services' }));
    const dialog = screen.getByRole('form', { name: 'Record consent: Services' });
    fireEvent.change(within(dialog).getByLabelText("Child's assent"), { target: { value: 'given' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Record this version' }));

    const message =
      "A child's consent is only in effect with the guardian's consent: record that the guardian consents.";
    const summary = await within(dialog).findByRole('alert');
    expect(within(summary).getByRole('link', { name: message })).toBeTruthy();
    const guardianConsent = within(dialog).getByLabelText("Guardian's consent");
    expect(guardianConsent.getAttribute('aria-invalid')).toBe('true');
    expect(server.bodiesOf('POST /api/consents')).toHaveLength(1);
  });

  it('withdraws the current consent with the reason given, and shows it withdrawn', async () => {
    let current = consent();
    const server = fakeServer({
      'GET /api/consents': () => json(200, [current]),
      [`GET /api/persons/${PERSON_ID}/family`]: () => json(200, { ...family, relatives: [] }),
      'GET /api/directory/providers': () => json(200, []),
      [`POST /api/consents/${current.id}/withdraw`]: () => {
        current = consent({
          withdrawnAt: '2026-11-28T08:00:00.000Z',
          withdrawnBy: '00000000-0000-4000-8000-000000000001',
          withdrawalReason: 'Prefers to go alone',
          effective: false,
        });
        return json(200, current);
      },
    });
    renderAs(meWith(CASE_WORKER), <ConsentSection me={meWith(CASE_WORKER)} detail={caseDetail()} />);
    fireEvent.click(
      await screen.findByRole('button', { name: 'Withdraw consent: Referral to other organisations' }),
    );
    const dialog = screen.getByRole('form', { name: 'Withdraw consent: Referral to other organisations' });
    fireEvent.change(within(dialog).getByLabelText('Reason (optional)'), {
      target: { value: 'Prefers to go alone' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Withdraw consent' }));
    expect(await screen.findByText('Referral to other organisations: consent withdrawn.')).toBeTruthy();
    expect(server.bodiesOf(`POST /api/consents/${consent().id}/withdraw`)).toEqual([
      { reason: 'Prefers to go alone' },
    ]);
    const referral = section('Referral to other organisations');
    await within(referral).findByText('Withdrawn', { selector: '.consent-state' });
    expect(within(referral).queryByRole('button', { name: /^Withdraw consent/ })).toBeNull();
  });

  it('offers no recording or withdrawal to a reader without consents:write', async () => {
    fakeServer({
      'GET /api/consents': () => json(200, [consent()]),
      [`GET /api/persons/${PERSON_ID}/family`]: () => json(200, { ...family, relatives: [] }),
      'GET /api/directory/providers': () => json(200, []),
    });
    const reader = meWith(['persons:read', 'cases:read', 'consents:read']);
    renderAs(reader, <ConsentSection me={reader} detail={caseDetail()} />);
    await screen.findByRole('region', { name: /Referral to other organisations/ });
    expect(screen.queryByRole('button', { name: /^Record consent/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Withdraw consent/ })).toBeNull();
  });
});

describe('the case file’s consent section', () => {
  const routes = {
    [`GET /api/cases/${CASE_ID}`]: () => json(200, caseDetail()),
    [`GET /api/access/cases/${CASE_ID}`]: () =>
      json(200, {
        caseId: CASE_ID,
        read: ['identity', 'protection'],
        write: ['protection'],
        via: { scope: true, disclosureIds: [], breakGlassGrantId: null },
      }),
    [`GET /api/persons/${PERSON_ID}`]: () => json(200, person()),
    [`GET /api/persons/${PERSON_ID}/family`]: () => json(200, { ...family, relatives: [] }),
    'GET /api/consents': () => json(200, []),
    'GET /api/directory/providers': () => json(200, []),
  };

  it('is in the section navigation and shows the consents for a reader with consents:read', async () => {
    const me = meWith(CASE_WORKER);
    const server = fakeServer(routes);
    renderAs(me, <CaseFilePage me={me} caseId={CASE_ID} section="consent" />);
    const nav = await screen.findByRole('navigation', { name: 'Case sections' });
    expect(within(nav).getByRole('link', { name: 'Consent' }).getAttribute('href')).toBe(
      `/cases/${CASE_ID}/consent`,
    );
    await screen.findByRole('region', { name: 'Services' });
    expect(server.requests.some((r) => r.key === 'GET /api/consents')).toBe(true);
  });

  it('is neither listed nor requested for a reader without consents:read', async () => {
    const me = meWith(['persons:read', 'cases:read', 'cases:write']);
    const server = fakeServer(routes);
    renderAs(me, <CaseFilePage me={me} caseId={CASE_ID} section="consent" />);
    const nav = await screen.findByRole('navigation', { name: 'Case sections' });
    expect(within(nav).queryByRole('link', { name: 'Consent' })).toBeNull();
    await screen.findByRole('heading', { level: 2, name: 'Overview' });
    await waitFor(() =>
      expect(server.requests.some((r) => r.key === `GET /api/persons/${PERSON_ID}`)).toBe(true),
    );
    expect(server.requests.some((r) => r.key === 'GET /api/consents')).toBe(false);
  });
});

describe('the referral form’s missing consent', () => {
  it('links to the consent section of the case', async () => {
    fakeServer({
      'GET /api/referrals': () => json(200, []),
      [`GET /api/cases/${CASE_ID}`]: () => json(200, caseDetail()),
      'GET /api/consents': () => json(200, []),
      'GET /api/directory/providers': () => json(200, []),
    });
    renderAs(meWith(CASE_WORKER), <ReferralsSection caseId={CASE_ID} />);
    const link = await screen.findByRole('link', { name: 'Record or review the consent' });
    expect(link.getAttribute('href')).toBe(`/cases/${CASE_ID}/consent`);
  });

  it('has no link once the referral consent is in effect', async () => {
    fakeServer({
      'GET /api/referrals': () => json(200, []),
      [`GET /api/cases/${CASE_ID}`]: () => json(200, caseDetail()),
      'GET /api/consents': () => json(200, [consent()]),
      'GET /api/directory/providers': () => json(200, []),
    });
    renderAs(meWith(CASE_WORKER), <ReferralsSection caseId={CASE_ID} />);
    await screen.findByText(/covers referral to any organisation/);
    expect(screen.queryByRole('link', { name: 'Record or review the consent' })).toBeNull();
  });
});
