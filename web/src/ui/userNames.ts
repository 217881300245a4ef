import { useQuery } from '@tanstack/react-query';
import { api, call } from '../api/client.ts';

/**
 * Display names of the staff a record names by id (who made a transition, decided an approval,
 * changed a field), fetched in one request per set of ids and kept for ten minutes. Unknown ids are
 * simply absent: the caller falls back to a short form of the id.
 */
export function useUserNames(ids: readonly (string | null | undefined)[]): ReadonlyMap<string, string> {
  const wanted = [...new Set(ids.filter((id): id is string => typeof id === 'string' && id !== ''))].sort();
  const names = useQuery({
    queryKey: ['user-names', wanted],
    queryFn: async () => {
      const found = new Map<string, string>();
      // The API takes at most 100 ids a request.
      for (let i = 0; i < wanted.length; i += 100) {
        const { users } = await call(
          api.GET('/api/users/names', { params: { query: { ids: wanted.slice(i, i + 100) } } }),
        );
        for (const user of users) if (user.displayName) found.set(user.id, user.displayName);
      }
      return found;
    },
    enabled: wanted.length > 0,
    staleTime: 10 * 60_000,
  });
  return names.data ?? EMPTY;
}

const EMPTY: ReadonlyMap<string, string> = new Map();
