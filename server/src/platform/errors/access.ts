/** Error codes of the access area. Stable: documented in docs/ERRORS.md, never reused. */
export const accessErrors = {
  CONSENT_REQUIRED: {
    status: 409,
    message: 'Referral outside the owner agency needs a current consent or a permitted override',
  },
  CONSENT_NOT_FOUND: { status: 404, message: 'Consent record not found' },
  CONSENT_INCOMPLETE: {
    status: 400,
    message: 'A child’s consent needs the child’s assent and a guardian’s consent',
  },
  CONSENT_ALREADY_WITHDRAWN: { status: 409, message: 'This consent was already withdrawn' },
  OVERRIDE_REASON_REQUIRED: {
    status: 400,
    message: 'An override needs a written reason of 20 characters or more',
  },
  COMPARTMENT_FORBIDDEN: {
    status: 403,
    message: 'This section of the record is in a compartment you may not open',
  },
  DISCLOSURE_NOT_FOUND: { status: 404, message: 'Disclosure not found' },
  DISCLOSURE_LEGAL_BASIS_REQUIRED: { status: 400, message: 'A disclosure needs a legal basis' },
  DISCLOSURE_EXPIRY_INVALID: { status: 400, message: 'A disclosure needs an expiry in the future' },
  DISCLOSURE_RECIPIENT_INVALID: {
    status: 400,
    message: 'A disclosure goes to exactly one recipient: an agency or a compartment',
  },
  DISCLOSURE_ALREADY_REVOKED: { status: 409, message: 'This disclosure was already revoked' },
  BREAK_GLASS_REASON_REQUIRED: {
    status: 400,
    message: 'Opening a record outside your scope needs a written reason of 20 characters or more',
  },
  BREAK_GLASS_FORBIDDEN: { status: 403, message: 'Your role may not break the glass on this compartment' },
  BREAK_GLASS_NOT_NEEDED: { status: 409, message: 'You can already see this record' },
  BREAK_GLASS_NOT_FOUND: { status: 404, message: 'Break-glass record not found' },
  NOTIFICATION_NOT_FOUND: { status: 404, message: 'Notification not found' },
  FIELD_RULE_NOT_FOUND: { status: 404, message: 'Field sensitivity rule not found' },
  LEGAL_HOLD_ACTIVE: {
    status: 409,
    message: 'The person is under legal hold: nothing may be anonymised or deleted',
  },
  LEGAL_HOLD_NOT_FOUND: { status: 404, message: 'Legal hold not found' },
  ALREADY_ANONYMISED: { status: 409, message: 'The person was already anonymised' },
} as const satisfies Record<string, { status: number; message: string }>;
