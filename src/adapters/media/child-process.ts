import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { MediaError, scrubPaths } from './media-error.js';
import { formatBytes } from './input-file.js';

/**
 * Child processes for everything that parses hostile bytes outside our own JavaScript: ffprobe,
 * ffmpeg, tesseract, and a sandboxed Node for pdf.js and mammoth. Each runs with a hard time
 * limit (SIGKILL), a resident-memory watchdog, capped output and a minimal environment (no
 * database URL or other secret of ours reaches a parser).
 */

export interface RunToolOptions {
  /** Name used in messages, e.g. `ffmpeg`. */
  what: string;
  timeoutMs: number;
  stdin?: Buffer;
  /** Output beyond this kills the tool with a `limit` error. Default 64 MiB. */
  maxStdoutBytes?: number;
  maxMemoryBytes?: number;
  /** Extra environment on top of the minimal one. */
  env?: Record<string, string>;
  /** Private paths to keep out of messages. */
  hidePaths?: readonly string[];
}

export interface ToolResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  /** The last 16 KiB of standard error, private paths replaced by `<input>`. */
  stderr: string;
}

const STDERR_KEEP = 16 * 1024;

/** The environment a tool sees: enough to run, nothing of ours. */
export function minimalEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };
  for (const k of ['TMPDIR', 'TESSDATA_PREFIX', 'HOME']) {
    const v = process.env[k];
    if (v) env[k] = v;
  }
  return { ...env, ...extra };
}

/**
 * Runs an executable and collects its output. Throws `tool-missing` when it is not installed,
 * `timeout` past `timeoutMs`, `limit` when its output or memory grows past the caps. A non-zero
 * exit is returned, not thrown: the caller knows what the tool's failure means.
 */
export function runTool(command: string, args: readonly string[], opts: RunToolOptions): Promise<ToolResult> {
  const maxStdout = opts.maxStdoutBytes ?? 64 * 1024 * 1024;
  return new Promise<ToolResult>((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawn(command, args, {
        stdio: [opts.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
        env: minimalEnv(opts.env),
        windowsHide: true,
      });
    } catch (e) {
      reject(spawnError(opts.what, e));
      return;
    }
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    let failure: MediaError | undefined;
    const kill = (why: MediaError): void => {
      failure ??= why;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(
      () => kill(new MediaError('timeout', `${opts.what} did not finish within ${Math.round(opts.timeoutMs / 1000)} s and was stopped`)),
      opts.timeoutMs,
    );
    const stopWatch = opts.maxMemoryBytes
      ? watchMemory(child, opts.maxMemoryBytes, (rss) =>
          kill(new MediaError('limit', `${opts.what} used ${formatBytes(rss)} of memory, over the limit of ${formatBytes(opts.maxMemoryBytes!)}, and was stopped`)),
        )
      : () => {};
    child.stdout!.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > maxStdout) {
        kill(new MediaError('limit', `${opts.what} wrote more than ${formatBytes(maxStdout)} of output and was stopped`));
        return;
      }
      out.push(chunk);
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      err = (err + chunk.toString('utf8')).slice(-STDERR_KEEP);
    });
    if (opts.stdin && child.stdin) {
      child.stdin.on('error', () => {}); // the tool may exit before reading it all
      child.stdin.end(opts.stdin);
    }
    child.on('error', (e) => {
      clearTimeout(timer);
      stopWatch();
      reject(failure ?? spawnError(opts.what, e));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      stopWatch();
      if (failure) reject(failure);
      else resolve({ code, signal, stdout: Buffer.concat(out), stderr: scrubPaths(err, opts.hidePaths ?? []) });
    });
  });
}

function spawnError(what: string, e: unknown): MediaError {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT' || code === 'EACCES') return new MediaError('tool-missing', `${what} not installed`, { cause: e });
  return new MediaError('malformed', `${what} could not be started (${code ?? 'error'})`, { cause: e });
}

/**
 * Polls the child's resident memory (Linux /proc) and calls `exceeded` once it passes `max`.
 * Elsewhere it does nothing: the time limit still holds. Returns the stop function.
 */
export function watchMemory(child: ChildProcess, max: number, exceeded: (rss: number) => void): () => void {
  if (process.platform !== 'linux' || child.pid === undefined) return () => {};
  const pid = child.pid;
  let stopped = false;
  const poll = async (): Promise<void> => {
    if (stopped) return;
    try {
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      const m = /VmRSS:\s+(\d+)\s+kB/.exec(status);
      const rss = m ? Number(m[1]) * 1024 : 0;
      if (rss > max) {
        stopped = true;
        exceeded(rss);
      }
    } catch {
      stopped = true; // gone
    }
  };
  const interval = setInterval(() => void poll(), 200);
  interval.unref();
  return () => {
    stopped = true;
    clearInterval(interval);
  };
}

/** How a sandboxed Node child ended. */
export type IsolatedOutcome = 'done' | 'timeout' | 'stalled' | 'memory' | 'crashed';

