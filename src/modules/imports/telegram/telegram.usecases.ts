import { constants } from 'node:fs';
import { lstat, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Kysely } from 'kysely';
import { inTransaction } from '../../../adapters/db/transaction.js';
import { DomainError, ForbiddenError, ValidationError } from '../../../domain/errors.js';
import { can, type Actor, type Subject } from '../../../domain/policies.js';
import { subjectOf } from '../../compartments/compartments.usecases.js';
import { ingestEvidence, linkEvidence, type EvidenceDeps } from '../../evidence/evidence.usecases.js';
import { findOriginalBySha } from '../../evidence/evidence.repository.js';
import { createRecord, parseBody, updateRecord, type RecordsDeps } from '../../records/records.usecases.js';
import { RECORD_SCHEMAS } from '../../records/records.schemas.js';
import { mediaPathProblem, mediaPathSegments, parseTelegramExport, RefusedExport, type Problem, type TelegramMessage } from './parse.js';
import { codeOfRecordProblem, coded, type Coded } from '../problem-codes.js';
import { fileChunks, sha256OfFile } from '../../../adapters/blobs/ingest/file-chunks.js';

/**
 * Importing a Telegram Desktop export (docs/IMPORTS.md): each message a `messages` record, each
 * attached file an evidence item (acquired by "telegram-export") linked to its message. Idempotent
 * by (compartment, platform, chat id, message id): a message already imported is left alone, or
 * updated when the export shows a later edit. Files are read without following symbolic links, and
 * only inside the export's folder; an export that names a path outside it is refused whole, before
 * anything is written.
 */

export type TelegramImportDeps = RecordsDeps & EvidenceDeps;

/** result.json larger than this is refused (a 50,000-message channel exports to about 30 MB). */
export const MAX_RESULT_JSON_BYTES = 256 * 1024 * 1024;
/** Problems listed in the report; the total is always given. */
export const MAX_LISTED_PROBLEMS = 1000;

export interface TelegramImportReport {
  /** A dry run: the counts say what an import would add; nothing was written. */
  dryRun: boolean;
  chats: number;
  messages: { seen: number; created: number; alreadyThere: number; updated: number; skipped: number };
  media: { seen: number; stored: number; alreadyHeld: number; linked: number; notTaken: number };
  /** What was not taken, and why (at most MAX_LISTED_PROBLEMS; see problemsTotal). */
  problems: Problem[];
  problemsTotal: number;
}

export interface TelegramImportOptions {
  /** The export's folder: result.json and the media folders beside it. */
  dir: string;
  /** Id of the compartment the messages and files go to. */
  compartment: string;
  onProgress?: (done: number, total: number) => void | Promise<void>;
  signal?: AbortSignal;
  /** Largest result.json taken (default MAX_RESULT_JSON_BYTES). */
  maxResultJsonBytes?: number;
  /** Read and count what an import would add (messages, files new or already held, problems); write nothing. */
  dryRun?: boolean;
  /** The evidence item (an uploaded ZIP) the export was unpacked from: named in every acquisition. */
  fromItem?: string;
}

/** An export refused whole: nothing was written. */
export class TelegramExportRefused extends DomainError {
  readonly status = 422;
  readonly title = 'Export refused';
}

const PLATFORM = 'telegram';

/**
 * Imports the export in `opts.dir` into a compartment, as `actor`.
 *
 * @example const report = await importTelegramExport(deps, actor, { dir: '/media/usb/ChatExport_2020-08-11', compartment })
 */
