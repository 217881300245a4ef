/** Error codes of saved views. Stable: documented in docs/ERRORS.md, never reused. */
export const savedViewsErrors = {
  SAVED_VIEW_NOT_FOUND: { status: 404, message: 'Saved view not found' },
  SAVED_VIEW_NAME_TAKEN: { status: 409, message: 'You already have a saved view with that name' },
} as const satisfies Record<string, { status: number; message: string }>;
