import type { ColumnType, Generated } from 'kysely';

// Kysely table types for instruments, assessments and panel decisions (migrations 0040–0049).

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** jsonb: read as the value, written as JSON text. */
type Json<T> = ColumnType<T, string, string>;

export type InstrumentStatus = 'draft' | 'published' | 'retired';
export type AssessmentStatus =
  | 'in_progress'
  | 'awaiting_consensus'
  | 'submitted'
  | 'signed_off'
  | 'cancelled';
export type AssessmentReason = 'initial' | 'interval' | 'event' | 'follow_up';
export type PanelDecisionKind = 'justice_decision' | 'care_arrangement' | 'separation' | 'step_down';

export interface InstrumentVersionsTable {
  id: Generated<string>;
  code: string;
  version: number;
  kind: string;
  compartment: string;
  status: Generated<InstrumentStatus>;
  definition: Json<unknown>;
  sha256: string;
  shipped: Generated<boolean>;
  imported_by: string | null;
  imported_at: CreatedAt;
  published_by: string | null;
  published_at: Date | string | null;
}

export interface AssessorQualificationsTable {
  id: Generated<string>;
  user_id: string;
  instrument_code: string;
  expires_on: string;
  reference: string | null;
  granted_by: string | null;
  granted_at: CreatedAt;
  revoked_at: Date | string | null;
}

export interface AssessmentsTable {
  id: Generated<string>;
  case_id: string;
  person_id: string;
  instrument_version_id: string;
  instrument_code: string;
  compartment: string;
  status: Generated<AssessmentStatus>;
  reason: Generated<AssessmentReason>;
  reason_event: string | null;
  requires_sign_off: boolean;
  answers: Json<Record<string, unknown>> | null;
  computed: Json<Record<string, unknown>> | null;
  output: Json<Record<string, unknown>> | null;
  judgement: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  submitted_by: string | null;
  submitted_at: Date | string | null;
  signed_off_by: string | null;
  signed_off_at: Date | string | null;
  sign_off_comment: string | null;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface AssessmentRatingsTable {
  assessment_id: string;
  rater_id: string;
  answers: Json<Record<string, unknown>>;
  output: Json<Record<string, unknown>>;
  submitted_at: Date | string | null;
  updated_at: Timestamp;
}

export interface AssessmentDisagreementsTable {
  assessment_id: string;
  item_id: string;
  ratings: Json<unknown>;
  consensus: Json<unknown> | null;
  note: string | null;
  recorded_at: CreatedAt;
}

export interface AssessmentScheduleTable {
  id: Generated<string>;
  case_id: string;
  instrument_code: string;
  compartment: string;
  reason: 'interval' | 'event' | 'follow_up';
  event: string | null;
  follow_up_month: number | null;
  due_on: string;
  source_assessment_id: string | null;
  satisfied_by: string | null;
  satisfied_at: Date | string | null;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface PanelDecisionsTable {
  id: Generated<string>;
  case_id: string;
  kind: PanelDecisionKind;
  compartment: 'protection' | 'justice';
  outcome: string;
  options: Json<unknown>;
  rationale: string;
  decided_on: string;
  recorded_by: string | null;
  created_at: CreatedAt;
}

export interface PanelDecisionParticipantsTable {
  decision_id: string;
  position: number;
  role: string;
  agency_id: string | null;
  user_id: string | null;
  vote: Generated<'concur' | 'dissent' | 'abstain'>;
  dissent: string | null;
}

export interface PanelDecisionAssessmentsTable {
  decision_id: string;
  assessment_id: string;
}

export interface AssessmentsTables {
  instrument_versions: InstrumentVersionsTable;
  assessor_qualifications: AssessorQualificationsTable;
  assessments: AssessmentsTable;
  assessment_ratings: AssessmentRatingsTable;
  assessment_disagreements: AssessmentDisagreementsTable;
  assessment_schedule: AssessmentScheduleTable;
  panel_decisions: PanelDecisionsTable;
  panel_decision_participants: PanelDecisionParticipantsTable;
  panel_decision_assessments: PanelDecisionAssessmentsTable;
}
