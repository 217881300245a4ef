import { useQuery } from '@tanstack/react-query';
import { api, call, type Meta } from '../api/client.ts';

export const metaQueryKey = ['meta'] as const;

/** Public facts about this instance (version, demo mode). Safe to keep across sessions. */
export function useMeta() {
  return useQuery<Meta>({
    queryKey: metaQueryKey,
    queryFn: () => call(api.GET('/api/meta')),
    staleTime: Number.POSITIVE_INFINITY,
  });
}
