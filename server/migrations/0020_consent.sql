-- Consent and legal basis per person and purpose (DOMAIN.md §3, §4, §8). Versioned: a new decision for
-- the same person and purpose is a new row with the next version; the newest version is the current one.
-- Withdrawal marks a row, never deletes it. Services never depend on consent: only referral outside
-- the owner agency checks it (access/consent.ts).

CREATE TABLE consents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  purpose text NOT NULL CHECK (purpose IN ('services', 'referral', 'un_sharing', 'tracing')),
  version integer NOT NULL CHECK (version >= 1),
  legal_basis text NOT NULL
    CHECK (legal_basis IN ('consent', 'best_interests', 'legal_obligation', 'vital_interest')),
  decision text NOT NULL CHECK (decision IN ('granted', 'refused')),
  -- A child's own assent and a guardian's consent are both recorded (children cannot consent alone).
  subject_is_child boolean NOT NULL,
  child_assent text CHECK (child_assent IN ('given', 'refused', 'not_capable')),
  guardian_consent text CHECK (guardian_consent IN ('given', 'refused')),
  guardian_person_id uuid REFERENCES persons (id) ON DELETE SET NULL DEFERRABLE INITIALLY IMMEDIATE,
  -- NULL: any recipient; otherwise the consent covers this recipient agency only.
  recipient_agency_id uuid REFERENCES agencies (id) DEFERRABLE INITIALLY IMMEDIATE,
  recorded_by uuid NOT NULL REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  valid_until timestamptz,
  withdrawn_at timestamptz,
  withdrawn_by uuid REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
  withdrawal_reason text CHECK (length(withdrawal_reason) <= 1000),
  UNIQUE (person_id, purpose, version),
  CHECK (NOT subject_is_child OR decision = 'refused' OR (child_assent IS NOT NULL AND guardian_consent = 'given')),
  CHECK ((withdrawn_at IS NULL) = (withdrawn_by IS NULL))
);
CREATE INDEX consents_current_idx ON consents (person_id, purpose, version DESC);
