import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ProblemParams } from '../../api/imports';
import { localLabel, useVocabularies } from '../../api/vocabularies';
import { typeLabel } from '../search/labels';

/**
 * An importer's problem in the reader's language: its `code` and `params` through the catalog
 * (`imports.reason.<code>`), or the server's English `reason` when the code is absent or unknown
 * (a newer server, or a record check without a fixed shape). Params name vocabularies, record
 * types and fields, which are said by their labels. docs/IMPORTS.md lists the codes.
 */
export interface CodedProblem {
  reason: string;
  /** The field at fault (a list's problem): says an enum's allowed values by their labels. */
  field?: string | null;
  code?: string;
  params?: ProblemParams;
}

interface Labels {
  vocabulary: (name: string) => string;
  field: (name: string) => string;
  /** An allowed value of an enum field by its label, when the page knows the field. */
  value?: (field: string, value: string) => string;
}

/** The catalog's sentence for a code (literal keys, so the catalog test can check them), or null. */
function sentence(t: TFunction, code: string, v: Record<string, string | number>): string | null {
  switch (code) {
    case 'not-a-date':
      return t('imports.reason.not-a-date', v);
    case 'not-a-calendar-date':
      return t('imports.reason.not-a-calendar-date', v);
    case 'not-a-whole-date':
      return t('imports.reason.not-a-whole-date', v);
    case 'date-without-day':
      return t('imports.reason.date-without-day', v);
    case 'not-a-whole-number':
      return t('imports.reason.not-a-whole-number', v);
    case 'not-a-number':
      return t('imports.reason.not-a-number', v);
    case 'not-yes-or-no':
      return t('imports.reason.not-yes-or-no', v);
    case 'not-an-allowed-value':
      return t('imports.reason.not-an-allowed-value', v);
    case 'unknown-term':
      return t('imports.reason.unknown-term', v);
    case 'not-a-record-id':
      return t('imports.reason.not-a-record-id', v);
    case 'identity-part-needed':
      return t('imports.reason.identity-part-needed', v);
    case 'required':
      return t('imports.reason.required', v);
    case 'record-not-found':
      return t('imports.reason.record-not-found', v);
    case 'deprecated-term':
      return t('imports.reason.deprecated-term', v);
    case 'exactly-one-of':
      return t('imports.reason.exactly-one-of', v);
    case 'at-least-one-of':
      return t('imports.reason.at-least-one-of', v);
    case 'end-before-start':
      return t('imports.reason.end-before-start', v);
    case 'latitude-and-longitude':
      return t('imports.reason.latitude-and-longitude', v);
    case 'too-long':
      return t('imports.reason.too-long', v);
    case 'too-many':
      return t('imports.reason.too-many', v);
    case 'too-large':
      return t('imports.reason.too-large', v);
    case 'too-small':
      return t('imports.reason.too-small', v);
    case 'chat-without-id':
      return t('imports.reason.chat-without-id', v);
    case 'entry-not-an-object':
      return t('imports.reason.entry-not-an-object', v);
    case 'service-message':
      return t('imports.reason.service-message', v);
    case 'unknown-entry-kind':
      return t('imports.reason.unknown-entry-kind', v);
    case 'no-message-id':
      return t('imports.reason.no-message-id', v);
    case 'no-message-date':
      return t('imports.reason.no-message-date', v);
    case 'local-dates-as-utc':
      return t('imports.reason.local-dates-as-utc', v);
    case 'attachment-not-exported':
      return t('imports.reason.attachment-not-exported', v);
    case 'file-missing':
      return t('imports.reason.file-missing', v);
    case 'not-a-regular-file':
      return t('imports.reason.not-a-regular-file', v);
    case 'file-too-large':
      return t('imports.reason.file-too-large', v);
    case 'file-not-read':
      return t('imports.reason.file-not-read', v);
    case 'folder-unreadable':
      return t('imports.reason.folder-unreadable', v);
    case 'file-gone':
      return t('imports.reason.file-gone', v);
    case 'symbolic-link':
      return t('imports.reason.symbolic-link', v);
    case 'unknown-column':
      return t('imports.reason.unknown-column', v);
    case 'file-cell-empty':
      return t('imports.reason.file-cell-empty', v);
    case 'path-empty':
      return t('imports.reason.path-empty', v);
    case 'path-nul-byte':
      return t('imports.reason.path-nul-byte', v);
    case 'path-absolute':
      return t('imports.reason.path-absolute', v);
    case 'path-climbs-out':
      return t('imports.reason.path-climbs-out', v);
    case 'path-outside-folder':
      return t('imports.reason.path-outside-folder', v);
    case 'path-through-link':
      return t('imports.reason.path-through-link', v);
    case 'no-such-file':
      return t('imports.reason.no-such-file', v);
    case 'described-twice':
      return t('imports.reason.described-twice', v);
    case 'sidecar-not-read-row-describes':
      return t('imports.reason.sidecar-not-read-row-describes', v);
    case 'sidecar-too-large':
      return t('imports.reason.sidecar-too-large', v);
    case 'sidecar-not-utf8':
      return t('imports.reason.sidecar-not-utf8', v);
    case 'sidecar-too-deep':
      return t('imports.reason.sidecar-too-deep', v);
    case 'sidecar-not-json':
      return t('imports.reason.sidecar-not-json', v);
    case 'sidecar-not-object':
      return t('imports.reason.sidecar-not-object', v);
    case 'sidecar-links-malformed':
      return t('imports.reason.sidecar-links-malformed', v);
    case 'sidecar-value-not-text':
      return t('imports.reason.sidecar-value-not-text', v);
    case 'sidecar-unknown-key':
      return t('imports.reason.sidecar-unknown-key', v);
    case 'sidecar-broken':
      return t('imports.reason.sidecar-broken', v);
    case 'link-malformed':
      return t('imports.reason.link-malformed', v);
    case 'link-unknown-type':
      return t('imports.reason.link-unknown-type', v);
    case 'link-not-a-record-id':
      return t('imports.reason.link-not-a-record-id', v);
    case 'no-metadata':
      return t('imports.reason.no-metadata', v);
    default:
      return null;
  }
}

