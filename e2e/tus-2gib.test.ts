import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createCipheriv, createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import * as tus from 'tus-js-client';

/**
 * The acceptance test of issue 4 for resumable uploads: a 2 GiB upload over tus to a server in a
 * child process (`node bin/letapis.js serve`, built), cut off at about 1 GiB, resumed by a new
 * client from the upload's address, completes with the right SHA-256 — and the server's resident
 * memory (VmRSS from /proc/<pid>/status, sampled every 200 ms) stays under 300 MB throughout.
 *
 * It takes minutes, so it runs only with LETAPIS_LONG_TESTS=1 (after `npm run build`):
 *   LETAPIS_LONG_TESTS=1 npx vitest run e2e/tus-2gib.test.ts
 */

const LONG = process.env.LETAPIS_LONG_TESTS === '1';
const BIN = resolve('bin/letapis.js');
const SIZE = 2 * 1024 ** 3;
const CUT_AT = 1024 ** 3;
const RSS_LIMIT = 300 * 1024 * 1024;
const MiB = 1024 * 1024;

/** The source: 2 GiB of AES-256-CTR keystream, so any range can be made again without a file. */
const KEY = createHash('sha256').update('letapis tus 2 GiB acceptance').digest();
async function* generated(start: number, end: number): AsyncGenerator<Buffer> {
  const iv = Buffer.alloc(16);
  iv.writeBigUInt64BE(BigInt(Math.floor(start / 16)), 8);
  const cipher = createCipheriv('aes-256-ctr', KEY, iv);
  let skip = start % 16;
  const zeros = Buffer.alloc(MiB);
  for (let at = start; at < end; ) {
    const n = Math.min(MiB, end - at + skip);
    const out = cipher.update(zeros.subarray(0, n));
    const chunk = out.subarray(skip);
    skip = 0;
    at += chunk.length;
    yield chunk;
  }
}

/** A tus-js-client file reader over `generated`; with `stallAt`, the body stops there and hangs. */
function generatedReader(stallAt?: { at: number; reached: () => void }) {
  return {
    openFile: async () => ({
      size: SIZE,
      slice: async (start: number, end: number) => {
        const stop = stallAt ? Math.min(end, stallAt.at) : end;
        const s = Readable.from(
          (async function* () {
            yield* generated(start, stop);
            if (stallAt) {
              stallAt.reached();
              await new Promise(() => {}); // the connection hangs here until the client cuts it
            }
          })(),
        ) as Readable & { size?: number };
        s.size = end - start;
        return { value: s, done: end >= SIZE };
      },
      close: () => {},
    }),
  } as unknown as tus.UploadOptions['fileReader'];
}

