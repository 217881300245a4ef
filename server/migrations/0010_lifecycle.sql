-- The lifecycle: persons in full (documents, nationality evidence, field history), the family graph
-- (tracing, care), the case workflow (transitions, approvals, non-punishment reviews), case work
-- (plans, referrals, services, notes, tasks) and the service-provider directory.

-- Persons ----------------------------------------------------------------------------------------

-- Serves the age-band filter: a band is decided by the youngest possible age, i.e. the latest birth date.
CREATE INDEX persons_birth_latest_idx ON persons (birth_date_to);

-- The evidence register of a nationality claim: documents, testimony, DNA referral and result.
-- A DNA result is stored only as a reference (laboratory and report number), never the profile.
CREATE TABLE nationality_evidence (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  nationality_id uuid NOT NULL REFERENCES person_nationalities (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  kind text NOT NULL CHECK (kind IN ('document', 'testimony', 'dna_referral', 'dna_result', 'registry_check', 'other')),
  reference text NOT NULL CHECK (length(reference) BETWEEN 1 AND 300),
  outcome text NOT NULL CHECK (outcome IN ('pending', 'supports', 'contradicts', 'inconclusive')),
  recorded_on date NOT NULL DEFAULT current_date,
  recorded_by uuid REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX nationality_evidence_nationality_idx ON nationality_evidence (nationality_id);

CREATE TABLE person_documents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  document_type text NOT NULL CHECK (document_type IN ('passport', 'national_id', 'birth_certificate',
    'marriage_certificate', 'death_certificate', 'travel_document', 'residence_permit', 'other')),
  number text CHECK (length(number) BETWEEN 1 AND 100),
  issuer text NOT NULL CHECK (length(issuer) BETWEEN 1 AND 200),
  status text NOT NULL CHECK (status IN ('issued', 'applied_for', 'lost', 'confiscated', 'expired')),
  issued_on date,
  expires_on date,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);
CREATE INDEX person_documents_person_idx ON person_documents (person_id);

-- Per-field history: who changed what, when, from what to what. Append-only by convention; the
-- audit trail (hash-chained) records the same change by field name.
CREATE TABLE person_history (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  field text NOT NULL,
  before jsonb,
  after jsonb,
  changed_by uuid REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
  changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX person_history_person_idx ON person_history (person_id, id);

-- Family graph -------------------------------------------------------------------------------------

CREATE INDEX relationships_person_idx ON relationships (person_id, relation);

CREATE TABLE tracing_requests (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  sought_person_id uuid NOT NULL REFERENCES persons (id) DEFERRABLE INITIALLY IMMEDIATE,
  requesting_person_id uuid REFERENCES persons (id) DEFERRABLE INITIALLY IMMEDIATE,
  family_unit_id uuid REFERENCES family_units (id) DEFERRABLE INITIALLY IMMEDIATE,
  owner_agency_id uuid NOT NULL REFERENCES agencies (id) DEFERRABLE INITIALLY IMMEDIATE,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'located', 'not_found', 'withdrawn')),
  last_known_location text,
  opened_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz,
  created_by uuid REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);
CREATE INDEX tracing_requests_sought_idx ON tracing_requests (sought_person_id);
CREATE INDEX tracing_requests_owner_open_idx ON tracing_requests (owner_agency_id, opened_at) WHERE status = 'open';

-- Care of a child: family-based first; an institution needs the reason family-based care was not possible.
CREATE TABLE care_arrangements (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  kind text NOT NULL CHECK (kind IN ('family_based', 'kinship', 'foster', 'institution')),
  caregiver_person_id uuid REFERENCES persons (id) DEFERRABLE INITIALLY IMMEDIATE,
  provider_agency_id uuid REFERENCES agencies (id) DEFERRABLE INITIALLY IMMEDIATE,
  starts_on date NOT NULL,
  ends_on date,
  reason text,
  recorded_by uuid REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_on IS NULL OR ends_on >= starts_on),
  CHECK (kind <> 'institution' OR reason IS NOT NULL)
);
CREATE INDEX care_arrangements_person_idx ON care_arrangements (person_id, starts_on);

