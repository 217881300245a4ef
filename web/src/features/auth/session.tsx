import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  createContext,
  Fragment,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
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
import { navigate } from '../../app/router.tsx';
import { SessionExpiredDialog } from './SessionExpiredDialog.tsx';

export const meQueryKey = ['me'] as const;

/** Why the sign-in page is showing instead of the page the user was on. */
export type SessionNotice = 'sessionExpired' | 'signedOut';

async function fetchMe(queryClient: QueryClient): Promise<Me | null> {
  try {
    const me = await call(api.GET('/api/me'));
    setCsrfToken(me.csrfToken ?? undefined);
    return me;
  } catch (error) {
    if (isApiError(error) && error.status === 401) {
      // A session that ends under a signed-in user keeps that user on screen (the page and what
      // was typed stay) while the sign-in dialog asks for a new session; the query errs instead.
      if (queryClient.getQueryData<Me | null>(meQueryKey)) throw error;
      // Signed out is a state, not a failure: the shell shows the sign-in page.
      return null;
    }
    throw error;
  }
}

/** The signed-in user; `null` when nobody is signed in. Kept (not refetched) while the session is expired. */
export function useMe() {
  const queryClient = useQueryClient();
  const expired = useContext(SessionContext)?.expired ?? false;
  return useQuery<Me | null>({
    queryKey: meQueryKey,
    queryFn: () => fetchMe(queryClient),
    staleTime: 60_000,
    enabled: !expired,
  });
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
  const session = useContext(SessionContext);
  const queryClient = useQueryClient();
  return useMutation<LoginResponse, Error, LoginRequest>({
    mutationFn: (body) => call(api.POST('/api/auth/login', { body })),
    onSuccess: (answer) => {
      if (session) session.completeSignIn(answer);
      else {
        setCsrfToken(answer.csrfToken);
        queryClient.setQueryData(meQueryKey, answer.user);
      }
    },
  });
}

interface SessionContextValue {
  notice: SessionNotice | undefined;
  clearNotice(): void;
  signOut(): Promise<void>;
  signingOut: boolean;
  /** The server ended the session of the user still on screen; a sign-in dialog is open. */
  expired: boolean;
  /** Applies a successful sign-in: a new session, the same user resuming, or another user. */
  completeSignIn(answer: LoginResponse): void;
}

const SessionContext = createContext<SessionContextValue | null>(null);

/**
 * Holds the session's state for the whole app. When the server ends a session under a signed-in
 * user, the page stays mounted (forms keep what was typed) and a modal dialog asks for a new
 * sign-in: the same user continues where they were (every query is refetched, a failed save can
 * be pressed again); anyone else starts from a clean slate, because one user's data must never
 * show to another: every cached query is dropped, every page is unmounted (`generation`) and the
 * home page opens.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<SessionNotice>();
  const [expired, setExpired] = useState(false);
  const [generation, setGeneration] = useState(0);
  const expiredRef = useRef(false);
  /** Where the user was (the Save button, say), to return there once signed in again. */
  const focusBeforeExpiry = useRef<Element | null>(null);

  const markExpired = useCallback((value: boolean) => {
    expiredRef.current = value;
    setExpired(value);
  }, []);

  useEffect(
    () =>
      onSessionEnded((code) => {
        const current = queryClient.getQueryData<Me | null>(meQueryKey);
        if (current) {
          // Stop asking (each answer would be another 401); keep every page and its data as it is.
          void queryClient.cancelQueries({ predicate: (query) => query.queryKey[0] !== metaQueryKey[0] });
          if (!expiredRef.current) focusBeforeExpiry.current = document.activeElement;
          markExpired(true);
          return;
        }
        if (expiredRef.current) return;
        if (code === 'SESSION_EXPIRED') setNotice('sessionExpired');
        forgetSession(queryClient);
      }),
    [queryClient, markExpired],
  );
  useEffect(
    () => onSessionStale(() => void queryClient.invalidateQueries({ queryKey: meQueryKey })),
    [queryClient],
  );

  const completeSignIn = useCallback(
    (answer: LoginResponse) => {
      setCsrfToken(answer.csrfToken);
      const previous = queryClient.getQueryData<Me | null>(meQueryKey);
      if (expiredRef.current && previous && previous.id === answer.user.id) {
        queryClient.setQueryData(meQueryKey, answer.user);
        markExpired(false);
        void queryClient.invalidateQueries({ predicate: (query) => query.queryKey[0] !== meQueryKey[0] });
        const resumeAt = focusBeforeExpiry.current;
        focusBeforeExpiry.current = null;
        // After the dialog has gone: back to where the user was working.
        if (resumeAt instanceof HTMLElement) setTimeout(() => resumeAt.isConnected && resumeAt.focus(), 0);
        return;
      }
      if (previous && previous.id !== answer.user.id) {
        queryClient.cancelQueries({ predicate: (query) => query.queryKey[0] !== metaQueryKey[0] });
        queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== metaQueryKey[0] });
        setGeneration((value) => value + 1);
        navigate('/', { replace: true });
      }
      queryClient.setQueryData(meQueryKey, answer.user);
      markExpired(false);
    },
    [queryClient, markExpired],
  );

  const signOutMutation = useMutation({
    mutationFn: () => call(api.POST('/api/auth/logout')),
    onSettled: () => {
      // Whatever the server answered, this browser is signed out now.
      markExpired(false);
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
    () => ({ notice, clearNotice, signOut, signingOut: isPending, expired, completeSignIn }),
    [notice, clearNotice, signOut, isPending, expired, completeSignIn],
  );
  const me = queryClient.getQueryData<Me | null>(meQueryKey);
  return (
    <SessionContext.Provider value={value}>
      <Fragment key={generation}>{children}</Fragment>
      {expired && me && <SessionExpiredDialog username={me.username} />}
    </SessionContext.Provider>
  );
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside <SessionProvider>');
  return value;
}
