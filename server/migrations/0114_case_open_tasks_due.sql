-- The earliest due date of a case's open tasks, copied onto the case (docs/adr/0011-case-list-queries.md,
-- decision 10). "Has overdue tasks" is then `open_tasks_due_first < today` on the case itself, and its
-- count an index-only scan of the index below, instead of a probe of the tasks for every case read (at a
-- million persons the capped count of overdueTasks=true took 59–66 ms p95: ~20,000 cases probed to find
-- 10,000 visible ones). NULL when the case has no open task. case_tasks stays the record; the copy is
-- kept equal to it by the triggers below, in the transaction that changes either side.
ALTER TABLE cases ADD COLUMN open_tasks_due_first date;

-- The one definition. PL/pgSQL: its query is planned once per connection.
CREATE FUNCTION open_tasks_due_first_of(c uuid) RETURNS date LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (SELECT min(t.due_on) FROM case_tasks t WHERE t.case_id = c AND t.status = 'open');
END
$$;

-- A case takes the copy when written, whatever the statement says about it (a restore writes cases
-- before their tasks, which then update it below).
CREATE FUNCTION cases_copy_open_tasks_due() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.open_tasks_due_first := open_tasks_due_first_of(NEW.id);
  RETURN NEW;
END
$$;

CREATE TRIGGER cases_open_tasks_due
  BEFORE INSERT OR UPDATE OF open_tasks_due_first ON cases
  FOR EACH ROW EXECUTE FUNCTION cases_copy_open_tasks_due();

-- A statement on tasks reaches the cases it touched, once each, and only those whose copy changes:
-- completing a task due later than another open one rewrites no case row.
CREATE FUNCTION case_tasks_refresh_due() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  touched uuid[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(DISTINCT case_id) INTO touched FROM added;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(DISTINCT case_id) INTO touched FROM removed;
  ELSE
    SELECT array_agg(case_id) INTO touched
    FROM (SELECT case_id FROM added UNION SELECT case_id FROM removed) AS both_sides;
  END IF;
  IF touched IS NOT NULL THEN
    UPDATE cases SET open_tasks_due_first = open_tasks_due_first
    WHERE id = ANY (touched) AND open_tasks_due_first IS DISTINCT FROM open_tasks_due_first_of(id);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER case_tasks_due_insert AFTER INSERT ON case_tasks
  REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION case_tasks_refresh_due();
CREATE TRIGGER case_tasks_due_update AFTER UPDATE ON case_tasks
  REFERENCING OLD TABLE AS removed NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION case_tasks_refresh_due();
CREATE TRIGGER case_tasks_due_delete AFTER DELETE ON case_tasks
  REFERENCING OLD TABLE AS removed
  FOR EACH STATEMENT EXECUTE FUNCTION case_tasks_refresh_due();

-- Every case with an open task (the others keep NULL), through the row trigger above.
UPDATE cases SET open_tasks_due_first = open_tasks_due_first
WHERE id IN (SELECT case_id FROM case_tasks WHERE status = 'open');

-- The overdue count reads this index alone (its visibility columns included, like the flag indexes of
-- migration 0112); the page walks the list in order and tests the copy on each case.
CREATE INDEX cases_open_tasks_due_idx ON cases (open_tasks_due_first)
  INCLUDE (status, owner_agency_id, assigned_user_id, id)
  WHERE open_tasks_due_first IS NOT NULL;
