import { join } from 'node:path';
import { z } from 'zod';
import { enqueue } from '../../adapters/queue/enqueue.js';
import { inTransaction } from '../../adapters/db/transaction.js';
import { ForbiddenError, ValidationError } from '../../domain/errors.js';
import { can, type Actor, type RecordAction } from '../../domain/policies.js';
import { subjectOf } from '../compartments/compartments.usecases.js';
import type { EvidenceDeps } from '../evidence/evidence.usecases.js';
import { parseBody } from '../records/records.usecases.js';
import { downloadableItem, entryNamed, exportRoot, readZipBytes, unpackZip, withZipItem, ZipImportRefused, type OpenedZip, type ZipImportDeps } from './zip-unpack.js';
import { parseTelegramExport, RefusedExport } from './telegram/parse.js';
import { MAX_RESULT_JSON_BYTES } from './telegram/telegram.usecases.js';
import { MAX_METADATA_CSV_BYTES, MAX_SIDECAR_BYTES, METADATA_CSV, readMetadataCsv, readSidecars, type RawMeta } from './folder/metadata.js';

/**
 * The Telegram and folder importers over HTTP (docs/IMPORTS.md): the export is uploaded as a ZIP,
 * an evidence item like any other (its custody starts there), then previewed (synchronously, from
 * the ZIP's directory and the few small entries needed), and dry-run or imported as a job that
 * unpacks it to a private temporary folder (`zip-unpack.ts`), runs the importer on it and removes it.
 * Reading the ZIP needs `evidence.download` on the item; an import, what the importer needs in the
 * target compartment. As the lists importer: 404 for an item the actor cannot see, 422 for a
 * compartment they are not in, 403 for a role that may not.
 */

export const zipItemSchema = z.object({ itemId: z.uuid({ message: 'must be an evidence item id (UUID)' }).describe('The export, uploaded as a ZIP evidence item') }).strict();

export const zipImportSchema = zipItemSchema
  .extend({
    compartment: z.uuid().describe('The compartment the messages and files go into'),
    dryRun: z.boolean().default(false).describe('Read the export and report what an import would add; write nothing'),
  })
  .strict();

export type ZipImportRequest = z.infer<typeof zipImportSchema>;

export type ZipImportKind = 'telegram' | 'folder';

/** What each importer needs in the target compartment (as importTelegramExport and importFolder check). */
const NEEDS: Record<ZipImportKind, { permissions: RecordAction[]; words: string }> = {
  telegram: { permissions: ['record.create', 'evidence.ingest', 'evidence.link'], words: 'create records, add evidence and link it: a Telegram import needs all three' },
  folder: { permissions: ['evidence.ingest', 'evidence.link'], words: 'add evidence and link it: a folder import needs both' },
};

/** Refuses early what the job would refuse: no right to import into the compartment. */
async function authorizeImport(deps: EvidenceDeps, actor: Actor, kind: ZipImportKind, compartment: string): Promise<void> {
  const subject = await subjectOf(deps.db, actor);
  const where = { compartmentId: compartment };
  if (NEEDS[kind].permissions.every((p) => can(subject, p, where))) return;
  if (can(subject, 'record.read', where)) throw new ForbiddenError(`your role in that compartment does not let you ${NEEDS[kind].words}`);
  throw new ValidationError([{ field: 'compartment', message: `no compartment you belong to has id ${compartment}` }]);
}

/**
 * Queues a dry run or an import of an uploaded export (`imports.telegram` or `imports.folder` with
 * the item's id); the job's result is the report. The same run asked again while it is queued or
 * running returns its job (`created: false`).
 */
export async function requestZipImport(deps: ZipImportDeps, actor: Actor, kind: ZipImportKind, input: unknown): Promise<{ jobId: string; created: boolean }> {
  const req = parseBody(zipImportSchema, input);
  await authorizeImport(deps, actor, kind, req.compartment);
  await downloadableItem(deps, actor, req.itemId);
  const payload = { itemId: req.itemId, compartment: req.compartment, actorId: actor.userId, dryRun: req.dryRun };
  const key = `imports.${kind}:${req.itemId}:${req.compartment}:${req.dryRun ? 'dry' : 'import'}`;
  return inTransaction(deps.db, async (trx) => {
    const job =
      kind === 'telegram'
        ? await enqueue(trx, 'imports.telegram', payload, { compartmentId: req.compartment, dedupeKey: key, maxAttempts: 3 })
        : await enqueue(trx, 'imports.folder', payload, { compartmentId: req.compartment, dedupeKey: key, maxAttempts: 3 });
    await deps.audit(trx, {
      action: `import.${kind}${req.dryRun ? '-dry-run' : ''}`,
      actorId: actor.userId,
      targetType: 'evidence',
      targetId: req.itemId,
      details: { jobId: job.id, compartment: req.compartment },
    });
    return { jobId: job.id, created: job.created };
  });
}

