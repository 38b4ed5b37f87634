import { useQuery } from '@tanstack/react-query';
import { evidenceUpload } from './evidence';
import { api } from './client';
import { vocabularyQuery } from './vocabularies';
import type { Identity } from './persons';

/**
 * What the testimony intake asks of the server: vocabularies (labels in be/ru/en), existing
 * events, places and units to pick from, record creation (records.routes.ts), the resumable upload
 * of the interview's recording (tus, uploads.routes.ts) and its links to the records.
 */

export interface Term {
  code: string;
  parent: string | null;
  labels: { be: string; ru: string; en: string };
  position: number;
  deprecated: boolean;
}

const currentTerms = (v: { terms: Term[] }) => v.terms.filter((t) => !t.deprecated);

export function useVocabulary(name: string) {
  return useQuery({ ...vocabularyQuery(name), select: currentTerms });
}

/** A term's label in the UI's language. */
export const termLabel = (t: Term, lng: string) => t.labels[(lng === 'be' || lng === 'ru' ? lng : 'en') as 'be' | 'ru' | 'en'];

export interface RecordOption {
  id: string;
  compartment: string;
  label: string;
}

interface Named {
  id: string;
  compartment: string;
  title?: string | null;
  nameBe?: string | null;
  nameRu?: string | null;
  nameEn?: string | null;
}

/** Events, places or units to pick from (the newest 500), labelled in the UI's language. */
export function useRecordOptions(type: 'events' | 'places' | 'units', lng: string) {
  return useQuery({
    queryKey: ['intake-options', type],
    queryFn: async () => (await api<{ items: Named[] }>('GET', `/api/v1/${type}?limit=500`)).items,
    select: (items): RecordOption[] =>
      items.map((r) => {
        const byLang = lng === 'be' ? [r.nameBe, r.nameRu, r.nameEn] : lng === 'ru' ? [r.nameRu, r.nameBe, r.nameEn] : [r.nameEn, r.nameBe, r.nameRu];
        return { id: r.id, compartment: r.compartment, label: r.title ?? byLang.find((x) => x) ?? r.id };
      }),
    staleTime: 60_000,
  });
}

export interface Created {
  id: string;
  version: number;
  compartment: string;
}

export interface FuzzyDate {
  value: string | null;
  precision: 'year' | 'month' | 'day' | 'minute' | 'unknown' | string;
}

export const createPerson = (body: { compartment: string; pseudonym: string; roles?: string[]; sex?: string; identity?: Identity; notes?: string }) =>
  api<Created>('POST', '/api/v1/persons', body);

export const createConsent = (body: {
  compartment: string;
  person: string;
  scopes: string[];
  recipient: string | null;
  obtainedAt: string;
  obtainedBy: string | null;
  method: string | null;
  notes: string | null;
}) => api<Created>('POST', '/api/v1/consents', body);

export const createRecord = (type: 'events' | 'testimonies' | 'acts' | 'involvements', body: Record<string, unknown>) =>
  api<Created>('POST', `/api/v1/${type}`, body);

export const linkEvidence = (itemId: string, targetType: string, targetId: string, note?: string) =>
  api<{ id: string }>('POST', `/api/v1/evidence/${itemId}/links`, { targetType, targetId, ...(note ? { note } : {}) });

export interface UploadHandle {
  abort(): void;
}

/**
 * Sends a file with the tus protocol (resumable; retried on a dropped connection). `onDone` gets
 * the evidence item the server made of it (Letapis-Item) and the SHA-256 of the bytes.
 */
export function uploadRecording(
  file: File,
  opts: {
    compartment: string;
    csrfToken: string | null;
    sourcePerson?: string;
    note?: string;
    onProgress: (sent: number, total: number) => void;
    onDone: (item: { id: string; sha256: string | null }) => void;
    onError: (e: Error) => void;
  },
): UploadHandle {
  const upload = evidenceUpload(file, {
    metadata: {
      filename: file.name,
      compartment: opts.compartment,
      source: 'interview recording',
      ...(opts.sourcePerson ? { sourcePerson: opts.sourcePerson } : {}),
      ...(opts.note ? { note: opts.note } : {}),
    },
    csrfToken: opts.csrfToken, // nothing about the interview stays in this browser's storage (evidenceUpload keeps nothing)
    onProgress: opts.onProgress,
    onSuccess: (item) => (item ? opts.onDone({ id: item.id, sha256: item.sha256 }) : opts.onError(new Error('the server did not say which item it stored'))),
    onError: (f) => opts.onError(new Error(f.status === null ? 'the connection failed' : `${f.status}${f.detail ? `: ${f.detail}` : ''}`)),
  });
  upload.start();
  return { abort: () => void upload.abort(true) };
}