/** Telegram's names of service actions the catalog says; another is shown as Telegram names it. */
function serviceAction(t: TFunction, action: string | number | undefined): string {
  switch (action) {
    case undefined:
      return t('imports.reasonExtra.noAction');
    case 'pin_message':
      return t('imports.serviceAction.pinMessage');
    case 'invite_members':
      return t('imports.serviceAction.inviteMembers');
    case 'remove_members':
      return t('imports.serviceAction.removeMembers');
    case 'join_group_by_link':
      return t('imports.serviceAction.joinGroupByLink');
    case 'create_group':
      return t('imports.serviceAction.createGroup');
    case 'create_channel':
      return t('imports.serviceAction.createChannel');
    case 'edit_group_title':
      return t('imports.serviceAction.editGroupTitle');
    case 'edit_group_photo':
      return t('imports.serviceAction.editGroupPhoto');
    case 'migrate_to_supergroup':
    case 'migrate_from_group':
      return t('imports.serviceAction.migrateToSupergroup');
    case 'phone_call':
      return t('imports.serviceAction.phoneCall');
    case 'group_call':
      return t('imports.serviceAction.groupCall');
    default:
      return String(action);
  }
}

/**
 * A problem's text: the translated sentence, with the metadata.csv row it came from and the field
 * at fault when the params name them; the English reason when the code is not known here.
 */
export function problemText(t: TFunction, p: CodedProblem, labels: Labels): string {
  if (!p.code) return p.reason;
  const params = p.params ?? {};
  const v: Record<string, string | number> = { ...params };
  if (typeof params.vocabulary === 'string') v.vocabulary = labels.vocabulary(params.vocabulary);
  if (typeof params.type === 'string') v.type = typeLabel(t, params.type);
  if (typeof params.values === 'string' && p.field && labels.value) v.values = params.values.split(', ').map((x) => labels.value!(p.field!, x)).join(', ');
  if (typeof params.fields === 'string') v.fields = params.fields.split(', ').map(labels.field).join(', ');
  if (typeof params.end === 'string') v.end = labels.field(params.end);
  if (typeof params.start === 'string') v.start = labels.field(params.start);
  if (p.code === 'service-message') v.action = serviceAction(t, params.action);
  if (p.code === 'folder-unreadable' && params.error === undefined) v.error = '—';
  let text: string | null;
  if (p.code === 'unknown-term' && params.position !== undefined)
    text = t('imports.reasonExtra.unknownTermPart', { position: params.position, total: params.count, vocabulary: v.vocabulary });
  else text = sentence(t, p.code, v);
  if (text === null) return p.reason;
  const own = p.code === 'described-twice' || p.code === 'sidecar-not-read-row-describes';
  if (params.row !== undefined && !own) text = `${text} ${t('imports.reasonExtra.fromRow', { row: params.row })}`;
  if (typeof params.field === 'string') text = `${labels.field(params.field)}: ${text}`;
  return text;
}

/**
 * Where a Telegram or folder problem is, in the reader's language: "message 12", "message 12 in
 * chat 34", "chat 34", "metadata.csv row 4", "metadata.csv column 7" are said by the catalog; a
 * file's path (already cut to its first folder by the server) is shown as it is.
 */
export function whereText(t: TFunction, where: string): string {
  let m: RegExpExecArray | null;
  if ((m = /^message (\S+) in chat (\S+)$/.exec(where))) return t('imports.at.messageInChat', { id: m[1], chat: m[2] });
  if ((m = /^message (\S+)$/.exec(where))) return t('imports.at.message', { id: m[1] });
  if ((m = /^chat (\S+)$/.exec(where))) return t('imports.at.chat', { chat: m[1] });
  if ((m = /^metadata\.csv row (\d+)$/.exec(where))) return t('imports.at.csvRow', { row: m[1] });
  if ((m = /^metadata\.csv column (\d+)$/.exec(where))) return t('imports.at.csvColumn', { column: m[1] });
  return where;
}

/**
 * `problemText` and `whereText` for a page: vocabularies said by their labels in the UI's
 * language, fields by `fieldLabel` (the list wizard's labels of its mapping), else by their names.
 */
export function useProblemText(fieldLabel?: (name: string) => string, valueLabel?: (field: string, value: string) => string) {
  const { t, i18n } = useTranslation();
  const vocabularies = useVocabularies();
  const labels: Labels = {
    vocabulary: (name) => localLabel(vocabularies.data?.find((x) => x.name === name)?.labels, i18n.language) ?? name,
    field: fieldLabel ?? ((name) => name),
    value: valueLabel,
  };
  return { reason: (p: CodedProblem) => problemText(t, p, labels), where: (w: string) => whereText(t, w) };
}
