/** Error codes of the lifecycle area. Stable: documented in docs/ERRORS.md, never reused. */
export const lifecycleErrors = {} as const satisfies Record<string, { status: number; message: string }>;
