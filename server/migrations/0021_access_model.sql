-- The need-to-know model as data (DOMAIN.md §4; ADR 0020): case scope and break-glass rules per role,
-- field sensitivity per resource, disclosures, break-glass grants and the notifications that alert on them.
-- Compartment read/write stay role permissions (`protection:read`…), edited with the roles.

-- Keyed by role code (stable: a role's code never changes) so the defaults can be seeded here, before the
-- roles themselves are seeded. A role without a row has scope 'none': denied by default.
CREATE TABLE access_role_policies (
  role_code text PRIMARY KEY CHECK (role_code ~ '^[a-z][a-z0-9_]{1,40}$'),
  case_scope text NOT NULL CHECK (case_scope IN ('none', 'assigned', 'team', 'agency', 'jurisdiction', 'all')),
  -- Compartments a holder may open by break-glass (with `breakglass:use`); empty forbids it.
  break_glass_compartments text[] NOT NULL DEFAULT '{}'
    CHECK (break_glass_compartments <@ ARRAY['protection', 'justice', 'security', 'health', 'education',
      'referral_packet']),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);
INSERT INTO access_role_policies (role_code, case_scope, break_glass_compartments) VALUES
  ('case_worker', 'assigned', '{protection,health,education,referral_packet}'),
  ('supervisor', 'agency', '{protection,health,education,referral_packet}'),
  ('security_assessor', 'all', '{security}'),
  ('prosecutor', 'none', '{}'),
  ('health_worker', 'agency', '{health}'),
  ('ngo_worker', 'none', '{}'),
  ('coordinator', 'none', '{}'),
  ('data_protection_officer', 'none', '{}'),
  ('admin', 'none', '{}');

-- A field inside a section that only readers of a compartment see; others read "restricted, ask <ask>".
CREATE TABLE field_sensitivity (
  resource text NOT NULL CHECK (resource ~ '^[a-z][a-z0-9_.]{1,60}$'),
  field text NOT NULL CHECK (field ~ '^[a-zA-Z][a-zA-Z0-9_]{0,60}$'),
  compartment text NOT NULL
    CHECK (compartment IN ('protection', 'justice', 'security', 'health', 'education', 'referral_packet')),
  ask text NOT NULL CHECK (length(ask) BETWEEN 1 AND 200),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (resource, field)
);
INSERT INTO field_sensitivity (resource, field, compartment, ask) VALUES
  ('person', 'whereaboutsDetail', 'protection', 'the protection case worker of the owner agency'),
  ('person', 'placeOfBirth', 'protection', 'the protection case worker of the owner agency'),
  ('case.track.security', 'status', 'security', 'the security service focal point'),
  ('case.track.justice', 'status', 'justice', 'the prosecutor in charge'),
  ('case.track.health', 'status', 'health', 'the health focal point'),
  ('case', 'closeReason', 'protection', 'the case manager');

-- An explicit act sharing chosen sections of a case with another agency or compartment, until it expires
-- or is revoked. The row filter (access.ts) honours it; nothing else grants the recipient anything.
CREATE TABLE disclosures (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  recipient_agency_id uuid REFERENCES agencies (id) DEFERRABLE INITIALLY IMMEDIATE,
  recipient_compartment text
    CHECK (recipient_compartment IN ('protection', 'justice', 'security', 'health', 'education', 'referral_packet')),
  sections text[] NOT NULL CHECK (cardinality(sections) > 0 AND sections <@ ARRAY['identity', 'protection',
    'justice', 'security', 'health', 'education', 'referral_packet']),
  legal_basis text NOT NULL CHECK (legal_basis IN ('consent', 'best_interests', 'legal_obligation',
    'vital_interest', 'court_order')),
  purpose text NOT NULL CHECK (length(purpose) BETWEEN 1 AND 500),
  disclosed_by uuid NOT NULL REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
  disclosed_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  revoked_by uuid REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
  revocation_reason text CHECK (length(revocation_reason) <= 1000),
  CHECK ((recipient_agency_id IS NULL) <> (recipient_compartment IS NULL)),
  CHECK (expires_at > disclosed_at)
);
CREATE INDEX disclosures_case_idx ON disclosures (case_id, disclosed_at DESC);
-- Serve the row filter: the cases currently disclosed to one agency or compartment.
CREATE INDEX disclosures_to_agency_idx ON disclosures (recipient_agency_id, expires_at, case_id)
  WHERE revoked_at IS NULL;
CREATE INDEX disclosures_to_compartment_idx ON disclosures (recipient_compartment, expires_at, case_id)
  WHERE revoked_at IS NULL;

-- Opening a case outside one's scope: a written reason, a time limit, an alert, a review.
CREATE TABLE break_glass_grants (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  case_id uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  compartments text[] NOT NULL DEFAULT '{}',
  reason text NOT NULL CHECK (length(reason) BETWEEN 20 AND 2000),
  opened_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  ended_at timestamptz,
  reviewed_at timestamptz,
  reviewed_by uuid REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
  review_outcome text CHECK (review_outcome IN ('justified', 'unjustified')),
  review_note text CHECK (length(review_note) <= 2000),
  CHECK (expires_at > opened_at),
  CHECK ((reviewed_at IS NULL) = (review_outcome IS NULL))
);
-- Serves the row filter: this user's grants still running.
CREATE INDEX break_glass_user_idx ON break_glass_grants (user_id, expires_at, case_id) WHERE ended_at IS NULL;
CREATE INDEX break_glass_review_idx ON break_glass_grants (opened_at DESC) WHERE reviewed_at IS NULL;

-- Alerts a user sees in the web's inbox (polled): break-glass uses, disclosures received.
CREATE TABLE notifications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  recipient_user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  kind text NOT NULL CHECK (kind IN ('break_glass', 'disclosure_received', 'retention_due')),
  subject_type text NOT NULL,
  subject_id uuid NOT NULL,
  actor_user_id uuid REFERENCES users (id) ON DELETE SET NULL DEFERRABLE INITIALLY IMMEDIATE,
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at timestamptz
);
CREATE INDEX notifications_inbox_idx ON notifications (recipient_user_id, created_at DESC);

-- The person filter asks "does this person have a case I may see?".
CREATE INDEX cases_person_visibility_idx ON cases (person_id);
