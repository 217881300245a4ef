/** PLACEHOLDER while this session's helper builds it: replaced before anything lands. */
export function DecisionsSection(_props: { caseId: string }) {
  return null;
}
