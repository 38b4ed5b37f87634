import { Checkbox, Group, NativeSelect, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { termLabel, type Term } from '../../api/intake';
import { parseApproxDate } from './model';

/** Options of a native select from vocabulary terms: top-level terms as groups of their children. */
export function termOptions(terms: Term[] | undefined, lng: string, empty: string) {
  const list = terms ?? [];
  const codes = new Set(list.map((t) => t.code));
  const roots = list.filter((t) => !t.parent || !codes.has(t.parent));
  const childrenOf = (code: string) => list.filter((t) => t.parent === code);
  const out: ({ value: string; label: string } | { group: string; items: { value: string; label: string }[] })[] = [{ value: '', label: empty }];
  for (const r of roots) {
    const kids = childrenOf(r.code);
    if (kids.length) out.push({ group: termLabel(r, lng), items: [{ value: r.code, label: termLabel(r, lng) }, ...kids.map((k) => ({ value: k.code, label: termLabel(k, lng) }))] });
    else out.push({ value: r.code, label: termLabel(r, lng) });
  }
  return out;
}

/** A single choice from a vocabulary (native select: arrow keys and typing work everywhere). */
export function TermSelect(props: { label: string; terms: Term[] | undefined; value: string | null; onChange: (v: string | null) => void; error?: string; required?: boolean; description?: string; disabled?: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <NativeSelect
      label={props.label}
      description={props.description}
      required={props.required}
      disabled={props.disabled}
      data={termOptions(props.terms, i18n.language, t('intake.choose'))}
      value={props.value ?? ''}
      onChange={(e) => props.onChange(e.currentTarget.value || null)}
      error={props.error}
    />
  );
}

/** A date as the witness remembers it, with "approximately" and what the text was read as. */
export function ApproxDateInput(props: { label: string; value: string; approx: boolean; onChange: (value: string, approx: boolean) => void; error?: string; disabled?: boolean }) {
  const { t } = useTranslation();
  const parsed = parseApproxDate(props.value, props.approx);
  const error = props.error ?? (parsed === 'invalid' ? t('intake.date.invalid') : undefined);
  return (
    <Group align="flex-start" gap="sm" wrap="wrap">
      <TextInput
        label={props.label}
        description={t('intake.date.help')}
        value={props.value}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.currentTarget.value, props.approx)}
        error={error}
        style={{ flex: '1 1 16rem' }}
      />
      <Checkbox mt={34} label={t('intake.date.approx')} checked={props.approx} disabled={props.disabled} onChange={(e) => props.onChange(props.value, e.currentTarget.checked)} aria-label={`${t('intake.date.approx')}: ${props.label}`} />
    </Group>
  );
}