(LONG ? describe : describe.skip)(
  LONG ? 'a 2 GiB tus upload cut off half way and resumed (child-process server)' : 'a 2 GiB tus upload cut off half way and resumed [skipped: takes minutes; set LETAPIS_LONG_TESTS=1 to run it]',
  () => {
    let dataDir: string;
    let server: { proc: ChildProcess; url: string; out: () => string } | undefined;
    let token: string;
    const rss = { peak: 0, samples: 0, last: 0, atStart: 0 };
    let sampler: NodeJS.Timeout | undefined;

    beforeAll(async () => {
      if (!existsSync(resolve('dist/src/cli/main.js'))) throw new Error('dist/ is missing: run npm run build first');
      dataDir = mkdtempSync(join(tmpdir(), 'letapis-tus2g-'));
      const env = { PATH: process.env.PATH, HOME: process.env.HOME, LETAPIS_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
      const proc = spawn(process.execPath, [BIN, 'serve'], { env: { ...env, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      proc.stdout!.on('data', (d) => (out += d));
      proc.stderr!.on('data', (d) => (out += d));
      const url = await new Promise<string>((ok, fail) => {
        const timer = setTimeout(() => fail(new Error(`no start within 30 s:\n${out}`)), 30_000);
        proc.stdout!.on('data', () => {
          const m = /listening on (http:\/\/\S+)/.exec(out);
          if (m && /API docs:/.test(out)) {
            clearTimeout(timer);
            ok(m[1]!);
          }
        });
        proc.on('exit', (code) => fail(new Error(`server exited with ${code}:\n${out}`)));
      });
      server = { proc, url, out: () => out };
      const t = spawnSync(process.execPath, [BIN, 'token', 'create', 'admin'], { env, encoding: 'utf8', timeout: 60_000 });
      if (t.status !== 0) throw new Error(`token create failed: ${t.stderr}`);
      token = t.stdout.trim();
      const sample = () => {
        try {
          const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${proc.pid}/status`, 'utf8'));
          if (!m) return;
          rss.last = Number(m[1]) * 1024;
          rss.peak = Math.max(rss.peak, rss.last);
          rss.samples++;
        } catch {
          // the process is gone
        }
      };
      sample();
      rss.atStart = rss.last;
      sampler = setInterval(sample, 200);
    }, 90_000);

    afterAll(async () => {
      if (sampler) clearInterval(sampler);
      const s = server;
      if (s && s.proc.exitCode === null) {
        await new Promise<void>((ok) => {
          s.proc.once('exit', () => ok());
          s.proc.kill('SIGTERM');
        });
      }
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    it('completes with the right SHA-256, and the server stays under 300 MB of RSS', async () => {
      const t0 = Date.now();
      const hash = createHash('sha256');
      for await (const chunk of generated(0, SIZE)) hash.update(chunk);
      const expected = hash.digest('hex');
      const hashed = Date.now();
      const endpoint = `${server!.url}/api/v1/uploads`;
      const headers = { authorization: `Bearer ${token}` };

      // first client: about 1 GiB gets through, then the connection hangs and is cut
      let reached!: () => void;
      const atCut = new Promise<void>((r) => (reached = r));
      let url = '';
      let failed: Error | undefined;
      const first = new tus.Upload(Buffer.alloc(0), {
        endpoint,
        headers,
        retryDelays: null,
        uploadSize: SIZE,
        fileReader: generatedReader({ at: CUT_AT, reached: () => reached() }),
        metadata: { filename: 'two-gib.bin', note: 'acceptance: cut off at 1 GiB and resumed' },
        onUploadUrlAvailable: () => {
          url = first.url!;
        },
        onError: (e) => {
          failed = e;
          reached();
        },
      });
      first.start();
      await atCut;
      expect(failed).toBeUndefined();
      await new Promise((r) => setTimeout(r, 1000)); // what is in flight arrives
      await first.abort();
      const cut = Date.now();
      const head = await fetch(url, { method: 'HEAD', headers: { ...headers, 'tus-resumable': '1.0.0' } });
      expect(head.status).toBe(200);
      const offset = Number(head.headers.get('upload-offset'));
      expect(offset).toBeGreaterThan(CUT_AT - 64 * MiB);
      expect(offset).toBeLessThanOrEqual(CUT_AT);
      const peakBeforeResume = rss.peak;

      // a new client, knowing only the address, sends the rest
      const last = await new Promise<tus.HttpResponse>((ok, fail) => {
        const second = new tus.Upload(Buffer.alloc(0), {
          uploadUrl: url,
          headers,
          retryDelays: null,
          uploadSize: SIZE,
          fileReader: generatedReader(),
          onSuccess: ({ lastResponse }) => ok(lastResponse),
          onError: fail,
        });
        second.start();
      });
      const done = Date.now();
      expect(last.getHeader('letapis-sha256')).toBe(expected);
      const itemId = last.getHeader('letapis-item')!;
      const item = (await (await fetch(`${server!.url}/api/v1/evidence/${itemId}`, { headers })).json()) as any;
      expect(item).toMatchObject({ sha256: expected, size: SIZE });
      // nothing waits in the uploads folder any more
      expect(existsSync(join(dataDir, 'uploads', `${url.split('/').pop()}.part`))).toBe(false);

      const figures = {
        bytes: SIZE,
        offsetAtCut: offset,
        expectedHashSeconds: (hashed - t0) / 1000,
        firstPartSeconds: (cut - hashed) / 1000,
        resumeAndIngestSeconds: (done - cut) / 1000,
        uploadSeconds: (done - hashed) / 1000,
        rssAtStartMB: Math.round((rss.atStart / MiB) * 10) / 10,
        peakRssMB: Math.round((rss.peak / MiB) * 10) / 10,
        rssAtEndMB: Math.round((rss.last / MiB) * 10) / 10,
        peakRssBeforeResumeMB: Math.round((peakBeforeResume / MiB) * 10) / 10,
        rssSamples: rss.samples,
      };
      console.log(`tus 2 GiB acceptance: ${JSON.stringify(figures)}`);
      expect(rss.samples).toBeGreaterThan(10);
      expect(rss.peak).toBeLessThan(RSS_LIMIT);
    }, 1_800_000);
  },
);
