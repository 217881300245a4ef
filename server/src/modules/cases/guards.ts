import type { Transaction } from 'kysely';
import type { Config } from '../../platform/config.ts';
import type { DB } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import { completedAssessmentsForCase, decisionsForCase } from '../assessments/index.ts';
import { ageOn, todayIso } from '../persons/age.ts';
import { type CaseRow, currentTrackStatus } from './repository.ts';
import {
  type AssessmentPrecondition,
  type DecisionPrecondition,
  type NamedPrecondition,
  PROSECUTION_STATUSES,
  type Precondition,
  preconditionName,
  type Transition,
  UNDECIDED_JUSTICE_STATUSES,
} from './workflow.ts';

/** Why a transition was refused: the workflow's precondition, or a built-in safeguard. */
function refuse(transition: Transition, precondition: string, extra: Record<string, unknown> = {}): never {
  throw new AppError('TRANSITION_NOT_ALLOWED', {
    message: `Transition ${transition.code} is not allowed: ${precondition}`,
    details: { transition: transition.code, precondition, ...extra },
  });
}

async function personOf(trx: Transaction<DB>, row: CaseRow) {
  return trx
    .selectFrom('persons')
    .select(['id', 'birth_date_to', 'flags'])
    .where('id', '=', row.person_id)
    .executeTakeFirstOrThrow();
}

/** The youngest the person can be today: from the latest possible date of birth; unknown counts as 0. */
function youngestPossibleAge(birthDateTo: string | null): number {
  return birthDateTo === null ? 0 : Math.max(0, ageOn(birthDateTo, todayIso()));
}

/** The state the transition starts from must be the case's current state. */
export async function checkFromState(
  trx: Transaction<DB>,
  row: CaseRow,
  transition: Transition,
): Promise<void> {
  if (row.status === 'closed') throw new AppError('CASE_CLOSED');
  if (transition.kind === 'stage') {
    if (!transition.from.includes(row.stage)) refuse(transition, 'from_stage', { currentStage: row.stage });
    return;
  }
  const current = await currentTrackStatus(trx, row.id, transition.track);
  if (!transition.from.includes(current)) {
    refuse(transition, 'from_track_status', { track: transition.track, currentStatus: current });
  }
}

/**
 * Safeguards no workflow file can switch off (ADR 0010):
 * - no justice track for a child below the minimum age of criminal responsibility, judged by the
 *   youngest possible age (an unknown date of birth cannot prove the floor is reached);
 * - no decision to prosecute while trafficking indicators have no completed non-punishment review;
 * - closing a case needs a supervisor's approval (Workflow.needsApproval).
 */
export async function checkSafeguards(
  trx: Transaction<DB>,
  config: Config,
  row: CaseRow,
  transition: Transition,
): Promise<void> {
  if (transition.kind !== 'track' || transition.track !== 'justice' || transition.to === 'closed') return;
  const person = await personOf(trx, row);
  const minimumAge = config.lifecycle.minAgeCriminalResponsibility;
  if (youngestPossibleAge(person.birth_date_to) < minimumAge) {
    refuse(transition, 'safeguard.minimum_age_of_criminal_responsibility', { minimumAge });
  }
  if (PROSECUTION_STATUSES.includes(transition.to) && person.flags.includes('trafficking_indicators')) {
    const review = await trx
      .selectFrom('non_punishment_reviews')
      .select('id')
      .where('case_id', '=', row.id)
      .where('status', '=', 'completed')
      .executeTakeFirst();
    if (!review) refuse(transition, 'safeguard.non_punishment_review');
  }
}

/**
 * The workflow's own preconditions, in the order the file lists them, read inside the transition's
 * transaction; the first unmet one is named (`details.precondition`), with what it asks for
 * (`details.requires`) when it is a decision or an assessment.
 */
export async function checkPreconditions(
  trx: Transaction<DB>,
  row: CaseRow,
  transition: Transition,
): Promise<void> {
  for (const precondition of transition.preconditions) {
    if (await preconditionMet(trx, row, precondition)) continue;
    refuse(
      transition,
      preconditionName(precondition),
      typeof precondition === 'string' ? {} : { requires: precondition },
    );
  }
}