// ── Telegram ─────────────────────────────────────────────────────────────────────────────────────

export interface TelegramPreview {
  chats: { id: string; name: string; type: string; messages: number }[];
  messages: number;
  mediaFiles: number;
  firstDate: string | null;
  lastDate: string | null;
}

/** Where result.json is: the ZIP's root or its one top folder; else a refusal saying what to upload. */
function telegramRoot(zip: OpenedZip): string {
  const root = exportRoot(zip.files.map((e) => e.name), 'result.json');
  if (entryNamed(zip, `${root}result.json`)) return root;
  throw new ZipImportRefused(
    'the ZIP holds no result.json at its top or inside its one top folder: export the chat in Telegram Desktop with the format "Machine-readable JSON" and zip the folder it wrote (ChatExport_…), one export per ZIP',
  );
}

/**
 * What an uploaded Telegram export holds: its chats with their message counts, the files its
 * messages name, the first and last dates. Reads only result.json from the ZIP (through the ZIP's
 * guards and the parser's depth check); writes nothing but the audit of opening the item.
 *
 * @example await previewTelegramZip(deps, actor, { itemId }) // → { chats: [{ id: '1234567890', name: '…', type: 'public-channel', messages: 40 }], messages: 40, … }
 */
export async function previewTelegramZip(deps: ZipImportDeps, actor: Actor, input: unknown): Promise<TelegramPreview> {
  const { itemId } = parseBody(zipItemSchema, input);
  return withZipItem(deps, actor, itemId, async (zip) => {
    const entry = entryNamed(zip, `${telegramRoot(zip)}result.json`)!;
    if (entry.size > MAX_RESULT_JSON_BYTES)
      throw new ZipImportRefused(`result.json has ${entry.size} bytes, more than the ${MAX_RESULT_JSON_BYTES} an import takes: export the chat in parts (Telegram Desktop lets you choose a date range)`);
    const text = (await readZipBytes(zip, entry, MAX_RESULT_JSON_BYTES)).toString('utf8');
    let parsed;
    try {
      parsed = parseTelegramExport(text);
    } catch (e) {
      if (e instanceof RefusedExport) throw new ZipImportRefused(e.message);
      throw e;
    }
    const perChat = new Map<string, number>();
    const media = new Set<string>();
    let first: string | null = null;
    let last: string | null = null;
    for (const m of parsed.messages) {
      perChat.set(m.chat.id, (perChat.get(m.chat.id) ?? 0) + 1);
      for (const p of m.media) media.add(p);
      if (first === null || m.date < first) first = m.date;
      if (last === null || m.date > last) last = m.date;
    }
    return {
      chats: parsed.chats.map((c) => ({ id: c.id, name: c.name, type: c.type ?? 'unknown', messages: perChat.get(c.id) ?? 0 })),
      messages: parsed.messages.length,
      mediaFiles: media.size,
      firstDate: first,
      lastDate: last,
    };
  });
}

// ── Folders ──────────────────────────────────────────────────────────────────────────────────────

export const PREVIEW_FILES = 20;

export interface FolderPreview {
  files: number;
  metadataCsv: boolean;
  sidecars: number;
  sample: { path: string; hasMetadata: boolean }[];
}

/** The folder inside the ZIP: its root, or its one top folder (a zipped folder). */
const folderRoot = (zip: OpenedZip) => exportRoot(zip.files.map((e) => e.name), METADATA_CSV);

/**
 * What an uploaded folder holds: how many files would be taken, whether it has a metadata.csv, how
 * many JSON sidecars describe files, and the first 20 files with whether metadata describes them.
 * Only metadata.csv and the small .json files are unpacked (to the private temporary folder, removed
 * after); writes nothing but the audit of opening the item.
 */
