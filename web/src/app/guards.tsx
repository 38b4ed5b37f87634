import { Center, Loader } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation, useOutletContext, useRouteError } from 'react-router';
import { useSession, type Session } from '../api/session';
import { isLocale } from '../i18n';
import { ErrorNotice } from '../components/ErrorNotice';

/** What the session query says, for the guards below. */
function useSessionState() {
  const session = useSession();
  const { i18n } = useTranslation();
  const chosen = session.data?.user.locale;
  // the account's own language, once known, wins over the browser's
  useEffect(() => {
    if (isLocale(chosen) && chosen !== i18n.language) void i18n.changeLanguage(chosen);
  }, [chosen, i18n]);
  return session;
}

export function Waiting() {
  const { t } = useTranslation();
  return (
    <Center component="main" h="60vh">
      <Loader aria-label={t('app.loading')} />
    </Center>
  );
}

/** Signed in and allowed everywhere: else to sign-in (remembering where to come back) or enrolment. */
export function RequireSession() {
  const session = useSessionState();
  const location = useLocation();
  if (session.isPending) return <Waiting />;
  if (session.isError) return <ErrorNotice error={session.error} standalone />;
  if (!session.data) return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  if (session.data.enrolmentRequired) return <Navigate to="/enrol" replace />;
  return <Outlet context={session.data} />;
}

/**
 * The signed-in account, in any page under RequireSession (given down through the outlets, so a
 * page never renders without it, not even for the instant of signing out).
 */
export function useSignedIn(): Session {
  return useOutletContext<Session>();
}

/** Shown instead of a page that failed to render, in the UI's language. */
export function RouteError() {
  return <ErrorNotice error={useRouteError()} standalone />;
}

/** Signed in, but the account must enrol a second factor before anything else. */
export function RequireEnrolment() {
  const session = useSessionState();
  if (session.isPending) return <Waiting />;
  if (session.isError) return <ErrorNotice error={session.error} />;
  if (!session.data) return <Navigate to="/sign-in" replace />;
  if (!session.data.enrolmentRequired) return <Navigate to="/" replace />;
  return <Outlet />;
}

/** Only for someone not signed in (the sign-in page). */
export function RequireSignedOut() {
  const session = useSessionState();
  const location = useLocation();
  if (session.isPending) return <Waiting />;
  if (session.data) {
    const from = (location.state as { from?: string } | null)?.from;
    return <Navigate to={session.data.enrolmentRequired ? '/enrol' : (from ?? '/')} replace />;
  }
  return <Outlet />;
}
