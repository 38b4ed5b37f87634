import { Anchor, Button, Group, Menu, MultiSelect, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput, Title, UnstyledButton } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useRecordList, useRecordType, useRecordTypes, useSavedViews, type RecordField, type RecordTypeMeta } from '../../api/records';
import { localLabel } from '../../api/vocabularies';
import { useCompartments } from '../../api/session';
import { useSignedIn } from '../../app/guards';
import { ErrorNotice } from '../../components/ErrorNotice';
import { RecordPicker } from '../../components/forms/RecordPicker';
import { VocabMultiSelect } from '../../components/forms/VocabSelect';
import { FieldValue, RecordName } from '../../components/records/FieldValue';
import { ariaSortOf, COMMON_SORTS, sortOf, toggledSort, viewQueryOf } from '../../components/records/logic';
import { LegacyViewsImport, SaveViewModal, ViewsManager } from './SavedViews';
import { useCreatableCompartments } from '../../components/records/RecordForm';
import { READABLE } from '../../components/records/readable';
import { useFormat } from '../../i18n/format';
import { NotFoundPage } from '../NotFoundPage';

/** Columns shown until the reader chooses: the name fields' neighbours, short kinds first, at most four. */
export function defaultColumns(meta: RecordTypeMeta): string[] {
  return meta.fields
    .filter((f) => !meta.labelFields.slice(0, 1).includes(f.name) && f.kind !== 'identity' && !f.sensitive && !f.multiline && f.kind !== 'refList')
    .slice(0, 4)
    .map((f) => f.name);
}

const RESERVED = new Set(['sort', 'cols', 'cursor', 'limit']);

/** One filter input for a field, writing its query parameters. */
function FieldFilter({ field, params, set }: { field: RecordField; params: URLSearchParams; set: (name: string, value: string) => void }) {
  const { t, i18n } = useTranslation();
  const label = localLabel(field.label, i18n.language) ?? field.name;
  const v = (n: string) => params.get(n) ?? '';
  switch (field.kind) {
    case 'enum':
      return (
        <MultiSelect
          label={label}
          data={(field.values ?? []).map((x) => ({ value: x, label: localLabel(field.valueLabels?.[x], i18n.language) ?? x }))}
          value={v(field.name).split(',').filter(Boolean)}
          onChange={(xs) => set(field.name, xs.join(','))}
          clearable
        />
      );
    case 'vocab':
    case 'vocabList':
      return <VocabMultiSelect label={label} vocabulary={field.vocabulary!} offerDeprecated value={v(field.name).split(',').filter(Boolean)} onChange={(xs) => set(field.name, xs.join(','))} />;
    case 'ref':
    case 'refList':
      return <RecordPicker label={label} allowCreate={false} target={field.target!} value={v(field.name).split(',')[0] ?? ''} onChange={(id) => set(field.name, id)} />;
    case 'bool':
      return (
        <Select
          label={label}
          data={[
            { value: 'true', label: t('records.yes') },
            { value: 'false', label: t('records.no') },
          ]}
          value={v(field.name) || null}
          onChange={(x) => set(field.name, x ?? '')}
          clearable
        />
      );
    case 'fuzzyDate':
    case 'date':
    case 'datetime':
      return (
        <Group gap="xs" grow>
          <TextInput type="date" label={t('records.list.dateFrom', { field: label })} value={v(`${field.name}From`)} onChange={(e) => set(`${field.name}From`, e.currentTarget.value)} />
          <TextInput type="date" label={t('records.list.dateTo', { field: label })} value={v(`${field.name}To`)} onChange={(e) => set(`${field.name}To`, e.currentTarget.value)} />
        </Group>
      );
    default:
      return null;
  }
}

/**
 * The records of one type: a table with the columns chosen, filters and order in the address (so a
 * view can be linked and saved), headers that order the list by their field, more rows page by
 * page, and the account's saved views of the type (kept on the server: filters, order, columns).
 */
