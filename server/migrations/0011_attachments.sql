-- Case attachments: the bytes live encrypted (AES-256-GCM) in the attachments directory, one file per
-- row named by its id; the row keeps what is needed to find, check and decrypt it.

CREATE TABLE case_attachments (
  id uuid PRIMARY KEY,
  case_id uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  compartment text NOT NULL CHECK (compartment IN ('protection', 'justice', 'security', 'health', 'education',
    'referral_packet')),
  file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
  content_type text NOT NULL,
  size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
  -- SHA-256 of the plaintext, hex: lets a download prove it returns what was uploaded.
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  iv text NOT NULL,
  auth_tag text NOT NULL,
  uploaded_by uuid REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_attachments_case_idx ON case_attachments (case_id, created_at);