export async function importTelegramExport(deps: TelegramImportDeps, actor: Actor, opts: TelegramImportOptions): Promise<TelegramImportReport> {
  const subject = await subjectOf(deps.db, actor);
  const where = { compartmentId: opts.compartment };
  if (!can(subject, 'record.create', where) || !can(subject, 'evidence.ingest', where) || !can(subject, 'evidence.link', where))
    throw new ForbiddenError('your role in that compartment does not let you create records, add evidence and link it: an import needs all three');

  const dir = resolve(opts.dir);
  const parsed = await readExport(dir, opts.maxResultJsonBytes ?? MAX_RESULT_JSON_BYTES);
  const files = await checkMedia(dir, parsed.messages);

  const report: TelegramImportReport = {
    dryRun: Boolean(opts.dryRun),
    chats: parsed.chats.length,
    messages: { seen: parsed.seen, created: 0, alreadyThere: 0, updated: 0, skipped: parsed.skipped.length },
    media: { seen: 0, stored: 0, alreadyHeld: 0, linked: 0, notTaken: 0 },
    problems: [],
    problemsTotal: 0,
  };
  const problem = (p: Problem) => {
    report.problemsTotal++;
    if (report.problems.length < MAX_LISTED_PROBLEMS) report.problems.push(p);
  };
  parsed.skipped.forEach(problem);

  const existing = await existingMessages(deps.db, opts.compartment, parsed.chats.map((c) => c.id));
  /** Dry run: the hashes of files that would be stored (a second copy in the export is then "already held"). */
  const wouldStore = new Set<string>();
  const total = parsed.messages.length;
  let done = 0;
  const several = parsed.chats.length > 1;
  for (const m of parsed.messages) {
    if (opts.signal?.aborted) throw opts.signal.reason ?? new Error('the import was stopped');
    const label = `message ${m.id}${several ? ` in chat ${m.chat.id}` : ''}`;
    try {
      const known = existing.get(`${m.chat.id}/${m.id}`);
      if (known) {
        if (m.edited && (!known.edited || Date.parse(m.edited) > Date.parse(known.edited))) {
          if (!opts.dryRun) await updateRecord(deps, subject, 'messages', known.id, known.version, editedFields(m));
          report.messages.updated++;
        } else report.messages.alreadyThere++;
      } else {
        await importMessage(deps, subject, opts, m, files, report, problem, wouldStore);
        report.messages.created++;
      }
    } catch (e) {
      if (isDuplicateKey(e)) report.messages.alreadyThere++; // another import took it in the meantime
      else if (e instanceof DomainError) {
        report.messages.skipped++;
        problem({ where: label, reason: e instanceof ValidationError ? e.problems.map((p) => `${p.field}: ${p.message}`).join('; ') : e.message, ...codeOfError(e) });
      } else throw e;
    }
    done++;
    await opts.onProgress?.(done, total);
  }
  return report;
}

/** Reads and parses result.json, refusing what is not a safe, readable export. */
async function readExport(dir: string, maxBytes: number): Promise<ReturnType<typeof parseTelegramExport>> {
  const top = await lstat(dir).catch(() => null);
  if (!top) throw new TelegramExportRefused(`${dir} does not exist`);
  if (top.isSymbolicLink()) throw new TelegramExportRefused(`${dir} is a symbolic link: give the export's folder itself (links are never followed)`);
  if (!top.isDirectory()) throw new TelegramExportRefused(`${dir} is not a folder: give the folder that holds result.json`);
  const path = join(dir, 'result.json');
  const st = await lstat(path).catch(() => null);
  if (!st) throw new TelegramExportRefused(`there is no result.json in ${dir}: export in Telegram Desktop with the format "Machine-readable JSON"`);
  if (st.isSymbolicLink()) throw new TelegramExportRefused('result.json is a symbolic link: refused (links are never followed)');
  if (!st.isFile()) throw new TelegramExportRefused('result.json is not a regular file');
  if (st.size > maxBytes)
    throw new TelegramExportRefused(`result.json has ${st.size} bytes, more than the ${maxBytes} an import takes: export the chat in parts (Telegram Desktop lets you choose a date range)`);
  const text = await readFile(path, { encoding: 'utf8', flag: constants.O_RDONLY | constants.O_NOFOLLOW });
  try {
    return parseTelegramExport(text);
  } catch (e) {
    if (e instanceof RefusedExport) throw new TelegramExportRefused(e.message);
    throw e;
  }
}

type MediaCheck = { ok: true; path: string; size: number } | { ok: false; reason: string; code: 'not-a-regular-file' | 'file-missing' };

