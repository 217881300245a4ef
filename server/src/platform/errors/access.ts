/** Error codes of the access area. Stable: documented in docs/ERRORS.md, never reused. */
export const accessErrors = {} as const satisfies Record<string, { status: number; message: string }>;
