import { Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useRecordList, useRecordType, type RecordWithLinks } from '../../api/records';
import { ErrorNotice } from '../ErrorNotice';
import { FieldValue, RecordLink } from './FieldValue';

/**
 * An act's people: its victim (a person, chosen in the act's form) and its alleged perpetrators —
 * involvements (a person or a unit, with their role in the act, the basis and confidence of the
 * identification) — with "add" for those who may create records in the act's compartment.
 */
export function InvolvementsPanel({ act, canCreate }: { act: RecordWithLinks; canCreate: boolean }) {
  const { t } = useTranslation();
  const meta = useRecordType('involvements').data;
  const actMeta = useRecordType('acts').data;
  const list = useRecordList('involvements', { act: act.id, sort: 'createdAt' }, 100);
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const field = (name: string) => meta?.fields.find((f) => f.name === name);
  const here = `/records/acts/${act.id}`;
  const victimLabel = act.links.outgoing.find((l) => l.field === 'victim')?.label;
  return (
    <Stack gap="sm">
      <Title order={2} id="involved-title">
        {t('records.involvements.title')}
      </Title>
      <Group gap="xs">
        <Text fw={600}>{actMeta && <FieldLabel name="victim" />}:</Text>
        {typeof act.victim === 'string' ? <RecordLink type="persons" id={act.victim} label={victimLabel} /> : <Text span>{t('records.empty')}</Text>}
      </Group>
      <Title order={3} size="h4">
        {t('records.involvements.perpetrators')}
      </Title>
      {list.isError && <ErrorNotice error={list.error} />}
      {list.isLoading && <Text>{t('app.loading')}</Text>}
      {list.isSuccess && items.length === 0 && <Text>{t('records.involvements.none')}</Text>}
      {meta && items.length > 0 && (
        <Table withTableBorder striped aria-labelledby="involved-title">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('records.involvements.perpetrator')}</Table.Th>
              <Table.Th scope="col"><FieldLabel type="involvements" name="degree" /></Table.Th>
              <Table.Th scope="col"><FieldLabel type="involvements" name="basis" /></Table.Th>
              <Table.Th scope="col"><FieldLabel type="involvements" name="confidence" /></Table.Th>
              <Table.Th scope="col">{t('records.involvements.record')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((inv) => (
              <Table.Tr key={inv.id}>
                <Table.Td>
                  {typeof inv.person === 'string' ? (
                    <RecordLink type="persons" id={inv.person} />
                  ) : typeof inv.unit === 'string' ? (
                    <RecordLink type="units" id={inv.unit} />
                  ) : (
                    t('records.empty')
                  )}
                </Table.Td>
                <Table.Td>{field('degree') && <FieldValue field={field('degree')!} value={inv.degree} />}</Table.Td>
                <Table.Td>{field('basis') && <FieldValue field={field('basis')!} value={inv.basis} />}</Table.Td>
                <Table.Td>{field('confidence') && <FieldValue field={field('confidence')!} value={inv.confidence} />}</Table.Td>
                <Table.Td>
                  <Button component={Link} to={`/records/involvements/${inv.id}`} variant="subtle" size="compact-sm">
                    {t('records.involvements.open')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {canCreate && (
        <Group>
          <Button component={Link} to={`/records/involvements/new?act=${act.id}&return=${encodeURIComponent(here)}`}>
            {t('records.involvements.addPerpetrator')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

/** A field's name in the UI's language. */
export function FieldLabel({ type = 'acts', name }: { type?: string; name: string }) {
  const { i18n } = useTranslation();
  const meta = useRecordType(type).data;
  const l = meta?.fields.find((f) => f.name === name)?.label;
  return <>{l ? (l[i18n.language as 'en'] ?? l.en) : name}</>;
}