/**
 * Checks every media path before anything is written: a path that is absolute, climbs out with
 * "..", or passes through a symbolic link refuses the whole export (it was made to reach outside
 * the folder). Missing files, folders and oversized files are problems of their message only.
 */
async function checkMedia(dir: string, messages: TelegramMessage[]): Promise<Map<string, MediaCheck>> {
  const out = new Map<string, MediaCheck>();
  const seenDirs = new Map<string, 'dir' | 'missing'>();
  for (const m of messages) {
    for (const rel of m.media) {
      if (out.has(rel)) continue;
      const bad = mediaPathProblem(rel);
      if (bad) throw new TelegramExportRefused(`message ${m.id} names the file "${rel}": ${bad}. An export never does; nothing was imported`);
      const segments = mediaPathSegments(rel);
      let at = dir;
      let missing = false;
      for (const [i, seg] of segments.entries()) {
        at = join(at, seg);
        const last = i === segments.length - 1;
        const cached = last ? undefined : seenDirs.get(at);
        if (cached) {
          if (cached === 'missing') missing = true;
          if (missing) break;
          continue;
        }
        const st = await lstat(at).catch(() => null);
        if (!st) {
          if (!last) seenDirs.set(at, 'missing');
          missing = true;
          break;
        }
        if (st.isSymbolicLink())
          throw new TelegramExportRefused(`"${segments.slice(0, i + 1).join('/')}" (named by message ${m.id}) is a symbolic link: links are never followed, and an export has none; nothing was imported`);
        if (!last) {
          if (!st.isDirectory()) {
            missing = true;
            break;
          }
          seenDirs.set(at, 'dir');
        } else if (!st.isFile()) out.set(rel, { ok: false, reason: 'not a regular file', code: 'not-a-regular-file' });
        else out.set(rel, { ok: true, path: at, size: st.size });
      }
      if (missing) out.set(rel, { ok: false, reason: 'missing from the export folder', code: 'file-missing' });
    }
  }
  return out;
}

interface Known {
  id: string;
  version: number;
  edited: string | null;
}

/** Messages of these chats already in the compartment, by `chatId/messageId`. */
async function existingMessages(db: Kysely<any>, compartment: string, chatIds: string[]): Promise<Map<string, Known>> {
  const out = new Map<string, Known>();
  for (const chatId of new Set(chatIds)) {
    const rows = await db
      .selectFrom('messages')
      .select(['id', 'version', 'message_id', 'edited'])
      .where('compartment_id', '=', compartment)
      .where('platform', '=', PLATFORM)
      .where('chat_id', '=', chatId)
      .execute();
    for (const r of rows) out.set(`${chatId}/${Number(r.message_id)}`, { id: r.id as string, version: Number(r.version), edited: (r.edited as string | null) ?? null });
  }
  return out;
}

function recordFields(m: TelegramMessage): Record<string, unknown> {
  const f: Record<string, unknown> = {
    platform: PLATFORM,
    chat: m.chat.name,
    chatId: m.chat.id,
    messageId: m.id,
    date: m.date,
  };
  const optional: Record<string, unknown> = {
    chatType: m.chat.type,
    dateLocal: m.dateLocal,
    author: m.author,
    authorId: m.authorId,
    forwardedFrom: m.forwardedFrom,
    replyTo: m.replyTo,
    edited: m.edited,
    mediaType: m.mediaType,
    text: m.text || null,
    urls: m.links.length ? m.links.join('\n') : null,
  };
  for (const [k, v] of Object.entries(optional)) if (v !== null && v !== undefined) f[k] = v;
  return f;
}

/** What an edit may change: the text, its links, the edit time. */
function editedFields(m: TelegramMessage): Record<string, unknown> {
  return { text: m.text || null, urls: m.links.length ? m.links.join('\n') : null, edited: m.edited };
}

/**
 * One new message: its files first (content-addressed, so a retry after a failure adds no item),
 * then the record and its evidence links in one transaction.
 */
