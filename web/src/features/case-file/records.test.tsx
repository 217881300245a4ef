import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { initI18n } from '../../i18n/index.ts';
import type { Family, Person } from './api.ts';
import { usePerson } from './api.ts';
import { CaseFilePage } from './CaseFilePage.tsx';
import { FamilyPanel } from './FamilyPanel.tsx';
import { IdentityPanel } from './IdentityPanel.tsx';
import { PersonPage } from './PersonPage.tsx';
import { TimelineSection } from './TimelineSection.tsx';
import {
  CASE_ID,
  caseDetail,
  fakeServer,
  json,
  meWith,
  PERSON_ID,
  person,
  renderWithClient,
} from './testing.tsx';

/** Synthetic records only. */
const CLAIM_ID = '00000000-0000-4000-8000-00000000d001';
const DOCUMENT_ID = '00000000-0000-4000-8000-00000000d101';
const MOTHER_ID = '00000000-0000-4000-8000-00000000a010';
const CHILD_ID = '00000000-0000-4000-8000-00000000a011';
const LINK_ID = '00000000-0000-4000-8000-00000000e001';
const CARE_ID = '00000000-0000-4000-8000-00000000f001';

const writer = meWith(['cases:read', 'cases:write', 'persons:read', 'persons:write']);

function claimed(status: 'claimed' | 'verified' | 'rejected' = 'claimed'): Person {
  return person({
    nationalities: [{ id: CLAIM_ID, country: 'KZ', status, evidence: [] }],
  });
}

function family(overrides: Partial<Family> = {}): Family {
  return {
    personId: PERSON_ID,
    relatives: [
      {
        relationshipId: LINK_ID,
        personId: MOTHER_ID,
        displayName: 'Demo Mother Gamma',
        role: 'mother',
        provenance: 'claimed',
        whereabouts: 'in_country',
      },
    ],
    familyUnits: [],
    careArrangements: [],
    tracingRequests: [],
    ...overrides,
  };
}

/** The identity panel as the case file shows it: from the person query, refreshed by each write. */
function IdentityOfPerson() {
  const query = usePerson(PERSON_ID);
  return query.data ? <IdentityPanel person={query.data} canEdit /> : null;
}

const verifyTransition = {
  code: 'verify_identity',
  label: 'Identity verified',
  kind: 'stage' as const,
  track: null,
  to: '2',
  permission: 'cases:write',
  requiresApproval: false,
};

