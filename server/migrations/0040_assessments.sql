-- Assessments and decisions: versioned instruments, assessor qualifications, assessments with one or
-- two raters, consensus and disagreements, supervisor sign-off, re-assessment schedule, and
-- multi-agency panel decisions with the assessments they relied on.

-- One row per version of an instrument. A published version is immutable (trigger below): an
-- assessment points at the version it was made in and always renders in it.
CREATE TABLE instrument_versions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]{1,60}$'),
  version integer NOT NULL CHECK (version >= 1),
  kind text NOT NULL,
  compartment text NOT NULL,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'retired')),
  definition jsonb NOT NULL,
  sha256 text NOT NULL,
  shipped boolean NOT NULL DEFAULT false,
  imported_by uuid REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
  imported_at timestamptz NOT NULL DEFAULT now(),
  published_by uuid REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
  published_at timestamptz,
  UNIQUE (code, version),
  CHECK (status = 'draft' OR published_at IS NOT NULL)
);
-- Serves "the latest published version of each instrument".
CREATE INDEX instrument_versions_published_idx ON instrument_versions (code, version DESC) WHERE status = 'published';

CREATE FUNCTION instrument_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status <> 'draft' AND (NEW.definition IS DISTINCT FROM OLD.definition OR NEW.code <> OLD.code
      OR NEW.version <> OLD.version OR NEW.sha256 <> OLD.sha256 OR NEW.status = 'draft') THEN
    RAISE EXCEPTION 'instrument version % v% is published and immutable', OLD.code, OLD.version
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER instrument_versions_no_rewrite BEFORE UPDATE ON instrument_versions
  FOR EACH ROW EXECUTE FUNCTION instrument_versions_immutable();

CREATE FUNCTION instrument_versions_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status <> 'draft' THEN
    RAISE EXCEPTION 'instrument version % v% is published and cannot be deleted', OLD.code, OLD.version
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN OLD;
END;
$$;
CREATE TRIGGER instrument_versions_keep_published BEFORE DELETE ON instrument_versions
  FOR EACH ROW EXECUTE FUNCTION instrument_versions_no_delete();

-- Who may rate with which instrument, until when. A revoked or expired qualification no longer counts.
CREATE TABLE assessor_qualifications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  instrument_code text NOT NULL,
  expires_on date NOT NULL,
  reference text CHECK (length(reference) <= 300),
  granted_by uuid REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
  granted_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE INDEX assessor_qualifications_user_idx ON assessor_qualifications (user_id, instrument_code, expires_on);

CREATE TABLE assessments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  instrument_version_id uuid NOT NULL REFERENCES instrument_versions (id) DEFERRABLE INITIALLY IMMEDIATE,
  instrument_code text NOT NULL,
  compartment text NOT NULL,
  status text NOT NULL DEFAULT 'in_progress'
    CHECK (status IN ('in_progress', 'awaiting_consensus', 'submitted', 'signed_off', 'cancelled')),
  reason text NOT NULL DEFAULT 'initial' CHECK (reason IN ('initial', 'interval', 'event', 'follow_up')),
  reason_event text,
  -- Fixed at creation from the instrument version: complete means signed off, or submitted where no sign-off is needed.
  requires_sign_off boolean NOT NULL,
  -- The answers, computed values and output the assessment stands on: the single rater's, or the consensus.
  answers jsonb,
  computed jsonb,
  output jsonb,
  judgement text,
  created_by uuid REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
  created_at timestamptz NOT NULL DEFAULT now(),
  submitted_by uuid REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
  submitted_at timestamptz,
  signed_off_by uuid REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
  signed_off_at timestamptz,
  sign_off_comment text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  CHECK (status NOT IN ('submitted', 'signed_off') OR (answers IS NOT NULL AND submitted_at IS NOT NULL)),
  CHECK (status <> 'signed_off' OR signed_off_by IS NOT NULL)
);
CREATE INDEX assessments_case_idx ON assessments (case_id, created_at DESC);
CREATE INDEX assessments_person_idx ON assessments (person_id, instrument_code);
-- Serves the bias report: completed assessments of one instrument.
CREATE INDEX assessments_instrument_status_idx ON assessments (instrument_code, status);