async function preconditionMet(
  trx: Transaction<DB>,
  row: CaseRow,
  precondition: Precondition,
): Promise<boolean> {
  if (typeof precondition === 'string') return namedPreconditionMet(trx, row, precondition);
  switch (precondition.kind) {
    case 'decision':
      return decisionRecorded(trx, row, precondition);
    case 'assessment':
      return assessmentCompleted(trx, row, precondition);
  }
}

/** The latest panel decision of the kind (a later one supersedes an earlier) has a required outcome. */
async function decisionRecorded(
  trx: Transaction<DB>,
  row: CaseRow,
  precondition: DecisionPrecondition,
): Promise<boolean> {
  const latest = (await decisionsForCase(trx, row.id)).filter((d) => d.kind === precondition.decision).at(-1);
  if (!latest) return false;
  return precondition.outcomes === undefined || precondition.outcomes.includes(latest.outcome);
}

/**
 * A completed assessment of the kind on each case the subject covers: this case (`everyone`), this
 * case if its person may be a child (`child`), or that and the open case of every child of the family
 * unit (`family_children`). A child's age is the youngest possible one, as for the safeguards.
 */
async function assessmentCompleted(
  trx: Transaction<DB>,
  row: CaseRow,
  precondition: AssessmentPrecondition,
): Promise<boolean> {
  const caseIds: string[] = [];
  if (precondition.subject === 'everyone') caseIds.push(row.id);
  else {
    const person = await personOf(trx, row);
    if (youngestPossibleAge(person.birth_date_to) < 18) caseIds.push(row.id);
  }
  if (precondition.subject === 'family_children' && row.family_unit_id !== null) {
    const relatives = await trx
      .selectFrom('cases')
      .innerJoin('persons', 'persons.id', 'cases.person_id')
      .select(['cases.id', 'persons.birth_date_to'])
      .where('cases.family_unit_id', '=', row.family_unit_id)
      .where('cases.status', '=', 'open')
      .where('cases.id', '<>', row.id)
      .execute();
    for (const relative of relatives) {
      if (youngestPossibleAge(relative.birth_date_to) < 18) caseIds.push(relative.id);
    }
  }
  for (const caseId of caseIds) {
    const completed = await completedAssessmentsForCase(trx, caseId);
    if (!completed.some((a) => a.kind === precondition.assessment)) return false;
  }
  return true;
}

async function namedPreconditionMet(
  trx: Transaction<DB>,
  row: CaseRow,
  precondition: NamedPrecondition,
): Promise<boolean> {
  switch (precondition) {
    case 'assigned_worker':
      return row.assigned_user_id !== null;
    case 'nationality_verified': {
      const verified = await trx
        .selectFrom('person_nationalities')
        .select('id')
        .where('person_id', '=', row.person_id)
        .where('status', '=', 'verified')
        .executeTakeFirst();
      return verified !== undefined;
    }
    case 'filiation_documented': {
      // Only a child's filiation must be established: a parent link beyond a mere claim.
      const person = await personOf(trx, row);
      if (youngestPossibleAge(person.birth_date_to) >= 18) return true;
      const link = await trx
        .selectFrom('relationships')
        .select('id')
        .where('provenance', 'in', ['documented', 'dna_confirmed'])
        .where((eb) =>
          eb.or([
            eb.and([eb('person_id', '=', row.person_id), eb('relation', 'in', ['mother', 'father'])]),
            eb.and([eb('related_person_id', '=', row.person_id), eb('relation', '=', 'child')]),
          ]),
        )
        .executeTakeFirst();
      return link !== undefined;
    }
    case 'active_plan': {
      const plan = await trx
        .selectFrom('case_plans')
        .select('id')
        .where('case_id', '=', row.id)
        .where('status', '=', 'active')
        .executeTakeFirst();
      return plan !== undefined;
    }
    case 'no_open_tasks': {
      const task = await trx
        .selectFrom('case_tasks')
        .select('id')
        .where('case_id', '=', row.id)
        .where('status', '=', 'open')
        .executeTakeFirst();
      return task === undefined;
    }
    case 'no_pending_referrals': {
      const referral = await trx
        .selectFrom('referrals')
        .select('id')
        .where('case_id', '=', row.id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      return referral === undefined;
    }
    case 'justice_decided': {
      const status = await currentTrackStatus(trx, row.id, 'justice');
      return status === null || !UNDECIDED_JUSTICE_STATUSES.includes(status);
    }
  }
}
