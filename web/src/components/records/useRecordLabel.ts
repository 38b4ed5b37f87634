import { useTranslation } from 'react-i18next';
import { useRecord, useRecordType, type FuzzyDate, type RecordTypeMeta } from '../../api/records';
import { localLabel, termLabel, useVocabulary } from '../../api/vocabularies';
import { formatFuzzyDate, recordLabelValue } from './logic';

/** A function naming records of a type as plain text (pickers, headings, the page title). */
export function useRecordLabeler(meta: RecordTypeMeta | undefined): (record: Record<string, unknown> & { id: string }) => string {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const vocabField = meta?.labelFields.map((n) => meta.fields.find((f) => f.name === n)).find((f) => f?.kind === 'vocab' || f?.kind === 'vocabList');
  const vocabulary = useVocabulary(vocabField?.vocabulary);
  return (record) => {
    if (!meta) return record.id.slice(0, 8);
    const named = recordLabelValue(meta, record);
    if (!named) return t('records.unnamed', { type: localLabel(meta.label, lang), id: record.id.slice(-6) });
    const { field, value } = named;
    switch (field.kind) {
      case 'vocab':
        return termLabel(field.vocabulary === vocabField?.vocabulary ? vocabulary.data : undefined, String(value), lang);
      case 'vocabList':
        return (value as string[]).map((c) => termLabel(vocabulary.data, c, lang)).join(', ');
      case 'enum':
        return localLabel(field.valueLabels?.[String(value)], lang) ?? String(value);
      case 'fuzzyDate':
        return formatFuzzyDate(value as FuzzyDate, lang, { about: (date) => t('records.date.about', { date }), unknown: t('records.date.unknown') });
      default:
        return String(value);
    }
  };
}

/**
 * One record's name by type and id (links to records from elsewhere: evidence, cases), as the
 * records pages name it; the first characters of the id while it loads or when it cannot be read.
 */
export function useRecordName(type: string, id: string): string {
  const meta = useRecordType(type).data;
  const record = useRecord(type, id);
  const label = useRecordLabeler(meta);
  return record.data ? label(record.data) : id.slice(0, 8);
}
