import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { initI18n } from '../../i18n/index.ts';
import { createFormatters } from '../../ui/format.ts';
import { CASE_ID, fakeServer, json, renderWithClient, userWith } from '../inbox/testing.tsx';
import { HomePage } from './HomePage.tsx';

function isoDay(offset: number): string {
  return new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
}

const caseItem = {
  id: CASE_ID,
  caseNumber: 'HW-2026-000123',
  status: 'open',
  stage: 5,
  personId: '00000000-0000-4000-8000-00000000d001',
  displayName: 'Aisulu Demo',
  sex: 'female',
  ageBand: '25-59',
  flags: [],
  ownerAgencyId: '00000000-0000-4000-8000-0000000000a1',
  assignedUserId: '00000000-0000-4000-8000-000000000001',
  familyUnitId: null,
  tracks: [],
  nextDueOn: isoDay(-2),
  overdueTasks: 1,
  openedAt: '2026-10-01T08:00:00.000Z',
};

function task(id: string, title: string, dueOn: string, overdue: boolean) {
  return {
    id,
    caseId: CASE_ID,
    kind: 'task',
    title,
    dueOn,
    assignedUserId: '00000000-0000-4000-8000-000000000001',
    status: 'open',
    overdue,
    version: 1,
    case: { id: CASE_ID, caseNumber: 'HW-2026-000123', displayName: 'Aisulu Demo' },
  };
}

const homeVisit = task(
  '00000000-0000-4000-8000-0000000000t1'.replace('t', 'e'),
  'Home visit',
  isoDay(3),
  false,
);
const lateReport = task(
  '00000000-0000-4000-8000-0000000000t2'.replace('t', 'e'),
  'School report',
  isoDay(-2),
  true,
);

function caseworkerServer(due = { items: [lateReport, homeVisit], total: 2, overdue: 1 }) {
  return fakeServer({
    'GET /api/cases': () => json(200, { items: [caseItem], nextCursor: null, total: 1 }),
    'GET /api/tasks/due': () => json(200, due),
    'GET /api/notifications': () => json(200, []),
    'GET /api/approvals': () => json(200, []),
  });
}

