import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import type { MembershipRole, Role } from './session';

/** Administration: accounts (/api/v1/users) and compartments with their members (/api/v1/compartments). */

export const ROLES: readonly Role[] = ['administrator', 'coordinator', 'documenter', 'analyst', 'translator', 'lawyer', 'viewer'];
export const MEMBERSHIP_ROLES: readonly MembershipRole[] = ['coordinator', 'documenter', 'analyst', 'translator', 'lawyer', 'viewer'];

export interface Account {
  id: string;
  username: string;
  displayName: string | null;
  role: Role;
  createdAt: string;
  disabled: boolean;
  totpEnabled: boolean;
}

export interface Compartment {
  id: string;
  name: string;
  description: string | null;
  createdAt: string;
  memberCount: number;
  myRole: MembershipRole | null;
}

export interface Member {
  userId: string;
  username: string;
  role: MembershipRole;
  since: string;
}

const USERS = ['admin', 'users'] as const;
const COMPARTMENTS = ['admin', 'compartments'] as const;

export function useAccounts(enabled = true) {
  return useQuery({ queryKey: USERS, queryFn: async () => (await api<{ items: Account[] }>('GET', '/api/v1/users')).items, enabled });
}

export function useCreateAccount() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { username: string; displayName?: string; role: Role; password: string }) => api<Account>('POST', '/api/v1/users', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: USERS }),
  });
}

export type AccountAction = 'disable' | 'enable' | 'resetTotp';

export function useAccountAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: AccountAction }): Promise<unknown> =>
      action === 'resetTotp' ? api<{ sessionsEnded: number }>('DELETE', `/api/v1/users/${encodeURIComponent(id)}/totp`) : api<Account>('POST', `/api/v1/users/${encodeURIComponent(id)}/${action}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: USERS }),
  });
}

export function useResetPassword() {
  return useMutation({
    mutationFn: ({ id, password }: { id: string; password: string }) => api<{ sessionsEnded: number }>('POST', `/api/v1/users/${encodeURIComponent(id)}/password`, { password }),
  });
}

export function useCompartments() {
  return useQuery({ queryKey: COMPARTMENTS, queryFn: async () => (await api<{ items: Compartment[] }>('GET', '/api/v1/compartments')).items });
}

export function useCreateCompartment() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; description?: string }) => api<Omit<Compartment, 'memberCount' | 'myRole'>>('POST', '/api/v1/compartments', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: COMPARTMENTS }),
  });
}

export function useMembers(compartmentId: string | null) {
  return useQuery({
    queryKey: [...COMPARTMENTS, compartmentId, 'members'],
    queryFn: async () => (await api<{ members: Member[] }>('GET', `/api/v1/compartments/${encodeURIComponent(compartmentId!)}/members`)).members,
    enabled: Boolean(compartmentId),
  });
}

export function useMembership(compartmentId: string) {
  const qc = useQueryClient();
  const onSuccess = () => qc.invalidateQueries({ queryKey: COMPARTMENTS });
  const base = `/api/v1/compartments/${encodeURIComponent(compartmentId)}/members/`;
  return {
    set: useMutation({ mutationFn: ({ user, role }: { user: string; role: MembershipRole }) => api('PUT', base + encodeURIComponent(user), { role }), onSuccess }),
    remove: useMutation({ mutationFn: (user: string) => api('DELETE', base + encodeURIComponent(user)), onSuccess }),
  };
}

const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * A random initial password for a new account or a reset (the server needs at least 12
 * characters): 20 characters from a 56-letter alphabet without look-alikes (about 116 bits), in
 * groups of five so it can be read out or typed.
 */
export function generatePassword(random: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n))): string {
  const out: string[] = [];
  while (out.length < 20) {
    for (const b of random(32)) {
      if (b >= 224) continue; // 224 = 4 × 56: no bias
      out.push(ALPHABET[b % 56]!);
      if (out.length === 20) break;
    }
  }
  return [0, 5, 10, 15].map((i) => out.slice(i, i + 5).join('')).join('-');
}
