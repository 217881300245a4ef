import type { Me } from '../../api/client.ts';

/** PLACEHOLDER while this session's helper builds it: replaced before anything lands. */
export function CaseFilePage(_props: { me: Me; caseId: string; section?: string | undefined }) {
  return null;
}
