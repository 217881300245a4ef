import type { Me } from '../../api/client.ts';

/** PLACEHOLDER while this session's helper builds it: replaced before anything lands. */
export function RegistrationPage(_props: { me: Me }) {
  return null;
}
