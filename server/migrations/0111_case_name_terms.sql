-- What a name search matches, copied onto each case (docs/adr/0011-case-list-queries.md, decision 5):
-- the first one to four letters of every name recorded for the case's person, lowercased and marked '^'
-- ('^g', '^gu', '^gul', '^guln'), and the person's cross-script name keys (identity/names, held by
-- person_name_keys) except the pairs of name parts ('p:…', three-fifths of all keys, which a search of a
-- given name and surname finds among few persons anyway): name parts 't:', whole names 's:', kunya
-- 'k:' and kunya with nisba 'kn:'. One GIN index on the array answers "gul" or "Abu Muaz al-Qazaqi" with
-- the cases themselves, under the same visibility filter and every other filter, so the page and the
-- count no longer build the set of every matching person first (most persons called Abu Muaz are
-- relatives abroad or dead, with no case).
-- person_names and person_name_keys stay the record: the copies are kept equal to them by the triggers
-- below, in the transaction that changes either side, and erased with them (anonymisation deletes both).
ALTER TABLE cases ADD COLUMN person_name_terms text[] NOT NULL DEFAULT '{}';

-- How many first letters of a name are kept: one to four. Short words are the broad searches; a longer
-- one is narrowed by its first four letters and checked against the names themselves. Six and eight
-- letters as well made the terms half as large again (cases 339 → 447 MB at a million persons) and
-- the planner then preferred scanning cases to the index (docs/PERFORMANCE.md, Lifecycle).
CREATE FUNCTION name_prefix_lengths() RETURNS int[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT '{1,2,3,4}'::int[]
$$;

-- The term a search text is looked up by: its longest kept prefix.
CREATE FUNCTION name_search_term(search text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT '^' || left(lower(search), (SELECT max(k) FROM unnest(name_prefix_lengths()) AS k
                                     WHERE k <= char_length(lower(search))))
$$;

-- Whether that term is the whole search text (no check against the names needed).
CREATE FUNCTION name_search_term_is_whole(search text) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT char_length(lower(search)) = ANY (name_prefix_lengths())
$$;

-- The terms of one person, from the two tables of record, sorted so that equal sets compare equal.
-- PL/pgSQL: its query is planned once per connection, not at every call.
CREATE FUNCTION person_name_terms_of(p uuid) RETURNS text[] LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (
    SELECT coalesce(array_agg(DISTINCT term ORDER BY term), '{}')
    FROM (
      SELECT '^' || left(lower(n.full_name), k) AS term
      FROM person_names n CROSS JOIN unnest(name_prefix_lengths()) AS k
      WHERE n.person_id = p AND char_length(lower(n.full_name)) >= k
      UNION ALL
      -- `left(key, 2)`, not `key NOT LIKE 'p:%'`: the planner may read a LIKE prefix from the primary
      -- key (key, person_id), and with stale statistics one did, scanning every key of every person.
      SELECT nk.key FROM person_name_keys nk WHERE nk.person_id = p AND left(nk.key, 2) <> 'p:'
    ) terms
  );
END
$$;

-- Every case's terms by the one definition above (at a million persons: see ADR 0011, Consequences).
UPDATE cases SET person_name_terms = person_name_terms_of(person_id);

-- A case takes its person's terms when written or moved to another person (a merge), whatever the
-- statement says about them. A case written before its person's names (a restore defers foreign keys)
-- gets them when the names arrive (the statement triggers below).
CREATE FUNCTION cases_copy_person_name_terms() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.person_name_terms := person_name_terms_of(NEW.person_id);
  RETURN NEW;
END
$$;

CREATE TRIGGER cases_person_name_terms
  BEFORE INSERT OR UPDATE OF person_id, person_name_terms ON cases
  FOR EACH ROW EXECUTE FUNCTION cases_copy_person_name_terms();

-- A change to names or keys reaches the cases of every person it touched, once per statement: the keys
-- of a whole database are rewritten in chunks of thousands of persons (`homeward identity reindex`).
-- Setting the column to itself lets the row trigger above compute the terms, so there is one definition.
CREATE FUNCTION person_names_refresh_case_terms() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  touched uuid[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(DISTINCT person_id) INTO touched FROM added;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(DISTINCT person_id) INTO touched FROM removed;
  ELSE
    SELECT array_agg(person_id) INTO touched
    FROM (SELECT person_id FROM added UNION SELECT person_id FROM removed) AS both_sides;
  END IF;
  -- `= ANY(array)`: an index lookup per person (cases_person_visibility_idx), whatever the planner
  -- would guess about the size of a transition table (a join with it scanned every case per statement).
  IF touched IS NOT NULL THEN
    UPDATE cases SET person_name_terms = person_name_terms WHERE person_id = ANY (touched);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER person_names_terms_insert AFTER INSERT ON person_names
  REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION person_names_refresh_case_terms();
CREATE TRIGGER person_names_terms_update AFTER UPDATE ON person_names
  REFERENCING OLD TABLE AS removed NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION person_names_refresh_case_terms();
CREATE TRIGGER person_names_terms_delete AFTER DELETE ON person_names
  REFERENCING OLD TABLE AS removed
  FOR EACH STATEMENT EXECUTE FUNCTION person_names_refresh_case_terms();

CREATE TRIGGER person_name_keys_terms_insert AFTER INSERT ON person_name_keys
  REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION person_names_refresh_case_terms();
CREATE TRIGGER person_name_keys_terms_update AFTER UPDATE ON person_name_keys
  REFERENCING OLD TABLE AS removed NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION person_names_refresh_case_terms();
CREATE TRIGGER person_name_keys_terms_delete AFTER DELETE ON person_name_keys
  REFERENCING OLD TABLE AS removed
  FOR EACH STATEMENT EXECUTE FUNCTION person_names_refresh_case_terms();

CREATE INDEX cases_person_name_terms_idx ON cases USING gin (person_name_terms);
