import { Alert, Badge, Button, Card, Group, Loader, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client';
import { localLabel, termTree, useAddTerm, useVocabulary, type Term } from '../../../api/vocabularies';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { useFormat } from '../../../i18n/format';
import { Conflict, fieldErrors, parentOptions, readable } from './shared';
import { EditTermModal } from './EditTermModal';

const LANGS = ['be', 'ru', 'en'] as const;

/** One vocabulary's terms as an indented tree, the "add a term" form, and the dialog that changes one. */
export function VocabularyTerms({ name }: { name: string }) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const v = useVocabulary(name);
  const [editing, setEditing] = useState<Term | null>(null);
  if (v.isPending) return <Loader aria-label={t('app.loading')} />;
  if (v.isError) return <ErrorNotice error={v.error} />;
  const vocabulary = v.data;
  const title = localLabel(vocabulary.labels, i18n.language) ?? name;
  const tree = termTree(vocabulary.terms);
  const labelOf = (code: string | null) => (code ? (localLabel(vocabulary.terms.find((x) => x.code === code)?.labels, i18n.language) ?? code) : '—');

  return (
    <Card withBorder component="section" aria-labelledby="terms-heading">
      <Stack>
        <Group justify="space-between" align="baseline">
          <Title order={2} id="terms-heading">
            {t('vocabularies.terms.heading', { name: title })}
          </Title>
          <Text data-testid="vocabulary-version">{t('vocabularies.terms.version', { version: vocabulary.version })}</Text>
        </Group>
        {vocabulary.description ? (
          <Text size="sm" lang="en">
            {vocabulary.description}
          </Text>
        ) : null}
        {tree.length === 0 ? (
          <Text>{t('vocabularies.terms.none')}</Text>
        ) : (
          <Table.ScrollContainer minWidth={820}>
            <Table striped aria-labelledby="terms-heading">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('vocabularies.terms.label')}</Table.Th>
                  <Table.Th>{t('vocabularies.terms.be')}</Table.Th>
                  <Table.Th>{t('vocabularies.terms.ru')}</Table.Th>
                  <Table.Th>{t('vocabularies.terms.en')}</Table.Th>
                  <Table.Th>{t('vocabularies.terms.parent')}</Table.Th>
                  <Table.Th>{t('vocabularies.terms.position')}</Table.Th>
                  <Table.Th>{t('vocabularies.terms.actions')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {tree.map(({ term, depth }) => (
                  <Table.Tr key={term.code} data-testid={`term-${term.code}`}>
                    <Table.Td style={{ paddingInlineStart: `calc(0.5rem + ${depth * 1.5}rem)` }}>
                      <Stack gap={2}>
                        <Group gap="xs">
                          <Text span fw={depth === 0 ? 600 : undefined}>
                            {localLabel(term.labels, i18n.language) ?? term.code}
                          </Text>
                          {term.deprecated ? (
                            <Badge color="dark" variant="filled" size="sm">
                              {t('vocabularies.terms.deprecated')}
                            </Badge>
                          ) : null}
                        </Group>
                        <Text size="xs" ff="monospace" c="gray.7" translate="no">
                          {term.code}
                        </Text>
                      </Stack>
                    </Table.Td>
                    {LANGS.map((l) => (
                      <Table.Td key={l} lang={l}>
                        {term.labels[l]}
                      </Table.Td>
                    ))}
                    <Table.Td>{labelOf(term.parent)}</Table.Td>
                    <Table.Td>{fmt.number(term.position)}</Table.Td>
                    <Table.Td>
                      <Button size="xs" variant="light" onClick={() => setEditing(term)} aria-label={t('vocabularies.terms.editFor', { code: term.code })}>
                        {t('vocabularies.terms.edit')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        <AddTerm name={name} version={vocabulary.version} terms={vocabulary.terms} />
      </Stack>
      {editing && <EditTermModal name={name} version={vocabulary.version} terms={vocabulary.terms} term={editing} onClose={() => setEditing(null)} />}
    </Card>
  );
}

const EMPTY = { code: '', parent: null as string | null, be: '', ru: '', en: '' };

/** The "add a term" form: code, parent, the three labels; the server's objections at their fields. */
function AddTerm({ name, version, terms }: { name: string; version: number; terms: Term[] }) {
  const { t, i18n } = useTranslation();
  const add = useAddTerm(name);
  const [form, setForm] = useState(EMPTY);
  const [added, setAdded] = useState<string | null>(null);
  const set = (k: keyof typeof EMPTY) => (value: string | null) => {
    setForm((f) => ({ ...f, [k]: value ?? '' }));
    // an objection shown at a field goes once that field is being corrected
    if (add.isError && !(add.error instanceof ApiError && add.error.status === 412)) add.reset();
  };
  const errors = fieldErrors(t, add.error);
  const conflict = add.error instanceof ApiError && add.error.status === 412;
  const shownAtFields = Object.keys(errors).length > 0 || conflict;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setAdded(null);
    add.mutate(
      { version, term: { code: form.code.trim(), parent: form.parent || null, labels: { be: form.be, ru: form.ru, en: form.en } } },
      {
        onSuccess: (res) => {
          setAdded(res.term.code);
          setForm(EMPTY);
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby="add-term-heading">
      <Stack gap="sm">
        <Title order={3} id="add-term-heading">
          {t('vocabularies.add.heading')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('vocabularies.add.code')}
            description={<Trans i18nKey="vocabularies.add.codeHelp" values={{ example: 'forced-standing' }} components={{ code: <code translate="no" /> }} />}
            styles={readable}
            required
            value={form.code}
            onChange={(e) => set('code')(e.currentTarget.value)}
            error={errors.code}
            autoComplete="off"
            spellCheck={false}
            maxLength={100}
          />
          <Select
            label={t('vocabularies.add.parent')}
            placeholder={t('vocabularies.add.parentNone')}
            data={parentOptions(terms, i18n.language)}
            value={form.parent}
            onChange={set('parent')}
            searchable
            styles={readable}
            clearable
            error={errors.parent}
            nothingFoundMessage={t('vocabularies.add.parentNothing')}
          />
          <TextInput label={t('vocabularies.add.labelBe')} lang="be" required value={form.be} onChange={(e) => set('be')(e.currentTarget.value)} error={errors['labels.be']} maxLength={200} styles={readable} />
          <TextInput label={t('vocabularies.add.labelRu')} lang="ru" required value={form.ru} onChange={(e) => set('ru')(e.currentTarget.value)} error={errors['labels.ru']} maxLength={200} styles={readable} />
          <TextInput label={t('vocabularies.add.labelEn')} lang="en" required value={form.en} onChange={(e) => set('en')(e.currentTarget.value)} error={errors['labels.en']} maxLength={200} styles={readable} />
        </SimpleGrid>
        {conflict ? <Conflict name={name} onReloaded={() => add.reset()} /> : null}
        {add.isError && !shownAtFields ? <ErrorNotice error={add.error} /> : null}
        {added ? (
          <Alert color="green" role="status" variant="light">
            {t('vocabularies.add.added', { code: added })}
          </Alert>
        ) : null}
        <Group>
          <Button type="submit" loading={add.isPending}>
            {t('vocabularies.add.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
