import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { findCompartment } from '../modules/compartments/compartments.repository.js';
import { ingestEvidence } from '../modules/evidence/evidence.usecases.js';
import { cliActor, reportError, withContainer } from './context.js';
import { evidenceDeps } from './ingest.js';

/**
 * `letapis capture URL`: a WARC of one web page and what it needs to display (pictures, styles,
 * scripts — never run here, only recorded) made with GNU wget, then taken in as evidence like any
 * file (acquisition `web-capture`, a note with the URL and the time). wget runs without the user's
 * configuration, writes only into a private folder under the data dir, follows no links beyond
 * the page's requisites, within a byte quota and a time limit; the folder is removed afterwards.
 */

export interface WgetCapture {
  /** The .warc.gz wget wrote. */
  warcPath: string;
  /** wget's exit status: 0 all fetched, 8 some part answered with an error (still a capture). */
  exitCode: number;
  version: string;
  /** wget's last lines of output, for a failure's explanation. */
  log: string;
}

const WGET_EXIT: Record<number, string> = {
  1: 'a generic error',
  2: 'a problem with its options',
  3: 'a file could not be written',
  4: 'a network failure (the address cannot be reached)',
  5: 'the TLS certificate could not be verified',
  6: 'the server asked for a login',
  7: 'a protocol error',
  8: 'the server answered with an error',
};

function run(cmd: string, args: string[], opts: { cwd?: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<{ code: number | null; output: string; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (b: Buffer) => {
      output = (output + b.toString('utf8')).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output, timedOut });
    });
  });
}

/** The installed wget's version line, or null when there is no wget. */
export async function wgetVersion(wget = 'wget'): Promise<string | null> {
  try {
    const r = await run(wget, ['--version'], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' }, timeoutMs: 10_000 });
    return r.code === 0 ? (r.output.split('\n')[0]?.trim() ?? 'wget') : null;
  } catch {
    return null;
  }
}

/**
 * Captures `url` into `<dir>/capture.warc.gz`. Throws an Error with a message for people when
 * wget is missing, times out or fetched nothing.
 *
 * @example const c = await captureWithWget('http://127.0.0.1:8080/', { dir, timeLimitSeconds: 60, quotaBytes: 50e6 });
 */
export async function captureWithWget(url: string, opts: { dir: string; timeLimitSeconds: number; quotaBytes: number; wget?: string }): Promise<WgetCapture> {
  const wget = opts.wget ?? 'wget';
  const version = await wgetVersion(wget);
  if (!version) throw new Error('wget is not installed: install GNU wget (Debian/Ubuntu: apt-get install wget) to capture web pages, or capture elsewhere and `letapis ingest` the .warc.gz');
  const files = join(opts.dir, 'files');
  await mkdir(files, { mode: 0o700 });
  const args = [
    '--no-config', // no ~/.wgetrc: the same capture whoever runs it
    '--no-hsts', // writes no ~/.wget-hsts
    `--warc-file=${join(opts.dir, 'capture')}`,
    '--page-requisites', // the page and what it needs to display, no recursion beyond that
    '--span-hosts', // requisites are often on other hosts (images, styles)
    '--no-verbose',
    '--timeout=30',
    '--tries=2',
    '--max-redirect=5',
    `--quota=${Math.max(1, Math.floor(opts.quotaBytes))}`,
    '-e',
    'robots=off',
    '--no-directories',
    `--directory-prefix=${files}`,
    '--',
    url,
  ];
  const r = await run(wget, args, { cwd: opts.dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: opts.dir, LANG: 'C' }, timeoutMs: opts.timeLimitSeconds * 1000 });
  const log = r.output.trim().split('\n').slice(-8).join('\n');
  if (r.timedOut) throw new Error(`wget did not finish within ${opts.timeLimitSeconds} s: nothing was taken in (a larger --time-limit may help)`);
  const warcPath = join(opts.dir, 'capture.warc.gz');
  const size = await stat(warcPath).then((s) => s.size, () => 0);
  const code = r.code ?? 1;
  if (size === 0 || (code !== 0 && code !== 8)) {
    throw new Error(`wget could not capture ${url}: ${WGET_EXIT[code] ?? `exit status ${code}`}${log ? `\n${log}` : ''}`);
  }
  return { warcPath, exitCode: code, version, log };
}

