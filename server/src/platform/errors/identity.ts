/** Error codes of the identity area. Stable: documented in docs/ERRORS.md, never reused. */
export const identityErrors = {} as const satisfies Record<string, { status: number; message: string }>;
