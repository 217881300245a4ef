-- Blocking keys of every person's names (modules/identity/keys-repository.ts): a lookup reads the
-- keys of the searched name from this index instead of scanning names (ADR 0030). One row per
-- person and key. Recomputed by refreshNameKeys whenever a person's names change, and for a whole
-- database by `homeward identity reindex`.

CREATE TABLE person_name_keys (
  key text NOT NULL,
  person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  -- One of the person's names that produced the key (the display name first). Informative only and
  -- deliberately not a foreign key: a cascade from person_names would need a third index on a table
  -- of ~15 rows per person; refreshNameKeys rewrites the rows whenever names change.
  name_id uuid NOT NULL,
  -- The key scheme (names/keys.ts KEY_VERSION): reindex replaces rows of other versions.
  key_version smallint NOT NULL,
  PRIMARY KEY (key, person_id)
);
-- The primary key serves the lookup (key → persons); this one serves refresh and the cascade.
CREATE INDEX person_name_keys_person_idx ON person_name_keys (person_id);
