import { useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { Locale } from '../i18n';

/** Vocabularies (GET /api/v1/vocabularies/:name): codes with labels in be, ru and en. */

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

/** A label in the UI's language (English when the language is not one of the three). */
export const localLabel = (l: LocalLabels | undefined, lang: string): string | undefined => (l ? (l[lang as Locale] ?? l.en) : undefined);

/** One vocabulary with its terms; vocabularies change rarely, so it stays fresh for ten minutes. */
export function useVocabulary(name: string | undefined) {
  return useQuery({
    queryKey: ['vocabulary', name],
    queryFn: () => api<Vocabulary>('GET', `/api/v1/vocabularies/${encodeURIComponent(name!)}`),
    enabled: Boolean(name),
    staleTime: 600_000,
  });
}

/** A code's label in the UI's language; the code itself while loading or when unknown. */
export function termLabel(vocabulary: Vocabulary | undefined, code: string, lang: string): string {
  const term = vocabulary?.terms.find((t) => t.code === code);
  return localLabel(term?.labels, lang) ?? code;
}
