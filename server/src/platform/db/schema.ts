import type { ColumnType, Generated } from 'kysely';
import type { AccessTables } from './tables/access.ts';
import type { AssessmentsTables } from './tables/assessments.ts';
import type { IdentityTables } from './tables/identity.ts';
import type { LifecycleTables } from './tables/lifecycle.ts';
import type { PersonPhotosTables } from './tables/person-photos.ts';
import type { SavedViewsTables } from './tables/saved-views.ts';

/**
 * Table types for Kysely, kept beside the SQL migrations that define them.
 * Timestamps read as Date; dates (YYYY-MM-DD) as text on both backends (see database.ts).
 */
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  checksum: string;
  applied_at: CreatedAt;
}

export interface AgenciesTable {
  id: Generated<string>;
  code: string;
  name: string;
  kind: string;
  jurisdiction: string | null;
  active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface RolesTable {
  id: Generated<string>;
  code: string;
  name: string;
  description: Generated<string>;
  permissions: string[];
  require_totp: Generated<boolean>;
  builtin: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface UsersTable {
  id: Generated<string>;
  username: string;
  display_name: string;
  agency_id: string;
  supervisor_id: string | null;
  password_hash: string;
  password_changed_at: Timestamp;
  totp_secret_encrypted: string | null;
  totp_enabled: Generated<boolean>;
  totp_last_step: number | null;
  status: Generated<'active' | 'disabled'>;
  preferred_language: Generated<string>;
  created_at: CreatedAt;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface UserRolesTable {
  user_id: string;
  role_id: string;
}

export interface SessionsTable {
  token_hash: string;
  user_id: string;
  csrf_token: string;
  mfa_enrolment_pending: Generated<boolean>;
  created_at: CreatedAt;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  ended_at: Date | null;
  end_reason: 'logout' | 'idle' | 'expired' | 'revoked' | 'password_changed' | null;
  client_ip: string | null;
  user_agent: string | null;
}

export interface ApiTokensTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  token_hash: string;
  scopes: string[];
  created_at: CreatedAt;
  expires_at: Timestamp;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

export interface LoginThrottleTable {
  username_key: string;
  failures: number;
  locked_until: Date | null;
  last_failure_at: Timestamp;
}

export interface AuditEventsTable {
  seq: number;
  occurred_at: Timestamp;
  actor_user_id: string | null;
  actor_agency_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  sections: string[];
  justification: string | null;
  client_ip: string | null;
  request_id: string | null;
  outcome: 'success' | 'denied' | 'failure';
  details: ColumnType<Record<string, unknown>, string, string>;
  prev_hash: string;
  hash: string;
}

export interface PersonsTable {
  id: Generated<string>;
  sex: 'female' | 'male' | 'unknown';
  birth_date_kind: 'exact' | 'year' | 'range' | 'unknown';
  birth_date_from: string | null;
  birth_date_to: string | null;
  place_of_birth: string | null;
  place_of_birth_is_camp: Generated<boolean>;
  whereabouts: Generated<'in_country' | 'camp' | 'detention' | 'abroad_other' | 'deceased' | 'unknown'>;
  whereabouts_detail: string | null;
  flags: Generated<string[]>;
  owner_agency_id: string;
  created_at: CreatedAt;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface PersonNamesTable {
  id: Generated<string>;
  person_id: string;
  full_name: string;
  given_name: string | null;
  family_name: string | null;
  patronymic: string | null;
  script: 'cyrillic' | 'latin' | 'arabic' | 'other';
  language: string | null;
  name_type: 'primary' | 'variant' | 'alias' | 'kunya' | 'maiden' | 'document';
  source: string;
  romanisation: string | null;
  recorded_on: ColumnType<string, string | undefined, string>;
  is_display: Generated<boolean>;
  created_at: CreatedAt;
}

export interface PersonNationalitiesTable {
  id: Generated<string>;
  person_id: string;
  country: string;
  status: 'claimed' | 'verified' | 'rejected';
  created_at: CreatedAt;
}

export interface FamilyUnitsTable {
  id: Generated<string>;
  reference: string;
  owner_agency_id: string;
  created_at: CreatedAt;
}

export interface FamilyUnitMembersTable {
  family_unit_id: string;
  person_id: string;
}

export interface RelationshipsTable {
  id: Generated<string>;
  person_id: string;
  related_person_id: string;
  relation: 'mother' | 'father' | 'child' | 'spouse' | 'sibling' | 'guardian' | 'caregiver';
  provenance: 'claimed' | 'documented' | 'dna_confirmed';
  created_at: CreatedAt;
}

export interface CasesTable {
  id: Generated<string>;
  case_number: string;
  person_id: string;
  family_unit_id: string | null;
  owner_agency_id: string;
  assigned_user_id: string | null;
  stage: number;
  status: Generated<'open' | 'closed'>;
  opened_at: Timestamp;
  closed_at: Date | null;
  close_reason: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  version: Generated<number>;
  /** Copies of the person's fields and name terms the case list filters on, kept by triggers (0071, 0111). */
  person_sex: ColumnType<'female' | 'male' | 'unknown' | null, never, never>;
  person_birth_date_to: ColumnType<string | null, never, never>;
  person_flags: ColumnType<string[], never, never>;
  person_name_terms: ColumnType<string[], never, never>;
  /** The earliest due date of the case's open tasks (migration 0114, kept by triggers). */
  open_tasks_due_first: ColumnType<string | null, never, never>;
}

export interface CaseTracksTable {
  case_id: string;
  track: 'protection' | 'justice' | 'security' | 'health';
  status: string;
  updated_at: Timestamp;
  /** The case's opened_at, kept by triggers (migration 0072): the case list's order from the track side. */
  case_opened_at: ColumnType<Date | null, never, never>;
  /** The case's owner agency and assigned worker, kept by the same triggers (migration 0115): its count. */
  case_owner_agency_id: ColumnType<string | null, never, never>;
  case_assigned_user_id: ColumnType<string | null, never, never>;
}

/**
 * Every table. Tables of later migrations are declared per area in ./tables/ (one file per area,
 * beside the migrations that create them) and joined here.
 */
export interface DB
  extends LifecycleTables,
    AccessTables,
    IdentityTables,
    AssessmentsTables,
    SavedViewsTables,
    PersonPhotosTables {
  schema_migrations: SchemaMigrationsTable;
  agencies: AgenciesTable;
  roles: RolesTable;
  users: UsersTable;
  user_roles: UserRolesTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  login_throttle: LoginThrottleTable;
  audit_events: AuditEventsTable;
  persons: PersonsTable;
  person_names: PersonNamesTable;
  person_nationalities: PersonNationalitiesTable;
  family_units: FamilyUnitsTable;
  family_unit_members: FamilyUnitMembersTable;
  relationships: RelationshipsTable;
  cases: CasesTable;
  case_tracks: CaseTracksTable;
}
