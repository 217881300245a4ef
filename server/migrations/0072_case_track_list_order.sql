-- The case list filtered by a track's status, newest first (docs/adr/0011-case-list-queries.md): each
-- track row carries its case's opening time, so the list walks the matching tracks in the list's order
-- and stops after a page, instead of walking every case newest-first and probing its tracks (a status
-- such as justice "diverted" is on one case in 200). Kept equal to cases.opened_at by the triggers below.
ALTER TABLE case_tracks ADD COLUMN case_opened_at timestamptz;

UPDATE case_tracks t SET case_opened_at = c.opened_at FROM cases c WHERE c.id = t.case_id;

CREATE FUNCTION case_tracks_copy_opened_at() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  opened timestamptz;
BEGIN
  SELECT opened_at INTO opened FROM cases WHERE id = NEW.case_id;
  IF FOUND THEN
    NEW.case_opened_at := opened;
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER case_tracks_opened_at
  BEFORE INSERT OR UPDATE OF case_id, case_opened_at ON case_tracks
  FOR EACH ROW EXECUTE FUNCTION case_tracks_copy_opened_at();

CREATE FUNCTION cases_copy_opened_at_to_tracks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE case_tracks SET case_opened_at = NEW.opened_at
  WHERE case_id = NEW.id AND case_opened_at IS DISTINCT FROM NEW.opened_at;
  RETURN NULL;
END
$$;

CREATE TRIGGER cases_opened_at_to_tracks
  AFTER INSERT OR UPDATE OF opened_at ON cases
  FOR EACH ROW EXECUTE FUNCTION cases_copy_opened_at_to_tracks();

CREATE INDEX case_tracks_list_order_idx ON case_tracks (track, status, case_opened_at DESC, case_id DESC);