async function importMessage(
  deps: TelegramImportDeps,
  subject: Subject,
  opts: TelegramImportOptions,
  m: TelegramMessage,
  files: Map<string, MediaCheck>,
  report: TelegramImportReport,
  problem: (p: Problem) => void,
  wouldStore: Set<string>,
): Promise<void> {
  const compartment = opts.compartment;
  // a message that cannot be a record is refused before its files are read: a second import of the
  // same export then adds no acquisition either
  const fields = { ...recordFields(m), compartment };
  parseBody(RECORD_SCHEMAS.get('messages')!.create, fields);
  const items: string[] = [];
  for (const absent of m.absentMedia) {
    report.media.notTaken++;
    problem({ where: `message ${m.id}`, reason: `attachment not in the export (${absent})`, code: 'attachment-not-exported' });
  }
  for (const rel of m.media) {
    report.media.seen++;
    const f = files.get(rel)!;
    if (!f.ok) {
      report.media.notTaken++;
      problem({ where: rel, reason: `${f.reason} (message ${m.id}; the message is imported without it)`, ...coded(f.code, { message: m.id }) });
      continue;
    }
    if (deps.maxBytes !== undefined && f.size > deps.maxBytes) {
      report.media.notTaken++;
      problem({
        where: rel,
        reason: `${f.size} bytes, more than the ${deps.maxBytes} this server takes (LETAPIS_MAX_UPLOAD_BYTES); the message is imported without it`,
        ...coded('file-too-large', { size: f.size, max: deps.maxBytes, message: m.id }),
      });
      continue;
    }
    try {
      if (opts.dryRun) {
        // what the import would do: the same bytes already an item of the compartment are "already held"
        const sha256 = await sha256OfFile(f.path, { noFollow: true });
        if (wouldStore.has(sha256) || (await findOriginalBySha(deps.db, compartment, sha256))) report.media.alreadyHeld++;
        else report.media.stored++;
        wouldStore.add(sha256);
        items.push(sha256);
        continue;
      }
      const r = await ingestEvidence(deps, subject, fileChunks(f.path, undefined, { noFollow: true }), {
        compartment,
        method: 'telegram-export',
        filename: mediaPathSegments(rel).at(-1),
        source: `Telegram ${m.chat.type ?? 'chat'} "${m.chat.name}" (id ${m.chat.id}), message ${m.id} posted ${m.date}`,
        // the note is kept in clear: ids and the date only (the chat's name and the file's are kept encrypted)
        note: `Telegram Desktop export: chat ${m.chat.id}, message ${m.id}, posted ${m.date}${opts.fromItem ? `; unpacked from the uploaded export, evidence item ${opts.fromItem}` : ''}`,
      });
      if (r.duplicate) report.media.alreadyHeld++;
      else report.media.stored++;
      if (!items.includes(r.item.id)) items.push(r.item.id);
    } catch (e) {
      if (!(e instanceof DomainError) && !(e as NodeJS.ErrnoException).code) throw e;
      report.media.notTaken++;
      problem({ where: rel, reason: `${(e as Error).message} (message ${m.id}; the message is imported without it)`, ...coded('file-not-read', { message: m.id }) });
    }
  }
  if (opts.dryRun) {
    report.media.linked += new Set(items).size;
    return;
  }
  await inTransaction(deps.db, async (trx) => {
    const record = await createRecord({ ...deps, db: trx }, subject, 'messages', fields);
    for (const itemId of items) await linkEvidence({ ...deps, db: trx }, subject, itemId, { targetType: 'messages', targetId: record.id });
  });
  report.media.linked += items.length;
}

/** A message's refusal as a code: that of its one validation problem, when it has a fixed shape. */
function codeOfError(e: DomainError): Coded {
  if (!(e instanceof ValidationError) || e.problems.length !== 1) return {};
  const p = e.problems[0]!;
  const c = codeOfRecordProblem(p);
  return c.code ? coded(c.code, { ...c.params, field: p.field }) : {};
}

function isDuplicateKey(e: unknown): boolean {
  const code = (e as { code?: string } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
