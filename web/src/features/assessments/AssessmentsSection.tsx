/** PLACEHOLDER while this session's helper builds it: replaced before anything lands. */
export function AssessmentsSection(_props: { caseId: string; personId: string }) {
  return null;
}
