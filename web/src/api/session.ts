import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, setCsrfToken } from './client';
import type { Locale } from '../i18n';

/** Accounts and sessions: the shapes of /api/v1/session and /api/v1/account (see users.routes.ts). */

export type Role = 'administrator' | 'coordinator' | 'documenter' | 'analyst' | 'translator' | 'lawyer' | 'viewer';
export type MembershipRole = Exclude<Role, 'administrator'>;

export interface SessionUser {
  id: string;
  username: string;
  displayName: string | null;
  role: Role;
  totpEnabled: boolean;
  secondFactorRequired: boolean;
  locale: Locale | null;
}

export interface Session {
  user: SessionUser;
  enrolmentRequired: boolean;
  csrfToken: string | null;
  expiresAt: string | null;
}

export type SignInAnswer =
  | { kind: 'signed-in'; enrolmentRequired: boolean; expiresAt: string }
  | { kind: 'code-needed'; pendingToken: string };

export const SESSION_KEY = ['session'] as const;

/** The signed-in account, or null when nobody is (401). */
export function useSession() {
  return useQuery({
    queryKey: SESSION_KEY,
    queryFn: async (): Promise<Session | null> => {
      try {
        const s = await api<Session>('GET', '/api/v1/session');
        setCsrfToken(s.csrfToken);
        return s;
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return null;
        throw e;
      }
    },
    staleTime: 60_000,
  });
}

interface SignedIn {
  csrfToken: string;
  expiresAt: string;
  enrolmentRequired: boolean;
}

/** Step 1 (user name and password) or step 2 (pending token and TOTP code) of signing in. */
export async function signIn(body: { username: string; password: string } | { pendingToken: string; code: string }): Promise<SignInAnswer> {
  const res = await api<SignedIn | { secondFactor: 'totp'; pendingToken: string }>('POST', '/api/v1/session', body);
  if ('pendingToken' in res) return { kind: 'code-needed', pendingToken: res.pendingToken };
  setCsrfToken(res.csrfToken);
  return { kind: 'signed-in', enrolmentRequired: res.enrolmentRequired, expiresAt: res.expiresAt };
}

export function useSignOut() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      try {
        await api('DELETE', '/api/v1/session');
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 401)) throw e; // already over: fine
      }
    },
    onSettled: () => {
      setCsrfToken(null);
      qc.clear();
      qc.setQueryData(SESSION_KEY, null);
    },
  });
}

export const setLocale = (locale: Locale) => api<{ locale: Locale | null }>('PATCH', '/api/v1/account', { locale });

export interface TotpEnrolment {
  secret: string;
  uri: string;
}
export const beginTotpEnrolment = () => api<TotpEnrolment>('POST', '/api/v1/account/totp', {});
export const confirmTotpEnrolment = (code: string) => api<{ enabled: true }>('POST', '/api/v1/account/totp/confirm', { code });

export interface Compartment {
  id: string;
  name: string;
  description: string | null;
  createdAt: string;
  memberCount: number;
  myRole: MembershipRole | null;
}

export function useCompartments() {
  return useQuery({ queryKey: ['compartments'], queryFn: async () => (await api<{ items: Compartment[] }>('GET', '/api/v1/compartments')).items });
}
