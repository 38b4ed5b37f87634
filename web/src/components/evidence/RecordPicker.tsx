import { useState } from 'react';
import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { useRecordOptions } from '../../api/search';

export interface PickedRecord {
  id: string;
  type: string;
  label: string;
}

/**
 * Picks one record of the given types by searching for it (GET /api/v1/search with `type`):
 * any spelling or script of a name or a word finds it, as on the search page.
 */
export function RecordPicker(props: { types: string[]; label: string; value: PickedRecord | null; onChange: (r: PickedRecord | null) => void; error?: string; description?: string }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q, 250);
  const options = useRecordOptions(props.types, debounced);
  const items = options.data?.items ?? [];
  const data = [
    ...(props.value && !items.some((i) => i.id === props.value!.id) ? [{ value: props.value.id, label: props.value.label }] : []),
    ...items.map((i) => ({ value: i.id, label: `${i.label || t('search.unnamed')}${i.date ? ` (${i.date})` : ''}` })),
  ];
  return (
    <Select
      label={props.label}
      description={props.description}
      styles={{ description: { color: 'var(--mantine-color-gray-7)' } }}
      placeholder={t('evidence.picker.placeholder')}
      searchable
      clearable
      filter={({ options: o }) => o}
      searchValue={q}
      onSearchChange={setQ}
      data={data}
      value={props.value?.id ?? null}
      error={props.error}
      nothingFoundMessage={debounced.trim().length >= 2 && !options.isFetching ? t('evidence.picker.nothing') : t('evidence.picker.typeMore')}
      onChange={(id) => {
        const hit = items.find((i) => i.id === id);
        props.onChange(id && hit ? { id, type: hit.type, label: hit.label || t('search.unnamed') } : id && props.value?.id === id ? props.value : null);
      }}
    />
  );
}
