import { createHash } from 'node:crypto';
import { lstat, readdir } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { DomainError, ForbiddenError, ValidationError } from '../../../domain/errors.js';
import { can, type Actor, type Subject } from '../../../domain/policies.js';
import { subjectOf } from '../../compartments/compartments.usecases.js';
import { ingestEvidence, linkEvidence, type EvidenceDeps } from '../../evidence/evidence.usecases.js';
import { findOriginalBySha } from '../../evidence/evidence.repository.js';
import type { ListForm } from '../lists/read.js';
import { codeOfRecordProblem, coded, type CodedFieldProblem } from '../problem-codes.js';
import { checkMeta, FolderImportRefused, METADATA_CSV, readMetadataCsv, readSidecars, type Meta, type Problem, type RawMeta } from './metadata.js';
import { fileChunks, sha256OfFile } from '../../../adapters/blobs/ingest/file-chunks.js';

export { FolderImportRefused, METADATA_COLUMNS, METADATA_CSV, MAX_SIDECAR_BYTES, MAX_SIDECAR_DEPTH, pathProblem, type Problem } from './metadata.js';

/**
 * Importing a folder of files described by a `metadata.csv` at its root or by per-file JSON
 * sidecars (docs/IMPORTS.md, "Folders with sidecars"). Each file becomes an evidence item through
 * `ingestEvidence` (the same bytes are the same item, with another acquisition), its acquisition
 * carrying the source (encrypted), and in its note the date and place as given and the note; each
 * `type:id` link an evidence link. Idempotent: each acquisition made is recorded in `import_rows`
 * under a key of (compartment, the file's path in the folder, its metadata), so importing the
 * folder again adds nothing. Symbolic links are never followed; paths in metadata.csv that are
 * absolute, climb with "..", or leave the folder are refused per row.
 */

export type FolderImportDeps = EvidenceDeps;

export const MAX_LISTED_PROBLEMS = 1000;
/** `mapping_hash` prefix of this importer's rows in import_rows (row 0, record_type below). */
const KEY_PREFIX = 'folder:';
const KEY_RECORD_TYPE = 'evidence-acquisitions';

export interface FolderImportReport {
  dryRun: boolean;
  /** Where the metadata came from. */
  metadata: { csv: boolean; sidecars: number; form: ListForm | null };
  files: {
    /** Regular files found (metadata.csv and sidecars not counted). */
    seen: number;
    /** Files taken in, each with a new acquisition (in a dry run: that would be). */
    taken: number;
    /** Of those, items new to the compartment. */
    newItems: number;
    /** Of those, items already held (same bytes): an acquisition was added. */
    alreadyHeld: number;
    /** Files this import had taken already: nothing added. */
    alreadyImported: number;
    /** Taken without any metadata (no row, no sidecar). */
    withoutMetadata: number;
    notTaken: number;
  };
  links: { added: number; alreadyThere: number };
  problems: Problem[];
  problemsTotal: number;
}

export interface FolderImportOptions {
  dir: string;
  /** Id of the compartment the files go to. */
  compartment: string;
  dryRun?: boolean;
  /** The evidence item (an uploaded ZIP) the folder was unpacked from: named in every acquisition. */
  fromItem?: string;
  onProgress?: (done: number, total: number) => void | Promise<void>;
  signal?: AbortSignal;
}

/**
 * Imports (or, with `dryRun`, checks) the folder `opts.dir` into a compartment, as `actor`.
 *
 * @example const report = await importFolder(deps, actor, { dir: '/media/usb/фота', compartment })
 */
