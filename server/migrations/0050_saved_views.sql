-- Saved views of the case list: a user's named filter sets, kept on the server so they follow the user
-- across devices. A view holds filter parameters only (stage, track, agency, worker ids, sort…),
-- never a search text or anything else about a person: the API validates the parameters it stores.
CREATE TABLE saved_views (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  params jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);
-- Names are unique per user regardless of case ("Overdue" and "overdue" are one name); it also serves
-- "my saved views, by name".
CREATE UNIQUE INDEX saved_views_user_name_key ON saved_views (user_id, lower(name));
