-- Retention triggers as data (DOMAIN.md §8, issue #4): what starts each schedule's clock. The
-- acquittal schedule starts when a person's justice outcome becomes one of its statuses — acquitted,
-- or no case to answer — read from the case workflow's justice-track transitions.

ALTER TABLE retention_schedules
  ADD COLUMN trigger text NOT NULL DEFAULT 'case_closed'
    CHECK (trigger IN ('case_closed', 'age_of_majority', 'justice_outcome', 'recorded_without_case')),
  ADD COLUMN trigger_statuses text[] NOT NULL DEFAULT '{}'
    CHECK (trigger_statuses <@ ARRAY['diverted', 'no_case', 'recognised_victim', 'convicted', 'acquitted']::text[]),
  ADD CONSTRAINT retention_schedules_statuses_of_justice_outcome
    CHECK (trigger = 'justice_outcome' OR cardinality(trigger_statuses) = 0);

UPDATE retention_schedules SET trigger = 'age_of_majority' WHERE category = 'child_majority';
UPDATE retention_schedules SET trigger = 'recorded_without_case' WHERE category = 'no_open_case';
UPDATE retention_schedules
  SET trigger = 'justice_outcome',
      trigger_statuses = ARRAY['acquitted', 'no_case'],
      description = 'One year after an acquittal or a decision not to prosecute (justice track acquitted or no case)'
  WHERE category = 'acquittal';