beforeAll(async () => {
  await initI18n('en');
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('the home page of a case worker', () => {
  const caseWorker = userWith(['cases:read', 'cases:write', 'persons:read'], {
    displayName: 'Demo Case Worker',
    roles: [{ code: 'case_worker', name: 'Case worker' }],
  });

  it('asks for the open cases assigned to the user and shows stage, overdue tasks and the next due date', async () => {
    const server = caseworkerServer();
    renderWithClient(<HomePage me={caseWorker} />);
    const panel = (await screen.findByRole('heading', { name: /My caseload/ })).closest('section');
    if (!panel) throw new Error('no caseload panel');
    expect(await within(panel).findByRole('heading', { name: 'My caseload 1' })).toBeTruthy();
    const link = await within(panel).findByRole('link', { name: 'Aisulu Demo' });
    expect(link.getAttribute('href')).toBe(`/cases/${CASE_ID}`);
    expect(within(panel).getByText(/Stage 5: Individual assessment/)).toBeTruthy();
    expect(within(panel).getByText('1 overdue task')).toBeTruthy();
    expect(within(panel).getByText(`Next task due ${createFormatters('en').date(isoDay(-2))}`)).toBeTruthy();

    const query = new URL(server.find('GET /api/cases')[0]?.url ?? 'http://x').searchParams;
    expect(query.get('assignedUserId')).toBe(caseWorker.id);
    expect(query.get('status')).toBe('open');
    // One request for the tasks: none per case of the caseload.
    expect(server.paths().filter((p) => p.includes('/tasks'))).toEqual(['/api/tasks/due']);
  });

  it('asks for my tasks due within the week and lists them with their case', async () => {
    const server = caseworkerServer();
    renderWithClient(<HomePage me={caseWorker} />);
    expect(await screen.findByRole('heading', { name: 'Tasks due soon and overdue 2' })).toBeTruthy();
    expect(await screen.findByText('Overdue: 1 · due within 7 days: 1')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Home visit' }).getAttribute('href')).toBe(
      `/cases/${CASE_ID}/tasks`,
    );
    const panel = screen.getByRole('heading', { name: /Tasks due soon/ }).closest('section');
    if (!panel) throw new Error('no tasks panel');
    expect(within(panel).getAllByText('Aisulu Demo')).toHaveLength(2);
    const query = new URL(server.find('GET /api/tasks/due')[0]?.url ?? 'http://x').searchParams;
    expect(query.get('mine')).toBe('true');
    expect(query.get('before')).toBe(isoDay(7));
  });

  it('counts every task the server found, not only those it sent', async () => {
    caseworkerServer({ items: [lateReport, homeVisit], total: 14, overdue: 3 });
    renderWithClient(<HomePage me={caseWorker} />);
    expect(await screen.findByRole('heading', { name: 'Tasks due soon and overdue 14' })).toBeTruthy();
    expect(screen.getByText('Overdue: 3 · due within 7 days: 11')).toBeTruthy();
  });

  it('shows no panel whose list the server would refuse, and never asks for it', async () => {
    const server = caseworkerServer();
    renderWithClient(<HomePage me={caseWorker} />);
    await screen.findByRole('heading', { name: /My caseload/ });
    for (const name of [/Approvals waiting/, /Referrals received/, /Screening hits/, /Break-glass events/])
      expect(screen.queryByRole('heading', { name })).toBeNull();
    for (const path of ['/api/approvals', '/api/referrals', '/api/watchlist/hits', '/api/break-glass'])
      expect(server.paths()).not.toContain(path);
  });
});

describe('the home page of other roles', () => {
  it('shows a data-protection officer break-glass events but no caseload', async () => {
    const server = fakeServer({
      'GET /api/break-glass': () =>
        json(200, [
          {
            id: '00000000-0000-4000-8000-00000000b001',
            userId: '00000000-0000-4000-8000-000000000002',
            user: { id: '00000000-0000-4000-8000-000000000002', displayName: 'Demo Case Worker' },
            caseId: CASE_ID,
            compartments: ['protection'],
            reason: 'Child reported missing at night',
            openedAt: '2026-11-27T22:00:00.000Z',
            expiresAt: '2026-11-28T02:00:00.000Z',
            endedAt: null,
            reviewedAt: null,
            reviewedBy: null,
            reviewer: null,
            reviewOutcome: null,
            reviewNote: null,
            active: false,
          },
        ]),
      'GET /api/notifications': () => json(200, []),
    });
    renderWithClient(
      <HomePage
        me={userWith(['audit:read', 'disclosures:review', 'subject_requests:handle'], { roles: [] })}
      />,
    );
    expect(await screen.findByRole('heading', { name: 'Break-glass events to review 1' })).toBeTruthy();
    expect(screen.getByText('Child reported missing at night')).toBeTruthy();
    expect(screen.getByText('Demo Case Worker')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Open the break-glass inbox' }).getAttribute('href')).toBe(
      '/inbox/break-glass',
    );
    expect(screen.queryByRole('heading', { name: /My caseload/ })).toBeNull();
    expect(server.paths()).not.toContain('/api/cases');
    expect(server.find('GET /api/break-glass')[0]?.url).toContain('unreviewed=true');
  });

  it('counts only pending referrals for an NGO and links to the referrals inbox', async () => {
    const base = {
      caseId: null,
      fromAgencyId: '00000000-0000-4000-8000-0000000000a1',
      toAgencyId: '00000000-0000-4000-8000-0000000000a2',
      fromAgency: {
        id: '00000000-0000-4000-8000-0000000000a1',
        code: 'RSS',
        name: 'Regional Social Services',
      },
      toAgency: {
        id: '00000000-0000-4000-8000-0000000000a2',
        code: 'NGO-WRC',
        name: 'Women’s Resource Centre',
      },
      packetSummary: 'x',
      urgency: 'normal',
      consentBasis: 'consent',
      person: { displayName: null, sex: 'female', ageBand: null },
      packetNotes: [],
      declineReason: null,
      createdAt: '2026-11-25T08:00:00.000Z',
      decidedAt: null,
      version: 1,
    };
    fakeServer({
      'GET /api/referrals': () =>
        json(200, [
          { ...base, id: '00000000-0000-4000-8000-00000000e001', serviceType: 'shelter', status: 'pending' },
          { ...base, id: '00000000-0000-4000-8000-00000000e002', serviceType: 'medical', status: 'accepted' },
        ]),
      'GET /api/notifications': () => json(200, []),
    });
    renderWithClient(<HomePage me={userWith(['directory:read', 'referrals:receive', 'services:record'])} />);
    expect(await screen.findByRole('heading', { name: 'Referrals received by your agency 1' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Shelter' })).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Medical care' })).toBeNull();
    expect(screen.getByText('Regional Social Services')).toBeTruthy();
  });

  it('shows a supervisor each approval in words: case, transition, stage and requester', async () => {
    const server = fakeServer({
      'GET /api/approvals': () =>
        json(200, [
          {
            id: '00000000-0000-4000-8000-00000000a001',
            caseId: CASE_ID,
            transition: 'close',
            status: 'pending',
            requestedBy: '00000000-0000-4000-8000-000000000002',
            requestedAt: '2026-11-20T10:00:00.000Z',
            requestComment: null,
            decidedBy: null,
            decidedAt: null,
            decisionComment: null,
            transitionLabel: 'Close the case after monitoring: step down',
            kind: 'stage',
            track: null,
            to: '10',
            toStage: { stage: 10, code: 'closed', label: 'Closed' },
            requester: { id: '00000000-0000-4000-8000-000000000002', displayName: 'Demo Case Worker' },
            case: {
              id: CASE_ID,
              caseNumber: 'HW-2026-000123',
              displayName: 'Aisulu Demo',
              stage: { stage: 9, code: 'monitoring', label: 'Monitoring' },
            },
          },
        ]),
      'GET /api/notifications': () => json(200, []),
    });
    renderWithClient(<HomePage me={userWith(['cases:approve'], { roles: [] })} />);
    expect(await screen.findByRole('heading', { name: 'Approvals waiting for you 1' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Aisulu Demo' }).getAttribute('href')).toBe(`/cases/${CASE_ID}`);
    expect(screen.getByText('Close the case after monitoring: step down')).toBeTruthy();
    expect(screen.getByText(/leads to Stage 10: Closed/)).toBeTruthy();
    expect(screen.getByText('Demo Case Worker')).toBeTruthy();
    expect(server.paths()).not.toContain(`/api/cases/${CASE_ID}`);
  });

  it('marks a notification read and refreshes the list', async () => {
    let unread = [
      {
        id: '00000000-0000-4000-8000-00000000f001',
        kind: 'disclosure_received',
        subjectType: 'case',
        subjectId: CASE_ID,
        actorUserId: null,
        createdAt: '2026-11-27T08:00:00.000Z',
        readAt: null,
      },
    ];
    const server = fakeServer({
      'GET /api/notifications': () => json(200, unread),
      'POST /api/notifications/00000000-0000-4000-8000-00000000f001/read': () => {
        unread = [];
        return new Response(null, { status: 204 });
      },
    });
    renderWithClient(<HomePage me={userWith([])} />);
    const link = await screen.findByRole('link', { name: 'A case section was disclosed to you' });
    expect(link.getAttribute('href')).toBe(`/cases/${CASE_ID}`);
    fireEvent.click(
      screen.getByRole('button', { name: 'Mark as read: A case section was disclosed to you' }),
    );
    expect(await screen.findByText('No unread notifications.')).toBeTruthy();
    expect(server.find('GET /api/notifications')).toHaveLength(2);
  });
});
