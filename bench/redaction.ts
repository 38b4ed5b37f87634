/**
 * Redaction time (issue 9): one region of a 5-minute 1080p video hidden (blurred irreversibly, or
 * boxed) for the whole length, through redactAv — the same code the `evidence.redact` job runs:
 * decode, filter, encode H.264/AAC, remux without metadata. The input is made once with ffmpeg
 * (testsrc2 1920 × 1080 at 25 fps and a 440 Hz sine, H.264/AAC) and kept in a cache folder.
 *
 * From bench/run.ts (section `redaction`): `await benchRedaction({}, log)`. Alone:
 *
 *   npx tsx bench/redaction.ts [--seconds 300] [--style blur|box] [--cache DIR]
 *
 * Environment: BENCH_REDACTION_SECONDS (default 300), BENCH_REDACTION_STYLE (default blur),
 * BENCH_REDACTION_CACHE (default <tmpdir>/letapis-bench-redaction).
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { redactAv } from '../src/adapters/media/redact-av.js';
import { toolAvailability } from '../src/adapters/media/tools.js';

type Log = (msg: string) => void;
const run = promisify(execFile);
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

export interface RedactionBenchOptions {
  /** Length of the video (default 300 s). */
  seconds?: number;
  style?: 'blur' | 'box';
  /** Where the generated input is kept between runs. */
  cacheDir?: string;
}

/**
 * CPU seconds used by this process's finished children (Linux: cutime + cstime of /proc/self/stat),
 * which is ffmpeg's own work, whatever else runs on the machine. Null elsewhere.
 */
function childCpuSeconds(): number | null {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // after the name: state is field 3, so cutime (16) and cstime (17) are at 13 and 14 here
    return (Number(fields[13]) + Number(fields[14])) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

/** The input video, made once: 1920 × 1080, 25 fps, H.264 (ultrafast) with AAC sound. */
async function inputVideo(dir: string, seconds: number, log: Log): Promise<{ path: string; generateSeconds: number | null }> {
  const path = join(dir, `testsrc2-1080p-${seconds}s.mp4`);
  if (existsSync(path)) return { path, generateSeconds: null };
  await mkdir(dir, { recursive: true });
  log(`redaction: generating a ${seconds} s 1080p video (kept in ${dir})`);
  const t = performance.now();
  const tmp = `${path}.partial.mp4`;
  await run(
    'ffmpeg',
    ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', '-f', 'lavfi', '-i', `testsrc2=duration=${seconds}:size=1920x1080:rate=25`, '-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`, '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', tmp],
    { timeout: 60 * 60_000 },
  );
  await rename(tmp, path);
  return { path, generateSeconds: round((performance.now() - t) / 1000) };
}

/** Redacts one region (a quarter of the picture, centred) of the video for its whole length. */
export async function benchRedaction(opts: RedactionBenchOptions, log: Log): Promise<Record<string, unknown>> {
  const seconds = opts.seconds ?? 300;
  const style = opts.style ?? 'blur';
  const tools = await toolAvailability();
  if (!tools.ffmpeg.available) throw new Error('ffmpeg not installed: the redaction benchmark needs it');
  const input = await inputVideo(opts.cacheDir ?? join(tmpdir(), 'letapis-bench-redaction'), seconds, log);
  const out = await mkdtemp(join(tmpdir(), 'letapis-bench-redacted-'));
  try {
    log(`redaction: hiding one region (${style}) of ${seconds} s of 1080p`);
    const load = loadavg().map((x) => round(x, 2));
    const cpu0 = childCpuSeconds();
    const t = performance.now();
    const r = await redactAv(input.path, join(out, 'redacted.mp4'), {
      regions: [{ x: 0.375, y: 0.375, width: 0.25, height: 0.25, unit: 'relative', style }],
      timeoutMs: 2 * 60 * 60_000,
    });
    const elapsed = (performance.now() - t) / 1000;
    const cpu1 = childCpuSeconds();
    const cpuSeconds = cpu0 === null || cpu1 === null ? null : round(cpu1 - cpu0);
    log(`redaction: ${round(elapsed)} s (${round(seconds / elapsed, 2)} × real time)`);
    return {
      input: { seconds, width: 1920, height: 1080, fps: 25, codec: 'H.264 (ultrafast) + AAC', bytes: (await stat(input.path)).size, generateSeconds: input.generateSeconds },
      region: { style, x: 0.375, y: 0.375, width: 0.25, height: 0.25, unit: 'relative', covers: 'the whole length' },
      output: { bytes: r.bytes, mime: r.mime, encoding: 'H.264 veryfast crf 20 + AAC 128k, 2 threads, then remuxed without metadata' },
      seconds: round(elapsed),
      realTimeFactor: round(seconds / elapsed, 2),
      cpuSeconds,
      cpuSecondsNote: 'CPU time of the ffmpeg processes (user + system, all threads): the work itself, less sensitive than wall time to other load',
      ffmpeg: tools.ffmpeg.version ?? null,
      loadAverage: { atStart: load, atEnd: loadavg().map((x) => round(x, 2)) },
    };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const arg = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const seconds = Number(arg('seconds') ?? process.env.BENCH_REDACTION_SECONDS ?? 300);
  const style = (arg('style') ?? process.env.BENCH_REDACTION_STYLE ?? 'blur') as 'blur' | 'box';
  const cacheDir = arg('cache') ?? process.env.BENCH_REDACTION_CACHE;
  const log: Log = (m) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
  benchRedaction({ seconds, style, cacheDir }, log)
    .then((r) => {
      const cpu = cpus();
      process.stdout.write(`${JSON.stringify({ benchmark: 'letapis: redaction', redaction: r, machine: { cpuModel: cpu[0]?.model, cores: cpu.length, totalMemoryGiB: round(totalmem() / 2 ** 30), node: process.version } }, null, 2)}\n`);
    })
    .catch((e) => {
      log(`failed: ${(e as Error).stack ?? e}`);
      process.exit(1);
    });
}
