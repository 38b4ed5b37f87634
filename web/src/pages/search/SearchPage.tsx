import { useEffect, useState, type FormEvent } from 'react';
import { Alert, Anchor, Badge, Button, CloseButton, Group, Loader, Paper, Select, SimpleGrid, Stack, Text, TextInput, Title, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { ApiError } from '../../api/client';
import { useCompartments } from '../../api/session';
import {
  errorPosition,
  FACET_FIELDS,
  hitPath,
  isEmptySearch,
  paramsOf,
  snippetPieces,
  stateFromUrl,
  toggleFilter,
  ADDABLE_TO_CASE,
  useNamedRecords,
  useSearch,
  type FacetField,
  type ListFilter,
  type SearchHit,
  type SearchState,
  type Sort,
} from '../../api/search';
import { useVocabulary } from '../../api/vocabularies';
import { ErrorNotice } from '../../components/ErrorNotice';
import { isLocale, type Locale } from '../../i18n';
import { useFormat } from '../../i18n/format';
import { HitLabel } from './HitLabel';
import { hitDate, statusLabel, typeLabel } from './labels';
import { AddToCase } from './AddToCase';

/** A facet field's heading. */
function useFieldLabel() {
  const { t } = useTranslation();
  return (f: FacetField): string => {
    switch (f) {
      case 'type': return t('search.facet.type');
      case 'compartment': return t('search.facet.compartment');
      case 'status': return t('search.facet.status');
      case 'language': return t('search.facet.language');
      case 'actType': return t('search.facet.actType');
      case 'method': return t('search.facet.method');
      case 'place': return t('search.facet.place');
      case 'facility': return t('search.facet.facility');
      case 'unit': return t('search.facet.unit');
    }
  };
}

/** Labels of facet values in the UI's language: vocabulary terms, places, compartments, types. */
function useValueLabel(enabled: boolean) {
  const { t, i18n } = useTranslation();
  const lang: Locale = isLocale(i18n.language) ? i18n.language : 'en';
  const actTypes = useVocabulary(enabled ? 'act-types' : undefined);
  const methods = useVocabulary(enabled ? 'methods' : undefined);
  const places = useNamedRecords('places', enabled);
  const facilities = useNamedRecords('facilities', enabled);
  const units = useNamedRecords('units', enabled);
  const compartments = useCompartments();
  const nameIn = (r: { nameEn?: string | null; nameBe?: string | null; nameRu?: string | null }) =>
    (lang === 'be' ? r.nameBe : lang === 'ru' ? r.nameRu : r.nameEn) ?? r.nameEn ?? r.nameBe ?? r.nameRu ?? null;
  return (field: FacetField, value: string): string => {
    switch (field) {
      case 'type': return typeLabel(t, value);
      case 'status': return statusLabel(t, value);
      case 'language':
        // the language a record is written in, named in the reader's language
        return value === 'be' ? t('search.languages.be') : value === 'ru' ? t('search.languages.ru') : value === 'en' ? t('search.languages.en') : value;
      case 'compartment': return compartments.data?.find((c) => c.id === value)?.name ?? value;
      case 'actType': return actTypes.data?.terms.find((x) => x.code === value)?.labels[lang] ?? value;
      case 'method': return methods.data?.terms.find((x) => x.code === value)?.labels[lang] ?? value;
      case 'place': case 'facility': case 'unit': {
        const list = (field === 'place' ? places : field === 'facility' ? facilities : units).data;
        const r = list?.find((x) => x.id === value);
        return (r && nameIn(r)) ?? t('search.unnamed');
      }
    }
  };
}

function Snippet({ hit }: { hit: SearchHit }) {
  if (!hit.snippet) return null;
  return (
    <Text size="sm" c="gray.7" data-testid="snippet">
      {snippetPieces(hit.snippet.text, hit.snippet.highlights).map((p, i) => (p.mark ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
    </Text>
  );
}

/**
 * Search over every record and evidence item the account may read: the query language of the API
 * (words in any script, "phrases", prefix*, -exclusion, field:value), facets as filters, snippets
 * with the matched words marked, sorting and paging. The URL holds the search, so it can be linked.
 */
export function SearchPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const [params, setParams] = useSearchParams();
  const state = stateFromUrl(params);
  const [draft, setDraft] = useState(state.q);
  const [from, setFrom] = useState(state.from);
  const [to, setTo] = useState(state.to);
  useEffect(() => {
    setDraft(state.q);
    setFrom(state.from);
    setTo(state.to);
  }, [state.q, state.from, state.to]);
  const search = useSearch(state);
  const fieldLabel = useFieldLabel();
  const valueLabel = useValueLabel(!isEmptySearch(state));
  const go = (s: SearchState) => setParams(paramsOf(s));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    go({ ...state, q: draft, from: from.trim(), to: to.trim() });
  };

  const first = search.data?.pages[0];
  const hits = search.data?.pages.flatMap((p) => p.items) ?? [];
  const problem = search.error instanceof ApiError && search.error.status === 422 ? search.error.problem : null;
  const fieldError = (field: string) => {
    const e = problem?.errors?.find((x) => x.field === field);
    if (!e) return undefined;
    if (field === 'q') {
      const at = errorPosition(e.message);
      return at ? t('search.error.queryAt', { position: at }) : t('search.error.query');
    }
    if (field === 'cursor') return t('search.error.cursor');
    return t('search.error.date');
  };
  const qError = fieldError('q');
  const fromError = fieldError('from');
  const toError = fieldError('to');
  const otherProblem = search.isError && !qError && !fromError && !toError;
  // adding to a case changes the case: roles that may change records (src/domain/policies.ts)
  const mayChange = (useCompartments().data ?? []).some((c) => c.myRole && ['coordinator', 'documenter', 'analyst', 'lawyer'].includes(c.myRole));
  const active = (Object.entries(state.filters) as Array<[ListFilter, string[]]>).flatMap(([field, values]) => values.map((value) => ({ field, value })));

  return (
    <Stack gap="md">
      <Title order={1}>{t('search.title')}</Title>
      <form onSubmit={submit} role="search" aria-label={t('search.title')}>
        <Stack gap="xs">
          <Group align="flex-end" gap="sm" wrap="wrap">
            <TextInput
              label={t('search.query')}
              value={draft}
              onChange={(e) => setDraft(e.currentTarget.value)}
              error={qError}
              style={{ flex: '1 1 20rem' }}
              autoFocus
              data-testid="search-query"
            />
            <TextInput label={t('search.from')} placeholder={t('search.datePlaceholder')} value={from} onChange={(e) => setFrom(e.currentTarget.value)} error={fromError} w={150} />
            <TextInput label={t('search.to')} placeholder={t('search.datePlaceholder')} value={to} onChange={(e) => setTo(e.currentTarget.value)} error={toError} w={150} />
            <Button type="submit">{t('search.submit')}</Button>
          </Group>
          <details>
            <summary>{t('search.help.title')}</summary>
            <Stack component="dl" gap={2} mt="xs" style={{ margin: 0 }}>
              <Text component="dt" fw={600} ff="monospace">окрестина Okrestina</Text>
              <Text component="dd" ml="md" size="sm">{t('search.help.words')}</Text>
              <Text component="dt" fw={600} ff="monospace">"коридор из сотрудников"</Text>
              <Text component="dd" ml="md" size="sm">{t('search.help.phrase')}</Text>
              <Text component="dt" fw={600} ff="monospace">изолят*</Text>
              <Text component="dd" ml="md" size="sm">{t('search.help.prefix')}</Text>
              <Text component="dt" fw={600} ff="monospace">-Zhodino</Text>
              <Text component="dd" ml="md" size="sm">{t('search.help.exclude')}</Text>
              <Text component="dt" fw={600} ff="monospace">type:acts from:2020-08 status:verified</Text>
              <Text component="dd" ml="md" size="sm">{t('search.help.fields')}</Text>
            </Stack>
          </details>
        </Stack>
      </form>

      {active.length > 0 && (
        <Group gap="xs" aria-label={t('search.activeFilters')} role="group">
          {active.map(({ field, value }) => (
            <Badge
              key={`${field}:${value}`}
              variant="light"
              size="lg"
              rightSection={<CloseButton size="xs" aria-label={t('search.removeFilter', { filter: `${fieldLabel(field)}: ${valueLabel(field, value)}` })} onClick={() => go(toggleFilter(state, field, value))} />}
              data-testid="active-filter"
            >
              {fieldLabel(field)}: {valueLabel(field, value)}
            </Badge>
          ))}
          <Button variant="subtle" size="xs" onClick={() => go({ ...state, filters: stateFromUrl(new URLSearchParams()).filters })}>
            {t('search.clearFilters')}
          </Button>
        </Group>
      )}

      {isEmptySearch(state) && <Text c="gray.7">{t('search.start')}</Text>}
      {search.isPending && !isEmptySearch(state) && <Loader size="sm" aria-label={t('search.loading')} />}
      {otherProblem && <ErrorNotice error={search.error} />}

      {first && (
        <SimpleGrid cols={{ base: 1, md: 4 }} spacing="lg">
          <Stack gap="sm" style={{ gridColumn: 'span 3' }} component="section" aria-labelledby="results-title">
            <Group justify="space-between" align="flex-end">
              <Title order={2} size="h4" id="results-title" aria-live="polite">
                {first.capped ? t('search.capped', { count: first.total }) : t('search.total', { count: first.total })}
              </Title>
              <Select
                label={t('search.sort.label')}
                value={state.sort}
                onChange={(v) => v && go({ ...state, sort: v as Sort })}
                allowDeselect={false}
                w={200}
                data={[
                  { value: 'relevance', label: t('search.sort.relevance') },
                  { value: '-date', label: t('search.sort.newest') },
                  { value: 'date', label: t('search.sort.oldest') },
                  { value: 'label', label: t('search.sort.byLabel') },
                ]}
              />
            </Group>
            {first.capped && (
              <Alert color="yellow" variant="light">
                {t('search.cappedHelp')}
              </Alert>
            )}
            {first.fuzzy && (
              <Alert color="blue" variant="light" data-testid="fuzzy-notice">
                {t('search.fuzzy')}
              </Alert>
            )}
            {hits.length === 0 && <Text>{t('search.none')}</Text>}
            <Stack component="ol" gap="sm" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
              {hits.map((h) => (
                <Paper component="li" key={`${h.type}:${h.id}`} withBorder p="sm" data-testid="search-hit">
                  <Group gap="xs" wrap="wrap">
                    <Anchor component={Link} to={hitPath(h)} fw={600}>
                      <HitLabel hit={h} />
                    </Anchor>
                    <Badge variant="outline" size="sm">{typeLabel(t, h.type)}</Badge>
                    {h.byName && (
                      <Badge color="grape" size="sm" data-testid="by-name">
                        {t('search.byName')}
                      </Badge>
                    )}
                    {h.status && <Badge color="gray" variant="light" size="sm">{statusLabel(t, h.status)}</Badge>}
                    {h.date && <Text size="sm">{hitDate(h.date, f.date)}</Text>}
                    {mayChange && ADDABLE_TO_CASE.includes(h.type) && <AddToCase hit={h} />}
                  </Group>
                  <Snippet hit={h} />
                  {h.sealedMatch && (
                    <Text size="sm" c="gray.7" fs="italic">
                      {t('search.sealedMatch')}
                    </Text>
                  )}
                </Paper>
              ))}
            </Stack>
            {search.hasNextPage && (
              <Button variant="default" onClick={() => void search.fetchNextPage()} loading={search.isFetchingNextPage} style={{ alignSelf: 'flex-start' }}>
                {t('search.more')}
              </Button>
            )}
          </Stack>
          <Stack gap="md" component="aside" aria-label={t('search.facets')}>
            <Title order={2} size="h4">
              {t('search.facets')}
            </Title>
            {FACET_FIELDS.filter((field) => (first.facets[field]?.length ?? 0) > 0).map((field) => (
              <section key={field} aria-labelledby={`facet-${field}`}>
                <Title order={3} size="h6" id={`facet-${field}`} mb={4}>
                  {fieldLabel(field)}
                </Title>
                <Stack component="ul" gap={2} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
                  {first.facets[field]!.map((v) => {
                    const on = state.filters[field].includes(v.value);
                    return (
                      <li key={v.value}>
                        <UnstyledButton
                          onClick={() => go(toggleFilter(state, field, v.value))}
                          aria-pressed={on}
                          data-testid={`facet-${field}`}
                          style={{ fontWeight: on ? 700 : 400, textDecoration: 'underline', textUnderlineOffset: 3 }}
                        >
                          <Text span size="sm">
                            {valueLabel(field, v.value)} <Text span c="gray.7" size="sm">({f.number(v.count)})</Text>
                          </Text>
                        </UnstyledButton>
                      </li>
                    );
                  })}
                </Stack>
              </section>
            ))}
          </Stack>
        </SimpleGrid>
      )}
    </Stack>
  );
}
