import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { initI18n } from '../../i18n/index.ts';
import { ConflictDialog } from '../../ui/ConflictDialog.tsx';
import { CaseFilePage } from './CaseFilePage.tsx';
import { FamilyPanel } from './FamilyPanel.tsx';
import { PersonDetails } from './PersonDetails.tsx';
import { TimelineSection } from './TimelineSection.tsx';
import {
  CASE_ID,
  caseDetail,
  fakeServer,
  json,
  meWith,
  OTHER_USER,
  PERSON_ID,
  person,
  renderWithClient,
} from './testing.tsx';

beforeAll(async () => {
  await initI18n('en');
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('restricted fields', () => {
  it('reads a masked place of birth as restricted, naming whom to ask', () => {
    renderWithClient(
      <PersonDetails
        canEdit={false}
        person={person({
          placeOfBirth: { restricted: true, compartment: 'security', ask: 'the security liaison' },
        })}
      />,
    );
    const row = screen.getByText('Place of birth').closest('div') as HTMLElement;
    expect(within(row).getByText(/Restricted — ask the security liaison/)).toBeTruthy();
    expect(within(row).queryByText('Demo Town')).toBeNull();
  });
});

describe('break-glass', () => {
  it('refuses a reason under 20 characters, then sends the reason and shows the emergency banner', async () => {
    let opened = false;
    const grant = {
      id: '00000000-0000-4000-8000-00000000b001',
      userId: '00000000-0000-4000-8000-000000000001',
      caseId: CASE_ID,
      compartments: ['protection'],
      reason: 'x',
      openedAt: '2026-11-28T03:00:00.000Z',
      expiresAt: '2026-11-28T04:00:00.000Z',
      endedAt: null,
      reviewedAt: null,
      reviewedBy: null,
      reviewOutcome: null,
      reviewNote: null,
      active: true,
    };
    const server = fakeServer({
      [`GET /api/cases/${CASE_ID}`]: () =>
        opened ? json(200, caseDetail()) : json(404, { code: 'CASE_NOT_FOUND', message: 'Case not found' }),
      [`GET /api/access/cases/${CASE_ID}`]: () =>
        json(200, {
          caseId: CASE_ID,
          read: ['identity', 'protection'],
          write: [],
          via: { scope: false, disclosureIds: [], breakGlassGrantId: grant.id },
        }),
      'GET /api/break-glass/mine': () => json(200, opened ? [grant] : []),
      [`POST /api/access/cases/${CASE_ID}/break-glass`]: () => {
        opened = true;
        return json(201, grant);
      },
      [`GET /api/persons/${PERSON_ID}`]: () => json(200, person()),
    });
    renderWithClient(<CaseFilePage me={meWith(['cases:read', 'breakglass:use'])} caseId={CASE_ID} />);

    fireEvent.click(await screen.findByRole('button', { name: 'Request emergency access' }));
    expect(screen.getByText(/supervisor and the data-protection officer are alerted/)).toBeTruthy();
    const reason = screen.getByLabelText('Why do you need this case now?');
    fireEvent.change(reason, { target: { value: 'too short' } });
    expect(screen.getByText('9 of at least 20 characters')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Open the case in an emergency' }));
    expect(screen.getByText('Write at least 20 characters.')).toBeTruthy();
    expect(reason.getAttribute('aria-invalid')).toBe('true');
    expect(server.bodiesOf(`POST /api/access/cases/${CASE_ID}/break-glass`)).toEqual([]);

    const written = 'Child reported missing from the reception centre tonight';
    fireEvent.change(reason, { target: { value: written } });
    fireEvent.click(screen.getByRole('button', { name: 'Open the case in an emergency' }));
    await waitFor(() =>
      expect(server.bodiesOf(`POST /api/access/cases/${CASE_ID}/break-glass`)).toEqual([{ reason: written }]),
    );
    expect(await screen.findByText(/Emergency access until/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'End emergency access' })).toBeTruthy();
  });

  it('offers no break-glass to a role without breakglass:use', async () => {
    fakeServer({
      [`GET /api/cases/${CASE_ID}`]: () => json(404, { code: 'CASE_NOT_FOUND', message: 'Case not found' }),
    });
    renderWithClient(<CaseFilePage me={meWith(['cases:read'])} caseId={CASE_ID} />);
    expect(await screen.findByText('Case not available')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Request emergency access' })).toBeNull();
  });
});

describe('stage transitions', () => {
  it('shows the precondition the server names when a transition is refused', async () => {
    const server = fakeServer({
      [`GET /api/cases/${CASE_ID}/available-transitions`]: () =>
        json(200, [
          {
            code: 'start_rehabilitation',
            label: 'Start rehabilitation',
            kind: 'stage',
            track: null,
            to: '7',
            permission: 'cases:write',
            requiresApproval: false,
            needsProsecutionOffice: false,
          },
        ]),
      [`GET /api/cases/${CASE_ID}/transitions`]: () => json(200, { transitions: [], approvals: [] }),
      [`POST /api/cases/${CASE_ID}/transitions`]: () =>
        json(409, {
          code: 'TRANSITION_NOT_ALLOWED',
          message: 'Transition start_rehabilitation is not allowed: active_plan',
          details: { transition: 'start_rehabilitation', precondition: 'active_plan' },
        }),
    });
    renderWithClient(
      <TimelineSection me={meWith(['cases:read', 'cases:write'])} caseDetail={caseDetail()} />,
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Start rehabilitation' }));
    fireEvent.click(screen.getByRole('button', { name: 'Confirm: Start rehabilitation' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Unmet condition: the case needs an active plan.');
    expect(server.bodiesOf(`POST /api/cases/${CASE_ID}/transitions`)).toEqual([
      { transition: 'start_rehabilitation', version: 3 },
    ]);
  });
});

describe('referral for a justice decision', () => {
  it('asks for the prosecution office, names the field when it is missing, and sends the one chosen', async () => {
    const OFFICE = '00000000-0000-4000-8000-00000000a0f1';
    const server = fakeServer({
      [`GET /api/cases/${CASE_ID}/available-transitions`]: () =>
        json(200, [
          {
            code: 'refer_for_justice_decision',
            label: 'Refer for a justice decision',
            kind: 'stage',
            track: null,
            to: '6',
            permission: 'cases:write',
            requiresApproval: false,
            needsProsecutionOffice: true,
          },
        ]),
      [`GET /api/cases/${CASE_ID}/transitions`]: () => json(200, { transitions: [], approvals: [] }),
      'GET /api/directory/agencies': () =>
        json(200, [{ id: OFFICE, code: 'GPO', name: 'General Prosecutor' }]),
      [`POST /api/cases/${CASE_ID}/transitions`]: (request) =>
        request
          .clone()
          .json()
          .then((body: { prosecutionAgencyId?: string }) =>
            body.prosecutionAgencyId
              ? json(200, { outcome: 'applied', case: caseDetail({ stage: 6, version: 4 }), approval: null })
              : json(400, {
                  code: 'PROSECUTION_OFFICE_REQUIRED',
                  message: 'Referring a case for a justice decision needs a prosecution office',
                  details: { path: 'body.prosecutionAgencyId' },
                }),
          ),
    });
    renderWithClient(
      <TimelineSection me={meWith(['cases:read', 'cases:write'])} caseDetail={caseDetail()} />,
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Refer for a justice decision' }));
    const office = (await screen.findByLabelText('Prosecution office')) as HTMLSelectElement;
    await screen.findByRole('option', { name: 'General Prosecutor (GPO)' });
    expect(server.requests.find((r) => r.key === 'GET /api/directory/agencies')?.query.get('kind')).toBe(
      'prosecution',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Confirm: Refer for a justice decision' }));
    expect(await screen.findByText('Choose the prosecution office the case is referred to.')).toBeTruthy();
    expect(office.getAttribute('aria-invalid')).toBe('true');
    fireEvent.change(office, { target: { value: OFFICE } });
    fireEvent.click(screen.getByRole('button', { name: 'Confirm: Refer for a justice decision' }));
    expect(await screen.findByText('Done: Refer for a justice decision.')).toBeTruthy();
    expect(server.bodiesOf(`POST /api/cases/${CASE_ID}/transitions`)).toEqual([
      { transition: 'refer_for_justice_decision', version: 3 },
      { transition: 'refer_for_justice_decision', version: 3, prosecutionAgencyId: OFFICE },
    ]);
  });
});

describe('409 stale version', () => {
  it('lays both values side by side and resubmits the chosen value with the new version', () => {
    const onSave = vi.fn();
    renderWithClient(
      <ConflictDialog
        open
        fields={[
          { key: 'placeOfBirth', label: 'Place of birth', mine: 'Demo Town', theirs: 'Demo Camp' },
          { key: 'sex', label: 'Sex', mine: 'Female', theirs: 'Female' },
        ]}
        onSave={onSave}
        onTakeTheirs={() => {}}
        onReload={() => {}}
        onClose={() => {}}
      />,
    );
    const row = screen.getByRole('row', { name: /Place of birth/ });
    expect(within(row).getByText('Demo Town')).toBeTruthy();
    expect(within(row).getByText('Demo Camp')).toBeTruthy();
    // Unchanged fields are not offered for a choice.
    expect(screen.queryByRole('row', { name: /^Sex/ })).toBeNull();
    fireEvent.click(within(row).getByLabelText('Theirs'));
    fireEvent.click(screen.getByRole('button', { name: 'Save with these choices' }));
    expect(onSave).toHaveBeenCalledWith({ placeOfBirth: 'theirs' });
  });

  it('keeps the assignment the user chose and sends it again on the current version', async () => {
    const me = meWith(['cases:read', 'cases:assign']);
    let attempts = 0;
    const server = fakeServer({
      [`GET /api/cases/${CASE_ID}/available-transitions`]: () => json(200, []),
      [`GET /api/cases/${CASE_ID}/transitions`]: () => json(200, { transitions: [], approvals: [] }),
      [`GET /api/cases/${CASE_ID}`]: () => json(200, caseDetail({ assignedUserId: OTHER_USER, version: 5 })),
      [`PUT /api/cases/${CASE_ID}/assignment`]: () => {
        attempts += 1;
        if (attempts === 1) {
          return json(409, {
            code: 'VERSION_CONFLICT',
            message: 'The record was changed by someone else',
            details: { path: 'body.version', currentVersion: 5 },
          });
        }
        return json(200, caseDetail({ assignedUserId: me.id, version: 6 }));
      },
    });
    renderWithClient(<TimelineSection me={me} caseDetail={caseDetail()} />);
    fireEvent.click(screen.getByRole('button', { name: 'Assign to me' }));
    const dialog = await screen.findByRole('dialog', { hidden: true });
    const row = within(dialog).getByRole('row', { name: /Worker/, hidden: true });
    expect(within(row).getByText('You (Demo Case Worker)')).toBeTruthy();
    expect(within(row).getByText('User abcdef12')).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save with these choices', hidden: true }));
    await waitFor(() =>
      expect(server.bodiesOf(`PUT /api/cases/${CASE_ID}/assignment`)).toEqual([
        { assignedUserId: me.id, version: 3 },
        { assignedUserId: me.id, version: 5 },
      ]),
    );
  });
});

describe('who acted', () => {
  it('names the staff who made a transition and decided an approval, not their ids', async () => {
    const me = meWith(['cases:read']);
    const server = fakeServer({
      [`GET /api/cases/${CASE_ID}/available-transitions`]: () => json(200, []),
      [`GET /api/cases/${CASE_ID}/transitions`]: () =>
        json(200, {
          transitions: [
            {
              id: '00000000-0000-4000-8000-0000000000e1',
              transition: 'receive',
              kind: 'stage',
              track: null,
              from: '3',
              to: '4',
              comment: null,
              performedBy: OTHER_USER,
              performedAt: '2026-02-01T10:00:00.000Z',
              approvalId: null,
            },
          ],
          approvals: [],
        }),
      'GET /api/users/names': () =>
        json(200, { users: [{ id: OTHER_USER, displayName: 'Demo Supervisor' }] }),
    });
    renderWithClient(<TimelineSection me={me} caseDetail={caseDetail()} />);
    expect(await screen.findByText(/Demo Supervisor/)).toBeTruthy();
    expect(screen.queryByText(/abcdef12/)).toBeNull();
    const asked = server.requests.filter((r) => r.key === 'GET /api/users/names');
    expect(asked.flatMap((r) => r.query.getAll('ids'))).toEqual([OTHER_USER]);
  });
});

describe('family', () => {
  it('shows a refused impossible link at the field it concerns', async () => {
    const RELATIVE = '00000000-0000-4000-8000-00000000a002';
    fakeServer({
      [`GET /api/persons/${PERSON_ID}/family`]: () =>
        json(200, {
          personId: PERSON_ID,
          relatives: [],
          familyUnits: [],
          careArrangements: [],
          tracingRequests: [],
        }),
      'GET /api/persons': () =>
        json(200, {
          items: [
            {
              id: RELATIVE,
              displayName: 'Demo Person Beta',
              sex: 'male',
              ageBand: '5-9',
              whereabouts: 'camp',
            },
          ],
          nextCursor: null,
        }),
      [`POST /api/persons/${PERSON_ID}/relationships`]: () =>
        json(409, {
          code: 'PARENT_AGE_IMPOSSIBLE',
          message: 'The dates of birth make this parent–child link impossible',
          details: { reason: 'child_older_than_parent' },
        }),
    });
    renderWithClient(<FamilyPanel personId={PERSON_ID} personName="Demo Person Alpha" canEdit />);
    fireEvent.click(await screen.findByRole('button', { name: 'Add a relationship' }));
    fireEvent.change(screen.getByLabelText('Find the relative by name'), { target: { value: 'Demo' } });
    await screen.findByRole('option', { name: /Demo Person Beta/ });
    fireEvent.change(screen.getByLabelText('Relative'), { target: { value: RELATIVE } });
    fireEvent.change(screen.getByLabelText('The relative is this person’s'), { target: { value: 'mother' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save the relationship' }));
    const relation = screen.getByLabelText('The relative is this person’s');
    await waitFor(() => expect(relation.getAttribute('aria-invalid')).toBe('true'));
    expect(document.getElementById('relationship-relation-error')?.textContent).toBe(
      'The dates of birth make this parent–child link impossible',
    );
  });
});
