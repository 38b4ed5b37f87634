import { Anchor, Button, Group, Menu, Modal, MultiSelect, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput, Title, UnstyledButton } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { LIST_SORTS, useRecordList, useRecordType, useRecordTypes, type ListSort, type RecordField, type RecordTypeMeta } from '../../api/records';
import { localLabel } from '../../api/vocabularies';
import { useCompartments } from '../../api/session';
import { useSignedIn } from '../../app/guards';
import { ErrorNotice } from '../../components/ErrorNotice';
import { RecordPicker } from '../../components/forms/RecordPicker';
import { VocabMultiSelect } from '../../components/forms/VocabSelect';
import { FieldValue, RecordName } from '../../components/records/FieldValue';
import { readViews, viewsKey, withView, type SavedView } from '../../components/records/logic';
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
      return <VocabMultiSelect label={label} vocabulary={field.vocabulary!} value={v(field.name).split(',').filter(Boolean)} onChange={(xs) => set(field.name, xs.join(','))} />;
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
 * view can be linked and saved), more rows page by page, and saved views. Saved views are kept in
 * this browser's localStorage, per account and type: they hold filter settings, never record content.
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
  const [viewName, setViewName] = useState('');
  const key = viewsKey(session.user.id, type);
  const [views, setViews] = useState<SavedView[]>(() => readViews(localStorage, key));
  useEffect(() => setViews(readViews(localStorage, key)), [key]);

  const sort = (LIST_SORTS as readonly string[]).includes(params.get('sort') ?? '') ? (params.get('sort') as ListSort) : '-createdAt';
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
  const sortBy = (column: 'createdAt' | 'updatedAt') => set('sort', sort === `-${column}` ? column : `-${column}`);
  const ariaSort = (column: 'createdAt' | 'updatedAt') => (sort === column ? 'ascending' : sort === `-${column}` ? 'descending' : 'none');
  const sortOptions = [
    { value: '-createdAt', label: t('records.list.sortNewest') },
    { value: 'createdAt', label: t('records.list.sortOldest') },
    { value: '-updatedAt', label: t('records.list.sortChanged') },
    { value: 'updatedAt', label: t('records.list.sortUnchanged') },
  ];
  const applyView = (v: SavedView) => setParams(new URLSearchParams({ ...v.params, cols: v.columns.join(',') }));
  const saveView = () => {
    const name = viewName.trim();
    if (!name) return;
    const { sort: s, ...filters } = query;
    const next = withView(views, { name, params: { ...filters, sort: s ?? '-createdAt' }, columns });
    localStorage.setItem(key, JSON.stringify(next));
    setViews(next);
    setSavingView(false);
    setViewName('');
  };
  const deleteView = (name: string) => {
    const next = views.filter((v) => v.name !== name);
    localStorage.setItem(key, JSON.stringify(next));
    setViews(next);
  };

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
            {views.length > 0 && (
              <Menu>
                <Menu.Target>
                  <Button variant="default" size="xs">
                    {t('records.views.open')}
                  </Button>
                </Menu.Target>
                <Menu.Dropdown>
                  {views.map((v) => (
                    <Menu.Item key={v.name} onClick={() => applyView(v)}>
                      {v.name}
                    </Menu.Item>
                  ))}
                  <Menu.Divider />
                  {views.map((v) => (
                    <Menu.Item key={`del-${v.name}`} color="red" onClick={() => deleteView(v.name)}>
                      {t('records.views.delete', { name: v.name })}
                    </Menu.Item>
                  ))}
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
          <Select label={t('records.list.sort')} data={sortOptions} value={sort} onChange={(v) => v && set('sort', v)} allowDeselect={false} />
          <MultiSelect
            label={t('records.list.columns')}
            data={meta.fields.filter((x) => x.kind !== 'identity').map((x) => ({ value: x.name, label: localLabel(x.label, lang) ?? x.name }))}
            value={columns}
            onChange={(cs) => set('cols', cs.join(',') || ',')}
          />
        </SimpleGrid>
      </Paper>

      <Modal opened={savingView} onClose={() => setSavingView(false)} title={t('records.views.saveTitle')} closeButtonProps={{ 'aria-label': t('records.close') }}>
        <Stack component="form" onSubmit={(e) => (e.preventDefault(), saveView())}>
          <Text size="sm">{t('records.views.whereKept')}</Text>
          <TextInput label={t('records.views.name')} value={viewName} onChange={(e) => setViewName(e.currentTarget.value)} data-autofocus withAsterisk />
          <Group>
            <Button type="submit" disabled={!viewName.trim()}>
              {t('records.views.saveSubmit')}
            </Button>
            <Button variant="default" onClick={() => setSavingView(false)}>
              {t('records.form.cancel')}
            </Button>
          </Group>
        </Stack>
      </Modal>

      {list.isError && <ErrorNotice error={list.error} />}
      {list.isLoading && <Text>{t('app.loading')}</Text>}
      {list.isSuccess && rows.length === 0 && <Text>{activeFilters > 0 ? t('records.list.noneMatch') : t('records.list.none', { type: plural })}</Text>}
      {rows.length > 0 && (
        <Table.ScrollContainer minWidth={700}>
          <Table striped highlightOnHover withTableBorder aria-label={plural}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('records.list.record')}</Table.Th>
                {columns.map((c) => (
                  <Table.Th scope="col" key={c}>
                    {localLabel(meta.fields.find((x) => x.name === c)?.label, lang)}
                  </Table.Th>
                ))}
                {(['createdAt', 'updatedAt'] as const).map((c) => (
                  <Table.Th scope="col" key={c} aria-sort={ariaSort(c)}>
                    <UnstyledButton onClick={() => sortBy(c)} fw={700} fz="sm">
                      {c === 'createdAt' ? t('records.list.created') : t('records.list.updated')} {ariaSort(c) === 'ascending' ? '▲' : ariaSort(c) === 'descending' ? '▼' : ''}
                    </UnstyledButton>
                  </Table.Th>
                ))}
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