export async function importFolder(deps: FolderImportDeps, actor: Actor, opts: FolderImportOptions): Promise<FolderImportReport> {
  const subject = await subjectOf(deps.db, actor);
  const where = { compartmentId: opts.compartment };
  if (!can(subject, 'evidence.ingest', where) || !can(subject, 'evidence.link', where))
    throw new ForbiddenError('your role in that compartment does not let you add evidence and link it: a folder import needs both');
  const dir = resolve(opts.dir);
  const top = await lstat(dir).catch(() => null);
  if (!top) throw new FolderImportRefused(`${dir} does not exist`);
  if (top.isSymbolicLink()) throw new FolderImportRefused(`${dir} is a symbolic link: give the folder itself (links are never followed)`);
  if (!top.isDirectory()) throw new FolderImportRefused(`${dir} is not a folder`);
  // without this, a linked metadata.csv would be skipped as a link and every file taken without its metadata
  const csvStat = await lstat(join(dir, METADATA_CSV)).catch(() => null);
  if (csvStat && !csvStat.isFile()) throw new FolderImportRefused(`${METADATA_CSV} is ${csvStat.isSymbolicLink() ? 'a symbolic link (links are never followed)' : 'not a regular file'}: nothing was imported`);

  const report: FolderImportReport = {
    dryRun: Boolean(opts.dryRun),
    metadata: { csv: false, sidecars: 0, form: null },
    files: { seen: 0, taken: 0, newItems: 0, alreadyHeld: 0, alreadyImported: 0, withoutMetadata: 0, notTaken: 0 },
    links: { added: 0, alreadyThere: 0 },
    problems: [],
    problemsTotal: 0,
  };
  const problem = (p: Problem) => {
    report.problemsTotal++;
    if (report.problems.length < MAX_LISTED_PROBLEMS) report.problems.push(p);
  };

  // every regular file, by its normal relative path; symbolic links and others reported, never followed
  const found = new Map<string, { path: string; size: number }>();
  async function walk(abs: string): Promise<void> {
    const names = await readdir(abs).catch((e: NodeJS.ErrnoException) => {
      // a folder this process may not read is listed; the rest is imported
      if (abs === dir) throw e;
      problem({ where: relative(dir, abs).split(sep).join('/'), reason: `the folder cannot be read (${e.code ?? e.message}): not taken`, ...coded('folder-unreadable', e.code ? { error: e.code } : undefined) });
      return [] as string[];
    });
    for (const name of names.sort()) {
      const p = join(abs, name);
      const rel = relative(dir, p).split(sep).join('/');
      const st = await lstat(p).catch(() => null);
      if (!st) problem({ where: rel, reason: 'gone while the folder was read: not taken', code: 'file-gone' });
      else if (st.isSymbolicLink()) problem({ where: rel, reason: 'symbolic link: not followed, not taken', code: 'symbolic-link' });
      else if (st.isDirectory()) await walk(p);
      else if (st.isFile()) found.set(rel, { path: p, size: st.size });
      else problem({ where: rel, reason: 'not a regular file: not taken', code: 'not-a-regular-file' });
    }
  }
  await walk(dir);

  const metas = new Map<string, RawMeta>();
  const csv = found.get(METADATA_CSV);
  if (csv) {
    found.delete(METADATA_CSV);
    report.metadata.csv = true;
    report.metadata.form = await readMetadataCsv(csv.path, csv.size, dir, found, metas, problem);
  }
  report.metadata.sidecars = await readSidecars(found, metas, problem);

  const total = found.size;
  let done = 0;
  for (const [rel, f] of found) {
    if (opts.signal?.aborted) throw opts.signal.reason ?? new Error('the import was stopped');
    report.files.seen++;
    try {
      await importOne(deps, subject, opts, rel, f, metas.get(rel), report, problem);
    } catch (e) {
      if (!(e instanceof DomainError) && !(e as NodeJS.ErrnoException).code) throw e;
      report.files.notTaken++;
      // each of a file's problems on its own line, with its code
      if (e instanceof ValidationError) for (const p of e.problems) problem({ where: rel, reason: p.message, ...codeOfRecordProblem(p) });
      else problem({ where: rel, reason: (e as Error).message, ...((e as NodeJS.ErrnoException).code && !(e instanceof DomainError) ? coded('file-not-read', { error: (e as NodeJS.ErrnoException).code! }) : {}) });
    }
    done++;
    await opts.onProgress?.(done, total);
  }
  return report;
}

/** The idempotency key of one file of an import: compartment, path in the folder, metadata as given. */
function keyOf(compartment: string, rel: string, raw: RawMeta | undefined): string {
  const meta = raw ? [raw.source, raw.date, raw.place, raw.note, (raw.links ?? []).join('|')] : null;
  return KEY_PREFIX + createHash('sha256').update(JSON.stringify([compartment, rel, meta])).digest('hex');
}

async function importOne(
  deps: FolderImportDeps,
  subject: Subject,
  opts: FolderImportOptions,
  rel: string,
  f: { path: string; size: number },
  raw: RawMeta | undefined,
  report: FolderImportReport,
  problem: (p: Problem) => void,
): Promise<void> {
  const meta: Meta = raw ? await checkMeta(deps.db, subject, raw) : { links: [] };
  if (deps.maxBytes !== undefined && f.size > deps.maxBytes)
    throw new ValidationError([{ field: 'file', message: `${f.size} bytes, more than the ${deps.maxBytes} this server takes (LETAPIS_MAX_UPLOAD_BYTES)`, ...coded('file-too-large', { size: f.size, max: deps.maxBytes }) } as CodedFieldProblem]);
  const key = keyOf(opts.compartment, rel, raw);
  const sha256 = await sha256OfFile(f.path, { noFollow: true });
  const held = await findOriginalBySha(deps.db, opts.compartment, sha256);
  let itemId = held?.id;
  const already = held
    ? await deps.db.selectFrom('import_rows').select('record_id').where('item_id', '=', held.id).where('mapping_hash', '=', key).where('row', '=', 0).executeTakeFirst()
    : undefined;
  if (already) report.files.alreadyImported++;
  else {
    if (!raw) {
      report.files.withoutMetadata++;
      problem({ where: rel, reason: 'no row in metadata.csv and no sidecar: taken without source, date or note', code: 'no-metadata' });
    }
    report.files.taken++;
    if (held) report.files.alreadyHeld++;
    else report.files.newItems++;
    if (!opts.dryRun) {
      const r = await ingestEvidence(deps, subject, fileChunks(f.path, undefined, { noFollow: true }), {
        compartment: opts.compartment,
        method: opts.fromItem ? 'upload' : 'cli-ingest',
        // the path in the folder (its folders often say when and where): kept encrypted, as every file name
        filename: rel.slice(-1000),
        ...(meta.source ? { source: meta.source } : {}),
        note: `Folder import${opts.fromItem ? ` (unpacked from the uploaded ZIP, evidence item ${opts.fromItem})` : ''}${meta.note ? `\n${meta.note}` : ''}`,
      });
      itemId = r.item.id;
      await deps.db
        .insertInto('import_rows')
        .values({ item_id: r.item.id, row: 0, mapping_hash: key, record_type: KEY_RECORD_TYPE, record_id: r.acquisition.id, created_at: new Date().toISOString() })
        // two imports of the same folder at once: the first key stays (the other run's acquisition is kept too)
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  }
  // links: those already there are left (a retry after a failure adds the missing ones)
  for (const l of meta.links) {
    const there = itemId
      ? await deps.db.selectFrom('evidence_links').select('id').where('item_id', '=', itemId).where('target_type', '=', l.type).where('target_id', '=', l.id).executeTakeFirst()
      : undefined;
    if (there) report.links.alreadyThere++;
    else {
      if (!opts.dryRun) await linkEvidence(deps, subject, itemId!, { targetType: l.type, targetId: l.id });
      report.links.added++;
    }
  }
}

