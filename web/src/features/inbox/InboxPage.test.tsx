import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { changeLanguage, initI18n } from '../../i18n/index.ts';
import type { Approval, Referral } from './api.ts';
import { InboxPage } from './InboxPage.tsx';
import { CASE_ID, fakeServer, json, OTHER_USER, renderWithClient, userWith } from './testing.tsx';

const APPROVAL_ID = '00000000-0000-4000-8000-00000000a001';
const REFERRAL_ID = '00000000-0000-4000-8000-00000000r001'.replace('r', 'e');
const HIT_ID = '00000000-0000-4000-8000-00000000h001'.replace('h', 'f');
const GRANT_ID = '00000000-0000-4000-8000-00000000b001';

const approval: Approval = {
  id: APPROVAL_ID,
  caseId: CASE_ID,
  transition: 'close',
  status: 'pending',
  requestedBy: OTHER_USER,
  requestedAt: '2026-11-20T10:00:00.000Z',
  requestComment: 'Goals of the plan are met',
  decidedBy: null,
  decidedAt: null,
  decisionComment: null,
  transitionLabel: 'Close the case after monitoring: step down',
  kind: 'stage',
  track: null,
  to: '10',
  // The deployment's own words; the web shows its translation of the stage instead.
  toStage: { stage: 10, code: 'closed', label: 'Case closed (workflow wording)' },
  requester: { id: OTHER_USER, displayName: 'Demo Case Worker' },
  case: {
    id: CASE_ID,
    caseNumber: 'HW-2026-000123',
    displayName: 'Aisulu Demo',
    stage: { stage: 9, code: 'monitoring', label: 'Monitoring (workflow wording)' },
  },
};

const referral: Referral = {
  id: REFERRAL_ID,
  caseId: null,
  fromAgencyId: '00000000-0000-4000-8000-0000000000a1',
  toAgencyId: '00000000-0000-4000-8000-0000000000a2',
  fromAgency: {
    id: '00000000-0000-4000-8000-0000000000a1',
    code: 'MLSP',
    name: 'Ministry of Social Protection',
  },
  toAgency: { id: '00000000-0000-4000-8000-0000000000a2', code: 'NGO-WRC', name: 'Women’s Resource Centre' },
  serviceType: 'psychosocial',
  packetSummary: 'Mother and two children, needs trauma counselling in Kazakh',
  urgency: 'urgent',
  status: 'pending',
  consentBasis: 'consent',
  person: { displayName: null, sex: 'female', ageBand: '25-59' },
  packetNotes: [],
  declineReason: null,
  createdAt: '2026-11-25T08:00:00.000Z',
  decidedAt: null,
  version: 1,
};

const hit = {
  id: HIT_ID,
  personId: '00000000-0000-4000-8000-00000000d001',
  referenceNumber: 'QDi.999',
  listedName: 'Synthetic Listed Name',
  score: 0.912,
  decision: 'match',
  explanation: ['given name: exact after transliteration', 'family name: phonetic match'],
  weakAlias: false,
  status: 'in_review',
  createdAt: '2026-11-26T08:00:00.000Z',
  decidedAt: null,
  versionId: '00000000-0000-4000-8000-00000000d101',
  algorithmVersion: 'names-2',
  threshold: 0.85,
  reviews: [
    {
      reviewerId: OTHER_USER,
      reviewer: { id: OTHER_USER, displayName: 'Demo Security Assessor' },
      disposition: 'false_positive',
      reason: 'Different birth year',
      reviewedAt: '2026-11-26T09:00:00.000Z',
    },
  ],
};

const grant = {
  id: GRANT_ID,
  userId: OTHER_USER,
  user: { id: OTHER_USER, displayName: 'Demo Case Worker' },
  caseId: CASE_ID,
  compartments: ['protection'],
  reason: 'Child reported missing at night, need the placement address',
  openedAt: '2026-11-27T22:00:00.000Z',
  expiresAt: '2026-11-28T02:00:00.000Z',
  endedAt: null,
  reviewedAt: null,
  reviewedBy: null,
  reviewer: null,
  reviewOutcome: null,
  reviewNote: null,
  active: false,
};

