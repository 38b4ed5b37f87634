import { useQuery } from '@tanstack/react-query';
import { api } from './client';

/** Persons: the identity a coordinator may reveal (persons.routes.ts), audited with the reason. */

export interface Identity {
  fullName?: string;
  givenName?: string;
  familyName?: string;
  patronymic?: string;
  birthName?: string;
  otherNames?: string[];
  birthDate?: { value: string | null; precision: string };
  birthPlace?: string;
  contacts?: { kind: 'phone' | 'email' | 'telegram' | 'signal' | 'whatsapp' | 'viber' | 'other'; value: string; note?: string }[];
  addresses?: string[];
  documents?: { kind: string; number: string; issuedBy?: string; issuedOn?: string }[];
}

export interface RevealedPerson {
  id: string;
  pseudonym: string;
  identity: Identity | null;
  names: { id: string; text: string | null; script: string | null; language: string | null; system: string | null; preferred: boolean | null }[];
}

/** POST /api/v1/persons/{id}/reveal: the reason (at least 10 characters) is kept in the audit log. */
export const revealPerson = (id: string, reason: string) => api<RevealedPerson>('POST', `/api/v1/persons/${id}/reveal`, { reason });

/** How a revealed identity reads in one line: full name, else the parts, else the first spelling. */
export function identityLine(p: RevealedPerson): string | null {
  const i = p.identity;
  const parts = i ? [i.fullName ?? [i.givenName, i.patronymic, i.familyName].filter(Boolean).join(' ')] : [];
  const name = parts.find((x) => x && x.trim()) ?? p.names.find((n) => n.preferred)?.text ?? p.names[0]?.text ?? null;
  return name ? name.trim() : null;
}

/** What the caller may do with a person (the record's `permissions`), e.g. reveal the identity. */
export function usePersonPermissions(id: string | null) {
  return useQuery({
    queryKey: ['person-permissions', id],
    enabled: !!id,
    queryFn: async () => (await api<{ permissions: { update: boolean; delete: boolean; revealIdentity: boolean } }>('GET', `/api/v1/persons/${id}`)).permissions,
    staleTime: 60_000,
  });
}
