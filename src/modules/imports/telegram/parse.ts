import type { TELEGRAM_CHAT_TYPES } from '../../../domain/records/catalog.js';
import { coded, type Coded } from '../problem-codes.js';

/**
 * Reading Telegram Desktop's machine-readable export ("Export chat history" or "Export Telegram
 * data", format JSON): `result.json` holds either one chat (`{ name, type, id, messages }`) or the
 * whole account (`{ chats: { list: [chat…] }, left_chats: { list: [chat…] }, … }`). Pure: the text
 * of result.json in, messages out; files are the use case's business. Hostile input (nesting that
 * would exhaust the stack, a root that is not an export) is refused with `RefusedExport`.
 */

/** Nesting a real export never comes near (root → chats → list → chat → messages → message → text → entity: 8). */
export const MAX_JSON_DEPTH = 32;

export type ChatType = (typeof TELEGRAM_CHAT_TYPES)[number];

export interface TelegramChat {
  id: string;
  name: string;
  /** Telegram's kind of chat in the catalog's spelling; null when the export names one we do not know. */
  type: ChatType | null;
}

export interface TelegramMessage {
  chat: TelegramChat;
  id: number;
  /** ISO 8601 UTC, from `date_unixtime` (or the local `date` read as UTC when the export is too old to have it). */
  date: string;
  /** `date` as the export wrote it: the exporting computer's local time, without a zone. */
  dateLocal: string | null;
  author: string | null;
  authorId: string | null;
  forwardedFrom: string | null;
  replyTo: number | null;
  edited: string | null;
  mediaType: string | null;
  text: string;
  links: string[];
  /** Paths of the attached files, relative to the export's folder, as written (`photo`, then `file`). */
  media: string[];
  /** Attachments the export does not contain ("File not included…"), with Telegram's words. */
  absentMedia: string[];
}

export interface Problem extends Coded {
  /** `message 123` (with the chat when the export has several), `chat 456`, or a media path. */
  where: string;
  reason: string;
}

export interface ParsedExport {
  chats: TelegramChat[];
  messages: TelegramMessage[];
  /** Entries of `messages` that were not taken, and why (service messages, malformed entries). */
  skipped: Problem[];
  /** Entries of every chat's `messages`, taken or not. */
  seen: number;
}

/** The export cannot be taken at all; nothing is written. The message says why and what to do. */
export class RefusedExport extends Error {
  override readonly name = 'RefusedExport';
}

/**
 * Whether `text` nests arrays and objects deeper than `limit`, by a single scan that skips
 * strings: cheap, and safe where JSON.parse of a 100,000-deep document would overflow the stack.
 *
 * @example jsonDeeperThan('[[[1]]]', 2) // → true
 */
export function jsonDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > limit) return true;
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return false;
}

/**
 * Why a media path from the export may not be opened, or null when it is a plain relative path
 * inside the export's folder. Backslashes count as separators (exports made on Windows).
 *
 * @example mediaPathProblem('photos/photo_1@10-08-2020_23-15-00.jpg') // → null
 * @example mediaPathProblem('../../etc/passwd') // → 'the path climbs out of the export folder ("..")'
 */
export function mediaPathProblem(path: string): string | null {
  if (!path) return 'the path is empty';
  if (path.includes('\0')) return 'the path contains a NUL byte';
  const p = path.replace(/\\/g, '/');
  if (p.startsWith('/') || /^[a-zA-Z]:/.test(p)) return 'the path is absolute';
  if (p.split('/').some((s) => s === '..')) return 'the path climbs out of the export folder ("..")';
  return null;
}

/**
 * A service message's code, with Telegram's name of the action (`pin_message`, `invite_members`…)
 * when it is one: an identifier of Telegram's, never text someone wrote.
 */
function serviceCode(action: unknown): Coded {
  const a = str(action);
  return coded('service-message', a && /^[a-z_]{1,60}$/.test(a) ? { action: a } : undefined);
}

