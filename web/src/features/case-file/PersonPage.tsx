import type { Me } from '../../api/client.ts';

/** PLACEHOLDER while this session's helper builds it: replaced before anything lands. */
export function PersonPage(_props: { me: Me; personId: string }) {
  return null;
}
