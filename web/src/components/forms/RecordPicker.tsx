import { Button, Group, MultiSelect, Popover, Select, Stack, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { useRecordChoices, useRecordType, useRecords, useSaveRecord, type RecordTypeMeta } from '../../api/records';
import { localLabel } from '../../api/vocabularies';
import { useRecordLabeler } from '../records/useRecordLabel';
import { READABLE } from '../records/readable';
import { quickCreateFields } from '../records/logic';

interface Common {
  label: string;
  description?: string;
  /** The record type the field refers to. */
  target: string;
  error?: string;
  required?: boolean;
  /** Compartment a record created from the picker goes into. */
  compartment?: string;
  /** Offer "New …" to create a record on the spot (forms: yes; filters: no). */
  allowCreate?: boolean;
}

/** Options for a picker: the newest records, or those the search API finds for what is typed; chosen ones keep their names. */
function usePickerData(target: string, search: string, chosen: string[]) {
  const meta = useRecordType(target).data;
  const labeler = useRecordLabeler(meta);
  const choices = useRecordChoices(target, search, labeler);
  const chosenRecords = useRecords(target, chosen);
  const [known, setKnown] = useState<Record<string, string>>({});
  const data = new Map<string, string>();
  for (const r of chosenRecords) data.set(r.id, labeler(r));
  for (const id of chosen) if (!data.has(id)) data.set(id, known[id] ?? `${id.slice(0, 8)}…`);
  for (const c of choices.data ?? []) if (!data.has(c.id)) data.set(c.id, c.label);
  return {
    meta,
    loading: choices.isFetching,
    data: [...data].map(([value, label]) => ({ value, label })),
    remember: (id: string, label: string) => setKnown((k) => ({ ...k, [id]: label })),
  };
}

/** "New …" beside a picker: a small form with the fields a new record needs, chosen at once when saved. */
function QuickCreate({ meta, compartment, onCreated }: { meta: RecordTypeMeta; compartment?: string; onCreated: (id: string, label: string) => void }) {
  const { t, i18n } = useTranslation();
  const fields = quickCreateFields(meta, i18n.language);
  const save = useSaveRecord(meta.name);
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState<Record<string, string>>({});
  if (fields.length === 0) return null;
  const typeName = localLabel(meta.label, i18n.language) ?? meta.name;
  const problems = save.error instanceof ApiError ? (save.error.problem.errors ?? []) : [];
  const submit = () =>
    save.mutate(
      { body: { ...Object.fromEntries(fields.map((f) => [f, values[f] ?? ''])), ...(compartment ? { compartment } : {}) } },
      {
        onSuccess: (rec) => {
          onCreated(rec.id, values[fields[0]!] ?? rec.id);
          setValues({});
          setOpen(false);
        },
      },
    );
  return (
    <Popover opened={open} onChange={setOpen} trapFocus position="bottom-start" withArrow>
      <Popover.Target>
        <Button variant="subtle" size="compact-sm" onClick={() => setOpen((o) => !o)}>
          {t('records.picker.create', { type: typeName })}
        </Button>
      </Popover.Target>
      <Popover.Dropdown style={READABLE}>
        <Stack
          gap="xs"
          component="form"
          onSubmit={(e: React.FormEvent) => {
            // the popover is a portal, but React passes the submit on to the record's own form: stop it here
            e.preventDefault();
            e.stopPropagation();
            submit();
          }} aria-label={t('records.picker.create', { type: typeName })}>
          {fields.map((name) => {
            const f = meta.fields.find((x) => x.name === name)!;
            return (
              <TextInput
                key={name}
                label={localLabel(f.label, i18n.language)}
                withAsterisk
                data-autofocus={name === fields[0] ? true : undefined}
                value={values[name] ?? ''}
                onChange={(e) => setValues((v) => ({ ...v, [name]: e.currentTarget.value }))}
                error={problems.filter((p) => p.field === name).map((p) => p.message).join(' ') || undefined}
              />
            );
          })}
          {save.isError && problems.length === 0 && <div role="alert">{t('records.form.saveFailed')}</div>}
          <Group gap="xs">
            <Button type="submit" size="xs" loading={save.isPending}>
              {t('records.picker.createSubmit')}
            </Button>
            <Button size="xs" variant="default" onClick={() => setOpen(false)}>
              {t('records.form.cancel')}
            </Button>
          </Group>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}

/** One record of a type: type to search (any script), or pick among the newest; or create one on the spot. */
export function RecordPicker({ value, onChange, ...p }: Common & { value: string; onChange: (id: string) => void }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [debounced, setDebounced] = useState('');
  useEffect(() => {
    const h = setTimeout(() => setDebounced(search), 250);
    return () => clearTimeout(h);
  }, [search]);
  const chosen = value ? [value] : [];
  const first = usePickerData(p.target, '', chosen);
  const selectedLabel = first.data.find((x) => x.value === value)?.label;
  // the chosen record's name in the box is not a query: the newest records are offered then
  const d = usePickerData(p.target, debounced === selectedLabel ? '' : debounced, chosen);
  return (
    <Stack gap={2} align="flex-start">
      <Select
        label={p.label}
        description={p.description}
        withAsterisk={p.required}
        aria-required={p.required}
        error={p.error}
        data={d.data}
        value={value || null}
        onChange={(v) => onChange(v ?? '')}
        searchable
        searchValue={search}
        onSearchChange={setSearch}
        filter={({ options }) => options}
        clearable
        nothingFoundMessage={d.loading ? t('app.loading') : t('records.picker.nothing')}
        placeholder={t('records.picker.search')}
        w="100%"
      />
      {d.meta && p.allowCreate !== false && (
        <QuickCreate
          meta={d.meta}
          compartment={p.compartment}
          onCreated={(id, label) => {
            d.remember(id, label);
            first.remember(id, label);
            onChange(id);
          }}
        />
      )}
    </Stack>
  );
}

/** Several records of a type. */
export function RecordMultiPicker({ value, onChange, ...p }: Common & { value: string[]; onChange: (ids: string[]) => void }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [debounced, setDebounced] = useState('');
  useEffect(() => {
    const h = setTimeout(() => setDebounced(search), 250);
    return () => clearTimeout(h);
  }, [search]);
  const d = usePickerData(p.target, debounced, value);
  return (
    <MultiSelect
      label={p.label}
      description={p.description}
      withAsterisk={p.required}
      aria-required={p.required}
      error={p.error}
      data={d.data}
      value={value}
      onChange={onChange}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options }) => options}
      clearable
      hidePickedOptions
      nothingFoundMessage={d.loading ? t('app.loading') : t('records.picker.nothing')}
      placeholder={value.length === 0 ? t('records.picker.search') : undefined}
    />
  );
}