beforeAll(async () => {
  await initI18n('en');
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('nationality verification satisfies the stage precondition', () => {
  it('refuses the transition while the claim is unverified, and performs it once the claim is verified', async () => {
    let status: 'claimed' | 'verified' = 'claimed';
    const server = fakeServer({
      [`GET /api/persons/${PERSON_ID}`]: () => json(200, claimed(status)),
      [`PUT /api/persons/${PERSON_ID}/nationalities/${CLAIM_ID}/status`]: () => {
        status = 'verified';
        return json(200, claimed(status));
      },
      [`GET /api/cases/${CASE_ID}/available-transitions`]: () => json(200, [verifyTransition]),
      [`GET /api/cases/${CASE_ID}/transitions`]: () => json(200, { transitions: [], approvals: [] }),
      [`GET /api/cases/${CASE_ID}`]: () => json(200, caseDetail({ stage: status === 'verified' ? 2 : 1 })),
      [`POST /api/cases/${CASE_ID}/transitions`]: () =>
        status === 'verified'
          ? json(200, { outcome: 'applied', approval: null, case: caseDetail({ stage: 2, version: 4 }) })
          : json(409, {
              code: 'TRANSITION_NOT_ALLOWED',
              message: 'Transition verify_identity is not allowed: nationality_verified',
              details: { transition: 'verify_identity', precondition: 'nationality_verified' },
            }),
    });
    renderWithClient(
      <>
        <IdentityOfPerson />
        <TimelineSection me={writer} caseDetail={caseDetail({ stage: 1 })} />
      </>,
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Identity verified' }));
    fireEvent.click(screen.getByRole('button', { name: 'Confirm: Identity verified' }));
    const refusal = await screen.findByRole('alert');
    expect(refusal.textContent).toContain('the nationality must be verified');
    expect(
      within(refusal)
        .getByRole('link', { name: /nationality claims/ })
        .getAttribute('href'),
    ).toBe(`/cases/${CASE_ID}/overview`);

    fireEvent.click(screen.getByRole('button', { name: 'Verify the claim: Kazakhstan' }));
    await waitFor(() =>
      expect(server.bodiesOf(`PUT /api/persons/${PERSON_ID}/nationalities/${CLAIM_ID}/status`)).toEqual([
        { status: 'verified' },
      ]),
    );
    expect(await screen.findByText('Nationality claim to Kazakhstan: now verified.')).toBeTruthy();
    // Verified: the claim offers rejecting or reopening, no longer verifying.
    expect(screen.queryByRole('button', { name: 'Verify the claim: Kazakhstan' })).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Confirm: Identity verified' }));
    await waitFor(() => expect(server.bodiesOf(`POST /api/cases/${CASE_ID}/transitions`)).toHaveLength(2));
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
  });

  it('shows a refused piece of evidence at the field the API names', async () => {
    fakeServer({
      [`GET /api/persons/${PERSON_ID}`]: () => json(200, claimed()),
      [`POST /api/persons/${PERSON_ID}/nationalities/${CLAIM_ID}/evidence`]: () =>
        json(400, {
          code: 'VALIDATION_FAILED',
          message: 'The request is not valid',
          details: {
            issues: [{ path: 'body.reference', message: 'Too small: expected at least 1 character' }],
          },
        }),
    });
    renderWithClient(<IdentityOfPerson />);
    fireEvent.click(await screen.findByRole('button', { name: 'Add evidence: Kazakhstan' }));
    fireEvent.change(screen.getByLabelText('Kind of evidence'), { target: { value: 'dna_result' } });
    // A DNA result is kept as a laboratory reference, never the data.
    expect(
      screen.getByText('The laboratory and its reference only — never the DNA data itself.'),
    ).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Save the evidence' }));
    const reference = screen.getByLabelText('Reference');
    await waitFor(() => expect(reference.getAttribute('aria-invalid')).toBe('true'));
    expect(document.getElementById(`${reference.id}-error`)?.textContent).toBe(
      'Too small: expected at least 1 character',
    );
  });

  it('records a new claim and shows a refused country code at the country field', async () => {
    const server = fakeServer({
      [`GET /api/persons/${PERSON_ID}`]: () => json(200, person()),
      [`POST /api/persons/${PERSON_ID}/nationalities`]: () =>
        json(400, {
          code: 'VALIDATION_FAILED',
          message: 'The request is not valid',
          details: { issues: [{ path: 'body.country', message: 'an ISO 3166-1 alpha-2 code' }] },
        }),
    });
    renderWithClient(<IdentityOfPerson />);
    fireEvent.click(await screen.findByRole('button', { name: 'Record a nationality claim' }));
    fireEvent.change(screen.getByLabelText('Country'), { target: { value: 'K1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save the claim' }));
    const country = screen.getByLabelText('Country');
    await waitFor(() => expect(country.getAttribute('aria-invalid')).toBe('true'));
    expect(document.getElementById('nationality-country-error')?.textContent).toBe(
      'an ISO 3166-1 alpha-2 code',
    );
    expect(server.bodiesOf(`POST /api/persons/${PERSON_ID}/nationalities`)).toEqual([
      { country: 'K1', status: 'claimed' },
    ]);
  });

  it('offers no change of a claim or document to a reader without persons:write', () => {
    renderWithClient(
      <IdentityPanel
        canEdit={false}
        person={person({
          nationalities: [{ id: CLAIM_ID, country: 'KZ', status: 'claimed', evidence: [] }],
          documents: [
            {
              id: DOCUMENT_ID,
              documentType: 'passport',
              number: 'N0000001',
              issuer: 'Demo Ministry',
              status: 'lost',
              issuedOn: null,
              expiresOn: null,
              version: 1,
            },
          ],
        })}
      />,
    );
    expect(screen.getByText('Kazakhstan')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Verify the claim/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /Change the status/ })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Record an identity document' })).toBeNull();
  });
});

describe('identity documents', () => {
  const passport = {
    id: DOCUMENT_ID,
    documentType: 'passport' as const,
    number: 'N0000001',
    issuer: 'Demo Ministry',
    status: 'issued' as const,
    issuedOn: null,
    expiresOn: null,
    version: 2,
  };

  it('changes a document’s status on the version it was read at', async () => {
    const server = fakeServer({
      [`GET /api/persons/${PERSON_ID}`]: () => json(200, person({ documents: [passport] })),
      [`PATCH /api/persons/${PERSON_ID}/documents/${DOCUMENT_ID}`]: () =>
        json(200, person({ documents: [{ ...passport, status: 'confiscated', version: 3 }] })),
    });
    renderWithClient(<IdentityOfPerson />);
    fireEvent.change(await screen.findByLabelText('Status of the Passport'), {
      target: { value: 'confiscated' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Change the status: Passport' }));
    await waitFor(() =>
      expect(server.bodiesOf(`PATCH /api/persons/${PERSON_ID}/documents/${DOCUMENT_ID}`)).toEqual([
        { version: 2, status: 'confiscated' },
      ]),
    );
    expect(await screen.findByText('Passport: now confiscated.')).toBeTruthy();
  });

  it('shows a refused new document at the field the API names', async () => {
    fakeServer({
      [`GET /api/persons/${PERSON_ID}`]: () => json(200, person()),
      [`POST /api/persons/${PERSON_ID}/documents`]: () =>
        json(400, {
          code: 'VALIDATION_FAILED',
          message: 'The request is not valid',
          details: { issues: [{ path: 'body.issuer', message: 'Name the issuing authority' }] },
        }),
    });
    renderWithClient(<IdentityOfPerson />);
    fireEvent.click(await screen.findByRole('button', { name: 'Record an identity document' }));
    fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'lost' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save the document' }));
    const issuer = screen.getByLabelText('Issuer');
    await waitFor(() => expect(issuer.getAttribute('aria-invalid')).toBe('true'));
    expect(document.getElementById('document-issuer-error')?.textContent).toBe('Name the issuing authority');
  });
});

describe('family: provenance and care', () => {
  it('documents a parent link, which the filiation precondition asks for', async () => {
    let provenance: 'claimed' | 'documented' = 'claimed';
    const current = () => family({ relatives: [{ ...family().relatives[0]!, provenance }] });
    const server = fakeServer({
      [`GET /api/persons/${PERSON_ID}/family`]: () => json(200, current()),
      [`PUT /api/relationships/${LINK_ID}/provenance`]: () => {
        provenance = 'documented';
        return json(200, current());
      },
    });
    renderWithClient(<FamilyPanel personId={PERSON_ID} personName="Demo Person Alpha" canEdit />);
    fireEvent.click(await screen.findByRole('button', { name: 'Change provenance: Demo Mother Gamma' }));
    fireEvent.click(screen.getByLabelText('Documented'));
    fireEvent.click(screen.getByRole('button', { name: 'Save the provenance' }));
    await waitFor(() =>
      expect(server.bodiesOf(`PUT /api/relationships/${LINK_ID}/provenance`)).toEqual([
        { provenance: 'documented' },
      ]),
    );
    await waitFor(() =>
      expect(screen.getByRole('row', { name: /Demo Mother Gamma/ }).textContent).toContain('Documented'),
    );
    expect(screen.getByRole('row', { name: /Demo Mother Gamma/ }).textContent).not.toContain('Claimed');
  });

  it('offers family-based care first and shows a refused institution at the reason field', async () => {
    const server = fakeServer({
      [`GET /api/persons/${PERSON_ID}/family`]: () => json(200, family()),
      [`POST /api/persons/${PERSON_ID}/care-arrangements`]: () =>
        json(400, {
          code: 'VALIDATION_FAILED',
          message: 'The request is not valid',
          details: {
            issues: [
              {
                path: 'body.reason',
                message: 'an institution needs the reason family-based care is not possible',
              },
            ],
          },
        }),
    });
    renderWithClient(<FamilyPanel personId={PERSON_ID} personName="Demo Person Alpha" canEdit />);
    fireEvent.click(await screen.findByRole('button', { name: 'Record a care arrangement' }));
    const kind = screen.getByLabelText('Kind of care') as HTMLSelectElement;
    expect(kind.value).toBe('family_based');
    expect(within(kind).getAllByRole('option')[0]?.textContent).toBe('Family-based care');
    fireEvent.change(kind, { target: { value: 'institution' } });
    fireEvent.change(screen.getByLabelText('Starts on'), { target: { value: '2026-02-01' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save the care arrangement' }));
    const reason = screen.getByLabelText('Why family-based care is not possible');
    await waitFor(() => expect(reason.getAttribute('aria-invalid')).toBe('true'));
    expect(document.getElementById('care-reason-error')?.textContent).toBe(
      'an institution needs the reason family-based care is not possible',
    );
    expect(server.bodiesOf(`POST /api/persons/${PERSON_ID}/care-arrangements`)).toEqual([
      {
        kind: 'institution',
        caregiverPersonId: null,
        startsOn: '2026-02-01',
        endsOn: null,
        reason: null,
      },
    ]);
  });

  it('ends a current arrangement on the day given, and shows a refusal at that date', async () => {
    const current = {
      id: CARE_ID,
      kind: 'kinship' as const,
      caregiverPersonId: MOTHER_ID,
      providerAgencyId: null,
      startsOn: '2026-01-05',
      endsOn: null,
      reason: null,
      current: true,
    };
    const server = fakeServer({
      [`GET /api/persons/${CHILD_ID}/family`]: () =>
        json(200, family({ personId: CHILD_ID, careArrangements: [current] })),
      [`PUT /api/care-arrangements/${CARE_ID}/end`]: () =>
        json(409, {
          code: 'CARE_ARRANGEMENT_ENDED',
          message: 'The care arrangement has already ended',
          details: { path: 'body.endsOn', endsOn: '2026-02-01' },
        }),
    });
    renderWithClient(<FamilyPanel personId={CHILD_ID} personName="Demo Child Delta" canEdit />);
    fireEvent.click(await screen.findByRole('button', { name: 'End this arrangement: Kinship care' }));
    const lastDay = screen.getByLabelText('Last day of the arrangement');
    fireEvent.change(lastDay, { target: { value: '2026-03-01' } });
    fireEvent.click(screen.getByRole('button', { name: 'End the arrangement' }));
    await waitFor(() => expect(lastDay.getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getByText('The care arrangement has already ended')).toBeTruthy();
    expect(server.bodiesOf(`PUT /api/care-arrangements/${CARE_ID}/end`)).toEqual([{ endsOn: '2026-03-01' }]);
  });
});

describe('break-glass for one compartment of a case in scope', () => {
  it('offers emergency access to a restricted section, with the deployment’s duration, asking for that compartment only', async () => {
    const server = fakeServer({
      'GET /api/meta': () =>
        json(200, {
          name: 'Homeward',
          version: '0.1.0',
          demo: true,
          backend: 'pglite',
          breakGlassMinutes: 45,
        }),
      [`GET /api/cases/${CASE_ID}`]: () => json(200, caseDetail()),
      [`GET /api/access/cases/${CASE_ID}`]: () =>
        json(200, {
          caseId: CASE_ID,
          read: ['identity', 'protection', 'health', 'education', 'referral_packet', 'justice'],
          write: ['protection'],
          via: { scope: true, disclosureIds: [], breakGlassGrantId: null },
        }),
      [`GET /api/persons/${PERSON_ID}`]: () =>
        json(
          200,
          person({
            whereaboutsDetail: { restricted: true, compartment: 'security', ask: 'the security liaison' },
          }),
        ),
      [`POST /api/access/cases/${CASE_ID}/break-glass`]: () =>
        json(403, { code: 'BREAK_GLASS_FORBIDDEN', message: 'Your role may not open this compartment' }),
    });
    renderWithClient(
      <CaseFilePage me={meWith(['cases:read', 'persons:read', 'breakglass:use'])} caseId={CASE_ID} />,
    );
    const restricted = await screen.findByRole('region', { name: 'Restricted sections' });
    expect(within(restricted).getByText('security')).toBeTruthy();
    expect(within(restricted).queryByText('health')).toBeNull();
    fireEvent.click(within(restricted).getByRole('button', { name: 'Request emergency access: security' }));
    expect(await screen.findByText('Access lasts 45 minutes, then closes by itself.')).toBeTruthy();
    const reason = 'Threat reported against the child at the reception centre';
    fireEvent.change(screen.getByLabelText('Why do you need this case now?'), { target: { value: reason } });
    fireEvent.click(screen.getByRole('button', { name: 'Open the case in an emergency' }));
    await waitFor(() =>
      expect(server.bodiesOf(`POST /api/access/cases/${CASE_ID}/break-glass`)).toEqual([
        { reason, compartments: ['security'] },
      ]),
    );
    expect(await screen.findByText('Your role may not open this compartment')).toBeTruthy();
  });

  it('offers no emergency access without breakglass:use, only the restriction', async () => {
    fakeServer({
      [`GET /api/cases/${CASE_ID}`]: () => json(200, caseDetail()),
      [`GET /api/access/cases/${CASE_ID}`]: () =>
        json(200, {
          caseId: CASE_ID,
          read: ['identity', 'protection'],
          write: [],
          via: { scope: true, disclosureIds: [], breakGlassGrantId: null },
        }),
      [`GET /api/persons/${PERSON_ID}`]: () => json(200, person()),
    });
    renderWithClient(<CaseFilePage me={meWith(['cases:read', 'persons:read'])} caseId={CASE_ID} />);
    const restricted = await screen.findByRole('region', { name: 'Restricted sections' });
    expect(within(restricted).getByText('security')).toBeTruthy();
    expect(within(restricted).queryByRole('button')).toBeNull();
  });
});

describe('the cases of a person', () => {
  it('asks the case list for this person’s cases by id', async () => {
    const server = fakeServer({
      [`GET /api/persons/${PERSON_ID}`]: () => json(200, person()),
      [`GET /api/persons/${PERSON_ID}/family`]: () => json(200, family({ relatives: [] })),
      'GET /api/cases': () =>
        json(200, {
          items: [
            {
              id: CASE_ID,
              caseNumber: 'HW-2026-000042',
              status: 'open',
              stage: 4,
              personId: PERSON_ID,
              displayName: 'Demo Person Alpha',
              sex: 'female',
              ageBand: '25-59',
              flags: [],
              ownerAgencyId: '00000000-0000-4000-8000-0000000000a1',
              assignedUserId: null,
              familyUnitId: null,
              ownerAgency: {
                id: '00000000-0000-4000-8000-0000000000a1',
                code: 'MLSP',
                name: 'Demo Ministry',
              },
              assignedUser: null,
              tracks: [],
              nextDueOn: null,
              overdueTasks: 0,
              openedAt: '2026-01-10T09:00:00.000Z',
            },
          ],
          nextCursor: null,
          total: null,
        }),
    });
    renderWithClient(<PersonPage me={writer} personId={PERSON_ID} />);
    expect(await screen.findByRole('link', { name: 'HW-2026-000042' })).toBeTruthy();
    const asked = server.requests.filter((r) => r.key === 'GET /api/cases');
    expect(asked.map((r) => r.query.get('personId'))).toEqual([PERSON_ID]);
    expect(asked[0]?.query.get('q')).toBeNull();
  });
});
