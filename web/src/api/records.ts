import { useInfiniteQuery, useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, NetworkError, type Problem } from './client';
import { SESSION_KEY, type Session } from './session';

/**
 * Records of every type (src/modules/records): the catalog from GET /api/v1/record-types, which
 * names every type, field and enum value in be/ru/en, and the list, read, history, create, change
 * and delete routes under /api/v1/<type>. Forms and tables are built from the catalog. The
 * account's saved views of the lists: /api/v1/saved-views.
 */

export type { FieldKind, RecordField, RecordTypeMeta, DatePrecision, FuzzyDate, RecordPermissions, StoredRecord } from '../components/records/types';
export { DATE_PRECISIONS } from '../components/records/types';
import type { RecordTypeMeta, StoredRecord } from '../components/records/types';

export interface RecordLink {
  field: string;
  type: string;
  id: string;
  label: string | null;
}

export interface RecordWithLinks extends StoredRecord {
  links: { outgoing: RecordLink[]; incoming: RecordLink[]; incomingTruncated: boolean };
}

export interface HistoryEntry {
  version: number;
  action: 'create' | 'update' | 'delete';
  at: string;
  actor: { id: string; username: string } | null;
  changes: Record<string, { from: unknown; to: unknown }>;
}


export function useRecordTypes() {
  return useQuery({
    queryKey: ['record-types'],
    queryFn: async () => (await api<{ items: RecordTypeMeta[] }>('GET', '/api/v1/record-types')).items,
    staleTime: Infinity,
  });
}

/** One type's catalog entry (undefined while loading or for an unknown name). */
export function useRecordType(name: string | undefined) {
  const types = useRecordTypes();
  return { ...types, data: types.data?.find((t) => t.name === name) };
}

/** A list with filters and sort, page by page (cursor paging). */
export function useRecordList(type: string, params: Record<string, string>, pageSize = 50, enabled = true) {
  return useInfiniteQuery({
    queryKey: ['records', type, 'list', params, pageSize],
    queryFn: async ({ pageParam }) => {
      const q = new URLSearchParams({ ...params, limit: String(pageSize) });
      if (pageParam) q.set('cursor', pageParam);
      return api<{ items: StoredRecord[]; nextCursor: string | null }>('GET', `/api/v1/${type}?${q}`);
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled,
  });
}

export function useRecord(type: string, id: string | undefined) {
  return useQuery({
    queryKey: ['records', type, 'one', id],
    queryFn: () => api<RecordWithLinks>('GET', `/api/v1/${type}/${id}`),
    enabled: Boolean(id),
  });
}

/** Several records of one type by id (the names of chosen references), each cached like useRecord. */
export function useRecords(type: string, ids: string[]): RecordWithLinks[] {
  return useQueries({
    queries: ids.map((id) => ({ queryKey: ['records', type, 'one', id], queryFn: () => api<RecordWithLinks>('GET', `/api/v1/${type}/${id}`) })),
  })
    .map((q) => q.data)
    .filter((r): r is RecordWithLinks => Boolean(r));
}

export function useRecordHistory(type: string, id: string) {
  return useQuery({
    queryKey: ['records', type, 'history', id],
    queryFn: async () => (await api<{ items: HistoryEntry[] }>('GET', `/api/v1/${type}/${id}/history`)).items,
  });
}

/** A record found by the search API (the reference picker), or a list item named by its label fields. */
export interface RecordChoice {
  id: string;
  type: string;
  label: string;
}

/** Records of a type whose text matches `query` (search API), or the newest of the type when the query is empty. */
export function useRecordChoices(type: string, query: string, labelOf: (r: StoredRecord) => string) {
  const q = query.trim();
  return useQuery({
    queryKey: ['records', type, 'choices', q],
    queryFn: async (): Promise<RecordChoice[]> => {
      if (!q) {
        const page = await api<{ items: StoredRecord[] }>('GET', `/api/v1/${type}?limit=20&sort=-updatedAt`);
        return page.items.map((r) => ({ id: r.id, type, label: labelOf(r) }));
      }
      // every word as a prefix, so what is being typed already matches
      const words = q.split(/\s+/).filter(Boolean).map((w) => (/^[\p{L}\p{N}]+$/u.test(w) ? `${w}*` : w));
      const params = new URLSearchParams({ q: words.join(' '), type, limit: '20', facets: 'false' });
      const res = await api<{ items: { id: string; type: string; label: string }[] }>('GET', `/api/v1/search?${params}`);
      return res.items.filter((h) => h.type === type).map((h) => ({ id: h.id, type, label: h.label }));
    },
    staleTime: 10_000,
  });
}

/**
 * Changes need the ETag read (If-Match), which api() does not send: the same request with that
 * header and the session's CSRF token, failing with the same ApiError.
 */
export async function sendWithVersion<T>(session: Session | null | undefined, method: 'PATCH' | 'DELETE' | 'PUT' | 'POST', path: string, version: number, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'if-match': `"${version}"` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (session?.csrfToken) headers['x-csrf-token'] = session.csrfToken;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin', cache: 'no-store' });
  } catch (e) {
    throw new NetworkError(String(e));
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const data: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) throw new ApiError(res.status, (data && typeof data === 'object' ? data : { status: res.status }) as Problem, null);
  return data as T;
}

