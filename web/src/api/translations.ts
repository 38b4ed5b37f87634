import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { sendWithVersion } from './records';
import { SESSION_KEY, type Session } from './session';

/**
 * Translations of prose fields (src/modules/translations, docs/TRANSLATIONS.md): a record's
 * translations, saving one (a new one without If-Match, a change with it), reviewing one, and the
 * queue of what awaits translation or review. Typed by hand after the routes' Zod schemas.
 */

export type TranslationStatus = 'draft' | 'machine' | 'reviewed';
export type QueueState = 'untranslated' | 'draft' | 'machine' | 'outdated';

export interface Translation {
  field: string;
  language: string;
  text: string;
  status: TranslationStatus;
  translator: { id: string; username: string } | null;
  reviewer: { id: string; username: string } | null;
  reviewedAt: string | null;
  sourceVersion: number;
  outdated: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface RecordTranslations {
  type: string;
  id: string;
  compartment: string;
  recordVersion: number;
  fields: { field: string; hasText: boolean; encrypted: boolean }[];
  languages: string[];
  translations: Translation[];
  permissions: { write: boolean; review: boolean };
}

export interface QueueItem {
  type: string;
  id: string;
  compartment: string;
  label: string | null;
  field: string;
  language: string;
  state: QueueState;
  translation: { version: number; status: TranslationStatus; translator: { id: string; username: string } | null; updatedAt: string } | null;
}

export function useRecordTranslations(type: string, id: string) {
  return useQuery({
    queryKey: ['translations', type, id],
    queryFn: () => api<RecordTranslations>('GET', `/api/v1/${type}/${id}/translations`),
    retry: false,
  });
}

export function useTranslationQueue(params: Record<string, string>) {
  return useQuery({
    queryKey: ['translations', 'queue', params],
    queryFn: () => api<{ items: QueueItem[]; truncated: boolean; languages: string[] }>('GET', `/api/v1/translations/queue?${new URLSearchParams({ ...params, limit: '200' })}`),
  });
}

const path = (type: string, id: string, field: string, lang: string) => `/api/v1/${type}/${id}/translations/${field}/${encodeURIComponent(lang)}`;

/** Saves a translation: `version` of the one read, absent for a new one. */
export function useSaveTranslation(type: string, id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { field: string; language: string; text: string; status: 'draft' | 'machine'; version?: number }) => {
      const body = { text: v.text, status: v.status };
      const url = path(type, id, v.field, v.language);
      return v.version === undefined ? api<Translation>('PUT', url, body) : sendWithVersion<Translation>(qc.getQueryData<Session | null>(SESSION_KEY), 'PUT', url, v.version, body);
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: ['translations'] }),
  });
}

export function useReviewTranslation(type: string, id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { field: string; language: string; version: number }) =>
      sendWithVersion<Translation>(qc.getQueryData<Session | null>(SESSION_KEY), 'POST', `${path(type, id, v.field, v.language)}/review`, v.version),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['translations'] }),
  });
}

/**
 * A language's name in the reader's language from the platform (`uk` → "украінская"), or the tag
 * itself when the platform has no names in that language (then it would answer in English).
 */
export function platformLanguageName(tag: string, uiLanguage: string): string {
  try {
    const names = new Intl.DisplayNames([uiLanguage], { type: 'language', fallback: 'none' });
    if (names.resolvedOptions().locale.split('-')[0] !== uiLanguage) return tag;
    return names.of(tag) ?? tag;
  } catch {
    return tag;
  }
}
