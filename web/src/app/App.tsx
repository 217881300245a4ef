import { type QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call, type Me } from '../api/client.ts';
import { LoginPage } from '../features/auth/LoginPage.tsx';
import { meQueryKey, SessionProvider, useMe, useSession } from '../features/auth/session.tsx';
import { TotpEnrolmentPage } from '../features/auth/TotpEnrolmentPage.tsx';
import { HomePage } from '../features/home/HomePage.tsx';
import {
  changeLanguage,
  currentLanguage,
  forgetLanguageChoice,
  isAvailableLanguage,
  languageChosenByUser,
} from '../i18n/index.ts';
import { describeError } from './errorMessage.ts';
import { NotFoundPage } from './NotFoundPage.tsx';
import { PageHeading } from './PageHeading.tsx';
import { createQueryClient } from './queryClient.ts';
import { Route, Switch } from './router.tsx';
import { Shell } from './Shell.tsx';

/** On sign-in, the interface switches to the language saved on the user's account. */
function usePreferredLanguage(me: Me | null | undefined): void {
  const { i18n } = useTranslation();
  const queryClient = useQueryClient();
  const appliedFor = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (!me) {
      if (appliedFor.current !== undefined) forgetLanguageChoice();
      appliedFor.current = undefined;
      return;
    }
    if (appliedFor.current === me.id) return;
    appliedFor.current = me.id;
    const preferred = me.preferredLanguage;
    if (languageChosenByUser()) {
      // A language picked on this page before the user was known wins over the one stored with the
      // account, and becomes the stored one (else the next visit would switch back).
      const chosen = currentLanguage(i18n);
      if (chosen !== preferred)
        void call(api.PATCH('/api/me', { body: { preferredLanguage: chosen } }))
          .then((updated) => queryClient.setQueryData(meQueryKey, updated))
          .catch(() => undefined);
      return;
    }
    if (isAvailableLanguage(preferred) && preferred !== currentLanguage(i18n))
      void changeLanguage(preferred, i18n);
  }, [me, i18n, queryClient]);
}

/** Each area is its own chunk, fetched when first visited (keeps the first load small). */
const InboxPage = lazy(() =>
  import('../features/inbox/InboxPage.tsx').then((m) => ({ default: m.InboxPage })),
);
const CaseListPage = lazy(() =>
  import('../features/cases/CaseListPage.tsx').then((m) => ({ default: m.CaseListPage })),
);
const RegistrationPage = lazy(() =>
  import('../features/registration/RegistrationPage.tsx').then((m) => ({ default: m.RegistrationPage })),
);
const CaseFilePage = lazy(() =>
  import('../features/case-file/CaseFilePage.tsx').then((m) => ({ default: m.CaseFilePage })),
);
const PersonPage = lazy(() =>
  import('../features/case-file/PersonPage.tsx').then((m) => ({ default: m.PersonPage })),
);
const DataProtectionPage = lazy(() =>
  import('../features/data-protection/DataProtectionPage.tsx').then((m) => ({
    default: m.DataProtectionPage,
  })),
);

function Routes({ me }: { me: Me }) {
  const { t } = useTranslation();
  return (
    <Suspense
      fallback={
        <p className="page loading" role="status">
          {t('app.loading')}
        </p>
      }
    >
      <Switch>
        <Route path="/">
          <HomePage me={me} />
        </Route>
        <Route path="/inbox/:box?">{(params) => <InboxPage me={me} box={params.box} />}</Route>
        <Route path="/cases">
          <CaseListPage me={me} />
        </Route>
        <Route path="/register">
          <RegistrationPage me={me} />
        </Route>
        <Route path="/cases/:id/:section?">
          {(params) => <CaseFilePage me={me} caseId={params.id} section={params.section} />}
        </Route>
        <Route path="/persons/:id">{(params) => <PersonPage me={me} personId={params.id} />}</Route>
        <Route path="/data-protection">
          <DataProtectionPage me={me} />
        </Route>
        <Route>
          <NotFoundPage />
        </Route>
      </Switch>
    </Suspense>
  );
}

function Screens() {
  const { t } = useTranslation();
  const meQuery = useMe();
  const { notice, clearNotice } = useSession();
  const me = meQuery.data;
  usePreferredLanguage(me);

  if (me === undefined) {
    if (meQuery.isError) {
      return (
        <Shell me={null} showNavigation={false}>
          <div className="page">
            <PageHeading>{t('app.loadFailed.title')}</PageHeading>
            <p role="alert">{describeError(t, meQuery.error)}</p>
            <button type="button" className="button button-primary" onClick={() => void meQuery.refetch()}>
              {t('app.loadFailed.retry')}
            </button>
          </div>
        </Shell>
      );
    }
    return (
      <Shell me={null} showNavigation={false}>
        <p className="page loading" role="status">
          {t('app.loading')}
        </p>
      </Shell>
    );
  }
  if (me === null) {
    return (
      <Shell me={null} showNavigation={false}>
        <LoginPage notice={notice} onDismissNotice={clearNotice} />
      </Shell>
    );
  }
  if (me.mfaEnrolmentPending) {
    return (
      <Shell me={me} showNavigation={false}>
        <TotpEnrolmentPage />
      </Shell>
    );
  }
  return (
    <Shell me={me} showNavigation>
      <Routes me={me} />
    </Shell>
  );
}

export function App({ queryClient }: { queryClient?: QueryClient }) {
  const [client] = useState(() => queryClient ?? createQueryClient());
  return (
    <QueryClientProvider client={client}>
      <SessionProvider>
        <Screens />
      </SessionProvider>
    </QueryClientProvider>
  );
}