export async function previewFolderZip(deps: ZipImportDeps, actor: Actor, input: unknown): Promise<FolderPreview> {
  const { itemId } = parseBody(zipItemSchema, input);
  return withZipItem(deps, actor, itemId, async (zip) => {
    const root = folderRoot(zip);
    const dir = await unpackZip(zip, {
      root,
      take: (rel, e) => rel === METADATA_CSV || (rel.toLowerCase().endsWith('.json') && e.size <= MAX_SIDECAR_BYTES),
    });
    // every file as the importer would find it; those not unpacked are never read here
    const found = new Map<string, { path: string; size: number }>();
    for (const e of zip.files) {
      if (!e.name.startsWith(root)) continue;
      const rel = e.name.slice(root.length).split('/').filter((s) => s && s !== '.').join('/');
      if (rel) found.set(rel, { path: join(dir, ...rel.split('/')), size: e.size });
    }
    const metas = new Map<string, RawMeta>();
    const ignore = () => {};
    const csv = found.get(METADATA_CSV);
    if (csv) {
      found.delete(METADATA_CSV);
      if (csv.size > MAX_METADATA_CSV_BYTES) throw new ZipImportRefused(`metadata.csv has ${csv.size} bytes, more than the ${MAX_METADATA_CSV_BYTES} taken`);
      await readMetadataCsv(csv.path, csv.size, dir, found, metas, ignore);
    }
    const sidecars = await readSidecars(found, metas, ignore);
    const paths = [...found.keys()].sort();
    return {
      files: paths.length,
      metadataCsv: Boolean(csv),
      sidecars,
      sample: paths.slice(0, PREVIEW_FILES).map((path) => ({ path, hasMetadata: Boolean(metas.get(path) && !metas.get(path)!.broken) })),
    };
  });
}

// ── Running an import: from a folder here (the CLI) or from an uploaded ZIP (the API) ────────────

/** What both importers take (importTelegramExport, importFolder). */
interface DirImportOptions {
  dir: string;
  compartment: string;
  dryRun?: boolean;
  fromItem?: string;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void | Promise<void>;
}

/** Where an import's export is: a folder on this machine, or an uploaded ZIP evidence item. */
export type ImportSource = ({ dir: string } | { itemId: string }) & { compartment: string; dryRun?: boolean };

/** Share of the progress bar given to unpacking. */
const UNPACK_SHARE = 0.2;

/**
 * Runs `importer` (importTelegramExport or importFolder) as `actor` on a folder, or on an uploaded
 * ZIP unpacked for it into a private temporary folder (removed afterwards, whatever happens; every
 * acquisition then names the item). Progress: the share done (0…1) and what, e.g. "12 of 40 messages".
 *
 * @example await runImport(deps, actor, 'telegram', { itemId, compartment, dryRun: true }, importTelegramExport, { onProgress: (share, what) => ctx.progress(share * 100, what) })
 */
export async function runImport<R>(
  deps: EvidenceDeps & { tmpDir?: string; zipLimits?: ZipImportDeps['zipLimits'] },
  actor: Actor,
  kind: ZipImportKind,
  source: ImportSource,
  importer: (deps: EvidenceDeps, actor: Actor, opts: DirImportOptions) => Promise<R>,
  opts: { signal?: AbortSignal; onProgress?: (share: number, message: string) => void | Promise<void> } = {},
): Promise<R> {
  const unit = kind === 'telegram' ? 'messages' : 'files';
  const run = (dir: string, fromItem: string | undefined, start: number) =>
    importer(deps, actor, {
      dir,
      compartment: source.compartment,
      dryRun: source.dryRun,
      fromItem,
      signal: opts.signal,
      onProgress: (done, total) => opts.onProgress?.(start + (total ? done / total : 1) * (1 - start), `${done} of ${total} ${unit}`),
    });
  if ('dir' in source) return run(source.dir, undefined, 0);
  if (!deps.tmpDir) throw new ZipImportRefused('this process has no temporary folder to unpack an uploaded export into');
  await authorizeImport(deps, actor, kind, source.compartment);
  const { itemId } = source;
  return withZipItem(
    { ...deps, tmpDir: deps.tmpDir },
    actor,
    itemId,
    async (zip) => {
      const dir = await unpackZip(zip, {
        root: kind === 'telegram' ? telegramRoot(zip) : folderRoot(zip),
        signal: opts.signal,
        onProgress: (done, total) => opts.onProgress?.((done / total) * UNPACK_SHARE, `unpacking: ${done} of ${total} files`),
      });
      return run(dir, itemId, UNPACK_SHARE);
    },
    opts.signal,
  );
}
