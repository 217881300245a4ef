-- Retention (DOMAIN.md §8): schedules per category flag records due for review; legal holds stop
-- anonymisation and deletion; an anonymised person keeps a marker so nothing re-identifies them.

CREATE TABLE retention_schedules (
  category text PRIMARY KEY CHECK (category IN ('case_closed', 'child_majority', 'acquittal', 'no_open_case')),
  review_after_days integer NOT NULL CHECK (review_after_days BETWEEN 0 AND 36500),
  action text NOT NULL CHECK (action IN ('review', 'anonymise', 'delete')),
  description text NOT NULL DEFAULT '',
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);
INSERT INTO retention_schedules (category, review_after_days, action, description) VALUES
  ('case_closed', 1825, 'review', 'Five years after a case closes'),
  ('child_majority', 0, 'review', 'When a child recorded in the registry reaches the age of majority'),
  ('acquittal', 365, 'review', 'One year after an acquittal or a decision not to prosecute'),
  ('no_open_case', 3650, 'review', 'Ten years after a person was recorded, when they never had an open case');

CREATE TABLE legal_holds (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id uuid NOT NULL REFERENCES persons (id) DEFERRABLE INITIALLY IMMEDIATE,
  reason text NOT NULL CHECK (length(reason) BETWEEN 10 AND 1000),
  placed_by uuid NOT NULL REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
  placed_at timestamptz NOT NULL DEFAULT now(),
  lifted_at timestamptz,
  lifted_by uuid REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE
);
CREATE INDEX legal_holds_active_idx ON legal_holds (person_id) WHERE lifted_at IS NULL;

CREATE TABLE person_anonymisations (
  person_id uuid PRIMARY KEY REFERENCES persons (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  anonymised_at timestamptz NOT NULL DEFAULT now(),
  anonymised_by uuid NOT NULL REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE
);

-- A review settles a person's flag for one category: they leave the due list until the next schedule.
CREATE TABLE retention_reviews (
  person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  category text NOT NULL REFERENCES retention_schedules (category) DEFERRABLE INITIALLY IMMEDIATE,
  decision text NOT NULL CHECK (decision IN ('keep', 'anonymise', 'delete')),
  reviewed_by uuid NOT NULL REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
  reviewed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (person_id, category)
);
