import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Me } from '../../api/client.ts';
import { initI18n } from '../../i18n/index.ts';
import { meQueryKey } from '../auth/session.tsx';
import { fakeServer, json, meWith } from '../case-file/testing.tsx';
import { DataProtectionPage } from './DataProtectionPage.tsx';
import { DataProtectionNavLink } from './NavLink.tsx';

/** Synthetic identifiers only. */
const DUE_PERSON = '0b3c5e0e-1c7a-4c5e-9d2a-2f4b6a8c9d10';
const HELD_PERSON = '7a1d2e3f-4b5c-4d6e-8f70-8192a3b4c5d6';
const HOLD_ID = '00000000-0000-4000-8000-00000000e0a1';
const DPO = [
  'audit:read',
  'audit:verify',
  'disclosures:review',
  'subject_requests:handle',
  'retention:manage',
];

const due = [
  {
    personId: DUE_PERSON,
    category: 'no_open_case',
    dueSince: '2026-01-15T00:00:00.000Z',
    action: 'review',
    legalHold: false,
  },
  {
    personId: HELD_PERSON,
    category: 'case_closed',
    dueSince: '2025-06-01T00:00:00.000Z',
    action: 'anonymise',
    legalHold: true,
  },
];

function renderAs(me: Me, node: ReactNode) {
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  queryClient.setQueryData(meQueryKey, me);
  return render(<QueryClientProvider client={queryClient}>{node}</QueryClientProvider>);
}

function openPerson(personId: string) {
  window.history.pushState(null, '', `/data-protection?person=${personId}`);
}

