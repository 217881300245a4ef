/** Error codes of the identity area. Stable: documented in docs/ERRORS.md, never reused. */
export const identityErrors = {
  LINKAGE_INPUT_INVALID: {
    status: 400,
    message: 'The list could not be read; details name the row and column',
  },
  WATCHLIST_XML_MALFORMED: {
    status: 400,
    message: 'The sanctions list is not well-formed XML; nothing was imported',
  },
  WATCHLIST_FORMAT_INVALID: {
    status: 400,
    message: 'The file is not in the Consolidated List format; nothing was imported',
  },
  WATCHLIST_NOT_IMPORTED: { status: 409, message: 'No sanctions list version has been imported yet' },
  WATCHLIST_VERSION_NOT_FOUND: { status: 404, message: 'Sanctions list version not found' },
  SCREENING_HIT_NOT_FOUND: { status: 404, message: 'Screening hit not found' },
  SCREENING_HIT_DECIDED: { status: 409, message: 'The screening hit already has a final disposition' },
  SCREENING_SAME_REVIEWER: {
    status: 403,
    message: 'The second review of a screening hit must be made by another person',
  },
  SCREENING_REASON_REQUIRED: { status: 400, message: 'A false positive needs a written reason' },
  MERGE_NOT_ALLOWED: { status: 409, message: 'These persons cannot be merged' },
  MERGE_NOT_FOUND: { status: 404, message: 'Merge not found' },
  MERGE_ALREADY_UNDONE: { status: 409, message: 'The merge was already undone' },
} as const satisfies Record<string, { status: number; message: string }>;