-- Cases ------------------------------------------------------------------------------------------

CREATE INDEX cases_family_unit_idx ON cases (family_unit_id);
CREATE INDEX cases_owner_opened_idx ON cases (owner_agency_id, opened_at DESC, id);
CREATE INDEX case_tracks_track_status_idx ON case_tracks (track, status, case_id);

-- Every transition that happened: stage moves and track status changes, with who and which approval.
CREATE TABLE case_transitions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  transition text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('stage', 'track')),
  track text CHECK (track IN ('protection', 'justice', 'security', 'health')),
  from_value text,
  to_value text NOT NULL,
  comment text,
  performed_by uuid REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
  performed_at timestamptz NOT NULL DEFAULT now(),
  approval_id uuid
);
CREATE INDEX case_transitions_case_idx ON case_transitions (case_id, performed_at);

CREATE TABLE case_approvals (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  transition text NOT NULL,
  payload jsonb NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  requested_by uuid NOT NULL REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
  requested_at timestamptz NOT NULL DEFAULT now(),
  request_comment text,
  decided_by uuid REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
  decided_at timestamptz,
  decision_comment text,
  CHECK (status = 'pending' OR (decided_by IS NOT NULL AND decided_at IS NOT NULL))
);
CREATE UNIQUE INDEX case_approvals_one_pending_idx ON case_approvals (case_id) WHERE status = 'pending';
CREATE INDEX case_approvals_pending_idx ON case_approvals (requested_at) WHERE status = 'pending';

-- Trafficking indicators trigger a non-punishment review before any charging decision.
CREATE TABLE non_punishment_reviews (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'completed')),
  outcome text CHECK (outcome IN ('recognised_victim', 'non_punishment_applies', 'not_established')),
  opened_by uuid REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
  opened_at timestamptz NOT NULL DEFAULT now(),
  completed_by uuid REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
  completed_at timestamptz,
  CHECK ((status = 'open' AND outcome IS NULL) OR (status = 'completed' AND outcome IS NOT NULL))
);
CREATE INDEX non_punishment_reviews_case_idx ON non_punishment_reviews (case_id);

-- Case work --------------------------------------------------------------------------------------

CREATE TABLE case_plans (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('draft', 'active', 'completed', 'cancelled')),
  created_by uuid REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);
CREATE INDEX case_plans_case_idx ON case_plans (case_id);

CREATE TABLE plan_goals (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  plan_id uuid NOT NULL REFERENCES case_plans (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  position integer NOT NULL,
  domain text NOT NULL CHECK (domain IN ('psychosocial', 'medical', 'education', 'vocational', 'religious_counselling',
    'documents', 'guardianship', 'housing', 'livelihood', 'legal', 'family', 'community', 'other')),
  description text NOT NULL CHECK (length(description) BETWEEN 1 AND 1000),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'achieved', 'dropped'))
);
CREATE INDEX plan_goals_plan_idx ON plan_goals (plan_id, position);

CREATE TABLE plan_actions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  plan_id uuid NOT NULL REFERENCES case_plans (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  goal_id uuid REFERENCES plan_goals (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  description text NOT NULL CHECK (length(description) BETWEEN 1 AND 1000),
  responsible_agency_id uuid REFERENCES agencies (id) DEFERRABLE INITIALLY IMMEDIATE,
  due_on date,
  status text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'in_progress', 'done', 'cancelled'))
);
CREATE INDEX plan_actions_plan_idx ON plan_actions (plan_id);
CREATE INDEX plan_actions_goal_idx ON plan_actions (goal_id);

