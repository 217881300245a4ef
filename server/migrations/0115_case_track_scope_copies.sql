-- The case's owner agency and assigned worker on each of its track rows (docs/adr/0011-case-list-queries.md,
-- decision 11), beside the opening time of migration 0072 and kept by the same triggers. A count of the
-- cases on a track, or on a track in one status, with no other filter, then reads the track index alone:
-- the visibility filter needs the case's id, owner agency and assigned worker, and all three are in it.
-- It probed a case row per track row before (at a million persons, health: 55–76 ms p95; protection
-- "active": 35–39 ms, reading ~20,000 cases to count 10,000 visible ones).
ALTER TABLE case_tracks
  ADD COLUMN case_owner_agency_id uuid,
  ADD COLUMN case_assigned_user_id uuid;

-- A track row takes its case's fields when written, whatever the statement says about them.
CREATE OR REPLACE FUNCTION case_tracks_copy_opened_at() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  c record;
BEGIN
  SELECT opened_at, owner_agency_id, assigned_user_id INTO c FROM cases WHERE id = NEW.case_id;
  IF FOUND THEN
    NEW.case_opened_at := c.opened_at;
    NEW.case_owner_agency_id := c.owner_agency_id;
    NEW.case_assigned_user_id := c.assigned_user_id;
  END IF;
  RETURN NEW;
END
$$;

DROP TRIGGER case_tracks_opened_at ON case_tracks;
CREATE TRIGGER case_tracks_opened_at
  BEFORE INSERT OR UPDATE OF case_id, case_opened_at, case_owner_agency_id, case_assigned_user_id
  ON case_tracks
  FOR EACH ROW EXECUTE FUNCTION case_tracks_copy_opened_at();

-- A case's new opening time, owner agency (a transfer) or worker (an assignment) reaches its tracks.
CREATE OR REPLACE FUNCTION cases_copy_opened_at_to_tracks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE case_tracks
  SET case_opened_at = NEW.opened_at,
      case_owner_agency_id = NEW.owner_agency_id,
      case_assigned_user_id = NEW.assigned_user_id
  WHERE case_id = NEW.id
    AND (case_opened_at, case_owner_agency_id, case_assigned_user_id)
        IS DISTINCT FROM (NEW.opened_at, NEW.owner_agency_id, NEW.assigned_user_id);
  RETURN NULL;
END
$$;

DROP TRIGGER cases_opened_at_to_tracks ON cases;
CREATE TRIGGER cases_opened_at_to_tracks
  AFTER INSERT OR UPDATE OF opened_at, owner_agency_id, assigned_user_id ON cases
  FOR EACH ROW EXECUTE FUNCTION cases_copy_opened_at_to_tracks();

-- Every track row, through the row trigger above.
UPDATE case_tracks SET case_owner_agency_id = NULL;

-- The track index (migration 0010) with the two copies included: an index-only count.
DROP INDEX case_tracks_track_status_idx;
CREATE INDEX case_tracks_track_status_idx ON case_tracks (track, status, case_id)
  INCLUDE (case_owner_agency_id, case_assigned_user_id);
