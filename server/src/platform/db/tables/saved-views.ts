import type { ColumnType, Generated } from 'kysely';

// Kysely table types for saved views of the case list (migration 0050).

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

/** The filter parameters a saved view holds: case-list query parameters as strings, never a search text. */
export type SavedViewParams = Record<string, string>;

export interface SavedViewsTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  params: Json<SavedViewParams>;
  created_at: CreatedAt;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface SavedViewsTables {
  saved_views: SavedViewsTable;
}
