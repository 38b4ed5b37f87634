import { Anchor, Code, Table, Text, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useLinkedEvidence } from '../../api/records';
import { useFormat } from '../../i18n/format';
import { ErrorNotice } from '../ErrorNotice';
import { UnlinkButton } from '../evidence/UnlinkButton';

/** Evidence items linked to a record: title, SHA-256 and size, each opening the item's page (/evidence/:id). */
export function LinkedEvidence({ type, id, mayUnlink = false }: { type: string; id: string; mayUnlink?: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const items = useLinkedEvidence(type, id);
  if (items.isLoading) return <Text>{t('app.loading')}</Text>;
  if (items.isError) return <ErrorNotice error={items.error} />;
  if (!items.data?.length) return <Text>{t('records.evidence.none')}</Text>;
  return (
    <Table withTableBorder striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">{t('records.evidence.item')}</Table.Th>
          <Table.Th scope="col">{t('records.evidence.sha256')}</Table.Th>
          <Table.Th scope="col">{t('records.evidence.size')}</Table.Th>
          <Table.Th scope="col">{t('records.evidence.note')}</Table.Th>
          <Table.Th scope="col">{t('records.evidence.linkedAt')}</Table.Th>
          {mayUnlink ? (
            <Table.Th scope="col">
              <VisuallyHidden>{t('evidence.unlink.short')}</VisuallyHidden>
            </Table.Th>
          ) : null}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {items.data.map((e) => (
          <Table.Tr key={e.linkId}>
            <Table.Td>
              <Anchor component={Link} to={`/evidence/${e.id}`}>
                {e.mime ?? e.category ?? t('records.evidence.untitled')}
              </Anchor>
            </Table.Td>
            <Table.Td>
              <Code style={{ wordBreak: 'break-all' }}>{e.sha256}</Code>
            </Table.Td>
            <Table.Td>{t('records.evidence.bytes', { count: e.size })}</Table.Td>
            <Table.Td>{e.note ?? t('records.empty')}</Table.Td>
            <Table.Td>{f.dateTime(e.linkedAt)}</Table.Td>
            {mayUnlink ? (
              <Table.Td>
                <UnlinkButton itemId={e.id} linkId={e.linkId} targetType={type} targetId={id} label={e.mime ?? e.category ?? e.sha256.slice(0, 12)} />
              </Table.Td>
            ) : null}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
