import { Alert, Button, Group, MultiSelect, Paper, TextInput } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { nameIn, useNamedRecords, useVocabulary, type AnalysisFilters, type FilterList } from '../../api/analysis';
import { ApiError } from '../../api/client';
import { useCompartments } from '../../api/session';
import type { Locale } from '../../i18n';
import { filtersFromParams, paramsWithFilters } from './filters';

/** The filters the page's URL holds, and a way to change them (the URL changes, so Back undoes it). */
export function useUrlFilters(): [AnalysisFilters, (f: AnalysisFilters) => void] {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => filtersFromParams(params), [params]);
  return [filters, (f) => setParams((p) => paramsWithFilters(p, f), { replace: false })];
}

/** Names in the UI's language for the places, facilities and units the caller may read. */
export function useRecordNames() {
  const { i18n } = useTranslation();
  const places = useNamedRecords('places');
  const facilities = useNamedRecords('facilities');
  const units = useNamedRecords('units');
  return useMemo(() => {
    const m = new Map<string, string>();
    for (const list of [places.data, facilities.data, units.data]) for (const r of list ?? []) m.set(r.id, nameIn(r, i18n.language) ?? r.id);
    return { name: (id: string, fallback: string | null) => m.get(id) ?? fallback ?? id, places: places.data, facilities: facilities.data, units: units.data };
  }, [places.data, facilities.data, units.data, i18n.language]);
}

/** A vocabulary code's label in the UI's language (the server's labels), else the code. */
export function useVocabularyLabel(name: 'act-types' | 'methods') {
  const { i18n } = useTranslation();
  const vocab = useVocabulary(name);
  return useMemo(() => {
    const lang = i18n.language as Locale;
    return { label: (code: string) => vocab.data?.get(code)?.labels[lang] ?? code, terms: vocab.data };
  }, [vocab.data, i18n.language]);
}

/**
 * The filter bar shared by the dashboard, the timeline, the map and the network: a date range,
 * compartments, places, facilities, units, act types and methods. Each change goes to the URL at
 * once; the charts follow it.
 */
export function FilterBar({ filters, onChange, error }: { filters: AnalysisFilters; onChange: (f: AnalysisFilters) => void; error?: unknown }) {
  const { t, i18n } = useTranslation();
  const compartments = useCompartments();
  const names = useRecordNames();
  const actTypes = useVocabularyLabel('act-types');
  const methods = useVocabularyLabel('methods');
  const lang = i18n.language;

  const recordData = (list: { id: string; nameBe: string | null; nameRu: string | null; nameEn: string | null }[] | undefined) =>
    (list ?? []).map((r) => ({ value: r.id, label: nameIn(r, lang) ?? r.id })).sort((a, b) => a.label.localeCompare(b.label, lang));
  const vocabData = (v: ReturnType<typeof useVocabularyLabel>) =>
    [...(v.terms?.values() ?? [])].filter((term) => !term.deprecated).map((term) => ({ value: term.code, label: v.label(term.code) }));

  const set = (k: FilterList, v: string[]) => onChange({ ...filters, [k]: v.length ? v : undefined });
  const setDate = (k: 'from' | 'to', v: string) => onChange({ ...filters, [k]: v || undefined });
  const any = Object.values(filters).some((v) => v !== undefined);
  // the server's word on a date, at the field (its English detail is not shown: the field says what to fix)
  const problems = error instanceof ApiError ? (error.problem.errors ?? []) : [];
  const dateError = (k: 'from' | 'to') =>
    problems.some((p) => p.field === k)
      ? k === 'to' && filters.from && filters.to && filters.to <= filters.from
        ? t('analysis.filters.toNotAfterFrom')
        : t('analysis.filters.badDate')
      : undefined;
  const member = compartments.data?.filter((c) => c.myRole) ?? [];
  const multi = { searchable: true, clearable: true, hidePickedOptions: true, maxDropdownHeight: 260, nothingFoundMessage: t('analysis.filters.nothingFound'), w: 220 } as const;

  return (
    <Paper withBorder p="sm" component="form" role="search" aria-label={t('analysis.filters.title')} onSubmit={(e) => e.preventDefault()}>
      <Group gap="sm" align="flex-end" wrap="wrap">
        <TextInput type="date" label={t('analysis.filters.from')} error={dateError('from')} value={filters.from ?? ''} onChange={(e) => setDate('from', e.currentTarget.value)} w={160} />
        <TextInput type="date" label={t('analysis.filters.to')} error={dateError('to')} min={filters.from} value={filters.to ?? ''} onChange={(e) => setDate('to', e.currentTarget.value)} w={200} />
        <MultiSelect
          {...multi}
          label={t('analysis.filters.compartment')}
          data={member.map((c) => ({ value: c.id, label: c.name }))}
          value={filters.compartment ?? []}
          onChange={(v) => set('compartment', v)}
        />
        <MultiSelect {...multi} label={t('analysis.filters.place')} data={recordData(names.places)} value={filters.place ?? []} onChange={(v) => set('place', v)} />
        <MultiSelect {...multi} label={t('analysis.filters.facility')} data={recordData(names.facilities)} value={filters.facility ?? []} onChange={(v) => set('facility', v)} />
        <MultiSelect {...multi} label={t('analysis.filters.unit')} data={recordData(names.units)} value={filters.unit ?? []} onChange={(v) => set('unit', v)} />
        <MultiSelect {...multi} label={t('analysis.filters.actType')} data={vocabData(actTypes)} value={filters.actType ?? []} onChange={(v) => set('actType', v)} />
        <MultiSelect {...multi} label={t('analysis.filters.method')} data={vocabData(methods)} value={filters.method ?? []} onChange={(v) => set('method', v)} />
        <Button variant="default" disabled={!any} onClick={() => onChange({})}>
          {t('analysis.filters.clear')}
        </Button>
      </Group>
      {compartments.data && member.length === 0 && (
        <Alert color="yellow" variant="light" mt="sm">
          {t('analysis.filters.noCompartment')}
        </Alert>
      )}
    </Paper>
  );
}
