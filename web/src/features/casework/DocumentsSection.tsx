/** PLACEHOLDER while this session's helper builds it: replaced before anything lands. */
export function DocumentsSection(_props: { caseId: string }) {
  return null;
}
