import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client';
import { localLabel, termProblems, useReloadVocabulary, type Term } from '../../../api/vocabularies';

/**
 * The server's objections to a term, at the fields they concern, in the UI's language (the
 * server's sentences are English): the code's form or a code taken (409), a label, the parent.
 */
export function fieldErrors(t: TFunction, error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (error instanceof ApiError && error.status === 409) out.code = t('vocabularies.errors.duplicate');
  for (const field of Object.keys(termProblems(error))) {
    if (field === 'code') out.code = t('vocabularies.errors.code');
    else if (field.startsWith('labels.')) out[field] = t('vocabularies.errors.label');
    else if (field === 'parent') out.parent = t('vocabularies.errors.parent');
    else if (field === 'position') out.position = t('vocabularies.errors.position');
  }
  return out;
}

/**
 * Mantine's field descriptions and error texts (and the text of a field in error) are too faint
 * for WCAG AA contrast on white: darker shades of the same colours.
 */
export const readable = {
  description: { color: 'var(--mantine-color-gray-7)' },
  error: { color: 'var(--mantine-color-red-9)' },
  input: { color: 'var(--mantine-color-text)' },
};

/** Current terms as parent choices ("label — code"), leaving out `exclude` (a term and those under it). */
export function parentOptions(terms: Term[], lang: string, exclude: Set<string> = new Set(), keep: string | null = null) {
  return terms
    .filter((x) => (!x.deprecated || x.code === keep) && !exclude.has(x.code))
    .sort((a, b) => a.position - b.position)
    .map((x) => ({ value: x.code, label: `${localLabel(x.labels, lang) ?? x.code} — ${x.code}` }));
}

/** 412: someone changed the vocabulary since it was read. Says so, and reloads it. */
export function Conflict({ name, onReloaded }: { name: string; onReloaded: () => void }) {
  const { t } = useTranslation();
  const reload = useReloadVocabulary(name);
  const [busy, setBusy] = useState(false);
  return (
    <Alert color="orange" role="alert" variant="light" title={t('vocabularies.conflict.title')}>
      <Stack gap="xs">
        <Text size="sm">{t('vocabularies.conflict.body')}</Text>
        <Group>
          <Button
            size="xs"
            variant="white"
            color="dark"
            loading={busy}
            onClick={() => {
              setBusy(true);
              void reload().finally(() => {
                setBusy(false);
                onReloaded();
              });
            }}
          >
            {t('vocabularies.conflict.reload')}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
