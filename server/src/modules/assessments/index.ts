/**
 * What other modules may use of assessments and decisions. The case workflow calls these inside its
 * own transaction, after its own access check: they read, never write, and audit nothing themselves.
 */
export { DECISION_OUTCOMES, type DecisionKind, decisionsForCase, type PanelDecision } from './decisions.ts';
export { INSTRUMENT_KINDS, type InstrumentKind } from './instrument.ts';
export { completedAssessmentsForCase, hasCompletedNonPunishmentReview } from './service.ts';
export { ensureShippedInstruments } from './shipped.ts';
