import { sql } from 'kysely';
import type { TestApp } from './app.ts';

/**
 * A role that works the justice track inside its own agency, for tests: the default prosecutor role
 * has case scope 'none' and sees only what is disclosed to it (the access module's disclosures).
 */
export async function addJusticeRole(t: TestApp): Promise<void> {
  await sql`INSERT INTO roles (code, name, permissions)
    VALUES ('justice_liaison', 'Justice liaison', ARRAY['cases:read', 'justice:read', 'justice:write', 'decisions:record'])
    ON CONFLICT (code) DO NOTHING`.execute(t.handle.db);
  await sql`INSERT INTO access_role_policies (role_code, case_scope) VALUES ('justice_liaison', 'agency')
    ON CONFLICT (role_code) DO NOTHING`.execute(t.handle.db);
}

/** A multi-agency panel decision's request body (POST /api/cases/:id/decisions), synthetic. */
export function panelDecision(kind: string, outcome: string, decidedOn: string) {
  return {
    kind,
    outcome,
    decidedOn,
    participants: [{ role: 'Chair' }, { role: 'Member from another agency' }],
    options: [{ option: outcome }],
    rationale: `Synthetic rationale for ${outcome}.`,
  };
}

/** Answers that complete the shipped child BIA (child_bia v1), synthetic. */
export const completeBiaAnswers = {
  current_safety: { value: 'no_concern', evidence: ['Synthetic home visit'] },
  violence_exposure: { value: 'some_concern' },
  caregiver: { value: 'mother' },
  caregiver_capacity: { value: 'some_concern' },
  separation_risk: { value: 'no_concern' },
  health: { value: 'no_concern' },
  psychosocial: { value: 'some_concern' },
  education: { value: 'serious_concern' },
  documentation: { value: 'serious_concern' },
  views_heard: { value: 'yes' },
  child_views: { value: 'Synthetic: wants to return with the mother.' },
};
export const completeBiaOutput = { judgement: 'support_in_family', narrative: 'Synthetic.' };
