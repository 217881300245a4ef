// Kysely table types for persons, families, cases, workflow and case work (issue: lifecycle).
// biome-ignore lint/suspicious/noEmptyInterface: filled as this area's migrations land
export interface LifecycleTables {}
