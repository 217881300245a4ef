-- The registry: persons and every name they are known by, nationality claims, the family graph, cases.

CREATE TABLE persons (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  sex text NOT NULL CHECK (sex IN ('female', 'male', 'unknown')),
  -- Date of birth as a range: exact (from = to), year-only (1 Jan .. 31 Dec), a range, or unknown (both null).
  birth_date_kind text NOT NULL CHECK (birth_date_kind IN ('exact', 'year', 'range', 'unknown')),
  birth_date_from date,
  birth_date_to date,
  place_of_birth text,
  place_of_birth_is_camp boolean NOT NULL DEFAULT false,
  -- Where the person is now: relatives still abroad, detained, deceased or unknown are persons too.
  whereabouts text NOT NULL DEFAULT 'unknown'
    CHECK (whereabouts IN ('in_country', 'camp', 'detention', 'abroad_other', 'deceased', 'unknown')),
  whereabouts_detail text,
  flags text[] NOT NULL DEFAULT '{}',
  owner_agency_id uuid NOT NULL REFERENCES agencies (id) DEFERRABLE INITIALLY IMMEDIATE,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  CHECK (
    (birth_date_kind = 'unknown' AND birth_date_from IS NULL AND birth_date_to IS NULL)
    OR (birth_date_kind <> 'unknown' AND birth_date_from IS NOT NULL AND birth_date_to IS NOT NULL
        AND birth_date_from <= birth_date_to)
  )
);
CREATE INDEX persons_owner_agency_idx ON persons (owner_agency_id);
CREATE INDEX persons_birth_range_idx ON persons (birth_date_from, birth_date_to);
CREATE INDEX persons_flags_idx ON persons USING gin (flags);

-- Names are records of their own: never overwritten, one chosen for display.
CREATE TABLE person_names (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  full_name text NOT NULL CHECK (length(full_name) BETWEEN 1 AND 300),
  given_name text,
  family_name text,
  patronymic text,
  script text NOT NULL CHECK (script IN ('cyrillic', 'latin', 'arabic', 'other')),
  language text,
  name_type text NOT NULL CHECK (name_type IN ('primary', 'variant', 'alias', 'kunya', 'maiden', 'document')),
  source text NOT NULL CHECK (source IN ('passport', 'id_card', 'birth_certificate', 'civil_registry', 'camp_list',
    'ngo_list', 'un_agency_list', 'testimony', 'self_declared', 'other')),
  romanisation text,
  recorded_on date NOT NULL DEFAULT current_date,
  is_display boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX person_names_person_idx ON person_names (person_id);
CREATE UNIQUE INDEX person_names_one_display_idx ON person_names (person_id) WHERE is_display;
-- Serves exact and prefix name search until the identity module's keys land.
CREATE INDEX person_names_prefix_idx ON person_names (lower(full_name) text_pattern_ops);

CREATE TABLE person_nationalities (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  country char(2) NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
  status text NOT NULL CHECK (status IN ('claimed', 'verified', 'rejected')),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX person_nationalities_person_idx ON person_nationalities (person_id);

CREATE TABLE family_units (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  reference text NOT NULL UNIQUE,
  owner_agency_id uuid NOT NULL REFERENCES agencies (id) DEFERRABLE INITIALLY IMMEDIATE,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE family_unit_members (
  family_unit_id uuid NOT NULL REFERENCES family_units (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  PRIMARY KEY (family_unit_id, person_id)
);
CREATE INDEX family_unit_members_person_idx ON family_unit_members (person_id);

-- "related_person_id is the <relation> of person_id": (child, mother, 'mother') reads "the mother of child".
CREATE TABLE relationships (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  related_person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  relation text NOT NULL CHECK (relation IN ('mother', 'father', 'child', 'spouse', 'sibling', 'guardian', 'caregiver')),
  provenance text NOT NULL CHECK (provenance IN ('claimed', 'documented', 'dna_confirmed')),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (person_id <> related_person_id),
  UNIQUE (person_id, related_person_id, relation)
);
CREATE INDEX relationships_related_idx ON relationships (related_person_id);

CREATE SEQUENCE case_number_seq;

CREATE TABLE cases (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_number text NOT NULL UNIQUE,
  person_id uuid NOT NULL REFERENCES persons (id) DEFERRABLE INITIALLY IMMEDIATE,
  family_unit_id uuid REFERENCES family_units (id) DEFERRABLE INITIALLY IMMEDIATE,
  owner_agency_id uuid NOT NULL REFERENCES agencies (id) DEFERRABLE INITIALLY IMMEDIATE,
  assigned_user_id uuid REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
  stage smallint NOT NULL CHECK (stage BETWEEN 0 AND 10),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  opened_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz,
  close_reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX cases_one_open_per_person_idx ON cases (person_id) WHERE status = 'open';
CREATE INDEX cases_owner_stage_idx ON cases (owner_agency_id, stage, opened_at DESC, id);
CREATE INDEX cases_assigned_idx ON cases (assigned_user_id, opened_at DESC, id);

CREATE TABLE case_tracks (
  case_id uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  track text NOT NULL CHECK (track IN ('protection', 'justice', 'security', 'health')),
  status text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, track)
);
