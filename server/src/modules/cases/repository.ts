import type { Selectable } from 'kysely';
import type { Actor } from '../../platform/auth/actor.ts';
import type { CasesTable } from '../../platform/db/schema.ts';
import type { CaseApprovalsTable } from '../../platform/db/tables/lifecycle.ts';
import { caseVisibilityFilter } from '../access/access.ts';
import { deriveAge, todayIso } from '../persons/age.ts';
import { displayNames, type Executor } from '../persons/repository.ts';
import type { CaseDetail } from './schemas.ts';
import type { Track, Workflow } from './workflow.ts';

export type CaseRow = Selectable<CasesTable>;

/** The case row, only if the actor may see it. */
export async function findVisibleCaseRow(
  db: Executor,
  actor: Actor,
  id: string,
  options: { lock?: boolean } = {},
): Promise<CaseRow | undefined> {
  let query = db.selectFrom('cases').selectAll().where('id', '=', id).where(caseVisibilityFilter(actor));
  if (options.lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

export function toApproval(row: Selectable<CaseApprovalsTable>) {
  return {
    id: row.id,
    caseId: row.case_id,
    transition: row.transition,
    status: row.status,
    requestedBy: row.requested_by,
    requestedAt: row.requested_at.toISOString(),
    requestComment: row.request_comment,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at?.toISOString() ?? null,
    decisionComment: row.decision_comment,
  };
}

export async function trackStatuses(db: Executor, caseId: string) {
  return db
    .selectFrom('case_tracks')
    .select(['track', 'status', 'updated_at'])
    .where('case_id', '=', caseId)
    .orderBy('track')
    .execute();
}

export async function currentTrackStatus(db: Executor, caseId: string, track: Track): Promise<string | null> {
  const row = await db
    .selectFrom('case_tracks')
    .select('status')
    .where('case_id', '=', caseId)
    .where('track', '=', track)
    .executeTakeFirst();
  return row?.status ?? null;
}

/** The case page: person summary, stage, tracks, family cases, the pending approval, open tasks. */
export async function loadCase(
  db: Executor,
  actor: Actor,
  workflow: Workflow,
  row: CaseRow,
): Promise<CaseDetail> {
  const person = await db
    .selectFrom('persons')
    .select(['id', 'sex', 'birth_date_from', 'birth_date_to', 'flags'])
    .where('id', '=', row.person_id)
    .executeTakeFirstOrThrow();
  const tracks = await trackStatuses(db, row.id);
  const family = row.family_unit_id
    ? await db
        .selectFrom('cases')
        .select(['id', 'case_number', 'person_id', 'stage', 'status'])
        .where('family_unit_id', '=', row.family_unit_id)
        .where('id', '<>', row.id)
        .where(caseVisibilityFilter(actor))
        .orderBy('case_number')
        .execute()
    : [];
  const names = await displayNames(db, [row.person_id, ...family.map((c) => c.person_id)]);
  const pending = await db
    .selectFrom('case_approvals')
    .selectAll()
    .where('case_id', '=', row.id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  const today = todayIso();
  const tasks = await db
    .selectFrom('case_tasks')
    .select(['id', 'title', 'due_on'])
    .where('case_id', '=', row.id)
    .where('status', '=', 'open')
    .orderBy('due_on')
    .orderBy('id')
    .execute();
  return {
    id: row.id,
    caseNumber: row.case_number,
    status: row.status,
    stage: row.stage,
    stageCode: workflow.stages[row.stage]?.code ?? String(row.stage),
    person: {
      id: person.id,
      displayName: names.get(person.id) ?? null,
      sex: person.sex,
      age: deriveAge(person.birth_date_from, person.birth_date_to, today),
      flags: [...person.flags].sort(),
    },
    familyUnitId: row.family_unit_id,
    familyCases: family.map((c) => ({
      id: c.id,
      caseNumber: c.case_number,
      personId: c.person_id,
      displayName: names.get(c.person_id) ?? null,
      stage: c.stage,
      status: c.status,
    })),
    ownerAgencyId: row.owner_agency_id,
    assignedUserId: row.assigned_user_id,
    tracks: tracks.map((t) => ({ track: t.track, status: t.status, updatedAt: t.updated_at.toISOString() })),
    pendingApproval: pending ? toApproval(pending) : null,
    openTasks: tasks.map((t) => ({ id: t.id, title: t.title, dueOn: t.due_on, overdue: t.due_on < today })),
    openedAt: row.opened_at.toISOString(),
    closedAt: row.closed_at?.toISOString() ?? null,
    closeReason: row.close_reason,
    version: row.version,
  };
}