CREATE TABLE referrals (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  from_agency_id uuid NOT NULL REFERENCES agencies (id) DEFERRABLE INITIALLY IMMEDIATE,
  to_agency_id uuid NOT NULL REFERENCES agencies (id) DEFERRABLE INITIALLY IMMEDIATE,
  service_type text NOT NULL,
  -- The referral packet: the minimum the recipient needs, written for them.
  packet_summary text NOT NULL CHECK (length(packet_summary) BETWEEN 1 AND 2000),
  urgency text NOT NULL DEFAULT 'normal' CHECK (urgency IN ('normal', 'urgent')),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'declined', 'withdrawn', 'completed')),
  consent_override_reason text,
  created_by uuid REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
  created_at timestamptz NOT NULL DEFAULT now(),
  decided_by uuid REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
  decided_at timestamptz,
  decline_reason text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  CHECK (status <> 'declined' OR decline_reason IS NOT NULL)
);
CREATE INDEX referrals_case_idx ON referrals (case_id, created_at);
CREATE INDEX referrals_to_agency_idx ON referrals (to_agency_id, status, created_at);

CREATE TABLE service_deliveries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  referral_id uuid REFERENCES referrals (id) DEFERRABLE INITIALLY IMMEDIATE,
  service_type text NOT NULL,
  provider_agency_id uuid NOT NULL REFERENCES agencies (id) DEFERRABLE INITIALLY IMMEDIATE,
  delivered_on date NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('completed', 'ongoing', 'partial', 'not_attended', 'refused')),
  recorded_by uuid REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX service_deliveries_case_idx ON service_deliveries (case_id, delivered_on);
CREATE INDEX service_deliveries_provider_idx ON service_deliveries (provider_agency_id, delivered_on);

-- Notes are never edited; each sits in one compartment.
CREATE TABLE case_notes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  compartment text NOT NULL CHECK (compartment IN ('protection', 'justice', 'security', 'health', 'education',
    'referral_packet')),
  referral_id uuid REFERENCES referrals (id) DEFERRABLE INITIALLY IMMEDIATE,
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
  author_id uuid REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_notes_case_idx ON case_notes (case_id, compartment, created_at);
CREATE INDEX case_notes_referral_idx ON case_notes (referral_id);

CREATE TABLE case_tasks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  kind text NOT NULL DEFAULT 'task' CHECK (kind IN ('task', 'follow_up', 'review')),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  due_on date NOT NULL,
  assigned_user_id uuid REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
  created_by uuid REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
  created_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);
CREATE INDEX case_tasks_case_idx ON case_tasks (case_id, due_on);
-- Serves the overdue list and the case list's "has overdue tasks" filter.
CREATE INDEX case_tasks_open_due_idx ON case_tasks (due_on, case_id) WHERE status = 'open';

-- Service-provider directory -----------------------------------------------------------------------

CREATE TABLE provider_profiles (
  agency_id uuid PRIMARY KEY REFERENCES agencies (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  description text NOT NULL DEFAULT '',
  services text[] NOT NULL DEFAULT '{}',
  regions text[] NOT NULL DEFAULT '{}',
  languages text[] NOT NULL DEFAULT '{}',
  contacts jsonb NOT NULL DEFAULT '[]',
  accepts_referrals boolean NOT NULL DEFAULT true,
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);
CREATE INDEX provider_profiles_services_idx ON provider_profiles USING gin (services);
CREATE INDEX provider_profiles_regions_idx ON provider_profiles USING gin (regions);
CREATE INDEX provider_profiles_languages_idx ON provider_profiles USING gin (languages);

-- A nisba (al-Kazakhi, al-Shishani) is a name type of its own, beside alias and kunya.
ALTER TABLE person_names DROP CONSTRAINT person_names_name_type_check;
ALTER TABLE person_names ADD CONSTRAINT person_names_name_type_check
  CHECK (name_type IN ('primary', 'variant', 'alias', 'kunya', 'nisba', 'maiden', 'document'));
