// Kysely table types for name keys, linkage, watchlist and screening.
// biome-ignore lint/suspicious/noEmptyInterface: filled as this area's migrations land
export interface IdentityTables {}