beforeAll(async () => {
  await initI18n('en');
});
beforeEach(() => {
  window.history.pushState(null, '', '/data-protection');
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('the navigation entry', () => {
  it('is there for the data-protection officer and not for a case worker', () => {
    const { unmount } = render(
      <ul>
        <DataProtectionNavLink me={meWith(DPO)} />
      </ul>,
    );
    expect(screen.getByRole('link', { name: 'Data protection' }).getAttribute('href')).toBe(
      '/data-protection',
    );
    unmount();
    render(
      <ul>
        <DataProtectionNavLink me={meWith(['cases:read', 'consents:read', 'disclosures:review'])} />
      </ul>,
    );
    expect(screen.queryByRole('link', { name: 'Data protection' })).toBeNull();
  });
});

describe('DataProtectionPage', () => {
  it('lists the persons due for retention review, with reason, schedule and legal hold', async () => {
    fakeServer({
      'GET /api/retention/due': () => json(200, due),
      'GET /api/break-glass': () => json(200, []),
    });
    renderAs(meWith(DPO), <DataProtectionPage me={meWith(DPO)} />);
    const table = await screen.findByRole('table', { name: /Persons due for retention review/ });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => [...r.querySelectorAll('th, td')].map((c) => c.textContent))).toEqual([
      ['0b3c5e0e', 'Recorded without a case', expect.any(String), 'Review', 'No', 'Open 0b3c5e0e'],
      ['7a1d2e3f', 'Case closed', expect.any(String), 'Anonymise', 'Yes', 'Open 7a1d2e3f'],
    ]);
    expect(within(table).getByRole('link', { name: 'Open 0b3c5e0e' }).getAttribute('href')).toBe(
      `/data-protection?person=${DUE_PERSON}`,
    );
    expect(screen.getByText('No break-glass opening waits for review.')).toBeTruthy();
  });

  it('downloads the access export as JSON and as PDF', async () => {
    openPerson(DUE_PERSON);
    const exported = {
      personId: DUE_PERSON,
      generatedAt: '2026-11-28T08:00:00.000Z',
      records: {},
      accesses: [],
    };
    const server = fakeServer({
      'GET /api/retention/due': () => json(200, due),
      'GET /api/break-glass': () => json(200, []),
      [`GET /api/subject-requests/persons/${DUE_PERSON}/export`]: () => json(200, exported),
      [`GET /api/subject-requests/persons/${DUE_PERSON}/export.pdf`]: () =>
        new Response('%PDF-1.3 synthetic', {
          status: 200,
          headers: { 'content-type': 'application/pdf' },
        }),
    });
    const files: { name: string; blob: Blob }[] = [];
    let lastBlob: Blob | undefined;
    // jsdom has no object URLs: record the blob handed to the download instead.
    const createObjectURL = vi.fn((blob: Blob) => {
      lastBlob = blob;
      return 'blob:synthetic';
    });
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      if (lastBlob) files.push({ name: this.download, blob: lastBlob });
    });
    renderAs(meWith(DPO), <DataProtectionPage me={meWith(DPO)} />);
    const panel = await screen.findByRole('region', { name: 'Person 0b3c5e0e' });

    fireEvent.click(within(panel).getByRole('button', { name: 'Download export (JSON)' }));
    await screen.findByText('Export (JSON) downloaded.');
    fireEvent.click(within(panel).getByRole('button', { name: 'Download export (PDF)' }));
    await screen.findByText('Export (PDF) downloaded.');

    expect(files.map((f) => f.name)).toEqual([`subject-${DUE_PERSON}.json`, `subject-${DUE_PERSON}.pdf`]);
    const [jsonFile, pdfFile] = files;
    if (!jsonFile || !pdfFile) throw new Error('two files expected');
    expect(JSON.parse(await jsonFile.blob.text())).toEqual(exported);
    expect(await pdfFile.blob.text()).toBe('%PDF-1.3 synthetic');
    expect(server.requests.map((r) => r.key)).toContain(
      `GET /api/subject-requests/persons/${DUE_PERSON}/export.pdf`,
    );
  });

  it('places a legal hold with its reason (refusing a short one), lists it, and lifts it with a reason', async () => {
    openPerson(DUE_PERSON);
    type Hold = Record<string, unknown> & { id: string; liftedAt: string | null };
    let holds: Hold[] = [
      {
        id: '00000000-0000-4000-8000-00000000e0a0',
        personId: DUE_PERSON,
        reason: 'Inquiry 2025/9 needed the record',
        placedBy: '00000000-0000-4000-8000-000000000002',
        placedAt: '2025-03-01T08:00:00.000Z',
        liftedAt: '2025-09-01T08:00:00.000Z',
        liftedBy: '00000000-0000-4000-8000-000000000002',
        liftReason: 'The inquiry was closed',
      },
    ];
    const server = fakeServer({
      'GET /api/retention/due': () =>
        json(
          200,
          due.map((d) =>
            d.personId === DUE_PERSON ? { ...d, legalHold: holds.some((h) => h.liftedAt === null) } : d,
          ),
        ),
      'GET /api/break-glass': () => json(200, []),
      'GET /api/retention/holds': () => json(200, holds),
      'POST /api/retention/holds': async (request) => {
        const body = (await request.json()) as { reason: string };
        const hold: Hold = {
          id: HOLD_ID,
          personId: DUE_PERSON,
          reason: body.reason,
          placedBy: '00000000-0000-4000-8000-000000000001',
          placedAt: '2026-11-28T08:00:00.000Z',
          liftedAt: null,
          liftedBy: null,
          liftReason: null,
        };
        holds = [hold, ...holds];
        return json(201, hold);
      },
      [`POST /api/retention/holds/${HOLD_ID}/lift`]: async (request) => {
        const body = (await request.json()) as { reason: string };
        holds = holds.map((h) =>
          h.id === HOLD_ID ? { ...h, liftedAt: '2026-11-28T09:00:00.000Z', liftReason: body.reason } : h,
        );
        return json(200, holds[0]);
      },
    });
    renderAs(meWith(DPO), <DataProtectionPage me={meWith(DPO)} />);
    const panel = await screen.findByRole('region', { name: 'Person 0b3c5e0e' });
    await within(panel).findByText('No legal hold is known for this person.');
    expect(within(panel).getByText('One earlier hold, lifted')).toBeTruthy();
    expect(within(panel).getByText('The inquiry was closed')).toBeTruthy();
    expect(server.requests.find((r) => r.key === 'GET /api/retention/holds')?.query.get('personId')).toBe(
      DUE_PERSON,
    );

    const reason = within(panel).getByLabelText('Reason for a legal hold');
    fireEvent.change(reason, { target: { value: 'Court' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Place legal hold' }));
    expect(within(panel).getByText('Write the reason in at least 10 characters.')).toBeTruthy();
    expect(server.bodiesOf('POST /api/retention/holds')).toEqual([]);

    fireEvent.change(reason, { target: { value: 'Court case 2026/117 needs the record' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Place legal hold' }));
    await screen.findByText('Person 0b3c5e0e: legal hold placed.');
    expect(server.bodiesOf('POST /api/retention/holds')).toEqual([
      { personId: DUE_PERSON, reason: 'Court case 2026/117 needs the record' },
    ]);
    expect(await within(panel).findByText(/Under legal hold/)).toBeTruthy();

    fireEvent.click(within(panel).getByRole('button', { name: 'Lift legal hold' }));
    const liftReason = within(panel).getByLabelText('Why the hold is lifted');
    fireEvent.change(liftReason, { target: { value: 'Done' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Lift the hold' }));
    expect(within(panel).getAllByText('Write the reason in at least 10 characters.')).toHaveLength(1);
    expect(server.bodiesOf(`POST /api/retention/holds/${HOLD_ID}/lift`)).toEqual([]);
    fireEvent.change(liftReason, { target: { value: 'The court case has ended' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Lift the hold' }));
    await screen.findByText('Person 0b3c5e0e: legal hold lifted.');
    expect(server.bodiesOf(`POST /api/retention/holds/${HOLD_ID}/lift`)).toEqual([
      { reason: 'The court case has ended' },
    ]);
    await waitFor(() => expect(within(panel).queryByText(/Under legal hold/)).toBeNull());
    expect(await within(panel).findByText('2 earlier holds, lifted')).toBeTruthy();
  });

  it('anonymises only after the reference is typed, naming the consequences first', async () => {
    openPerson(DUE_PERSON);
    const server = fakeServer({
      'GET /api/retention/due': () => json(200, due),
      'GET /api/break-glass': () => json(200, []),
      [`POST /api/retention/persons/${DUE_PERSON}/anonymise`]: () => new Response(null, { status: 204 }),
    });
    renderAs(meWith(DPO), <DataProtectionPage me={meWith(DPO)} />);
    const panel = await screen.findByRole('region', { name: 'Person 0b3c5e0e' });
    fireEvent.click(within(panel).getByRole('button', { name: 'Anonymise…' }));
    const dialog = screen.getByRole('form', { name: 'Anonymise person 0b3c5e0e' });
    expect(within(dialog).getByText(/replaces every name with “\[anonymised\]”/)).toBeTruthy();
    expect(within(dialog).getByText(/replaces the free text of their cases/)).toBeTruthy();
    expect(within(dialog).getByText('cannot be undone.')).toBeTruthy();

    const confirm = within(dialog).getByLabelText('Type 0b3c5e0e to confirm');
    fireEvent.change(confirm, { target: { value: '0b3c5e0f' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Anonymise for good' }));
    expect(within(dialog).getByText('Type 0b3c5e0e exactly to confirm.')).toBeTruthy();
    expect(server.requests.some((r) => r.key.endsWith('/anonymise'))).toBe(false);

    fireEvent.change(confirm, { target: { value: '0b3c5e0e' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Anonymise for good' }));
    await screen.findByText('Person 0b3c5e0e anonymised.');
    expect(server.requests.filter((r) => r.key.endsWith('/anonymise'))).toHaveLength(1);
  });

  it('deletes only after the reference is typed, naming what goes and what the audit trail keeps', async () => {
    openPerson(DUE_PERSON);
    const server = fakeServer({
      'GET /api/retention/due': () => json(200, due),
      'GET /api/break-glass': () => json(200, []),
      'GET /api/retention/holds': () => json(200, []),
      [`DELETE /api/retention/persons/${DUE_PERSON}`]: () => new Response(null, { status: 204 }),
    });
    renderAs(meWith(DPO), <DataProtectionPage me={meWith(DPO)} />);
    const panel = await screen.findByRole('region', { name: 'Person 0b3c5e0e' });
    fireEvent.click(within(panel).getByRole('button', { name: 'Delete…' }));
    const dialog = screen.getByRole('form', { name: 'Delete person 0b3c5e0e' });
    expect(within(dialog).getByText(/keeps the audit trail/)).toBeTruthy();
    expect(within(dialog).getByText('cannot be undone.')).toBeTruthy();
    fireEvent.change(within(dialog).getByLabelText('Type 0b3c5e0e to confirm'), { target: { value: 'yes' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete for good' }));
    expect(within(dialog).getByText('Type 0b3c5e0e exactly to confirm.')).toBeTruthy();
    expect(server.requests.some((r) => r.key.startsWith('DELETE'))).toBe(false);
    fireEvent.change(within(dialog).getByLabelText('Type 0b3c5e0e to confirm'), {
      target: { value: '0b3c5e0e' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete for good' }));
    await screen.findByText('Person 0b3c5e0e deleted.');
    expect(
      server.requests.filter((r) => r.key === `DELETE /api/retention/persons/${DUE_PERSON}`),
    ).toHaveLength(1);
    // The deleted person's panel is gone.
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Person 0b3c5e0e' })).toBeNull());
  });

  it('says that a legal hold stands in the way when the API refuses the anonymisation', async () => {
    openPerson(HELD_PERSON);
    fakeServer({
      'GET /api/retention/due': () => json(200, due),
      'GET /api/break-glass': () => json(200, []),
      'GET /api/retention/holds': () =>
        json(200, [
          {
            id: HOLD_ID,
            personId: HELD_PERSON,
            reason: 'Court case 2026/117 needs the record',
            placedBy: '00000000-0000-4000-8000-000000000002',
            placedAt: '2026-10-01T08:00:00.000Z',
            liftedAt: null,
            liftedBy: null,
            liftReason: null,
          },
        ]),
      [`POST /api/retention/persons/${HELD_PERSON}/anonymise`]: () =>
        json(409, { code: 'LEGAL_HOLD_ACTIVE', message: 'The person is under a legal hold' }),
    });
    renderAs(meWith(DPO), <DataProtectionPage me={meWith(DPO)} />);
    const panel = await screen.findByRole('region', { name: 'Person 7a1d2e3f' });
    await within(panel).findByText(/Under legal hold/);
    fireEvent.click(within(panel).getByRole('button', { name: 'Anonymise…' }));
    const dialog = screen.getByRole('form', { name: 'Anonymise person 7a1d2e3f' });
    fireEvent.change(within(dialog).getByLabelText('Type 7a1d2e3f to confirm'), {
      target: { value: '7a1d2e3f' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Anonymise for good' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe(
      'The person is under a legal hold: lift the hold before anonymising or deleting.',
    );
  });

  it('records a “keep” review for a due category', async () => {
    openPerson(DUE_PERSON);
    const server = fakeServer({
      'GET /api/retention/due': () => json(200, due),
      'GET /api/break-glass': () => json(200, []),
      'POST /api/retention/reviews': () => new Response(null, { status: 204 }),
    });
    renderAs(meWith(DPO), <DataProtectionPage me={meWith(DPO)} />);
    const panel = await screen.findByRole('region', { name: 'Person 0b3c5e0e' });
    fireEvent.click(
      await within(panel).findByRole('button', { name: 'Keep the record (Recorded without a case)' }),
    );
    await screen.findByText('Person 0b3c5e0e: kept after review (Recorded without a case).');
    expect(server.bodiesOf('POST /api/retention/reviews')).toEqual([
      { personId: DUE_PERSON, category: 'no_open_case', decision: 'keep' },
    ]);
  });

  it('asks nothing about retention of an officer who handles subject requests only', async () => {
    const server = fakeServer({});
    const me = meWith(['subject_requests:handle']);
    renderAs(me, <DataProtectionPage me={me} />);
    fireEvent.change(screen.getByLabelText('Person identifier'), { target: { value: 'not-an-id' } });
    fireEvent.click(screen.getByRole('button', { name: 'Open person' }));
    expect(screen.getByText(/Enter a full person identifier/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Person identifier'), { target: { value: DUE_PERSON } });
    fireEvent.click(screen.getByRole('button', { name: 'Open person' }));
    const panel = await screen.findByRole('region', { name: 'Person 0b3c5e0e' });
    expect(within(panel).getByRole('button', { name: 'Download export (JSON)' })).toBeTruthy();
    expect(within(panel).queryByRole('button', { name: 'Place legal hold' })).toBeNull();
    expect(screen.queryByRole('table')).toBeNull();
    expect(server.requests).toEqual([]);
  });
});
