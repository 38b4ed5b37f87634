import { MultiSelect, Select } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { localLabel, useVocabulary } from '../../api/vocabularies';

interface Common {
  label: string;
  description?: string;
  vocabulary: string;
  error?: string;
  required?: boolean;
  /** Offer deprecated terms too (a filter over records, which may hold them); forms leave this off. */
  offerDeprecated?: boolean;
}

/**
 * Terms of a vocabulary as options in the UI's language. Deprecated terms cannot be chosen anew
 * (the server refuses them), so they are offered only when already chosen, marked as out of use.
 */
function useOptions(vocabulary: string, chosen: string[], offerDeprecated = false) {
  const { t, i18n } = useTranslation();
  const v = useVocabulary(vocabulary);
  const terms = v.data?.terms ?? [];
  const data = terms
    .filter((term) => !term.deprecated || offerDeprecated || chosen.includes(term.code))
    .sort((a, b) => a.position - b.position)
    .map((term) => {
      const label = localLabel(term.labels, i18n.language) ?? term.code;
      return { value: term.code, label: term.deprecated ? t('vocabularies.outOfUse', { label }) : label };
    });
  // a chosen code not (yet) loaded still shows, as its code
  for (const c of chosen) if (!data.some((d) => d.value === c)) data.push({ value: c, label: c });
  return { data, loading: v.isLoading };
}

/** One term of a vocabulary, searchable by its label in the UI's language. */
export function VocabSelect({ value, onChange, ...p }: Common & { value: string; onChange: (v: string) => void }) {
  const { t } = useTranslation();
  const { data, loading } = useOptions(p.vocabulary, value ? [value] : [], p.offerDeprecated);
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
  const { data, loading } = useOptions(p.vocabulary, value, p.offerDeprecated);
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
