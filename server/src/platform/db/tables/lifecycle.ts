// Kysely table types for persons, families, cases, workflow and case work (issue: lifecycle).
// The registry tables of migration 0002 (persons, person_names, cases…) stay in ../schema.ts;
// these are the tables of migrations 0010–0019.
import type { ColumnType, Generated, GeneratedAlways } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface NationalityEvidenceTable {
  id: Generated<string>;
  nationality_id: string;
  kind: 'document' | 'testimony' | 'dna_referral' | 'dna_result' | 'registry_check' | 'other';
  reference: string;
  outcome: 'pending' | 'supports' | 'contradicts' | 'inconclusive';
  recorded_on: ColumnType<string, string | undefined, string>;
  recorded_by: string | null;
  created_at: CreatedAt;
}

export interface PersonDocumentsTable {
  id: Generated<string>;
  person_id: string;
  document_type: string;
  number: string | null;
  issuer: string;
  status: 'issued' | 'applied_for' | 'lost' | 'confiscated' | 'expired';
  issued_on: string | null;
  expires_on: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface PersonHistoryTable {
  id: GeneratedAlways<number>;
  person_id: string;
  field: string;
  before: Json<unknown>;
  after: Json<unknown>;
  changed_by: string | null;
  changed_at: CreatedAt;
}

export interface TracingRequestsTable {
  id: Generated<string>;
  sought_person_id: string;
  requesting_person_id: string | null;
  family_unit_id: string | null;
  owner_agency_id: string;
  status: Generated<'open' | 'located' | 'not_found' | 'withdrawn'>;
  last_known_location: string | null;
  opened_at: Timestamp;
  closed_at: Date | null;
  created_by: string | null;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface CareArrangementsTable {
  id: Generated<string>;
  person_id: string;
  kind: 'family_based' | 'kinship' | 'foster' | 'institution';
  caregiver_person_id: string | null;
  provider_agency_id: string | null;
  starts_on: string;
  ends_on: string | null;
  reason: string | null;
  recorded_by: string | null;
  created_at: CreatedAt;
}

export interface CaseTransitionsTable {
  id: Generated<string>;
  case_id: string;
  transition: string;
  kind: 'stage' | 'track';
  track: 'protection' | 'justice' | 'security' | 'health' | null;
  from_value: string | null;
  to_value: string;
  comment: string | null;
  performed_by: string | null;
  performed_at: CreatedAt;
  approval_id: string | null;
}

export interface CaseApprovalsTable {
  id: Generated<string>;
  case_id: string;
  transition: string;
  payload: Json<Record<string, unknown>>;
  status: Generated<'pending' | 'approved' | 'rejected'>;
  requested_by: string;
  requested_at: CreatedAt;
  request_comment: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  decision_comment: string | null;
}

export interface NonPunishmentReviewsTable {
  id: Generated<string>;
  case_id: string;
  status: Generated<'open' | 'completed'>;
  outcome: 'recognised_victim' | 'non_punishment_applies' | 'not_established' | null;
  opened_by: string | null;
  opened_at: CreatedAt;
  completed_by: string | null;
  completed_at: Date | null;
}

export interface CasePlansTable {
  id: Generated<string>;
  case_id: string;
  title: string;
  status: Generated<'draft' | 'active' | 'completed' | 'cancelled'>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface PlanGoalsTable {
  id: Generated<string>;
  plan_id: string;
  position: number;
  domain: string;
  description: string;
  status: Generated<'open' | 'achieved' | 'dropped'>;
}

export interface PlanActionsTable {
  id: Generated<string>;
  plan_id: string;
  goal_id: string | null;
  description: string;
  responsible_agency_id: string | null;
  due_on: string | null;
  status: Generated<'planned' | 'in_progress' | 'done' | 'cancelled'>;
}

export interface ReferralsTable {
  id: Generated<string>;
  case_id: string;
  from_agency_id: string;
  to_agency_id: string;
  service_type: string;
  packet_summary: string;
  urgency: Generated<'normal' | 'urgent'>;
  status: Generated<'pending' | 'accepted' | 'declined' | 'withdrawn' | 'completed'>;
  consent_override_reason: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  decided_by: string | null;
  decided_at: Date | null;
  decline_reason: string | null;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface ServiceDeliveriesTable {
  id: Generated<string>;
  case_id: string;
  referral_id: string | null;
  service_type: string;
  provider_agency_id: string;
  delivered_on: string;
  outcome: 'completed' | 'ongoing' | 'partial' | 'not_attended' | 'refused';
  recorded_by: string | null;
  created_at: CreatedAt;
}

export interface CaseNotesTable {
  id: Generated<string>;
  case_id: string;
  compartment: 'protection' | 'justice' | 'security' | 'health' | 'education' | 'referral_packet';
  referral_id: string | null;
  body: string;
  author_id: string | null;
  created_at: CreatedAt;
}

export interface CaseTasksTable {
  id: Generated<string>;
  case_id: string;
  kind: Generated<'task' | 'follow_up' | 'review'>;
  title: string;
  due_on: string;
  assigned_user_id: string | null;
  status: Generated<'open' | 'done' | 'cancelled'>;
  created_by: string | null;
  created_at: CreatedAt;
  completed_at: Date | null;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface ProviderProfilesTable {
  agency_id: string;
  description: Generated<string>;
  services: Generated<string[]>;
  regions: Generated<string[]>;
  languages: Generated<string[]>;
  contacts: ColumnType<Contact[], string | undefined, string>;
  accepts_referrals: Generated<boolean>;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface Contact {
  kind: 'phone' | 'email' | 'address' | 'other';
  value: string;
  label?: string | undefined;
}

export interface CaseAttachmentsTable {
  id: string;
  case_id: string;
  compartment: CaseNotesTable['compartment'];
  file_name: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  iv: string;
  auth_tag: string;
  uploaded_by: string | null;
  created_at: CreatedAt;
}

export interface LifecycleTables {
  case_attachments: CaseAttachmentsTable;
  nationality_evidence: NationalityEvidenceTable;
  person_documents: PersonDocumentsTable;
  person_history: PersonHistoryTable;
  tracing_requests: TracingRequestsTable;
  care_arrangements: CareArrangementsTable;
  case_transitions: CaseTransitionsTable;
  case_approvals: CaseApprovalsTable;
  non_punishment_reviews: NonPunishmentReviewsTable;
  case_plans: CasePlansTable;
  plan_goals: PlanGoalsTable;
  plan_actions: PlanActionsTable;
  referrals: ReferralsTable;
  service_deliveries: ServiceDeliveriesTable;
  case_notes: CaseNotesTable;
  case_tasks: CaseTasksTable;
  provider_profiles: ProviderProfilesTable;
}
