// Kysely table types for need-to-know access: compartments, disclosures, break-glass, consent, retention.
// biome-ignore lint/suspicious/noEmptyInterface: filled as this area's migrations land
export interface AccessTables {}