-- Each rater's own, independent rating; with two raters both are kept after consensus.
CREATE TABLE assessment_ratings (
  assessment_id uuid NOT NULL REFERENCES assessments (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  rater_id uuid NOT NULL REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
  answers jsonb NOT NULL DEFAULT '{}',
  output jsonb NOT NULL DEFAULT '{}',
  submitted_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (assessment_id, rater_id)
);
CREATE INDEX assessment_ratings_rater_idx ON assessment_ratings (rater_id);

-- Where two raters differed, what each said, and what the consensus settled on. Kept after consensus;
-- a consensus redone after the supervisor returned it updates the settlement (the audit trail has both).
CREATE TABLE assessment_disagreements (
  assessment_id uuid NOT NULL REFERENCES assessments (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  item_id text NOT NULL,
  ratings jsonb NOT NULL,
  consensus jsonb,
  note text,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (assessment_id, item_id)
);

-- Re-assessments due: by interval (after a completed assessment), by event, or by follow-up schedule.
CREATE TABLE assessment_schedule (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  instrument_code text NOT NULL,
  compartment text NOT NULL,
  reason text NOT NULL CHECK (reason IN ('interval', 'event', 'follow_up')),
  event text,
  follow_up_month integer,
  due_on date NOT NULL,
  source_assessment_id uuid REFERENCES assessments (id) ON DELETE SET NULL DEFERRABLE INITIALLY IMMEDIATE,
  satisfied_by uuid REFERENCES assessments (id) ON DELETE SET NULL DEFERRABLE INITIALLY IMMEDIATE,
  satisfied_at timestamptz,
  created_by uuid REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX assessment_schedule_case_idx ON assessment_schedule (case_id, instrument_code);
-- Serves the overdue list.
CREATE INDEX assessment_schedule_open_due_idx ON assessment_schedule (due_on, case_id) WHERE satisfied_at IS NULL;

-- Multi-agency panel decisions: who sat, what was considered, what was decided and why, who dissented.
CREATE TABLE panel_decisions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  kind text NOT NULL CHECK (kind IN ('justice_decision', 'care_arrangement', 'separation', 'step_down')),
  compartment text NOT NULL CHECK (compartment IN ('protection', 'justice')),
  outcome text NOT NULL,
  options jsonb NOT NULL DEFAULT '[]',
  rationale text NOT NULL CHECK (length(rationale) BETWEEN 1 AND 10000),
  decided_on date NOT NULL,
  recorded_by uuid REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX panel_decisions_case_idx ON panel_decisions (case_id, decided_on);

CREATE TABLE panel_decision_participants (
  decision_id uuid NOT NULL REFERENCES panel_decisions (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  position integer NOT NULL,
  role text NOT NULL CHECK (length(role) BETWEEN 1 AND 200),
  agency_id uuid REFERENCES agencies (id) DEFERRABLE INITIALLY IMMEDIATE,
  user_id uuid REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
  vote text NOT NULL DEFAULT 'concur' CHECK (vote IN ('concur', 'dissent', 'abstain')),
  dissent text,
  PRIMARY KEY (decision_id, position),
  CHECK (vote <> 'dissent' OR dissent IS NOT NULL)
);
CREATE INDEX panel_decision_participants_agency_idx ON panel_decision_participants (agency_id);

CREATE TABLE panel_decision_assessments (
  decision_id uuid NOT NULL REFERENCES panel_decisions (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  assessment_id uuid NOT NULL REFERENCES assessments (id) DEFERRABLE INITIALLY IMMEDIATE,
  PRIMARY KEY (decision_id, assessment_id)
);
CREATE INDEX panel_decision_assessments_assessment_idx ON panel_decision_assessments (assessment_id);
