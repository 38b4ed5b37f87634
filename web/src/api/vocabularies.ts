import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api, ApiError, NetworkError, type Problem } from './client';
import { SESSION_KEY, type Session } from './session';
import type { Locale } from '../i18n';

/**
 * Vocabularies (src/modules/vocabularies): codes with labels in be, ru and en, read by every
 * account (GET /api/v1/vocabularies[/:name]); coordinators and administrators add terms and change
 * them (POST …/:name/terms, PATCH …/:name/terms/:code) naming the version they read (If-Match).
 */

export type { LocalLabels } from '../components/records/types';
import type { LocalLabels } from '../components/records/types';

export interface Term {
  code: string;
  parent: string | null;
  labels: LocalLabels;
  position: number;
  deprecated: boolean;
}

export interface Vocabulary {
  name: string;
  labels: LocalLabels;
  description: string | null;
  version: number;
  terms: Term[];
}

export interface VocabularySummary {
  name: string;
  labels: LocalLabels;
  description: string | null;
  version: number;
  termCount: number;
}

/** A label in the UI's language (English when the language is not one of the three). */
export const localLabel = (l: LocalLabels | undefined, lang: string): string | undefined => (l ? (l[lang as Locale] ?? l.en) : undefined);

/** Every vocabulary with its version and number of terms. */
export function useVocabularies() {
  return useQuery({
    queryKey: ['vocabularies'],
    queryFn: async () => (await api<{ items: VocabularySummary[] }>('GET', '/api/v1/vocabularies')).items,
  });
}

/**
 * The query of one vocabulary with its terms, for every hook that reads it: one cache entry per
 * name, in the API's shape (hooks that want another shape derive it with `select`). Vocabularies
 * change rarely, so it stays fresh for ten minutes (a change made here refreshes it at once: see
 * `useTermChange`).
 */
export function vocabularyQuery(name: string) {
  return {
    queryKey: ['vocabulary', name],
    queryFn: () => api<Vocabulary>('GET', `/api/v1/vocabularies/${encodeURIComponent(name)}`),
    staleTime: 600_000,
  };
}

/** One vocabulary with its terms (nothing asked while `name` is undefined). */
export function useVocabulary(name: string | undefined) {
  return useQuery({ ...vocabularyQuery(name ?? ''), enabled: Boolean(name) });
}

/** A code's label in the UI's language; the code itself while loading or when unknown. */
export function termLabel(vocabulary: Vocabulary | undefined, code: string, lang: string): string {
  const term = vocabulary?.terms.find((t) => t.code === code);
  return localLabel(term?.labels, lang) ?? code;
}

/** Terms in tree order (each after its parent, siblings by position), with their depth. */
export function termTree(terms: Term[]): Array<{ term: Term; depth: number }> {
  const codes = new Set(terms.map((t) => t.code));
  const children = new Map<string | null, Term[]>();
  for (const t of terms) {
    const parent = t.parent && codes.has(t.parent) && t.parent !== t.code ? t.parent : null;
    children.set(parent, [...(children.get(parent) ?? []), t]);
  }
  const out: Array<{ term: Term; depth: number }> = [];
  const seen = new Set<string>();
  const walk = (parent: string | null, depth: number) => {
    for (const t of [...(children.get(parent) ?? [])].sort((a, b) => a.position - b.position || a.code.localeCompare(b.code))) {
      if (seen.has(t.code)) continue;
      seen.add(t.code);
      out.push({ term: t, depth });
      walk(t.code, depth + 1);
    }
  };
  walk(null, 0);
  // terms caught in a cycle of parents (the server refuses making one): still listed, at the top level
  for (const t of terms) if (!seen.has(t.code)) out.push({ term: t, depth: 0 });
  return out;
}

export interface NewTerm {
  code: string;
  parent?: string | null;
  labels: LocalLabels;
  position?: number;
}

export interface TermChange {
  labels?: Partial<LocalLabels>;
  parent?: string | null;
  position?: number;
  deprecated?: boolean;
}

export interface TermChanged {
  version: number;
  term: Term;
  reindexJobId: string | null;
}

/** A change that names the version read (If-Match), with the session's CSRF token; fails with ApiError as api() does. */
async function sendWithVersion<T>(qc: QueryClient, method: 'POST' | 'PATCH', path: string, version: number, body: unknown): Promise<T> {
  const session = qc.getQueryData<Session | null>(SESSION_KEY);
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/json', 'if-match': `"${version}"` };
  if (session?.csrfToken) headers['x-csrf-token'] = session.csrfToken;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: JSON.stringify(body), credentials: 'same-origin', cache: 'no-store' });
  } catch (e) {
    throw new NetworkError(String(e));
  }
  const text = await res.text();
  const data: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) throw new ApiError(res.status, (data && typeof data === 'object' ? data : { status: res.status }) as Problem, null);
  return data as T;
}

/**
 * After a change: the new version and term at once (a next change names that version), then the
 * vocabulary afresh everywhere it is read (pickers, labels, this page) and the list.
 */
function refreshVocabularies(qc: QueryClient, name: string, res: TermChanged) {
  qc.setQueryData<Vocabulary>(['vocabulary', name], (old) =>
    old ? { ...old, version: res.version, terms: [...old.terms.filter((t) => t.code !== res.term.code), res.term] } : old,
  );
  void qc.invalidateQueries({ queryKey: ['vocabulary'] });
  void qc.invalidateQueries({ queryKey: ['vocabularies'] });
}

/** Adds a term to a vocabulary at the version read. */
export function useAddTerm(name: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { version: number; term: NewTerm }) => sendWithVersion<TermChanged>(qc, 'POST', `/api/v1/vocabularies/${encodeURIComponent(name)}/terms`, v.version, v.term),
    onSuccess: (res) => refreshVocabularies(qc, name, res),
  });
}

/** Changes a term's labels, parent, position or deprecation at the version read. */
export function useTermChange(name: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { version: number; code: string; change: TermChange }) =>
      sendWithVersion<TermChanged>(qc, 'PATCH', `/api/v1/vocabularies/${encodeURIComponent(name)}/terms/${encodeURIComponent(v.code)}`, v.version, v.change),
    onSuccess: (res) => refreshVocabularies(qc, name, res),
  });
}

/** Reads the vocabulary and the list afresh (after a 412: someone else changed it). */
export function useReloadVocabulary(name: string) {
  const qc = useQueryClient();
  return () => Promise.all([qc.invalidateQueries({ queryKey: ['vocabulary', name] }), qc.invalidateQueries({ queryKey: ['vocabularies'] })]);
}

/** Field problems of a failed change (problem+json errors[]), by field path (`code`, `labels.be`, `parent`…). */
export function termProblems(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(error instanceof ApiError)) return out;
  for (const e of error.problem.errors ?? []) out[e.field] ??= e.message;
  return out;
}

/** Codes of the terms under `code` (children, their children…), for a parent picker that must not offer them. */
export function descendantsOf(terms: Term[], code: string): Set<string> {
  const out = new Set<string>();
  let frontier = [code];
  while (frontier.length) {
    const next = terms.filter((t) => t.parent !== null && frontier.includes(t.parent) && !out.has(t.code) && t.code !== code).map((t) => t.code);
    for (const c of next) out.add(c);
    frontier = next;
  }
  return out;
}
