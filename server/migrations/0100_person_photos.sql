-- Photos of a person (issue 3: a photo is part of a person's data). A face is biometric-like data, so the
-- image lives in the database itself, encrypted (AES-256-GCM, a key derived from the deployment secret,
-- a fresh IV per photo, the photo id as associated data): it is written in the same transaction as its
-- audit entry, it is in every backup, and erasure reaches it. Photos are never overwritten: a new one
-- becomes the current one and the older ones stay in the person's history. Removing one erases its bytes
-- and keeps the row with who removed it, when and why.

CREATE TABLE person_photos (
  id uuid PRIMARY KEY,
  person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  content_type text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
  size_bytes integer NOT NULL CHECK (size_bytes > 0),
  -- SHA-256 of the plaintext, hex: lets a download prove it returns what was uploaded.
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  taken_on date,
  source text NOT NULL CHECK (source IN ('reception', 'document_copy', 'field_visit', 'provided_by_person',
    'other')),
  iv bytea NOT NULL CHECK (octet_length(iv) = 12),
  auth_tag bytea NOT NULL CHECK (octet_length(auth_tag) = 16),
  -- The encrypted image; NULL once the photo is removed.
  ciphertext bytea,
  is_current boolean NOT NULL DEFAULT false,
  uploaded_by uuid REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
  created_at timestamptz NOT NULL DEFAULT now(),
  removed_at timestamptz,
  removed_by uuid REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
  removal_reason text CHECK (length(removal_reason) BETWEEN 10 AND 1000),
  CHECK ((removed_at IS NULL) = (removal_reason IS NULL)),
  CHECK ((removed_at IS NULL) = (ciphertext IS NOT NULL)),
  CHECK (NOT (is_current AND removed_at IS NOT NULL))
);
-- At most one current photo per person; the row lock on the person serialises uploads.
CREATE UNIQUE INDEX person_photos_one_current_idx ON person_photos (person_id) WHERE is_current;
-- The person's photo history, newest first.
CREATE INDEX person_photos_person_idx ON person_photos (person_id, created_at DESC);

-- A photo is masked like the other sensitive identity fields (place of birth, whereabouts detail).
INSERT INTO field_sensitivity (resource, field, compartment, ask) VALUES
  ('person', 'photo', 'protection', 'the protection case worker of the owner agency');
