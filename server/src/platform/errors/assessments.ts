/** Error codes of the assessments area (instruments, assessments, panel decisions). Stable, never reused. */
export const assessmentsErrors = {
  INSTRUMENT_INVALID: {
    status: 400,
    message: 'The instrument definition is not valid; details.path names the fault',
  },
  INSTRUMENT_NOT_FOUND: { status: 404, message: 'Instrument or instrument version not found' },
  INSTRUMENT_VERSION_PUBLISHED: {
    status: 409,
    message: 'This instrument version is published and can no longer change; import a new version',
  },
  INSTRUMENT_NOT_PUBLISHED: { status: 409, message: 'This instrument version is not published' },
  INSTRUMENT_NOT_ELIGIBLE: {
    status: 409,
    message: 'This instrument may not be used for this person or at this stage of the case',
  },
  ASSESSOR_NOT_QUALIFIED: {
    status: 403,
    message: 'You hold no current qualification for this instrument',
  },
  ASSESSMENT_NOT_FOUND: { status: 404, message: 'Assessment not found' },
  ASSESSMENT_ANSWER_INVALID: {
    status: 400,
    message: 'An answer does not fit its item; details.path names the item',
  },
  ASSESSMENT_INCOMPLETE: {
    status: 400,
    message: 'The assessment cannot be submitted yet; details.path names what is missing',
  },
  ASSESSMENT_WRONG_STATE: { status: 409, message: 'The assessment is not at the step this action needs' },
  ASSESSMENT_RATERS_FULL: { status: 409, message: 'This assessment already has all the raters it needs' },
  ASSESSMENT_NOT_A_RATER: { status: 403, message: 'Only a rater of this assessment may do this' },
  ASSESSMENT_SELF_SIGN_OFF: {
    status: 403,
    message: 'A rater of an assessment cannot sign it off',
  },
  OVERRIDE_REASON_MISSING: {
    status: 400,
    message: 'A judgement that departs from the instrument’s suggestion needs a written reason',
  },
  QUALIFICATION_NOT_FOUND: { status: 404, message: 'Assessor qualification not found' },
  DECISION_NOT_FOUND: { status: 404, message: 'Panel decision not found' },
  DECISION_NOT_ALLOWED: {
    status: 409,
    message: 'This decision may not be recorded for this person; details.reason says why',
  },
  DECISION_ASSESSMENT_INVALID: {
    status: 400,
    message: 'A linked assessment is missing, not visible to you, or not completed',
  },
} as const satisfies Record<string, { status: number; message: string }>;
