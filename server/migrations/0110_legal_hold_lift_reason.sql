-- Lifting a legal hold is as accountable as placing one: the reason is recorded with who and when.
-- Holds lifted before this migration keep a NULL reason; every new lift needs one (the API refuses
-- a lift without it).
ALTER TABLE legal_holds
  ADD COLUMN lift_reason text CHECK (lift_reason IS NULL OR length(lift_reason) BETWEEN 10 AND 1000);
