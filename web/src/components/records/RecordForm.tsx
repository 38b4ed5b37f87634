import { Alert, Button, Group, NumberInput, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../../api/client';
import { useCompartments } from '../../api/session';
import { fieldProblems, useSaveRecord, type RecordField, type RecordTypeMeta, type StoredRecord } from '../../api/records';
import { localLabel } from '../../api/vocabularies';
import { ErrorNotice } from '../ErrorNotice';
import { FuzzyDateInput } from '../forms/FuzzyDateInput';
import { RecordMultiPicker, RecordPicker } from '../forms/RecordPicker';
import { VocabMultiSelect, VocabSelect } from '../forms/VocabSelect';
import { formFields, fromJson, problemKind, requestBody, type FuzzyDraft } from './logic';
import { PersonIdentitySlot } from './PersonIdentitySlot';
import { READABLE } from './readable';

/** Roles that may create and change records in a compartment (src/domain/policies.ts, record.create). */
export const EDITING_ROLES = ['coordinator', 'documenter', 'analyst', 'lawyer'];

/** Compartments where the account may create records. */
export function useCreatableCompartments() {
  const compartments = useCompartments();
  return { ...compartments, data: compartments.data?.filter((c) => c.myRole && EDITING_ROLES.includes(c.myRole)) };
}

/** The server's message for a field in the UI's language, when it is one we know; as the server wrote it otherwise. */
export function useProblemText() {
  const { t } = useTranslation();
  return (message: string): string => {
    switch (problemKind(message)) {
      case 'required':
        return t('records.problem.required');
      case 'notADate':
        return t('records.problem.notADate');
      case 'dateForm':
        return t('records.problem.dateForm');
      case 'endBeforeStart':
        return t('records.problem.endBeforeStart');
      case 'exactlyOne':
        return t('records.problem.exactlyOne');
      case 'atLeastOne':
        return t('records.problem.atLeastOne');
      case 'noSuchRecord':
        return t('records.problem.noSuchRecord');
      case 'tooLong':
        return t('records.problem.tooLong');
      case 'notANumber':
        return t('records.problem.notANumber');
      case 'outOfRange':
        return t('records.problem.outOfRange');
      case 'other':
        return message;
    }
  };
}

/**
 * The form of any record type, built from the catalog (GET /api/v1/record-types): one input per
 * field by its kind, required fields marked, the server's validation messages at their fields.
 * On edit it sends only the fields changed, with the version read (If-Match).
 */
export function RecordForm({
  meta,
  record,
  initial = {},
  onSaved,
  cancelTo,
}: {
  meta: RecordTypeMeta;
  record?: StoredRecord;
  /** Values given in advance (from the page's address: `?act=…`). */
  initial?: Record<string, string>;
  onSaved: (r: StoredRecord) => void;
  cancelTo: string;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const fields = formFields(meta);
  const [values, setValues] = useState<Record<string, unknown>>(() =>
    Object.fromEntries(fields.map((f) => [f.name, fromJson(f, record ? record[f.name] : initialJson(f, initial[f.name]))])),
  );
  const compartments = useCreatableCompartments();
  const [compartment, setCompartment] = useState<string>(record?.compartment ?? '');
  useEffect(() => {
    if (!compartment && compartments.data?.length) setCompartment(compartments.data[0]!.id);
  }, [compartment, compartments.data]);
  const save = useSaveRecord(meta.name);
  const problems = fieldProblems(save.error);
  const problemText = useProblemText();
  const formRef = useRef<HTMLFormElement>(null);
  const [unchanged, setUnchanged] = useState(false);

  // after a refused save, the first field with a problem gets the focus (keyboard and screen readers)
  useEffect(() => {
    if (!save.isError) return;
    const first = formRef.current?.querySelector<HTMLElement>('input[aria-invalid="true"], textarea[aria-invalid="true"], fieldset[aria-describedby] input');
    // centred, so the fixed header does not cover it
    first?.focus({ preventScroll: true });
    first?.scrollIntoView({ block: 'center' });
  }, [save.isError, save.error]);

  const set = (name: string) => (v: unknown) => setValues((old) => ({ ...old, [name]: v }));
  const errorOf = (name: string) => (problems[name] ? problems[name].map(problemText).join(' ') : undefined);
  const fieldNames = new Set(fields.map((f) => f.name));
  const otherProblems = Object.entries(problems).filter(([k]) => !fieldNames.has(k));
  const generalError = save.error && Object.keys(problems).length === 0 ? save.error : null;

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const body = requestBody(meta, values, record, compartment || undefined);
    if (record && Object.keys(body).length === 0) return setUnchanged(true);
    setUnchanged(false);
    save.mutate({ id: record?.id, version: record?.version, body }, { onSuccess: onSaved });
  };

  const typeName = localLabel(meta.label, lang) ?? meta.name;
  return (
    <form ref={formRef} onSubmit={submit} noValidate style={READABLE} aria-label={record ? t('records.form.editTitle', { type: typeName }) : t('records.form.newTitle', { type: typeName })}>
      <Stack gap="md" maw={720}>
        <Text size="sm" c="gray.7">
          {t('records.form.requiredNote')}
        </Text>
        {compartments.data && compartments.data.length === 0 && !record && <Alert color="orange">{t('records.form.noCompartment')}</Alert>}
        {compartments.data && compartments.data.length > 0 && (
          <Select
            label={t('records.form.compartment')}
            data={compartments.data.map((c) => ({ value: c.id, label: c.name }))}
            value={compartment || null}
            onChange={(v) => v && setCompartment(v)}
            allowDeselect={false}
            withAsterisk
            error={errorOf('compartment')}
          />
        )}
        {fields.map((f) => (
          <FieldInput key={f.name} field={f} value={values[f.name]} onChange={set(f.name)} error={errorOf(f.name)} compartment={compartment} />
        ))}
        {meta.name === 'persons' && <PersonIdentitySlot mode="form" personId={record?.id} />}
        {otherProblems.length > 0 && (
          <Alert color="red" role="alert">
            {otherProblems.flatMap(([, ms]) => ms.map(problemText)).join(' ')}
          </Alert>
        )}
        {generalError instanceof ApiError && generalError.status === 412 ? (
          <Alert color="orange" role="alert">
            {t('records.form.conflict')}
          </Alert>
        ) : (
          generalError && <ErrorNotice error={generalError} />
        )}
        {Object.keys(problems).length > 0 && (
          <Alert color="red" role="alert" variant="light">
            {t('records.form.fixProblems')}
          </Alert>
        )}
        {unchanged && <Alert role="status">{t('records.form.nothingChanged')}</Alert>}
        <Group>
          <Button type="submit" loading={save.isPending}>
            {record ? t('records.form.save') : t('records.form.create')}
          </Button>
          <Button component={Link} to={cancelTo} variant="default">
            {t('records.form.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** A value given in the address for a field, as the field's JSON (ids and codes as they are). */
function initialJson(f: RecordField, v: string | undefined): unknown {
  if (v === undefined) return undefined;
  if (f.kind === 'refList' || f.kind === 'vocabList') return v.split(',').filter(Boolean);
  return v;
}

/** One field's input, chosen by its kind. */
export function FieldInput({ field: f, value, onChange, error, compartment }: { field: RecordField; value: unknown; onChange: (v: unknown) => void; error?: string; compartment?: string }) {
  const { t, i18n } = useTranslation();
  const label = localLabel(f.label, i18n.language) ?? f.name;
  const common = { label, withAsterisk: f.required, 'aria-required': f.required || undefined, error };
  switch (f.kind) {
    case 'text':
      return f.multiline ? (
        <Textarea {...common} autosize minRows={3} maxRows={16} value={String(value ?? '')} onChange={(e) => onChange(e.currentTarget.value)} />
      ) : (
        <TextInput {...common} value={String(value ?? '')} onChange={(e) => onChange(e.currentTarget.value)} maxLength={f.maxLength} />
      );
    case 'int':
    case 'number':
      return (
        <NumberInput
          {...common}
          value={String(value ?? '')}
          onChange={(v) => onChange(String(v))}
          allowDecimal={f.kind === 'number'}
          min={f.min}
          max={f.max}
          decimalSeparator={i18n.language === 'en' ? '.' : ','}
          maw={240}
        />
      );
    case 'bool':
      return (
        <Select
          {...common}
          data={[
            { value: 'true', label: t('records.yes') },
            { value: 'false', label: t('records.no') },
          ]}
          value={(value as string) || null}
          onChange={(v) => onChange(v ?? '')}
          clearable
          placeholder={t('records.notStated')}
          maw={240}
        />
      );
    case 'enum':
      return (
        <Select
          {...common}
          data={(f.values ?? []).map((v) => ({ value: v, label: localLabel(f.valueLabels?.[v], i18n.language) ?? v }))}
          value={(value as string) || null}
          onChange={(v) => onChange(v ?? '')}
          clearable={!f.required}
          searchable={(f.values?.length ?? 0) > 6}
          placeholder={t('records.picker.choose')}
        />
      );
    case 'vocab':
      return <VocabSelect label={label} required={f.required} error={error} vocabulary={f.vocabulary!} value={String(value ?? '')} onChange={onChange} />;
    case 'vocabList':
      return <VocabMultiSelect label={label} required={f.required} error={error} vocabulary={f.vocabulary!} value={(value as string[]) ?? []} onChange={onChange} />;
    case 'ref':
      return <RecordPicker label={label} required={f.required} error={error} target={f.target!} value={String(value ?? '')} onChange={onChange} compartment={compartment} />;
    case 'refList':
      return <RecordMultiPicker label={label} required={f.required} error={error} target={f.target!} value={(value as string[]) ?? []} onChange={onChange} compartment={compartment} />;
    case 'fuzzyDate':
      return <FuzzyDateInput label={label} required={f.required} error={error} value={(value as FuzzyDraft) ?? { precision: '', value: '' }} onChange={onChange} />;
    case 'date':
      return <TextInput {...common} type="date" value={String(value ?? '')} onChange={(e) => onChange(e.currentTarget.value)} maw={240} />;
    case 'datetime':
      return <TextInput {...common} type="datetime-local" value={String(value ?? '')} onChange={(e) => onChange(e.currentTarget.value)} maw={280} />;
    case 'identity':
      return null;
  }
}