export function RecordsListPage() {
  const { type = '' } = useParams();
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const f = useFormat();
  const navigate = useNavigate();
  const session = useSignedIn();
  const types = useRecordTypes();
  const meta = useRecordType(type).data;
  const [params, setParams] = useSearchParams();
  const creatable = useCreatableCompartments();
  const memberOf = useCompartments().data?.filter((c) => c.myRole) ?? [];
  const [nameDraft, setNameDraft] = useState(params.get('name') ?? '');
  const [savingView, setSavingView] = useState(false);
  const [managingViews, setManagingViews] = useState(false);
  const views = useSavedViews(type);

  const sort = meta ? sortOf(meta, params.get('sort')) : '-createdAt';
  const query = useMemo(() => {
    const q: Record<string, string> = {};
    for (const [k, v] of params) if (!RESERVED.has(k) && v) q[k] = v;
    q.sort = sort;
    return q;
  }, [params, sort]);
  const list = useRecordList(type, query, 50, Boolean(meta));

  if (types.isSuccess && !meta) return <NotFoundPage />;
  if (!meta) return <Text>{t('app.loading')}</Text>;

  const columns = params.get('cols') !== null ? (params.get('cols') ?? '').split(',').filter((c) => meta.fields.some((x) => x.name === c)) : defaultColumns(meta);
  const set = (name: string, value: string) =>
    setParams(
      (p) => {
        const n = new URLSearchParams(p);
        if (value) n.set(name, value);
        else n.delete(name);
        return n;
      },
      { replace: true },
    );
  const filterable = meta.fields.filter((x) => x.filters.length > 0 && x.kind !== 'text' && x.kind !== 'int' && x.kind !== 'number');
  const activeFilters = Object.keys(query).filter((k) => k !== 'sort').length;
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const plural = localLabel(meta.pluralLabel, lang) ?? type;
  const fieldLabel = (name: string) => localLabel(meta.fields.find((x) => x.name === name)?.label, lang) ?? name;
  const sortOptions = [
    { value: '-createdAt', label: t('records.list.sortNewest') },
    { value: 'createdAt', label: t('records.list.sortOldest') },
    { value: '-updatedAt', label: t('records.list.sortChanged') },
    { value: 'updatedAt', label: t('records.list.sortUnchanged') },
    ...meta.fields
      .filter((x) => x.sortable)
      .flatMap((x) => [
        { value: x.name, label: t('records.list.sortAscending', { field: fieldLabel(x.name) }) },
        { value: `-${x.name}`, label: t('records.list.sortDescending', { field: fieldLabel(x.name) }) },
      ]),
  ];
  const labelField = meta.labelFields[0];
  const labelSortable = meta.fields.some((x) => x.name === labelField && x.sortable);
  /** A column's header: a button ordering the list by it when it can, with aria-sort saying how it is ordered now. */
  const header = (key: string, text: string, sortable: boolean, reactKey = key) => {
    if (!sortable)
      return (
        <Table.Th scope="col" key={reactKey}>
          {text}
        </Table.Th>
      );
    const state = ariaSortOf(sort, key);
    return (
      <Table.Th scope="col" key={reactKey} aria-sort={state}>
        <UnstyledButton onClick={() => set('sort', toggledSort(sort, key))} fw={700} fz="sm" data-sort-field={key}>
          {text}
          {/* the arrow says the order to the eye; aria-sort says it to assistive technology */}
          <Text span inherit aria-hidden="true" c={state === 'none' ? 'dimmed' : undefined}>
            {state === 'ascending' ? '\u00a0▲' : state === 'descending' ? '\u00a0▼' : '\u00a0↕'}
          </Text>
        </UnstyledButton>
      </Table.Th>
    );
  };
  const currentView = viewQueryOf(params, sort);

  return (
    <Stack gap="md" style={READABLE}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Anchor component={Link} to="/records" size="sm">
            {t('records.title')}
          </Anchor>
          <Title order={1}>{plural}</Title>
        </div>
        <Group align="flex-end">
          <Select
            label={t('records.list.type')}
            data={(types.data ?? []).map((m) => ({ value: m.name, label: localLabel(m.pluralLabel, lang) ?? m.name }))}
            value={type}
            onChange={(v) => v && void navigate(`/records/${v}`)}
            allowDeselect={false}
            searchable
            w={260}
          />
          {creatable.data && creatable.data.length > 0 && (
            <Button component={Link} to={`/records/${type}/new`}>
              {t('records.list.new', { type: localLabel(meta.label, lang) })}
            </Button>
          )}
        </Group>
      </Group>

      <Paper withBorder p="sm" component="section" aria-labelledby="filters-title">
        <Group justify="space-between" mb="xs">
          <Title order={2} size="h4" id="filters-title">
            {t('records.list.filters')}
          </Title>
          <Group gap="xs">
            {views.data && views.data.length > 0 && (
              <Menu>
                <Menu.Target>
                  <Button variant="default" size="xs">
                    {t('records.views.open')}
                  </Button>
                </Menu.Target>
                <Menu.Dropdown>
                  {views.data.map((v) => (
                    <Menu.Item key={v.id} onClick={() => setParams(new URLSearchParams(v.query))}>
                      {v.name}
                    </Menu.Item>
                  ))}
                  <Menu.Divider />
                  <Menu.Item onClick={() => setManagingViews(true)}>{t('records.views.manage')}</Menu.Item>
                </Menu.Dropdown>
              </Menu>
            )}
            <Button variant="default" size="xs" onClick={() => setSavingView(true)}>
              {t('records.views.save')}
            </Button>
            {activeFilters > 0 && (
              <Button variant="subtle" size="xs" onClick={() => setParams(new URLSearchParams(params.get('cols') !== null ? { cols: params.get('cols')! } : {}))}>
                {t('records.list.clearFilters')}
              </Button>
            )}
          </Group>
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          {type === 'persons' && (
            <TextInput
              label={t('records.list.name')}
              description={t('records.list.nameHint')}
              value={nameDraft}
              onChange={(e) => setNameDraft(e.currentTarget.value)}
              onBlur={() => set('name', nameDraft.trim())}
              onKeyDown={(e) => e.key === 'Enter' && set('name', nameDraft.trim())}
            />
          )}
          {memberOf.length > 1 && (
            <MultiSelect
              label={t('records.form.compartment')}
              data={memberOf.map((c) => ({ value: c.id, label: c.name }))}
              value={(params.get('compartment') ?? '').split(',').filter(Boolean)}
              onChange={(xs) => set('compartment', xs.join(','))}
              clearable
            />
          )}
          {filterable.map((fd) => (
            <FieldFilter key={fd.name} field={fd} params={params} set={set} />
          ))}
          <Select label={t('records.list.sort')} data={sortOptions} value={sort} onChange={(v) => v && set('sort', v)} allowDeselect={false} searchable={sortOptions.length > 8} />
          <MultiSelect
            label={t('records.list.columns')}
            data={meta.fields.filter((x) => x.kind !== 'identity').map((x) => ({ value: x.name, label: localLabel(x.label, lang) ?? x.name }))}
            value={columns}
            onChange={(cs) => set('cols', cs.join(',') || ',')}
          />
        </SimpleGrid>
      </Paper>

      <LegacyViewsImport userId={session.user.id} type={type} />
      <SaveViewModal opened={savingView} onClose={() => setSavingView(false)} type={type} views={views.data ?? []} query={currentView} />
      <ViewsManager opened={managingViews} onClose={() => setManagingViews(false)} type={type} views={views.data ?? []} />
      {views.isError && <ErrorNotice error={views.error} />}

      {list.isError && <ErrorNotice error={list.error} />}
      {list.isLoading && <Text>{t('app.loading')}</Text>}
      {list.isSuccess && rows.length === 0 && <Text>{activeFilters > 0 ? t('records.list.noneMatch') : t('records.list.none', { type: plural })}</Text>}
      {rows.length > 0 && (
        <Table.ScrollContainer minWidth={700}>
          <Table striped highlightOnHover withTableBorder aria-label={plural}>
            <Table.Thead>
              <Table.Tr>
                {header(labelSortable ? labelField! : 'record', t('records.list.record'), labelSortable, 'record')}
                {columns.map((c) => header(c, fieldLabel(c), Boolean(meta.fields.find((x) => x.name === c)?.sortable)))}
                {COMMON_SORTS.filter((c) => !c.startsWith('-')).map((c) => header(c, c === 'createdAt' ? t('records.list.created') : t('records.list.updated'), true))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/records/${type}/${r.id}`}>
                      <RecordName meta={meta} record={r} />
                    </Anchor>
                  </Table.Td>
                  {columns.map((c) => (
                    <Table.Td key={c}>
                      <FieldValue field={meta.fields.find((x) => x.name === c)!} value={r[c]} />
                    </Table.Td>
                  ))}
                  <Table.Td>{f.dateTime(r.createdAt)}</Table.Td>
                  <Table.Td>{f.dateTime(r.updatedAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {list.hasNextPage && (
        <Group>
          <Button variant="default" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
            {t('records.list.more')}
          </Button>
        </Group>
      )}
      {rows.length > 0 && <Text size="sm">{t('records.list.shown', { count: rows.length })}</Text>}
    </Stack>
  );
}
