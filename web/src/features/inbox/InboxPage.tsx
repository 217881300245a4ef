import type { Me } from '../../api/client.ts';

/** PLACEHOLDER while this session's helper builds it: replaced before anything lands. */
export function InboxPage(_props: { me: Me; box?: string | undefined }) {
  return null;
}
