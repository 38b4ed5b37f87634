import { Upload, type HttpRequest, type HttpResponse } from 'tus-js-client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';

/** Evidence: the shapes of /api/v1/evidence/… (src/modules/evidence/evidence.routes.ts, ledger.routes.ts). */

export type ItemState = 'stored' | 'processing' | 'ready' | 'flagged';

export interface EvidenceItem {
  id: string;
  compartment: string;
  sha256: string;
  size: number;
  mime: string | null;
  category: string | null;
  state: ItemState;
  flags: Array<{ kind: string; reason: string }>;
  parentId: string | null;
  derivativeKind: string | null;
  derivedWith: string | null;
  phash: string | null;
  createdAt: string;
  createdBy: string | null;
  /** redact: may ask for redacted derivatives of this original (src/modules/redaction). */
  permissions: { download: boolean; metadata: boolean; link: boolean; redact: boolean };
}

export interface Acquisition {
  id: string;
  itemId: string;
  method: string;
  sourcePersonId: string | null;
  sourceNote: string | null;
  note: string | null;
  acquiredAt: string;
  acquiredBy: string | null;
  toolVersion: string;
  filename: string | null;
  source: string | null;
}

export type Span =
  | { kind: 'time'; from: number; to: number }
  | { kind: 'region'; x: number; y: number; width: number; height: number }
  | { kind: 'text'; page: number; from: number; to: number };

export interface EvidenceLink {
  id: string;
  targetType: string;
  targetId: string;
  span: Span | null;
  note: string | null;
  createdAt: string;
}

export interface EvidenceDetail extends EvidenceItem {
  acquisitions: Acquisition[];
  derivatives: EvidenceItem[];
  /** Extracted metadata; null when the caller may not see it (the server decides) or there is none. */
  metadata: Record<string, unknown> | null;
  possibleCopies: Array<{ id: string; distance: number }>;
  links: EvidenceLink[];
}

export interface CustodyEvent {
  index: number;
  leafHash: string;
  body: { action?: string; at?: string; actor?: string | null; details?: Record<string, unknown> | null; [k: string]: unknown };
  proof: string[] | null;
  verified: boolean;
}

export interface Custody {
  itemId: string;
  sha256: string;
  checkpoint: { size: number; rootHash: string; witnessed: boolean } | null;
  events: CustodyEvent[];
  intact: boolean;
}

export interface Verification {
  itemId: string;
  ok: boolean;
  contentIntact: boolean;
  custodyIntact: boolean;
  sha256: string;
  size: number;
  events: number;
  checkpointSize: number | null;
  problem: string | null;
}

/** The address of an item's bytes (original or derivative), for <img>, <video> and downloads. */
export const contentUrl = (id: string) => `/api/v1/evidence/${id}/content`;

/** The tus endpoint of resumable uploads (src/modules/evidence/uploads/uploads.routes.ts). */
export const UPLOADS_ENDPOINT = '/api/v1/uploads';

/** The item the server made of an upload (answer headers Letapis-Item, -Sha256, -Duplicate). */
export interface UploadedItem {
  id: string;
  sha256: string | null;
  /** The same bytes were already held: the upload added an acquisition to that item. */
  duplicate: boolean;
}

/** Why an upload failed: the server's refusal (status and detail) or the network (status null). */
export interface UploadFailure {
  status: number | null;
  detail: string;
}

/** The detail of a refused tus request (the server answers problem+json or plain text). */
export function uploadFailureOf(err: Error & { originalResponse?: HttpResponse | null }): UploadFailure {
  const res = err.originalResponse;
  if (!res) return { status: null, detail: '' };
  const body = res.getBody() ?? '';
  try {
    const p = JSON.parse(body) as { detail?: string; errors?: { field: string; message: string }[] };
    return { status: res.getStatus(), detail: [p.detail, ...(p.errors ?? []).map((e) => `${e.field}: ${e.message}`)].filter(Boolean).join(' — ') };
  } catch {
    return { status: res.getStatus(), detail: body.trim() };
  }
}

/**
 * A resumable upload (tus) of one file as evidence, not yet started (`.start()`; `.abort()` pauses,
 * `.start()` again resumes): 5 MiB chunks, retried on a dropped connection, the CSRF token sent,
 * and nothing about it kept in the browser's storage (file names can identify people). `metadata`
 * is the upload's tus metadata (filename, compartment, source, note, sourcePerson…).
 */
