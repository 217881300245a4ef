-- The case list filtered by stage, newest first (docs/adr/0011-case-list-queries.md): one ordered arm per
-- stage walks this index and stops after a page; `cases_owner_stage_idx` leads with the owner agency, which
-- an OR-shaped visibility filter cannot use as an equality, and orders ids ascending.
CREATE INDEX cases_stage_opened_idx ON cases (stage, opened_at DESC, id DESC);
