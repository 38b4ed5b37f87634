import { Alert, Anchor, Breadcrumbs, Button, Group, Menu, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { useDeleteRecord, useRecord, useRecordHistory, useRecordType, useRecordTypes, type RecordLink as Link_, type RecordTypeMeta } from '../../api/records';
import { useCompartments } from '../../api/session';
import { localLabel } from '../../api/vocabularies';
import { ErrorNotice } from '../../components/ErrorNotice';
import { FieldValue, RecordLink } from '../../components/records/FieldValue';
import { HistoryList } from '../../components/records/HistoryList';
import { InvolvementsPanel } from '../../components/records/InvolvementsPanel';
import { LinkedEvidence } from '../../components/records/LinkedEvidence';
import { PersonIdentitySlot } from '../../components/records/PersonIdentitySlot';
import { EDITING_ROLES } from '../../components/records/RecordForm';
import { READABLE } from '../../components/records/readable';
import { useRecordLabeler } from '../../components/records/useRecordLabel';
import { useFormat } from '../../i18n/format';
import { NotFoundPage } from '../NotFoundPage';

/** Types whose records may point at a record of `target`, with the field that does. */
function referrers(types: RecordTypeMeta[], target: string) {
  return types.flatMap((m) => m.fields.filter((f) => (f.kind === 'ref' || f.kind === 'refList') && f.target === target).map((f) => ({ meta: m, field: f })));
}

/**
 * One record: every field in the UI's language, the records it links to and those linking to it,
 * its evidence, its history as readable changes, and the actions the caller may take (the
 * permissions the API answers with; creating linked records: the caller's role in the record's
 * compartment, as src/domain/policies.ts decides record.create).
 */
export function RecordDetailPage() {
  const { type = '', id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const f = useFormat();
  const navigate = useNavigate();
  const types = useRecordTypes();
  const meta = useRecordType(type).data;
  const record = useRecord(type, id);
  const history = useRecordHistory(type, id);
  const compartments = useCompartments();
  const labeler = useRecordLabeler(meta);
  const del = useDeleteRecord(type);
  const [confirming, setConfirming] = useState(false);

  if (types.isSuccess && !meta) return <NotFoundPage />;
  if (record.isError) return record.error instanceof ApiError && record.error.status === 404 ? <NotFoundPage /> : <ErrorNotice error={record.error} />;
  if (!meta || !record.data || !types.data) return <Text>{t('app.loading')}</Text>;

  const r = record.data;
  const typeName = localLabel(meta.label, lang) ?? type;
  const name = labeler(r);
  const compartment = compartments.data?.find((c) => c.id === r.compartment);
  const canCreateHere = Boolean(compartment?.myRole && EDITING_ROLES.includes(compartment.myRole));
  // the server names a linked record by its first label field as stored: a code for acts or involvements,
  // which the link then reads and names in the UI's language instead
  const textLabel = (l: Link_) => {
    const m = types.data.find((x) => x.name === l.type);
    const first = m?.fields.find((x) => x.name === m.labelFields[0]);
    return first?.kind === 'text' ? l.label : null;
  };
  const linkLabels = new Map(r.links.outgoing.map((l) => [l.id, textLabel(l)]));
  const incomingBy = (l: Link_) => {
    const m = types.data.find((x) => x.name === l.type);
    const fl = m?.fields.find((x) => x.name === l.field)?.label;
    return `${localLabel(m?.label, lang) ?? l.type} · ${localLabel(fl, lang) ?? l.field}`;
  };
  const canLink = referrers(types.data, type).filter(({ meta: m }) => m.name !== 'involvements' || type !== 'acts');

  return (
    <Stack gap="lg" maw={1000} style={READABLE}>
      <Breadcrumbs aria-label={t('records.breadcrumbs')}>
        <Anchor component={Link} to="/records">
          {t('records.title')}
        </Anchor>
        <Anchor component={Link} to={`/records/${type}`}>
          {localLabel(meta.pluralLabel, lang)}
        </Anchor>
        <Text span>{name}</Text>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-start">
        <div>
          <Text size="sm" c="gray.7">
            {typeName}
          </Text>
          <Title order={1}>{name}</Title>
        </div>
        <Group gap="sm">
          {type === 'cases' && <Button component={Link} variant="light" to={`/cases/${id}`}>{t('cases.workspace')}</Button>}
          {/* redacting is for coordinators and documenters: others with the right to edit are told so on the page */}
          {type === 'testimonies' && r.permissions.update && (
            <Button component={Link} variant="light" to={`/records/testimonies/${id}/redact`} data-testid="redact-transcript-link">
              {t('redaction.testimony.open')}
            </Button>
          )}
          {meta.fields.some((f) => f.kind === 'text' && f.multiline && f.sensitive !== 'identity') && (
            <Button component={Link} variant="light" to={`/records/${type}/${id}/translate`} data-testid="translate-link">
              {t('translations.editor.open')}
            </Button>
          )}
          {r.permissions.update && (
            <Button component={Link} to={`/records/${type}/${id}/edit`}>
              {t('records.detail.edit')}
            </Button>
          )}
          {canCreateHere && canLink.length > 0 && (
            <Menu position="bottom-end">
              <Menu.Target>
                <Button variant="default">{t('records.detail.addLinked')}</Button>
              </Menu.Target>
              <Menu.Dropdown>
                {canLink.map(({ meta: m, field }) => (
                  <Menu.Item key={`${m.name}.${field.name}`} component={Link} to={`/records/${m.name}/new?${field.name}=${id}`}>
                    {localLabel(m.label, lang)} ({localLabel(field.label, lang)})
                  </Menu.Item>
                ))}
              </Menu.Dropdown>
            </Menu>
          )}
          {r.permissions.delete && (
            <Button color="red" variant="outline" onClick={() => setConfirming(true)}>
              {t('records.detail.delete')}
            </Button>
          )}
        </Group>
      </Group>

      <Modal opened={confirming} onClose={() => setConfirming(false)} title={t('records.detail.deleteTitle', { name })} closeButtonProps={{ 'aria-label': t('records.close') }}>
        <Stack>
          <Text>{t('records.detail.deleteText')}</Text>
          {del.error instanceof ApiError && del.error.status === 409 ? (
            <Alert color="orange" role="alert">
              {t('records.detail.deleteReferenced')}
            </Alert>
          ) : (
            del.error && <ErrorNotice error={del.error} />
          )}
          <Group>
            <Button color="red" loading={del.isPending} onClick={() => del.mutate({ id, version: r.version }, { onSuccess: () => void navigate(`/records/${type}`) })}>
              {t('records.detail.deleteConfirm')}
            </Button>
            <Button variant="default" onClick={() => setConfirming(false)}>
              {t('records.form.cancel')}
            </Button>
          </Group>
        </Stack>
      </Modal>

      <section aria-labelledby="fields-title">
        <Title order={2} id="fields-title" mb="sm">
          {t('records.detail.fields')}
        </Title>
        <Table withTableBorder variant="vertical" layout="fixed">
          <Table.Tbody>
            {meta.fields
              .filter((fd) => fd.kind !== 'identity')
              .map((fd) => (
                <Table.Tr key={fd.name}>
                  <Table.Th scope="row" w="30%">
                    {localLabel(fd.label, lang)}
                  </Table.Th>
                  <Table.Td data-field={fd.name}>
                    {r.hidden.includes(fd.name) && (r[fd.name] === null || r[fd.name] === undefined) ? t('records.protected') : <FieldValue field={fd} value={r[fd.name]} linkLabels={linkLabels} />}
                  </Table.Td>
                </Table.Tr>
              ))}
            <Table.Tr>
              <Table.Th scope="row">{t('records.form.compartment')}</Table.Th>
              <Table.Td>{compartment?.name ?? r.compartment}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th scope="row">{t('records.detail.updated')}</Table.Th>
              <Table.Td>{t('records.detail.versionAt', { version: r.version, time: f.dateTime(r.updatedAt) })}</Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      </section>

      {type === 'persons' && <PersonIdentitySlot mode="detail" personId={id} hasIdentity={r.hidden.includes('identity')} canReveal={r.permissions.revealIdentity} />}

      {type === 'acts' && (
        <section aria-labelledby="involved-title">
          <InvolvementsPanel act={r} canCreate={canCreateHere} />
        </section>
      )}

      <section aria-labelledby="links-title">
        <Title order={2} id="links-title" mb="sm">
          {t('records.detail.links')}
        </Title>
        {r.links.outgoing.length === 0 && r.links.incoming.length === 0 && <Text>{t('records.detail.noLinks')}</Text>}
        {r.links.outgoing.length > 0 && (
          <>
            <Title order={3} size="h5" mb={4}>
              {t('records.detail.linksTo')}
            </Title>
            <Stack gap={4} mb="sm" component="ul" style={{ listStyle: 'none', padding: 0 }}>
              {r.links.outgoing.map((l) => (
                <li key={`${l.field}.${l.id}`}>
                  <Text span fw={600}>
                    {localLabel(meta.fields.find((x) => x.name === l.field)?.label, lang) ?? l.field}:
                  </Text>{' '}
                  <RecordLink type={l.type} id={l.id} label={textLabel(l)} />
                </li>
              ))}
            </Stack>
          </>
        )}
        {r.links.incoming.length > 0 && (
          <>
            <Title order={3} size="h5" mb={4}>
              {t('records.detail.linkedFrom')}
            </Title>
            <Stack gap={4} component="ul" style={{ listStyle: 'none', padding: 0 }}>
              {r.links.incoming.map((l) => (
                <li key={`${l.type}.${l.field}.${l.id}`}>
                  <Text span fw={600}>
                    {incomingBy(l)}:
                  </Text>{' '}
                  <RecordLink type={l.type} id={l.id} label={textLabel(l)} />
                </li>
              ))}
            </Stack>
            {r.links.incomingTruncated && <Text size="sm">{t('records.detail.moreLinks')}</Text>}
          </>
        )}
      </section>

      <section aria-labelledby="evidence-title">
        <Title order={2} id="evidence-title" mb="sm">
          {t('records.evidence.title')}
        </Title>
        <LinkedEvidence type={type} id={id} mayUnlink={r.permissions.update} />
      </section>

      <section aria-labelledby="history-title">
        <Title order={2} id="history-title" mb="sm">
          {t('records.history.title')}
        </Title>
        {history.isError && <ErrorNotice error={history.error} />}
        {history.data && <HistoryList meta={meta} entries={history.data} />}
      </section>
    </Stack>
  );
}