/** Splits a media path into its segments (no empty or "." ones), once `mediaPathProblem` passed it. */
export function mediaPathSegments(path: string): string[] {
  return path
    .replace(/\\/g, '/')
    .split('/')
    .filter((s) => s && s !== '.');
}

const CHAT_TYPES: Record<string, ChatType> = {
  public_channel: 'public-channel',
  private_channel: 'private-channel',
  public_supergroup: 'public-supergroup',
  private_supergroup: 'private-supergroup',
  private_group: 'private-group',
  personal_chat: 'personal-chat',
  bot_chat: 'bot-chat',
  saved_messages: 'saved-messages',
};

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/**
 * Reads the text of result.json. Throws `RefusedExport` when it is nested too deep, is not JSON,
 * or is not a Telegram Desktop export; entries that cannot be read are listed in `skipped`.
 */
export function parseTelegramExport(text: string): ParsedExport {
  if (jsonDeeperThan(text, MAX_JSON_DEPTH))
    throw new RefusedExport(`result.json nests deeper than ${MAX_JSON_DEPTH} levels, which no Telegram Desktop export does: refused unread`);
  let root: Json;
  try {
    root = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as Json;
  } catch (e) {
    throw new RefusedExport(`result.json is not JSON (${(e as Error).message}): export the chat again in Telegram Desktop with the format "Machine-readable JSON"`);
  }
  const chats = chatsOf(root);
  const out: ParsedExport = { chats: [], messages: [], skipped: [], seen: 0 };
  const several = chats.length > 1;
  for (const raw of chats) {
    const chat = chatOf(raw);
    if (!chat) {
      out.skipped.push({ where: `chat ${String(raw.id ?? '?')}`, reason: 'a chat without an id: its messages cannot be told apart from another chat’s', code: 'chat-without-id' });
      continue;
    }
    out.chats.push(chat);
    const list = Array.isArray(raw.messages) ? raw.messages : [];
    let undatedNoted = false;
    for (const m of list) {
      out.seen++;
      const where = (id: unknown) => `message ${String(id ?? '?')}${several ? ` in chat ${chat.id}` : ''}`;
      if (!isObj(m)) {
        out.skipped.push({ where: where('?'), reason: 'not an object', code: 'entry-not-an-object' });
        continue;
      }
      if (m.type === 'service') {
        out.skipped.push({ where: where(m.id), reason: `service message (${str(m.action) ?? 'no action named'}): not a message anyone wrote`, ...serviceCode(m.action) });
        continue;
      }
      if (m.type !== 'message') {
        out.skipped.push({ where: where(m.id), reason: `unknown kind of entry "${String(m.type)}"`, code: 'unknown-entry-kind' });
        continue;
      }
      if (typeof m.id !== 'number' || !Number.isSafeInteger(m.id) || m.id < 0) {
        out.skipped.push({ where: where(m.id), reason: 'no message id (a whole number)', code: 'no-message-id' });
        continue;
      }
      const date = instant(m.date_unixtime, m.date);
      if (!date) {
        out.skipped.push({ where: where(m.id), reason: 'no date it was posted', code: 'no-message-date' });
        continue;
      }
      if (date.fromLocal && !undatedNoted) {
        undatedNoted = true;
        out.skipped.push({ where: `chat ${chat.id}`, reason: 'the export has no date_unixtime (Telegram Desktop before 3.x): its local dates were taken as UTC, which may be off by the exporting computer’s offset', code: 'local-dates-as-utc' });
      }
      const edited = m.edited !== undefined || m.edited_unixtime !== undefined ? instant(m.edited_unixtime, m.edited)?.iso ?? null : null;
      const { text: body, links } = flattenText(Array.isArray(m.text_entities) && m.text_entities.length ? m.text_entities : m.text);
      const media: string[] = [];
      const absentMedia: string[] = [];
      for (const key of ['photo', 'file'] as const) {
        const v = str(m[key]);
        if (!v) continue;
        // Telegram writes "(File not included. Change data exporting settings to download.)" and the like
        if (/^\(.*\)$/s.test(v)) absentMedia.push(`${key}: ${v.slice(1, -1)}`);
        else media.push(v);
      }
      out.messages.push({
        chat,
        id: m.id,
        date: date.iso,
        dateLocal: str(m.date),
        author: str(m.author) ?? str(m.from),
        authorId: str(m.from_id),
        forwardedFrom: str(m.forwarded_from),
        replyTo: typeof m.reply_to_message_id === 'number' && Number.isSafeInteger(m.reply_to_message_id) ? m.reply_to_message_id : null,
        edited,
        mediaType: str(m.media_type) ?? (str(m.photo) ? 'photo' : null),
        text: body,
        links,
        media,
        absentMedia,
      });
    }
  }
  return out;
}

