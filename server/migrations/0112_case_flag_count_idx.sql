-- A flag filter's count answered from an index alone (docs/adr/0011-case-list-queries.md, decision 3):
-- one small partial index per vulnerability flag (persons/schemas.ts lists the seven), over the cases
-- whose person carries it, holding everything the visibility filter reads for any scope. The GIN index
-- of migration 0071 finds the same cases, but a count then reads each case row: ~20,000 rows for
-- "trafficking indicators" at a million persons (13–51 ms p95, more as the case row grew wider with
-- migration 0111); from its partial index, 6 ms. Several flags at once still use the GIN index.

CREATE INDEX cases_flag_unaccompanied_idx ON cases (status) INCLUDE (owner_agency_id, assigned_user_id, id)
  WHERE person_flags @> '{unaccompanied}';
CREATE INDEX cases_flag_separated_idx ON cases (status) INCLUDE (owner_agency_id, assigned_user_id, id)
  WHERE person_flags @> '{separated}';
CREATE INDEX cases_flag_orphan_idx ON cases (status) INCLUDE (owner_agency_id, assigned_user_id, id)
  WHERE person_flags @> '{orphan}';
CREATE INDEX cases_flag_disability_idx ON cases (status) INCLUDE (owner_agency_id, assigned_user_id, id)
  WHERE person_flags @> '{disability}';
CREATE INDEX cases_flag_pregnant_idx ON cases (status) INCLUDE (owner_agency_id, assigned_user_id, id)
  WHERE person_flags @> '{pregnant}';
CREATE INDEX cases_flag_trafficking_indicators_idx ON cases (status) INCLUDE (owner_agency_id, assigned_user_id, id)
  WHERE person_flags @> '{trafficking_indicators}';
CREATE INDEX cases_flag_witness_idx ON cases (status) INCLUDE (owner_agency_id, assigned_user_id, id)
  WHERE person_flags @> '{witness}';
