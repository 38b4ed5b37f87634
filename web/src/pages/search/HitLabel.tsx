import { useTranslation } from 'react-i18next';
import { useRecordType } from '../../api/records';
import type { SearchHit } from '../../api/search';
import { localLabel, termLabel, useVocabulary } from '../../api/vocabularies';

/**
 * A hit's name in the reader's language: the search index keeps a record's label as the value of
 * one of its label fields (`labelField`), which for some types is a code (an act's type, a
 * proceeding's kind); those are shown with the vocabulary's or the enum's label instead.
 */
export function HitLabel({ hit }: { hit: SearchHit }) {
  const { t, i18n } = useTranslation();
  const meta = useRecordType(hit.labelField ? hit.type : undefined);
  const field = meta.data?.fields.find((f) => f.name === hit.labelField);
  const vocabulary = useVocabulary(field?.vocabulary);
  if (!hit.label) return <>{t('search.unnamed')}</>;
  if (field?.vocabulary) return <>{termLabel(vocabulary.data, hit.label, i18n.language)}</>;
  if (field?.kind === 'enum') return <>{localLabel(field.valueLabels?.[hit.label], i18n.language) ?? hit.label}</>;
  return <>{hit.label}</>;
}
