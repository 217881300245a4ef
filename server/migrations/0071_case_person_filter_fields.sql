-- The person fields the case list filters on (sex, latest possible birth date for the age band, flags),
-- copied onto each case so that a filtered page or a capped count reads cases alone and stops early,
-- under the same visibility filter (docs/adr/0011-case-list-queries.md). persons stays the record:
-- these copies are kept equal to it by the triggers below, in the transaction that changes either side.
ALTER TABLE cases
  ADD COLUMN person_sex text,
  ADD COLUMN person_birth_date_to date,
  ADD COLUMN person_flags text[] NOT NULL DEFAULT '{}';

UPDATE cases c
SET person_sex = p.sex, person_birth_date_to = p.birth_date_to, person_flags = p.flags
FROM persons p
WHERE p.id = c.person_id;

-- A case takes its person's fields when written or moved to another person (a merge), whatever the
-- statement says about the copies. A case written before its person (foreign keys deferred, as a restore
-- does) keeps what it was given until the person row arrives (the trigger on persons below).
CREATE FUNCTION cases_copy_person_fields() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  p record;
BEGIN
  SELECT sex, birth_date_to, flags INTO p FROM persons WHERE id = NEW.person_id;
  IF FOUND THEN
    NEW.person_sex := p.sex;
    NEW.person_birth_date_to := p.birth_date_to;
    NEW.person_flags := p.flags;
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER cases_person_fields
  BEFORE INSERT OR UPDATE OF person_id, person_sex, person_birth_date_to, person_flags ON cases
  FOR EACH ROW EXECUTE FUNCTION cases_copy_person_fields();

-- A person's change reaches their cases in the same statement.
CREATE FUNCTION persons_copy_fields_to_cases() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE cases
  SET person_sex = NEW.sex, person_birth_date_to = NEW.birth_date_to, person_flags = NEW.flags
  WHERE person_id = NEW.id
    AND (person_sex IS DISTINCT FROM NEW.sex
         OR person_birth_date_to IS DISTINCT FROM NEW.birth_date_to
         OR person_flags IS DISTINCT FROM NEW.flags);
  RETURN NULL;
END
$$;

CREATE TRIGGER persons_fields_to_cases
  AFTER INSERT OR UPDATE OF sex, birth_date_to, flags ON persons
  FOR EACH ROW EXECUTE FUNCTION persons_copy_fields_to_cases();

-- Flag filters and their counts start from the flagged cases.
CREATE INDEX cases_person_flags_idx ON cases USING gin (person_flags);