export function useSaveRecord(type: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (v: { id?: string; version?: number; body: Record<string, unknown> }) => {
      if (!v.id) return api<StoredRecord>('POST', `/api/v1/${type}`, v.body);
      return sendWithVersion<StoredRecord>(qc.getQueryData<Session | null>(SESSION_KEY), 'PATCH', `/api/v1/${type}/${v.id}`, v.version!, v.body);
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: ['records'] }),
  });
}

export function useDeleteRecord(type: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: string; version: number }) => sendWithVersion<void>(qc.getQueryData<Session | null>(SESSION_KEY), 'DELETE', `/api/v1/${type}/${v.id}`, v.version),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['records'] }),
  });
}

/** Field problems of a failed save (problem+json errors[]), by the field's top-level name. */
export function fieldProblems(error: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (!(error instanceof ApiError)) return out;
  for (const e of error.problem.errors ?? []) {
    const top = e.field.split('.')[0] ?? e.field;
    (out[top] ??= []).push(e.message);
  }
  return out;
}

/** An evidence item linked to a record (GET /api/v1/linked-evidence). */
export interface LinkedEvidenceItem {
  linkId: string;
  id: string;
  sha256: string;
  size: number;
  mime: string | null;
  category: string | null;
  state: string;
  note: string | null;
  span: unknown;
  linkedAt: string;
}

export function useLinkedEvidence(type: string, id: string) {
  return useQuery({
    queryKey: ['records', type, 'evidence', id],
    queryFn: async () => (await api<{ items: LinkedEvidenceItem[] }>('GET', `/api/v1/linked-evidence?${new URLSearchParams({ type, id })}`)).items,
  });
}

export type { SavedView } from '../components/records/logic';
import type { SavedView } from '../components/records/logic';

const viewsKey = (type: string) => ['saved-views', type];

/** The account's saved views of one type's list, by name (GET /api/v1/saved-views?type=). */
export function useSavedViews(type: string) {
  return useQuery({
    queryKey: viewsKey(type),
    queryFn: async () => (await api<{ items: SavedView[] }>('GET', `/api/v1/saved-views?${new URLSearchParams({ type })}`)).items,
  });
}

/** Saves, renames, re-saves and deletes the account's views of a type; each refreshes the list of views. */
export function useSavedViewChanges(type: string) {
  const qc = useQueryClient();
  const onSuccess = () => qc.invalidateQueries({ queryKey: viewsKey(type) });
  return {
    create: useMutation({ mutationFn: (v: { name: string; query: Record<string, string> }) => api<SavedView>('POST', '/api/v1/saved-views', { type, ...v }), onSuccess }),
    change: useMutation({ mutationFn: (v: { id: string; name?: string; query?: Record<string, string> }) => api<SavedView>('PATCH', `/api/v1/saved-views/${v.id}`, { name: v.name, query: v.query }), onSuccess }),
    remove: useMutation({ mutationFn: (id: string) => api<void>('DELETE', `/api/v1/saved-views/${id}`), onSuccess }),
  };
}
