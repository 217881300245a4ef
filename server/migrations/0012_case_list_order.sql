-- The case list's default order (newest first) as an index of its own: with the visibility filter an OR
-- of scope, assignment, disclosures and break-glass, the planner can walk this index newest-first and
-- stop after a page of visible rows instead of sorting every visible case.
CREATE INDEX cases_opened_order_idx ON cases (opened_at DESC, id DESC);
CREATE INDEX cases_case_number_order_idx ON cases (case_number, id);
