import { MultiSelect, Select } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { localLabel, useVocabulary } from '../../api/vocabularies';

interface Common {
  label: string;
  description?: string;
  vocabulary: string;
  error?: string;
  required?: boolean;
}

/** Terms of a vocabulary as options in the UI's language; deprecated ones only when already chosen. */
function useOptions(vocabulary: string, chosen: string[]) {
  const { i18n } = useTranslation();
  const v = useVocabulary(vocabulary);
  const terms = v.data?.terms ?? [];
  const data = terms
    .filter((term) => !term.deprecated || chosen.includes(term.code))
    .sort((a, b) => a.position - b.position)
    .map((term) => ({ value: term.code, label: localLabel(term.labels, i18n.language) ?? term.code }));
  // a chosen code not (yet) loaded still shows, as its code
  for (const c of chosen) if (!data.some((d) => d.value === c)) data.push({ value: c, label: c });
  return { data, loading: v.isLoading };
}

/** One term of a vocabulary, searchable by its label in the UI's language. */
export function VocabSelect({ value, onChange, ...p }: Common & { value: string; onChange: (v: string) => void }) {
  const { t } = useTranslation();
  const { data, loading } = useOptions(p.vocabulary, value ? [value] : []);
  return (
    <Select
      label={p.label}
      description={p.description}
      withAsterisk={p.required}
      aria-required={p.required}
      error={p.error}
      data={data}
      value={value || null}
      onChange={(v) => onChange(v ?? '')}
      searchable
      clearable={!p.required}
      nothingFoundMessage={loading ? t('app.loading') : t('records.picker.nothing')}
      placeholder={t('records.picker.choose')}
    />
  );
}

/** Several terms of a vocabulary (a repeating field such as an act's methods). */
export function VocabMultiSelect({ value, onChange, ...p }: Common & { value: string[]; onChange: (v: string[]) => void }) {
  const { t } = useTranslation();
  const { data, loading } = useOptions(p.vocabulary, value);
  return (
    <MultiSelect
      label={p.label}
      description={p.description}
      withAsterisk={p.required}
      aria-required={p.required}
      error={p.error}
      data={data}
      value={value}
      onChange={onChange}
      searchable
      clearable
      hidePickedOptions
      nothingFoundMessage={loading ? t('app.loading') : t('records.picker.nothing')}
      placeholder={value.length === 0 ? t('records.picker.chooseMany') : undefined}
    />
  );
}
