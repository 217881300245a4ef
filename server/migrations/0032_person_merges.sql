-- Person merges (modules/identity/merge.ts): a confirmed duplicate's names, nationality claims and
-- documents move to the surviving person; which rows moved is recorded, so the merge can be undone
-- exactly. The merged person's record, cases and relationships stay where they are, reachable
-- through this table. Both persons' history records the merge and its undoing.

CREATE TABLE person_merges (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  survivor_id uuid NOT NULL REFERENCES persons (id) DEFERRABLE INITIALLY IMMEDIATE,
  merged_id uuid NOT NULL REFERENCES persons (id) DEFERRABLE INITIALLY IMMEDIATE,
  reason text NOT NULL CHECK (length(reason) BETWEEN 10 AND 2000),
  -- { names: uuid[], displayNameId: uuid | null, nationalities: uuid[], documents: uuid[] }
  moved jsonb NOT NULL,
  merged_by uuid NOT NULL REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
  merged_at timestamptz NOT NULL DEFAULT now(),
  undone_by uuid REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
  undone_at timestamptz,
  CHECK (survivor_id <> merged_id),
  CHECK ((undone_by IS NULL) = (undone_at IS NULL))
);
-- A person is merged into at most one other at a time.
CREATE UNIQUE INDEX person_merges_one_active_idx ON person_merges (merged_id) WHERE undone_at IS NULL;
CREATE INDEX person_merges_survivor_idx ON person_merges (survivor_id);
