/** PLACEHOLDER while this session's helper builds it: replaced before anything lands. */
export function ServicesSection(_props: { caseId: string }) {
  return null;
}
