// Kysely table types for need-to-know access: compartments, disclosures, break-glass, consent, retention.
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export type ConsentPurpose = 'services' | 'referral' | 'un_sharing' | 'tracing';
export type LegalBasis = 'consent' | 'best_interests' | 'legal_obligation' | 'vital_interest';

export interface ConsentsTable {
  id: Generated<string>;
  person_id: string;
  purpose: ConsentPurpose;
  version: number;
  legal_basis: LegalBasis;
  decision: 'granted' | 'refused';
  subject_is_child: boolean;
  child_assent: 'given' | 'refused' | 'not_capable' | null;
  guardian_consent: 'given' | 'refused' | null;
  guardian_person_id: string | null;
  recipient_agency_id: string | null;
  recorded_by: string;
  recorded_at: Timestamp;
  valid_until: Date | null;
  withdrawn_at: Date | null;
  withdrawn_by: string | null;
  withdrawal_reason: string | null;
}

export type CompartmentName =
  | 'protection'
  | 'justice'
  | 'security'
  | 'health'
  | 'education'
  | 'referral_packet';
export type CaseScopeName = 'none' | 'assigned' | 'team' | 'agency' | 'jurisdiction' | 'all';

export interface AccessRolePoliciesTable {
  role_code: string;
  case_scope: CaseScopeName;
  break_glass_compartments: CompartmentName[];
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface FieldSensitivityTable {
  resource: string;
  field: string;
  compartment: CompartmentName;
  ask: string;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface DisclosuresTable {
  id: Generated<string>;
  case_id: string;
  recipient_agency_id: string | null;
  recipient_compartment: CompartmentName | null;
  sections: string[];
  legal_basis: LegalBasis | 'court_order' | 'justice_referral';
  purpose: string;
  disclosed_by: string;
  disclosed_at: Timestamp;
  expires_at: Date;
  revoked_at: Date | null;
  revoked_by: string | null;
  revocation_reason: string | null;
}

export interface BreakGlassGrantsTable {
  id: Generated<string>;
  user_id: string;
  case_id: string;
  compartments: CompartmentName[];
  reason: string;
  opened_at: Timestamp;
  expires_at: Date;
  ended_at: Date | null;
  reviewed_at: Date | null;
  reviewed_by: string | null;
  review_outcome: 'justified' | 'unjustified' | null;
  review_note: string | null;
}

export interface NotificationsTable {
  id: Generated<string>;
  recipient_user_id: string;
  kind: 'break_glass' | 'disclosure_received' | 'retention_due';
  subject_type: string;
  subject_id: string;
  actor_user_id: string | null;
  created_at: CreatedAt;
  read_at: Date | null;
}

export interface RetentionSchedulesTable {
  category: 'case_closed' | 'child_majority' | 'acquittal' | 'no_open_case';
  review_after_days: number;
  action: 'review' | 'anonymise' | 'delete';
  description: string;
  /** What starts the schedule's clock (migration 0060). */
  trigger: Generated<'case_closed' | 'age_of_majority' | 'justice_outcome' | 'recorded_without_case'>;
  /** For a justice_outcome trigger: the justice-track statuses that start it. */
  trigger_statuses: Generated<string[]>;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface LegalHoldsTable {
  id: Generated<string>;
  person_id: string;
  reason: string;
  placed_by: string;
  placed_at: Timestamp;
  lifted_at: Date | null;
  lifted_by: string | null;
  lift_reason: Generated<string | null>;
}

export interface PersonAnonymisationsTable {
  person_id: string;
  anonymised_at: Timestamp;
  anonymised_by: string;
}

export interface RetentionReviewsTable {
  person_id: string;
  category: RetentionSchedulesTable['category'];
  decision: 'keep' | 'anonymise' | 'delete';
  reviewed_by: string;
  reviewed_at: Timestamp;
}

export interface AccessTables {
  retention_reviews: RetentionReviewsTable;
  consents: ConsentsTable;
  access_role_policies: AccessRolePoliciesTable;
  field_sensitivity: FieldSensitivityTable;
  disclosures: DisclosuresTable;
  break_glass_grants: BreakGlassGrantsTable;
  notifications: NotificationsTable;
  retention_schedules: RetentionSchedulesTable;
  legal_holds: LegalHoldsTable;
  person_anonymisations: PersonAnonymisationsTable;
}
