import type { TestApp } from '../../../test/app.ts';
import { addYears, todayIso } from '../persons/age.ts';

/**
 * Synthetic persons and cases inserted straight into the registry tables (the persons and cases API
 * belongs to other modules): only what eligibility, access and the bias report read.
 */
let caseCounter = 0;

export interface SubjectOptions {
  sex?: 'female' | 'male' | 'unknown';
  /** Youngest and oldest possible age today, in years; omit for an unknown date of birth. */
  age?: number | [youngest: number, oldest: number];
  nationality?: string;
  stage?: number;
  agency?: string;
  assignedUserId?: string | null;
}

export async function insertSubject(t: TestApp, options: SubjectOptions = {}) {
  const db = t.handle.db;
  const ownerAgencyId = await t.agencyId(options.agency ?? 'MSP');
  const today = todayIso();
  let birth: {
    birth_date_kind: 'range' | 'unknown';
    birth_date_from: string | null;
    birth_date_to: string | null;
  } = {
    birth_date_kind: 'unknown',
    birth_date_from: null,
    birth_date_to: null,
  };
  if (options.age !== undefined) {
    const [youngest, oldest] = typeof options.age === 'number' ? [options.age, options.age] : options.age;
    // Born between (oldest + 1) years ago + 1 day and `youngest` years ago.
    const from = addYears(today, -(oldest + 1));
    const fromPlusOne = new Date(Date.parse(`${from}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    birth = {
      birth_date_kind: 'range',
      birth_date_from: fromPlusOne,
      birth_date_to: addYears(today, -youngest),
    };
  }
  const person = await db
    .insertInto('persons')
    .values({ sex: options.sex ?? 'female', ...birth, owner_agency_id: ownerAgencyId })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (options.nationality) {
    await db
      .insertInto('person_nationalities')
      .values({ person_id: person.id, country: options.nationality, status: 'claimed' })
      .execute();
  }
  caseCounter += 1;
  const created = await db
    .insertInto('cases')
    .values({
      case_number: `TEST-AS-${process.pid}-${caseCounter}`,
      person_id: person.id,
      owner_agency_id: ownerAgencyId,
      assigned_user_id: options.assignedUserId ?? null,
      stage: options.stage ?? 5,
      opened_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { personId: person.id, caseId: created.id };
}

/** A role beyond the defaults, with its case scope, for tests of compartments the defaults leave empty. */
export async function addRole(t: TestApp, code: string, permissions: string[], caseScope = 'all') {
  await t.handle.db
    .insertInto('roles')
    .values({ code, name: code, permissions, require_totp: false })
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
  await t.handle.db
    .insertInto('access_role_policies')
    .values({ role_code: code, case_scope: caseScope as 'all', break_glass_compartments: [] })
    .onConflict((oc) => oc.column('role_code').doNothing())
    .execute();
}