export function evidenceUpload(
  file: File,
  opts: {
    metadata: Record<string, string>;
    csrfToken: string | null;
    onProgress: (sent: number, total: number) => void;
    onItem?: (item: UploadedItem) => void;
    onSuccess: (item: UploadedItem | null) => void;
    onError: (failure: UploadFailure) => void;
  },
): Upload {
  let item: UploadedItem | null = null;
  return new Upload(file, {
    endpoint: UPLOADS_ENDPOINT,
    metadata: opts.metadata,
    chunkSize: 5 * 1024 * 1024,
    headers: opts.csrfToken ? { 'x-csrf-token': opts.csrfToken } : {},
    storeFingerprintForResuming: false,
    retryDelays: [0, 1000, 3000, 5000],
    onProgress: opts.onProgress,
    onAfterResponse: (_req: HttpRequest, res: HttpResponse) => {
      const id = res.getHeader('Letapis-Item');
      if (id) {
        item = { id, sha256: res.getHeader('Letapis-Sha256') ?? null, duplicate: res.getHeader('Letapis-Duplicate') === 'true' };
        opts.onItem?.(item);
      }
    },
    onSuccess: () => opts.onSuccess(item),
    onError: (err) => opts.onError(uploadFailureOf(err as Error & { originalResponse?: HttpResponse | null })),
  });
}

/** An item with its acquisitions, derivatives, metadata and links; polled while it is being processed. */
export function useEvidence(id: string) {
  return useQuery({
    queryKey: ['evidence', id],
    queryFn: () => api<EvidenceDetail>('GET', `/api/v1/evidence/${id}`),
    refetchInterval: (q) => (q.state.data && (q.state.data.state === 'stored' || q.state.data.state === 'processing') ? 2000 : false),
    retry: false,
  });
}

export function useCustody(id: string) {
  return useQuery({ queryKey: ['evidence', id, 'custody'], queryFn: () => api<Custody>('GET', `/api/v1/evidence/${id}/custody`), retry: false });
}

/** Re-hashes the bytes and checks the custody chain (itself recorded as a custody event). */
export function useVerify(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api<Verification>('POST', `/api/v1/evidence/${id}/verify`, {}),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['evidence', id, 'custody'] }),
  });
}

export interface LinkInput {
  targetType: string;
  targetId: string;
  span?: Span;
  note?: string;
}

export function useLinkEvidence(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: LinkInput) => api<EvidenceLink>('POST', `/api/v1/evidence/${id}/links`, body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['evidence', id] }),
  });
}

/** Removes a link between an item and a record; the item's page, its custody and the record's evidence are fetched again. */
export function useUnlinkEvidence() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { itemId: string; linkId: string; targetType: string; targetId: string }) => api<null>('DELETE', `/api/v1/evidence/${v.itemId}/links/${v.linkId}`),
    onSuccess: (_d, v) => {
      void qc.invalidateQueries({ queryKey: ['evidence', v.itemId] });
      void qc.invalidateQueries({ queryKey: ['records', v.targetType, 'evidence', v.targetId] });
    },
  });
}

/** Seconds as m:ss.s (h:mm:ss.s from an hour), for time marks. */
export function formatSeconds(s: number): string {
  const neg = s < 0;
  const t = Math.abs(s);
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const sec = (t % 60).toFixed(1).padStart(4, '0');
  return `${neg ? '-' : ''}${h ? `${h}:${String(m).padStart(2, '0')}` : m}:${sec}`;
}

/** Parses what a person types for a time: 75, 75.5, 1:15, 1:15.5, 0:01:15. Null when it is not a time. */
export function parseSeconds(text: string): number | null {
  const s = text.trim().replace(',', '.');
  if (!/^\d+(\.\d+)?$|^\d+:\d{1,2}(\.\d+)?$|^\d+:\d{1,2}:\d{1,2}(\.\d+)?$/.test(s)) return null;
  const parts = s.split(':').map(Number);
  let total = 0;
  for (const p of parts) total = total * 60 + p;
  if (parts.length > 1 && parts.slice(1).some((p) => p >= 60)) return null;
  return Math.round(total * 1000) / 1000;
}

/** A rectangle drawn on the picture as shown, in pixels of the picture as stored (the region a link carries). */
export function regionInImage(
  drawn: { x: number; y: number; width: number; height: number },
  shown: { width: number; height: number },
  natural: { width: number; height: number },
): { x: number; y: number; width: number; height: number } {
  const sx = natural.width / shown.width;
  const sy = natural.height / shown.height;
  const clamp = (v: number, max: number) => Math.min(Math.max(v, 0), max);
  const x = clamp(Math.round(drawn.x * sx), natural.width);
  const y = clamp(Math.round(drawn.y * sy), natural.height);
  return { x, y, width: Math.max(1, clamp(Math.round(drawn.width * sx), natural.width - x)), height: Math.max(1, clamp(Math.round(drawn.height * sy), natural.height - y)) };
}
