import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import {
  api,
  call,
  type LoginRequest,
  type LoginResponse,
  type Me,
  onSessionEnded,
  onSessionStale,
  setCsrfToken,
} from '../../api/client.ts';
import { isApiError } from '../../api/errors.ts';
import { metaQueryKey } from '../../app/meta.ts';

export const meQueryKey = ['me'] as const;

/** Why the sign-in page is showing instead of the page the user was on. */
export type SessionNotice = 'sessionExpired' | 'signedOut';

async function fetchMe(): Promise<Me | null> {
  try {
    const me = await call(api.GET('/api/me'));
    setCsrfToken(me.csrfToken ?? undefined);
    return me;
  } catch (error) {
    // Signed out is a state, not a failure: the shell shows the sign-in page.
    if (isApiError(error) && error.status === 401) return null;
    throw error;
  }
}

/** The signed-in user; `null` when nobody is signed in. */
export function useMe() {
  return useQuery<Me | null>({ queryKey: meQueryKey, queryFn: fetchMe, staleTime: 60_000 });
}

/**
 * Forgets everything fetched for the previous user (personal data must not outlive the
 * session in memory), keeping only the public instance facts.
 */
function forgetSession(queryClient: QueryClient): void {
  setCsrfToken(undefined);
  queryClient.cancelQueries({ predicate: (query) => query.queryKey[0] !== metaQueryKey[0] });
  queryClient.removeQueries({
    predicate: (query) => query.queryKey[0] !== metaQueryKey[0] && query.queryKey[0] !== meQueryKey[0],
  });
  queryClient.setQueryData(meQueryKey, null);
}

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation<LoginResponse, Error, LoginRequest>({
    mutationFn: (body) => call(api.POST('/api/auth/login', { body })),
    onSuccess: (answer) => {
      setCsrfToken(answer.csrfToken);
      queryClient.setQueryData(meQueryKey, answer.user);
    },
  });
}

interface SessionContextValue {
  notice: SessionNotice | undefined;
  clearNotice(): void;
  signOut(): Promise<void>;
  signingOut: boolean;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<SessionNotice>();

  useEffect(
    () =>
      onSessionEnded((code) => {
        const wasSignedIn = Boolean(queryClient.getQueryData<Me | null>(meQueryKey));
        if (code === 'SESSION_EXPIRED' || wasSignedIn) setNotice('sessionExpired');
        forgetSession(queryClient);
      }),
    [queryClient],
  );
  useEffect(
    () => onSessionStale(() => void queryClient.invalidateQueries({ queryKey: meQueryKey })),
    [queryClient],
  );

  const signOutMutation = useMutation({
    mutationFn: () => call(api.POST('/api/auth/logout')),
    onSettled: () => {
      // Whatever the server answered, this browser is signed out now.
      forgetSession(queryClient);
      setNotice('signedOut');
    },
  });
  const { mutateAsync, isPending } = signOutMutation;

  const signOut = useCallback(async () => {
    await mutateAsync().catch(() => undefined);
  }, [mutateAsync]);
  const clearNotice = useCallback(() => setNotice(undefined), []);

  const value = useMemo(
    () => ({ notice, clearNotice, signOut, signingOut: isPending }),
    [notice, clearNotice, signOut, isPending],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside <SessionProvider>');
  return value;
}
