import { Group, Select, Text, TextInput } from '@mantine/core';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { DatePrecision } from '../../api/records';
import { isoToLocal, localToIso, type FuzzyDraft } from '../records/logic';

/**
 * An approximate date: how precise it is (a year, a month, a day, an exact time, "about", unknown)
 * and the value in the form that precision takes. Keyboard: two ordinary fields in a labelled group.
 */
export function FuzzyDateInput({
  label,
  description,
  value,
  onChange,
  error,
  required,
}: {
  label: string;
  description?: string;
  value: FuzzyDraft;
  onChange: (v: FuzzyDraft) => void;
  error?: string;
  required?: boolean;
}) {
  const { t } = useTranslation();
  const errorId = useId();
  const options: { value: DatePrecision; label: string }[] = [
    { value: 'year', label: t('records.precision.year') },
    { value: 'month', label: t('records.precision.month') },
    { value: 'day', label: t('records.precision.day') },
    { value: 'exact', label: t('records.precision.exact') },
    { value: 'estimate', label: t('records.precision.estimate') },
    { value: 'unknown', label: t('records.precision.unknown') },
  ];
  const hint: Record<DatePrecision, string> = {
    year: t('records.precision.yearHint'),
    month: t('records.precision.monthHint'),
    day: t('records.precision.dayHint'),
    exact: t('records.precision.exactHint'),
    estimate: t('records.precision.estimateHint'),
    unknown: '',
  };
  const p = value.precision;
  return (
    <fieldset style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }} aria-describedby={error ? errorId : undefined}>
      <Text component="legend" fw={500} size="sm" p={0} mb={4}>
        {label}
        {required && (
          <Text span c="red.9" aria-hidden>
            {' *'}
          </Text>
        )}
      </Text>
      {description && (
        <Text size="xs" c="gray.7" mb={4}>
          {description}
        </Text>
      )}
      <Group align="flex-start" gap="sm" wrap="wrap">
        <Select
          label={t('records.precision.label')}
          placeholder={t('records.precision.none')}
          data={options}
          value={p || null}
          onChange={(v) => onChange({ precision: (v ?? '') as DatePrecision | '', value: v === 'unknown' ? '' : value.value })}
          clearable
          allowDeselect
          w={220}
        />
        {p && p !== 'unknown' && (
          p === 'exact' ? (
            <TextInput
              type="datetime-local"
              label={t('records.precision.value')}
              description={hint.exact}
              value={value.value ? isoToLocal(value.value) || value.value : ''}
              onChange={(e) => onChange({ precision: p, value: e.currentTarget.value ? localToIso(e.currentTarget.value) : '' })}
              error={Boolean(error)}
              w={260}
            />
          ) : (
            <TextInput
              label={t('records.precision.value')}
              description={hint[p]}
              value={value.value}
              onChange={(e) => onChange({ precision: p, value: e.currentTarget.value })}
              error={Boolean(error)}
              inputMode="numeric"
              autoComplete="off"
              w={260}
            />
          )
        )}
      </Group>
      {error && (
        <Text id={errorId} c="red.9" size="sm" mt={4} role="alert">
          {error}
        </Text>
      )}
    </fieldset>
  );
}
