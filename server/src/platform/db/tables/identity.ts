import type { ColumnType, Generated } from 'kysely';

// Kysely table types for name keys, linkage, watchlist and screening (migrations 0030–0039).

/** 0030: blocking keys of persons' names (modules/identity/keys-repository.ts). */
export interface PersonNameKeysTable {
  key: string;
  person_id: string;
  name_id: string;
  key_version: number;
}

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json<T> = ColumnType<T, string, string>;

export interface WatchlistName {
  name: string;
  type: 'primary' | 'original_script' | 'alias';
  quality: 'good' | 'low' | null;
}

export interface WatchlistBirth {
  from: string;
  to: string;
  type: string;
}

export interface WatchlistDiff {
  added: string[];
  removed: string[];
  changed: string[];
}

/** 0031: sanctions list versions, entries, screening runs, hits, reviews, remembered false positives. */
export interface WatchlistVersionsTable {
  id: Generated<string>;
  source: Generated<string>;
  date_generated: ColumnType<Date, Date | string, never>;
  sha256: string;
  individuals: number;
  entities: number;
  previous_version_id: string | null;
  diff: Json<WatchlistDiff>;
  imported_by: string | null;
  imported_at: CreatedAt;
}

export interface WatchlistEntriesTable {
  id: Generated<string>;
  version_id: string;
  kind: 'individual' | 'entity';
  reference_number: string;
  data_id: string | null;
  un_list_type: string | null;
  listed_on: string | null;
  listed_name: string;
  names: Json<WatchlistName[]>;
  gender: string | null;
  births: Json<WatchlistBirth[]>;
  nationalities: string[];
  places_of_birth: string[];
  documents: Json<Record<string, string>[]>;
  content_hash: string;
}

export interface ScreeningRunsTable {
  id: Generated<string>;
  version_id: string;
  trigger: 'registration' | 'list_version' | 'manual';
  algorithm_version: string;
  threshold: number;
  persons_screened: number;
  hits: number;
  suppressed: number;
  started_by: string | null;
  started_at: CreatedAt;
}

export interface ScreeningHitsTable {
  id: Generated<string>;
  run_id: string;
  person_id: string;
  entry_id: string;
  reference_number: string;
  score: number;
  decision: 'match' | 'possible';
  explanation: Json<string[]>;
  weak_alias: boolean;
  status: Generated<'pending' | 'in_review' | 'confirmed' | 'false_positive'>;
  created_at: CreatedAt;
  decided_at: Date | null;
}

export interface ScreeningReviewsTable {
  id: Generated<string>;
  hit_id: string;
  reviewer_id: string;
  disposition: 'confirmed' | 'false_positive';
  reason: string | null;
  reviewed_at: CreatedAt;
}

export interface ScreeningFalsePositivesTable {
  person_id: string;
  reference_number: string;
  entry_content_hash: string;
  hit_id: string;
  reason: string;
  decided_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface PersonMergeMoved {
  names: string[];
  displayNameId: string | null;
  nationalities: string[];
  documents: string[];
  /** Photos that moved (merges before photos existed have none), and the merged person's current one. */
  photos?: string[];
  currentPhotoId?: string | null;
}

/** 0032: person merges, reversible. */
export interface PersonMergesTable {
  id: Generated<string>;
  survivor_id: string;
  merged_id: string;
  reason: string;
  moved: Json<PersonMergeMoved>;
  merged_by: string;
  merged_at: CreatedAt;
  undone_by: string | null;
  undone_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface IdentityTables {
  person_merges: PersonMergesTable;
  person_name_keys: PersonNameKeysTable;
  watchlist_versions: WatchlistVersionsTable;
  watchlist_entries: WatchlistEntriesTable;
  screening_runs: ScreeningRunsTable;
  screening_hits: ScreeningHitsTable;
  screening_reviews: ScreeningReviewsTable;
  screening_false_positives: ScreeningFalsePositivesTable;
}