/** `letapis capture URL`. */
export function registerCaptureCommand(program: Command): void {
  program
    .command('capture')
    .argument('<url>', 'the page to capture (http or https)')
    .option('--compartment <name>', 'compartment to add the capture to (default: your only one)')
    .option('--as <user>', 'act as this account (default: the first administrator)')
    .option('--note <text>', 'a note kept with the acquisition (the URL and time are added)')
    .option('--time-limit <seconds>', 'stop wget after this long', '300')
    .option('--quota <MiB>', 'stop fetching requisites after this much', '200')
    .option('--json', 'print the outcome as JSON')
    .description('make a WARC of a web page and what it needs to display with wget, and take it in as evidence (acquisition: web capture)')
    .action(async (url: string, opts: { compartment?: string; as?: string; note?: string; timeLimit: string; quota: string; json?: boolean }) => {
      try {
        let parsed: URL;
        try {
          parsed = new URL(url);
        } catch {
          throw new Error(`"${url}" is not a web address: give the full URL, e.g. https://example.org/page`);
        }
        if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`only http and https pages can be captured, not ${parsed.protocol}`);
        const timeLimitSeconds = Number(opts.timeLimit);
        const quotaMiB = Number(opts.quota);
        if (!(timeLimitSeconds > 0) || !(quotaMiB > 0)) throw new Error('--time-limit and --quota must be positive numbers');
        const outcome = await withContainer(async (c) => {
          const actor = await cliActor(c, opts.as);
          let compartment: string | undefined;
          if (opts.compartment) {
            const found = await findCompartment(c.db, opts.compartment);
            if (!found) throw new Error(`no compartment is named "${opts.compartment}" (see: letapis compartment list)`);
            compartment = found.id;
          }
          // private, under the data dir: the capture is evidence before it is encrypted
          const tmp = join(c.config.dataDir, 'tmp');
          await mkdir(tmp, { recursive: true, mode: 0o700 });
          const dir = await mkdtemp(join(tmp, 'capture-'));
          try {
            const startedAt = new Date().toISOString();
            const cap = await captureWithWget(parsed.href, { dir, timeLimitSeconds, quotaBytes: quotaMiB * 1024 * 1024 });
            const note = [
              opts.note,
              `Web capture of ${parsed.href} made ${startedAt} with ${cap.version}${cap.exitCode === 8 ? ' (some parts of the page answered with an error)' : ''}`,
            ]
              .filter(Boolean)
              .join('\n');
            const stamp = startedAt.replace(/[-:]/g, '').replace(/\..*$/, 'Z');
            const r = await ingestEvidence(evidenceDeps(c), actor, createReadStream(cap.warcPath), {
              compartment,
              method: 'web-capture',
              filename: `${parsed.hostname}-${stamp}.warc.gz`,
              source: parsed.href,
              note,
            });
            return { url: parsed.href, itemId: r.item.id, sha256: r.item.sha256, size: r.item.size, duplicate: r.duplicate, acquisitionId: r.acquisition.id, wgetExit: cap.exitCode, note };
          } finally {
            await rm(dir, { recursive: true, force: true });
          }
        });
        if (opts.json) console.log(JSON.stringify(outcome, null, 2));
        else {
          console.log(`${outcome.duplicate ? 'known   ' : 'new     '}  ${outcome.sha256}  ${outcome.url}`);
          console.log(`item ${outcome.itemId}: the WARC is kept whole; its pages' text and media are read by the worker (letapis worker)`);
        }
      } catch (e) {
        reportError(e);
      }
    });
}
