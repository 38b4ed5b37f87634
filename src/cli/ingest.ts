import { lstat, readdir } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { appendAuditEvent } from '../modules/audit/audit.repository.js';
import { findCompartment } from '../modules/compartments/compartments.repository.js';
import { ingestEvidence, type EvidenceDeps } from '../modules/evidence/evidence.usecases.js';
import type { Container } from '../app/container.js';
import { fileChunks } from '../adapters/blobs/ingest/file-chunks.js';
import { cliActor, reportError, withContainer } from './context.js';

/** The evidence use cases' dependencies from a container. */
export function evidenceDeps(c: Container): EvidenceDeps {
  return { db: c.db, vault: c.vault, blobs: c.blobs, audit: appendAuditEvent, maxBytes: c.config.maxUploadBytes };
}

interface FoundFile {
  path: string;
  size: number;
}

/**
 * Files under the given paths, recursively, in a stable order. Symbolic links are never followed
 * (they are reported as skipped), so nothing outside the given folders is read.
 */
export async function collectFiles(paths: string[], skipped: { path: string; reason: string }[]): Promise<FoundFile[]> {
  const out: FoundFile[] = [];
  async function walk(p: string): Promise<void> {
    const st = await lstat(p);
    if (st.isSymbolicLink()) skipped.push({ path: p, reason: 'symbolic link (not followed)' });
    else if (st.isDirectory()) for (const name of (await readdir(p)).sort()) await walk(join(p, name));
    else if (st.isFile()) out.push({ path: p, size: st.size });
    else skipped.push({ path: p, reason: 'not a regular file' });
  }
  for (const p of paths) await walk(resolve(p));
  return out;
}

/** `letapis ingest PATH…`: takes in files and folders as evidence, with a progress bar. */
export function registerIngestCommand(program: Command): void {
  program
    .command('ingest')
    .argument('<paths...>', 'files and folders (folders are read recursively; symbolic links are not followed)')
    .option('--compartment <name>', 'compartment to add the evidence to (default: your only one)')
    .option('--source <text>', 'where the material comes from (kept encrypted)')
    .option('--note <text>', 'a note kept with each acquisition')
    .option('--as <user>', 'act as this account (default: the first administrator)')
    .option('--json', 'print one JSON document with every file’s outcome')
    .description('take in files as evidence: each is hashed, encrypted and stored; the same bytes again add only an acquisition')
    .action(async (paths: string[], opts: { compartment?: string; source?: string; note?: string; as?: string; json?: boolean }) => {
      try {
        const results = await withContainer(async (c) => {
          const actor = await cliActor(c, opts.as);
          let compartment: string | undefined;
          if (opts.compartment) {
            const found = await findCompartment(c.db, opts.compartment);
            if (!found) throw new Error(`no compartment is named "${opts.compartment}" (see: letapis compartment list)`);
            compartment = found.id;
          }
          const skipped: { path: string; reason: string }[] = [];
          const files = await collectFiles(paths, skipped);
          const total = files.reduce((n, f) => n + f.size, 0);
          const bar =
            !opts.json && process.stdout.isTTY
              ? new cliProgress.SingleBar(
                  { format: 'ingest [{bar}] {percentage}% | {value}/{total} MiB | {file}', hideCursor: true },
                  cliProgress.Presets.shades_classic,
                )
              : null;
          const mib = (n: number) => Math.round((n / 1048576) * 10) / 10;
          bar?.start(mib(total), 0, { file: '' });
          let done = 0;
          const outcomes: Record<string, unknown>[] = [];
          const base = paths.length === 1 ? resolve(paths[0]!) : process.cwd();
          for (const f of files) {
            const shown = relative(base, f.path) || basename(f.path);
            bar?.update(mib(done), { file: shown.length > 40 ? `…${shown.slice(-39)}` : shown });
            // fileChunks reads into reused buffers: cheaper than a read stream on large files
            async function* counted(): AsyncGenerator<Buffer> {
              for await (const chunk of fileChunks(f.path)) {
                done += chunk.length;
                bar?.update(mib(done));
                yield chunk;
              }
            }
            try {
              const r = await ingestEvidence(evidenceDeps(c), actor, counted(), {
                compartment,
                filename: basename(f.path),
                source: opts.source,
                note: opts.note,
                method: 'cli-ingest',
              });
              outcomes.push({ path: f.path, itemId: r.item.id, sha256: r.item.sha256, size: r.item.size, duplicate: r.duplicate, acquisitionId: r.acquisition.id });
            } catch (e) {
              outcomes.push({ path: f.path, error: (e as Error).message });
            }
          }
          bar?.update(mib(total), { file: '' });
          bar?.stop();
          return { files: outcomes, skipped };
        });
        const failed = results.files.filter((f) => 'error' in f);
        if (opts.json) console.log(JSON.stringify(results, null, 2));
        else {
          for (const f of results.files)
            console.log('error' in f ? `FAILED    ${f.path}: ${f.error}` : `${f.duplicate ? 'known   ' : 'new     '}  ${f.sha256}  ${f.path}`);
          for (const s of results.skipped) console.log(`skipped   ${s.path}: ${s.reason}`);
          const fresh = results.files.filter((f) => !('error' in f) && !f.duplicate).length;
          const known = results.files.filter((f) => !('error' in f) && f.duplicate).length;
          console.log(`${fresh} new item(s), ${known} already held (acquisition added), ${failed.length} failed, ${results.skipped.length} skipped`);
        }
        if (failed.length) process.exitCode = 1;
      } catch (e) {
        reportError(e);
      }
    });
}
