/** PLACEHOLDER while this session's helper builds it: replaced before anything lands. */
export function NotesSection(_props: { caseId: string }) {
  return null;
}
