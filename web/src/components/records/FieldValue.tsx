import { Anchor, Badge, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useRecord, useRecordTypes, type FuzzyDate, type RecordField, type RecordTypeMeta } from '../../api/records';
import { localLabel, termLabel, useVocabulary } from '../../api/vocabularies';
import { useFormat } from '../../i18n/format';
import { formatFuzzyDate, recordLabelValue } from './logic';

/** The UI's language, for labels that come from the server in be, ru and en. */
export function useLang(): string {
  return useTranslation().i18n.language;
}

/** The words an approximate date needs, from the catalog. */
export function useFuzzyWords() {
  const { t } = useTranslation();
  return { about: (date: string) => t('records.date.about', { date }), unknown: t('records.date.unknown') };
}

/** An approximate date as written ("August 2020", "about 10 August 2020"). */
export function FuzzyDateText({ value }: { value: FuzzyDate | null | undefined }) {
  const lang = useLang();
  return <>{formatFuzzyDate(value, lang, useFuzzyWords())}</>;
}

/** A vocabulary code in the UI's language. */
export function TermText({ vocabulary, code }: { vocabulary: string; code: string }) {
  const lang = useLang();
  const v = useVocabulary(vocabulary);
  return <>{termLabel(v.data, code, lang)}</>;
}

/** A record's name: its first label field with a value, in the UI's language; the type and a short id otherwise. */
export function RecordName({ meta, record }: { meta: RecordTypeMeta; record: Record<string, unknown> & { id: string } }) {
  const { t } = useTranslation();
  const lang = useLang();
  const named = recordLabelValue(meta, record);
  if (!named) return <>{t('records.unnamed', { type: localLabel(meta.label, lang), id: record.id.slice(-6) })}</>;
  return <FieldValue field={named.field} value={named.value} plain />;
}

/**
 * A link to a record: its label when known (links carry one), else read from the record itself.
 */
export function RecordLink({ type, id, label }: { type: string; id: string; label?: string | null }) {
  const types = useRecordTypes();
  const meta = types.data?.find((m) => m.name === type);
  const needsRead = !label;
  const rec = useRecord(type, needsRead ? id : undefined);
  return (
    <Anchor component={Link} to={`/records/${type}/${id}`}>
      {label ? label : meta && rec.data ? <RecordName meta={meta} record={rec.data} /> : `${id.slice(0, 8)}…`}
    </Anchor>
  );
}

/** A field's value as a reader sees it: labels for codes, dates as written, links for references. */
export function FieldValue({ field, value, linkLabels, plain = false }: { field: RecordField; value: unknown; linkLabels?: Map<string, string | null>; plain?: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const lang = useLang();
  const none = <Text span c="gray.7">{t('records.empty')}</Text>;
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return plain ? <>{t('records.empty')}</> : none;
  switch (field.kind) {
    case 'text':
      return plain || !field.multiline ? <>{String(value)}</> : <span style={{ whiteSpace: 'pre-wrap' }}>{String(value)}</span>;
    case 'int':
    case 'number':
      return <>{typeof value === 'number' ? f.number(value) : String(value)}</>;
    case 'bool':
      return <>{value === true ? t('records.yes') : t('records.no')}</>;
    case 'enum':
      return <>{localLabel(field.valueLabels?.[String(value)], lang) ?? String(value)}</>;
    case 'vocab':
      return <TermText vocabulary={field.vocabulary!} code={String(value)} />;
    case 'vocabList':
      return plain ? (
        <>
          {(value as string[]).map((c, i) => (
            <span key={c}>
              {i > 0 && ', '}
              <TermText vocabulary={field.vocabulary!} code={c} />
            </span>
          ))}
        </>
      ) : (
        <Group gap={6} component="span">
          {(value as string[]).map((c) => (
            <Badge key={c} variant="light" tt="none" component="span">
              <TermText vocabulary={field.vocabulary!} code={c} />
            </Badge>
          ))}
        </Group>
      );
    case 'ref':
      return <RecordLink type={field.target!} id={String(value)} label={linkLabels?.get(String(value))} />;
    case 'refList':
      return (
        <Group gap="sm" component="span">
          {(value as string[]).map((id) => (
            <RecordLink key={id} type={field.target!} id={id} label={linkLabels?.get(id)} />
          ))}
        </Group>
      );
    case 'fuzzyDate':
      return <FuzzyDateText value={value as FuzzyDate} />;
    case 'date':
      return <>{f.date(`${String(value)}T12:00:00Z`)}</>;
    case 'datetime':
      return <>{f.dateTime(String(value))}</>;
    case 'identity':
      return <>{t('records.protected')}</>;
  }
}