/** The chats of either shape of result.json. */
function chatsOf(root: Json): Obj[] {
  if (!isObj(root)) throw notAnExport('its top level is not an object');
  if (Array.isArray(root.messages)) return [root];
  if (isObj(root.chats) && Array.isArray(root.chats.list)) {
    const left = isObj(root.left_chats) && Array.isArray(root.left_chats.list) ? root.left_chats.list : [];
    return [...root.chats.list, ...left].filter(isObj);
  }
  throw notAnExport('it has neither "messages" (one chat) nor "chats.list" (the whole account)');
}

const notAnExport = (why: string) =>
  new RefusedExport(`result.json is not a Telegram Desktop export: ${why}. Export again in Telegram Desktop with the format "Machine-readable JSON"`);

function chatOf(raw: Obj): TelegramChat | null {
  const id = typeof raw.id === 'number' || typeof raw.id === 'string' ? String(raw.id) : null;
  if (!id) return null;
  const type = typeof raw.type === 'string' ? (CHAT_TYPES[raw.type] ?? null) : null;
  const name = str(raw.name) ?? (type === 'saved-messages' ? 'Saved Messages' : `chat ${id}`);
  return { id, name, type };
}

/** An instant from Telegram's unixtime (a string of seconds), else from its local date read as UTC. */
function instant(unixtime: Json | undefined, local: Json | undefined): { iso: string; fromLocal: boolean } | null {
  const secs = typeof unixtime === 'string' && /^\d{1,12}$/.test(unixtime) ? Number(unixtime) : typeof unixtime === 'number' ? unixtime : NaN;
  if (Number.isFinite(secs)) return { iso: new Date(secs * 1000).toISOString().replace('.000Z', 'Z'), fromLocal: false };
  if (typeof local === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(local)) {
    const d = new Date(`${local}Z`);
    if (!Number.isNaN(d.getTime())) return { iso: d.toISOString().replace('.000Z', 'Z'), fromLocal: true };
  }
  return null;
}

/**
 * Telegram's text (a string, or an array of strings and `{ type, text, href? }` entities) as plain
 * text, and the links in it: `link` entities (the URL as written) and `text_link` ones (their href),
 * each once, in order of appearance.
 *
 * @example flattenText(['see ', { type: 'text_link', text: 'this', href: 'https://example.org/a' }])
 *   // → { text: 'see this', links: ['https://example.org/a'] }
 */
export function flattenText(v: Json | undefined): { text: string; links: string[] } {
  if (typeof v === 'string') return { text: v, links: [] };
  if (!Array.isArray(v)) return { text: '', links: [] };
  let text = '';
  const links: string[] = [];
  for (const part of v) {
    if (typeof part === 'string') text += part;
    else if (isObj(part)) {
      if (typeof part.text === 'string') text += part.text;
      const url = part.type === 'text_link' ? str(part.href) : part.type === 'link' ? str(part.text) : null;
      if (url && !links.includes(url)) links.push(url);
    }
  }
  return { text, links };
}