beforeAll(async () => {
  await initI18n('en');
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('inbox tabs', () => {
  it('shows only the tabs the permissions allow, the first one current by default', async () => {
    window.history.pushState(null, '', '/inbox');
    const server = fakeServer({
      'GET /api/approvals': () => json(200, []),
      'GET /api/watchlist/hits': () => json(200, []),
    });
    renderWithClient(<InboxPage me={userWith(['cases:read', 'cases:approve', 'watchlist:screen'])} />);
    const tabs = screen.getByRole('navigation', { name: 'Inboxes' });
    const links = within(tabs).getAllByRole('link');
    expect(links.map((l) => l.textContent)).toEqual(['Approvals', 'Screening review']);
    expect(links[0]?.getAttribute('aria-current')).toBe('page');
    expect(links[1]?.getAttribute('aria-current')).toBeNull();
    expect(await screen.findByText('No transition is waiting for your approval.')).toBeTruthy();
    expect(server.paths()).not.toContain('/api/break-glass');
    expect(server.paths()).not.toContain('/api/referrals');
  });

  it('falls back to the first allowed tab when the address names one the user may not see', async () => {
    window.history.pushState(null, '', '/inbox/break-glass');
    const server = fakeServer({ 'GET /api/referrals': () => json(200, []) });
    renderWithClient(<InboxPage me={userWith(['referrals:receive'])} box="break-glass" />);
    expect(await screen.findByText('Your agency has received no referrals.')).toBeTruthy();
    expect(server.paths()).not.toContain('/api/break-glass');
  });
});

describe('approvals', () => {
  function serve(reject: (request: Request) => Response | Promise<Response> = () => json(200, {})) {
    let pending = [approval];
    return fakeServer({
      'GET /api/approvals': () => json(200, pending),
      [`POST /api/cases/${CASE_ID}/approvals/${APPROVAL_ID}/approve`]: () => {
        pending = [];
        return json(200, {});
      },
      [`POST /api/cases/${CASE_ID}/approvals/${APPROVAL_ID}/reject`]: reject,
    });
  }
  const supervisor = userWith(['cases:read', 'cases:approve']);

  it('shows what is requested in words, by whom and when, without fetching the case', async () => {
    const server = serve();
    renderWithClient(<InboxPage me={supervisor} box="approvals" />);
    const item = await screen.findByRole('article', { name: 'HW-2026-000123 — Aisulu Demo' });
    expect(within(item).getByText(/Close the case after monitoring: step down/)).toBeTruthy();
    expect(screen.queryByText('close')).toBeNull();
    // The web's own stage names win over the workflow's wording.
    expect(screen.getByText('(leads to Stage 10: Closed)')).toBeTruthy();
    expect(screen.getByText('Stage 9: Monitoring')).toBeTruthy();
    expect(screen.getByText('Demo Case Worker')).toBeTruthy();
    expect(screen.getByText('Goals of the plan are met')).toBeTruthy();
    expect(server.paths()).not.toContain(`/api/cases/${CASE_ID}`);
  });

  it('falls back to the transition code when the workflow no longer has it, and names "you"', async () => {
    fakeServer({
      'GET /api/approvals': () =>
        json(200, [
          {
            ...approval,
            transition: 'retired_step',
            transitionLabel: null,
            kind: null,
            to: null,
            toStage: null,
            requester: { id: supervisor.id, displayName: 'Demo Supervisor' },
          },
        ]),
    });
    renderWithClient(<InboxPage me={supervisor} box="approvals" />);
    expect(await screen.findByText('retired_step')).toBeTruthy();
    expect(screen.queryByText(/leads to/)).toBeNull();
    expect(screen.getByText('you')).toBeTruthy();
  });

  it('shows the stage in the reader’s language', async () => {
    await changeLanguage('ru');
    try {
      serve();
      renderWithClient(<InboxPage me={supervisor} box="approvals" />);
      expect(await screen.findByText('Этап 9: Мониторинг')).toBeTruthy();
    } finally {
      await changeLanguage('en');
    }
  });

  it('asks for a comment before rejecting, without calling the server', async () => {
    const server = serve();
    renderWithClient(<InboxPage me={supervisor} box="approvals" />);
    fireEvent.click(await screen.findByRole('button', { name: 'Reject' }));
    const comment = screen.getByLabelText('Your comment');
    expect(comment.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Write why you reject this transition.')).toBeTruthy();
    expect(server.find(`POST /api/cases/${CASE_ID}/approvals/${APPROVAL_ID}/reject`)).toHaveLength(0);
  });

  it("puts the server's validation message next to the comment", async () => {
    serve(() =>
      json(400, {
        code: 'VALIDATION_FAILED',
        message: 'Invalid request',
        details: { issues: [{ path: 'body.comment', message: 'At most 2000 characters' }] },
      }),
    );
    renderWithClient(<InboxPage me={supervisor} box="approvals" />);
    fireEvent.change(await screen.findByLabelText('Your comment'), { target: { value: 'x'.repeat(2001) } });
    fireEvent.click(screen.getByRole('button', { name: 'Reject' }));
    expect(await screen.findByText('At most 2000 characters')).toBeTruthy();
    expect(screen.getByLabelText('Your comment').getAttribute('aria-describedby')).toContain('-error');
  });

  it('approves, announces it and refreshes the list', async () => {
    const server = serve();
    renderWithClient(<InboxPage me={supervisor} box="approvals" />);
    fireEvent.change(await screen.findByLabelText('Your comment'), { target: { value: 'Agreed at panel' } });
    fireEvent.click(screen.getByRole('button', { name: 'Approve' }));
    expect(await screen.findByText('Approved: Close the case after monitoring: step down.')).toBeTruthy();
    expect(await screen.findByText('No transition is waiting for your approval.')).toBeTruthy();
    const post = server.find(`POST /api/cases/${CASE_ID}/approvals/${APPROVAL_ID}/approve`)[0];
    expect(await post?.json()).toEqual({ comment: 'Agreed at panel' });
    expect(server.find('GET /api/approvals').length).toBe(2);
  });
});

describe('referrals received', () => {
  const ngo = userWith(['directory:read', 'referrals:receive', 'services:record']);

  it('shows the packet without the name until accepted, and needs a reason to decline', async () => {
    let current = referral;
    const server = fakeServer({
      'GET /api/referrals': () => json(200, [current]),
      [`POST /api/referrals/${REFERRAL_ID}/decline`]: async (request) => {
        const body = (await request.json()) as { reason: string };
        current = { ...referral, status: 'declined', declineReason: body.reason };
        return json(200, current);
      },
    });
    renderWithClient(<InboxPage me={ngo} box="referrals" />);
    expect(await screen.findByText('The name is shown once your agency accepts.')).toBeTruthy();
    expect(screen.getByText('Mother and two children, needs trauma counselling in Kazakh')).toBeTruthy();
    expect(screen.getByText('female, aged 25-59')).toBeTruthy();
    expect(screen.getByText('Ministry of Social Protection')).toBeTruthy();
    expect(screen.getByText('(MLSP)')).toBeTruthy();
    // No case link for an agency that cannot read cases.
    expect(screen.queryByText('Case')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Decline' }));
    expect(screen.getByText('Write why your agency declines this referral.')).toBeTruthy();
    expect(server.find(`POST /api/referrals/${REFERRAL_ID}/decline`)).toHaveLength(0);

    fireEvent.change(screen.getByLabelText('Reason for declining'), {
      target: { value: 'No Kazakh-speaking counsellor this month' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Decline' }));
    expect(await screen.findByText('Referral declined: Psychosocial support.')).toBeTruthy();
    expect(await screen.findByText('No Kazakh-speaking counsellor this month')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Accept' })).toBeNull();
    expect(await server.find(`POST /api/referrals/${REFERRAL_ID}/decline`)[0]?.json()).toEqual({
      reason: 'No Kazakh-speaking counsellor this month',
    });
  });

  it('accepts without a reason and then shows what the API reveals', async () => {
    let current = referral;
    fakeServer({
      'GET /api/referrals': () => json(200, [current]),
      [`POST /api/referrals/${REFERRAL_ID}/accept`]: () => {
        current = {
          ...referral,
          status: 'accepted',
          caseId: CASE_ID,
          person: { ...referral.person, displayName: 'Aisulu Demo' },
        };
        return json(200, current);
      },
    });
    renderWithClient(<InboxPage me={ngo} box="referrals" />);
    fireEvent.click(await screen.findByRole('button', { name: 'Accept' }));
    expect(await screen.findByText('Referral accepted: Psychosocial support.')).toBeTruthy();
    expect(await screen.findByText('Aisulu Demo')).toBeTruthy();
  });
});

describe('screening review', () => {
  it('shows the matched entry, score, explanation and the first reviewer', async () => {
    fakeServer({
      'GET /api/watchlist/hits': (r) =>
        json(200, new URL(r.url).searchParams.get('status') === 'in_review' ? [hit] : []),
    });
    renderWithClient(<InboxPage me={userWith(['watchlist:screen', 'watchlist:review'])} box="screening" />);
    expect(await screen.findByRole('heading', { name: 'Synthetic Listed Name' })).toBeTruthy();
    expect(screen.getByText('QDi.999')).toBeTruthy();
    expect(screen.getByText(/0\.912 \(threshold 0\.85\)/)).toBeTruthy();
    expect(screen.getByText('family name: phonetic match')).toBeTruthy();
    expect(screen.getAllByText('One review recorded').length).toBeGreaterThan(0);
    expect(screen.getByText('Demo Security Assessor')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Record the second review' })).toBeTruthy();
  });

  it('shows the server refusing the same reviewer twice', async () => {
    const me = userWith(['watchlist:screen', 'watchlist:review']);
    fakeServer({
      'GET /api/watchlist/hits': (r) =>
        json(
          200,
          new URL(r.url).searchParams.get('status') === 'pending'
            ? [{ ...hit, status: 'pending', reviews: [] }]
            : [],
        ),
      [`POST /api/watchlist/hits/${HIT_ID}/reviews`]: () =>
        json(409, {
          code: 'SCREENING_SAME_REVIEWER',
          message: 'The second review must come from someone else',
        }),
    });
    renderWithClient(<InboxPage me={me} box="screening" />);
    fireEvent.click(await screen.findByLabelText('Confirmed match'));
    fireEvent.click(screen.getByRole('button', { name: 'Record the first review' }));
    expect(await screen.findByText(/The second review must come from someone else/)).toBeTruthy();
  });

  it('needs a 10-character reason for a false positive and sends the disposition', async () => {
    const server = fakeServer({
      'GET /api/watchlist/hits': (r) =>
        json(
          200,
          new URL(r.url).searchParams.get('status') === 'pending'
            ? [{ ...hit, status: 'pending', reviews: [] }]
            : [],
        ),
      [`POST /api/watchlist/hits/${HIT_ID}/reviews`]: () =>
        json(200, { id: HIT_ID, status: 'in_review', reviews: 1 }),
    });
    renderWithClient(<InboxPage me={userWith(['watchlist:screen', 'watchlist:review'])} box="screening" />);
    fireEvent.click(await screen.findByLabelText('False positive'));
    fireEvent.change(screen.getByLabelText('Reason'), { target: { value: 'short' } });
    fireEvent.click(screen.getByRole('button', { name: 'Record the first review' }));
    expect(screen.getByLabelText('Reason').getAttribute('aria-invalid')).toBe('true');
    expect(server.find(`POST /api/watchlist/hits/${HIT_ID}/reviews`)).toHaveLength(0);

    fireEvent.change(screen.getByLabelText('Reason'), {
      target: { value: 'Born 1990, listed person born 1961' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Record the first review' }));
    expect(
      await screen.findByText(
        'Your review of Synthetic Listed Name is recorded; a second reviewer must decide.',
      ),
    ).toBeTruthy();
    expect(await server.find(`POST /api/watchlist/hits/${HIT_ID}/reviews`)[0]?.json()).toEqual({
      disposition: 'false_positive',
      reason: 'Born 1990, listed person born 1961',
    });
  });

  it('offers no review form to someone who may screen but not review', async () => {
    fakeServer({
      'GET /api/watchlist/hits': (r) =>
        json(200, new URL(r.url).searchParams.get('status') === 'in_review' ? [hit] : []),
    });
    renderWithClient(<InboxPage me={userWith(['watchlist:screen'])} box="screening" />);
    await screen.findAllByRole('heading', { name: 'Synthetic Listed Name' });
    expect(screen.queryByRole('button', { name: /Record the/ })).toBeNull();
  });
});

describe('break-glass review', () => {
  it('shows reason, who, which case and when, and records the review', async () => {
    let open = [grant];
    const server = fakeServer({
      'GET /api/break-glass': () => json(200, open),
      [`POST /api/break-glass/${GRANT_ID}/review`]: () => {
        open = [];
        return json(200, { ...grant, reviewOutcome: 'justified' });
      },
    });
    // A data-protection officer: no case content, so the case is named by id only.
    renderWithClient(
      <InboxPage
        me={userWith(['audit:read', 'disclosures:review', 'subject_requests:handle'])}
        box="break-glass"
      />,
    );
    expect(
      await screen.findByText('Child reported missing at night, need the placement address'),
    ).toBeTruthy();
    expect(screen.getByText('case 00000000')).toBeTruthy();
    expect(screen.getByText('Demo Case Worker')).toBeTruthy();
    expect(screen.getByText('protection')).toBeTruthy();
    expect(server.paths()).not.toContain(`/api/cases/${CASE_ID}`);

    fireEvent.click(screen.getByRole('button', { name: 'Record the review' }));
    expect(screen.getByText('Choose justified or unjustified.')).toBeTruthy();
    fireEvent.click(screen.getByLabelText('Justified'));
    fireEvent.click(screen.getByRole('button', { name: 'Record the review' }));
    expect(await screen.findByText('Break-glass review recorded: Justified.')).toBeTruthy();
    await waitFor(() => expect(screen.getByText('No break-glass event is waiting for review.')).toBeTruthy());
    expect(await server.find(`POST /api/break-glass/${GRANT_ID}/review`)[0]?.json()).toEqual({
      outcome: 'justified',
    });
  });
});
