-- Sanctions list screening (modules/identity/watchlist*.ts; ADR 0030). The UN Security Council
-- Consolidated List is imported as versioned snapshots; persons are screened locally against a
-- version; a hit is only a candidate for two-person review, never an action on a case.

CREATE TABLE watchlist_versions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  source text NOT NULL DEFAULT 'un_sc_consolidated',
  -- CONSOLIDATED_LIST/@dateGenerated of the file.
  date_generated timestamptz NOT NULL,
  -- SHA-256 of the file as imported: the same file is never imported twice.
  sha256 text NOT NULL UNIQUE,
  individuals integer NOT NULL,
  entities integer NOT NULL,
  previous_version_id uuid REFERENCES watchlist_versions (id) DEFERRABLE INITIALLY IMMEDIATE,
  -- Reference numbers added, removed and changed since the previous version.
  diff jsonb NOT NULL,
  imported_by uuid REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
  imported_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX watchlist_versions_imported_idx ON watchlist_versions (imported_at DESC, id);

CREATE TABLE watchlist_entries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  version_id uuid NOT NULL REFERENCES watchlist_versions (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  kind text NOT NULL CHECK (kind IN ('individual', 'entity')),
  reference_number text NOT NULL,
  data_id text,
  un_list_type text,
  listed_on date,
  -- FIRST_NAME … FOURTH_NAME joined, as listed.
  listed_name text NOT NULL,
  -- [{ name, type: 'primary' | 'original_script' | 'alias', quality: 'good' | 'low' | null }]
  names jsonb NOT NULL,
  gender text,
  -- [{ from, to, type: 'EXACT' | 'APPROXIMATELY' | 'BETWEEN' | … }]
  births jsonb NOT NULL,
  nationalities text[] NOT NULL,
  places_of_birth text[] NOT NULL,
  documents jsonb NOT NULL,
  -- SHA-256 of the entry's content: a changed entry is one whose hash differs between versions.
  content_hash text NOT NULL,
  UNIQUE (version_id, reference_number)
);

CREATE TABLE screening_runs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  version_id uuid NOT NULL REFERENCES watchlist_versions (id) DEFERRABLE INITIALLY IMMEDIATE,
  trigger text NOT NULL CHECK (trigger IN ('registration', 'list_version', 'manual')),
  algorithm_version text NOT NULL,
  threshold real NOT NULL,
  persons_screened integer NOT NULL,
  hits integer NOT NULL,
  -- Hits not raised again because a review already found them to be false positives.
  suppressed integer NOT NULL,
  started_by uuid REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
  started_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE screening_hits (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  run_id uuid NOT NULL REFERENCES screening_runs (id) DEFERRABLE INITIALLY IMMEDIATE,
  person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  entry_id uuid NOT NULL REFERENCES watchlist_entries (id) DEFERRABLE INITIALLY IMMEDIATE,
  reference_number text NOT NULL,
  score real NOT NULL,
  decision text NOT NULL CHECK (decision IN ('match', 'possible')),
  explanation jsonb NOT NULL,
  -- The best name pair used an alias the list itself rates 'Low' quality.
  weak_alias boolean NOT NULL,
  status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'in_review', 'confirmed', 'false_positive')),
  created_at timestamptz NOT NULL DEFAULT now(),
  decided_at timestamptz,
  UNIQUE (run_id, person_id, reference_number)
);
CREATE INDEX screening_hits_person_idx ON screening_hits (person_id);
CREATE INDEX screening_hits_status_idx ON screening_hits (status, created_at, id);

-- Two-person review: a hit is decided when two different reviewers record the same disposition.
CREATE TABLE screening_reviews (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hit_id uuid NOT NULL REFERENCES screening_hits (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  reviewer_id uuid NOT NULL REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
  disposition text NOT NULL CHECK (disposition IN ('confirmed', 'false_positive')),
  reason text,
  reviewed_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (hit_id, reviewer_id),
  CHECK (disposition <> 'false_positive' OR length(coalesce(reason, '')) >= 10)
);

-- False positives are remembered per person and list entry: not raised again while the entry is unchanged.
CREATE TABLE screening_false_positives (
  person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  reference_number text NOT NULL,
  entry_content_hash text NOT NULL,
  hit_id uuid NOT NULL REFERENCES screening_hits (id) DEFERRABLE INITIALLY IMMEDIATE,
  reason text NOT NULL,
  decided_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (person_id, reference_number)
);
