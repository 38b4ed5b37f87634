import { Alert, Button, Checkbox, Group, Modal, NumberInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client';
import { descendantsOf, useTermChange, type Term, type TermChange } from '../../../api/vocabularies';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { Conflict, fieldErrors, parentOptions, readable } from './shared';

/**
 * Changes one term: its three labels, its parent (not itself nor a term under it), its position,
 * and whether it is deprecated. The code is shown, never edited. Only what changed is sent.
 */
export function EditTermModal({ name, version, terms, term, onClose }: { name: string; version: number; terms: Term[]; term: Term; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const change = useTermChange(name);
  const [labels, setLabels] = useState(term.labels);
  const [parent, setParent] = useState<string | null>(term.parent);
  const [position, setPosition] = useState<number | string>(term.position);
  const [deprecated, setDeprecated] = useState(term.deprecated);
  const errors = fieldErrors(t, change.error);
  const conflict = change.error instanceof ApiError && change.error.status === 412;
  const shownAtFields = Object.keys(errors).length > 0 || conflict;
  const exclude = new Set([term.code, ...descendantsOf(terms, term.code)]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const diff: TermChange = {};
    const changedLabels = (['be', 'ru', 'en'] as const).filter((l) => labels[l] !== term.labels[l]);
    if (changedLabels.length) diff.labels = Object.fromEntries(changedLabels.map((l) => [l, labels[l]]));
    if ((parent ?? null) !== term.parent) diff.parent = parent ?? null;
    if (Number(position) !== term.position) diff.position = typeof position === 'number' ? position : Number.NaN;
    if (deprecated !== term.deprecated) diff.deprecated = deprecated;
    if (Object.keys(diff).length === 0) return onClose();
    change.mutate({ version, code: term.code, change: diff }, { onSuccess: onClose });
  };

  return (
    <Modal opened onClose={onClose} title={t('vocabularies.edit.title', { code: term.code })} size="lg" closeButtonProps={{ 'aria-label': t('vocabularies.edit.cancel') }}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm">{t('vocabularies.edit.codeStays')}</Text>
          <TextInput label={t('vocabularies.add.labelBe')} lang="be" required value={labels.be} onChange={(e) => setLabels({ ...labels, be: e.currentTarget.value })} error={errors['labels.be']} maxLength={200} styles={readable} data-autofocus />
          <TextInput label={t('vocabularies.add.labelRu')} lang="ru" required value={labels.ru} onChange={(e) => setLabels({ ...labels, ru: e.currentTarget.value })} error={errors['labels.ru']} maxLength={200} styles={readable} />
          <TextInput label={t('vocabularies.add.labelEn')} lang="en" required value={labels.en} onChange={(e) => setLabels({ ...labels, en: e.currentTarget.value })} error={errors['labels.en']} maxLength={200} styles={readable} />
          <Select
            label={t('vocabularies.add.parent')}
            placeholder={t('vocabularies.add.parentNone')}
            data={parentOptions(terms, i18n.language, exclude, term.parent)}
            value={parent}
            onChange={setParent}
            searchable
            styles={readable}
            clearable
            error={errors.parent}
            nothingFoundMessage={t('vocabularies.add.parentNothing')}
          />
          <NumberInput label={t('vocabularies.terms.position')} description={t('vocabularies.edit.positionHelp')} min={0} max={1_000_000} allowDecimal={false} allowNegative={false} value={position} onChange={setPosition} error={errors.position} styles={readable} />
          <Checkbox label={t('vocabularies.edit.deprecated')} description={t('vocabularies.edit.deprecatedHelp')} checked={deprecated} onChange={(e) => setDeprecated(e.currentTarget.checked)} styles={readable} />
          {deprecated && !term.deprecated ? (
            <Alert color="yellow" variant="light" role="status">
              {t('vocabularies.edit.deprecatingNote')}
            </Alert>
          ) : null}
          {conflict ? <Conflict name={name} onReloaded={onClose} /> : null}
          {change.isError && !shownAtFields ? <ErrorNotice error={change.error} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('vocabularies.edit.cancel')}
            </Button>
            <Button type="submit" loading={change.isPending}>
              {t('vocabularies.edit.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
