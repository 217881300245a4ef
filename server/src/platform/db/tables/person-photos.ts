import type { ColumnType } from 'kysely';

// Kysely table types for person photos (migration 0100).

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export const PHOTO_SOURCES = [
  'reception',
  'document_copy',
  'field_visit',
  'provided_by_person',
  'other',
] as const;
export type PhotoSource = (typeof PHOTO_SOURCES)[number];

export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];

export interface PersonPhotosTable {
  id: string;
  person_id: string;
  content_type: PhotoType;
  size_bytes: number;
  sha256: string;
  /** A date column: read back as a 'YYYY-MM-DD' string (the date parser is off, as for other dates). */
  taken_on: string | null;
  source: PhotoSource;
  // bytea: PGlite reads it as a Uint8Array, node-postgres as a Buffer (a Uint8Array too).
  iv: Uint8Array;
  auth_tag: Uint8Array;
  /** The encrypted image; NULL once removed or erased. */
  ciphertext: Uint8Array | null;
  is_current: ColumnType<boolean, boolean | undefined, boolean>;
  uploaded_by: string | null;
  created_at: CreatedAt;
  removed_at: Date | null;
  removed_by: string | null;
  removal_reason: string | null;
}

export interface PersonPhotosTables {
  person_photos: PersonPhotosTable;
}
