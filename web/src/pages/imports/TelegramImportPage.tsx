import { Anchor, Group, List, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { TelegramImportReport, TelegramPreview } from '../../api/imports';
import { useFormat } from '../../i18n/format';
import { ArchiveImportWizard } from './ArchiveImport';

/** How to make the export in Telegram Desktop, step by step. */
function HowToExport() {
  const { t } = useTranslation();
  return (
    <Stack gap={4} data-testid="how-to">
      <Title order={3} size="h5">{t('imports.telegram.howTo.title')}</Title>
      <List type="ordered" size="sm" spacing={2}>
        <List.Item>{t('imports.telegram.howTo.open')}</List.Item>
        <List.Item>{t('imports.telegram.howTo.format')}</List.Item>
        <List.Item>{t('imports.telegram.howTo.media')}</List.Item>
        <List.Item>{t('imports.telegram.howTo.zip')}</List.Item>
      </List>
      <Text size="sm">{t('imports.telegram.howTo.again')}</Text>
    </Stack>
  );
}

/**
 * Importing a Telegram Desktop export (the machine-readable JSON export of a channel, group or chat,
 * zipped): each message becomes a `messages` record, each file an evidence item linked to it.
 */
export function TelegramImportPage() {
  const { t } = useTranslation();
  const f = useFormat();

  const preview = (p: TelegramPreview) => (
    <Stack gap="sm">
      <Group gap="lg">
        <Text>{t('imports.telegram.preview.chats', { count: p.chats.length })}</Text>
        <Text>{t('imports.telegram.preview.messages', { count: p.messages })}</Text>
        <Text>{t('imports.telegram.preview.media', { count: p.mediaFiles })}</Text>
        {p.firstDate && p.lastDate && <Text data-testid="date-range">{t('imports.telegram.preview.dates', { from: f.dateTime(p.firstDate), to: f.dateTime(p.lastDate) })}</Text>}
      </Group>
      <Table.ScrollContainer minWidth={400}>
        <Table striped withTableBorder aria-label={t('imports.telegram.preview.chatsTable')} data-testid="chats">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('imports.telegram.preview.chat')}</Table.Th>
              <Table.Th>{t('imports.telegram.preview.type')}</Table.Th>
              <Table.Th>{t('imports.telegram.preview.count')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {p.chats.map((c) => (
              <Table.Tr key={String(c.id)}>
                <Table.Td>{c.name}</Table.Td>
                <Table.Td>{chatTypeLabel(t, c.type)}</Table.Td>
                <Table.Td>{f.number(c.messages)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );

  const counts = (r: TelegramImportReport) => (
    <Stack gap={4}>
      <Group gap="lg">
        <Text fw={700} data-testid="messages-new">{t('imports.telegram.report.new', { count: r.messages.created })}</Text>
        <Text data-testid="messages-already">{t('imports.telegram.report.already', { count: r.messages.alreadyThere })}</Text>
        <Text>{t('imports.telegram.report.updated', { count: r.messages.updated })}</Text>
        <Text>{t('imports.telegram.report.skipped', { count: r.messages.skipped })}</Text>
        <Text>{t('imports.telegram.report.of', { count: r.messages.seen })}</Text>
      </Group>
      <Group gap="lg">
        <Text data-testid="media-new">{t('imports.telegram.report.mediaNew', { count: r.media.stored })}</Text>
        <Text>{t('imports.telegram.report.mediaHeld', { count: r.media.alreadyHeld })}</Text>
        <Text>{t('imports.telegram.report.mediaLinked', { count: r.media.linked })}</Text>
        <Text>{t('imports.telegram.report.mediaNotTaken', { count: r.media.notTaken })}</Text>
      </Group>
    </Stack>
  );

  const done = (r: TelegramImportReport, compartment: string, p: TelegramPreview | null) => (
    <Stack gap={4}>
      <Text>{r.messages.created > 0 ? t('imports.telegram.report.done', { count: r.messages.created }) : t('imports.telegram.report.nothingNew')}</Text>
      {(p?.chats ?? []).map((c) => (
        <Anchor key={String(c.id)} component={Link} to={`/records/messages?chatId=${encodeURIComponent(String(c.id))}&compartment=${compartment}`} data-testid="chat-messages-link">
          {t('imports.telegram.report.openChat', { chat: c.name })}
        </Anchor>
      ))}
      <Anchor component={Link} to={`/search?type=messages&compartment=${compartment}&sort=-date`} data-testid="search-link">
        {t('imports.telegram.report.search')}
      </Anchor>
    </Stack>
  );

  return (
    <ArchiveImportWizard<TelegramPreview, TelegramImportReport>
      kind="telegram"
      texts={{
        title: t('imports.telegram.title'),
        intro: t('imports.telegram.intro'),
        drop: t('imports.telegram.drop'),
        kept: t('imports.telegram.kept'),
        preview: t('imports.telegram.steps.preview'),
        previewHelp: t('imports.telegram.steps.previewHelp'),
      }}
      howTo={<HowToExport />}
      renderPreview={preview}
      renderCounts={counts}
      renderDone={done}
    />
  );
}

type TF = ReturnType<typeof useTranslation>['t'];
/** Telegram's kinds of chat (as the messages type names them), literal keys (the catalog check finds them). */
function chatTypeLabel(t: TF, type: string): string {
  switch (type) {
    case 'public-channel': return t('imports.telegram.chatTypes.publicChannel');
    case 'private-channel': return t('imports.telegram.chatTypes.privateChannel');
    case 'public-supergroup': return t('imports.telegram.chatTypes.publicGroup');
    case 'private-supergroup': return t('imports.telegram.chatTypes.privateGroup');
    case 'private-group': return t('imports.telegram.chatTypes.privateGroup');
    case 'personal-chat': return t('imports.telegram.chatTypes.personal');
    case 'saved-messages': return t('imports.telegram.chatTypes.saved');
    case 'bot-chat': return t('imports.telegram.chatTypes.bot');
    case 'unknown': return t('imports.telegram.chatTypes.unknown');
    default: return type;
  }
}