export interface IsolatedResult {
  outcome: IsolatedOutcome;
  messages: unknown[];
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

export interface IsolatedOptions {
  what: string;
  /** Hard limit for the whole run. */
  timeoutMs: number;
  /** The child is stopped when no message arrived for this long (one step, e.g. one page, hangs). */
  stallMs?: number;
  maxMemoryBytes: number;
  /** Directories (ending in `/*`) the child may read, e.g. node_modules. Nothing else, no writes, no spawning. */
  readableDirs: readonly string[];
  /** File opened here and handed to the child as file descriptor 4: it needs no permission to the path. */
  inputPath?: string;
  /**
   * Lets the child load native addons (the canvas pdf.js draws on). Native code is outside the
   * permission model, so only the page renderer asks for it; text extraction never does.
   */
  allowAddons?: boolean;
  hidePaths?: readonly string[];
}

const PERMISSION_FLAG = process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission';

/**
 * Source of a sandboxed child: `body` runs inside `async function main()` with `input` (the JSON
 * input), `send(message)` (resolves once sent), `describe(error)` and `readInput()` (the input file,
 * at most `input.maxBytes`) in scope. Whatever it throws is sent as `{ type: 'error', name, message }`.
 */
export function isolatedScript(body: string): string {
  return String.raw`
const input = JSON.parse(process.argv[1]);
const send = (m) => new Promise((resolve) => process.send(m, resolve));
const describe = (e) => String((e && e.message) || e).slice(0, 400);
const fs = await import('node:fs');
function readInput() {
  const chunks = []; let total = 0; const buf = Buffer.alloc(1 << 20); let n;
  while ((n = fs.readSync(4, buf, 0, buf.length, null)) > 0) {
    total += n;
    if (total > input.maxBytes) throw Object.assign(new Error('the file grew past the size limit'), { name: 'limit' });
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(chunks);
}
async function main() {
${body}
}
try { await main(); } catch (e) { await send({ type: 'error', name: (e && e.name) || 'Error', message: describe(e) }); }
process.exit(0);
`;
}

/**
 * Runs `script` (an ES module as source text, best made by `isolatedScript`; `process.argv[1]` is
 * `input` as JSON) in a separate Node process under the permission model: it may read only
 * `readableDirs` and its input file descriptor, write nothing, start no process, and cannot
 * compile code from strings. It reports by `process.send`. The result holds every message it
 * sent before it ended, however it ended, so a caller can keep partial data.
 */
export async function runIsolatedNode(script: string, input: unknown, opts: IsolatedOptions): Promise<IsolatedResult> {
  let fh: FileHandle | undefined;
  try {
    if (opts.inputPath !== undefined) fh = await open(opts.inputPath, 'r');
    return await spawnIsolated(script, input, opts, fh?.fd);
  } finally {
    await fh?.close();
  }
}

/** The MediaError for a child that ended without its answer. */
export function isolatedFailure(result: IsolatedResult, what: string, opts: { timeoutMs: number; maxMemoryBytes: number }): MediaError {
  switch (result.outcome) {
    case 'timeout':
      return new MediaError('timeout', `the ${what} did not finish within ${Math.round(opts.timeoutMs / 1000)} s and was stopped`);
    case 'stalled':
      return new MediaError('timeout', `the ${what} made no progress within its time limit and was stopped`);
    case 'memory':
      return new MediaError('limit', `the ${what} needed more than ${formatBytes(opts.maxMemoryBytes)} of memory and was stopped`);
    default: {
      // the line naming the error, not Node's closing version line
      const lines = result.stderr.split('\n').map((l) => l.trim()).filter(Boolean);
      const last = (lines.find((l) => /^\w*(Error|Exception)\b/.test(l)) ?? lines.filter((l) => !/^Node\.js v/.test(l)).pop())?.slice(0, 200);
      return new MediaError('malformed', `the ${what} crashed${last ? `: ${last}` : ''}`);
    }
  }
}

function spawnIsolated(script: string, input: unknown, opts: IsolatedOptions, inputFd: number | undefined): Promise<IsolatedResult> {
  const heapMb = Math.max(128, Math.floor((opts.maxMemoryBytes / (1024 * 1024)) * 0.6));
  const args = [
    PERMISSION_FLAG,
    ...opts.readableDirs.map((d) => `--allow-fs-read=${d}`),
    ...(opts.allowAddons ? ['--allow-addons'] : []),
    '--disallow-code-generation-from-strings',
    `--max-old-space-size=${heapMb}`,
    '--no-warnings',
    '--input-type=module',
    '-e',
    script,
    JSON.stringify(input),
  ];
  const stdio: StdioOptions = ['ignore', 'pipe', 'pipe', 'ipc'];
  if (inputFd !== undefined) stdio.push(inputFd);
  return new Promise<IsolatedResult>((resolve) => {
    const messages: unknown[] = [];
    let err = '';
    let outcome: IsolatedOutcome | undefined;
    const child = spawn(process.execPath, args, { stdio, env: minimalEnv(), windowsHide: true });
    const kill = (why: IsolatedOutcome): void => {
      outcome ??= why;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => kill('timeout'), opts.timeoutMs);
    let stallTimer: NodeJS.Timeout | undefined;
    const armStall = (): void => {
      if (!opts.stallMs) return;
      clearTimeout(stallTimer);
      stallTimer = setTimeout(() => kill('stalled'), opts.stallMs);
    };
    armStall();
    const stopWatch = watchMemory(child, opts.maxMemoryBytes, () => kill('memory'));
    child.on('message', (m) => {
      messages.push(m);
      armStall();
    });
    child.stdout!.on('data', () => {}); // pdf.js may print warnings; the protocol is the IPC channel
    child.stderr!.on('data', (chunk: Buffer) => {
      err = (err + chunk.toString('utf8')).slice(-STDERR_KEEP);
    });
    let finished = false;
    const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      clearTimeout(stallTimer);
      stopWatch();
      if (!outcome) {
        if (code === 0) outcome = 'done';
        // V8 ends a process out of heap with a fatal error (SIGABRT / 134)
        else if (/heap out of memory|Allocation failed/i.test(err)) outcome = 'memory';
        else outcome = 'crashed';
      }
      resolve({ outcome, messages, code, signal, stderr: scrubPaths(err, opts.hidePaths ?? []) });
    };
    child.on('error', () => finish(null, null));
    // 'close' comes after the last IPC message and the end of standard error
    child.on('close', (code, signal) => finish(code, signal));
  });
}
