-- The first word of every name recorded for the case's person, lowercased and marked 'w:', joins the
-- case's name terms (migration 0111; docs/adr/0011-case-list-queries.md, decision 8). A one-word search
-- longer than the kept prefixes ("karimova") matches the names that start with it: for a text without a
-- space, exactly the names whose first word starts with it. Most of those have it as their whole first
-- word, which is now one term of the GIN index; only the names whose first word is longer still than the
-- text ("karimovaeva") are looked up in person_names, by ranges of its prefix index that no longer hold
-- every name starting with the text (at a million persons "karimova" read 12,200 names and probed the
-- cases of each: 17 of a 25 ms count).
--
-- The first word of a name: its lowercased letters and digits up to the first ASCII character that is
-- neither (a space, a comma as in "Karimova, Zarina", a hyphen, an apostrophe, a control character).
-- Every character outside ASCII counts as a letter, so the cut is the same whatever the database's
-- locale. A search text made of letters and digits alone is then a prefix of a name exactly when it is
-- a prefix of the name's first word. Stored with the prefixes and keys, it is kept by the same triggers
-- (migration 0111), which call this function.
CREATE FUNCTION name_first_word_term(name text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT 'w:' || regexp_replace(lower(name), '[\x01-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f].*$', '')
$$;

CREATE OR REPLACE FUNCTION person_name_terms_of(p uuid) RETURNS text[] LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (
    SELECT coalesce(array_agg(DISTINCT term ORDER BY term), '{}')
    FROM (
      SELECT '^' || left(lower(n.full_name), k) AS term
      FROM person_names n CROSS JOIN unnest(name_prefix_lengths()) AS k
      WHERE n.person_id = p AND char_length(lower(n.full_name)) >= k
      UNION ALL
      SELECT name_first_word_term(n.full_name) FROM person_names n WHERE n.person_id = p
      UNION ALL
      -- `left(key, 2)`, not `key NOT LIKE 'p:%'`: the planner may read a LIKE prefix from the primary
      -- key (key, person_id), and with stale statistics one did, scanning every key of every person.
      SELECT nk.key FROM person_name_keys nk WHERE nk.person_id = p AND left(nk.key, 2) <> 'p:'
    ) terms
  );
END
$$;

-- Every case again, through the row trigger of migration 0111 (setting the column makes it recompute).
UPDATE cases SET person_name_terms = person_name_terms;
