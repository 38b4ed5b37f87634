import { Readable } from 'node:stream';
import { vi } from 'vitest';
import { buildProgram } from '../cli/main.js';

export interface CliRun {
  out: string;
  err: string;
  code: number;
}

/**
 * Runs one `letapis` command in-process with the given environment (as a person at a shell would
 * have it), capturing what it prints and the exit code it sets. `stdin` replaces standard input;
 * with `emptyStdin`, standard input is empty when no `stdin` is given.
 */
export async function runLetapis(
  env: NodeJS.ProcessEnv,
  args: string[],
  opts: { stdin?: string; emptyStdin?: boolean } = {},
): Promise<CliRun> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  if (!env.DATABASE_URL) delete process.env.DATABASE_URL;
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a) => void err.push(a.join(' ')));
  const stdinDesc = Object.getOwnPropertyDescriptor(process, 'stdin')!;
  if (opts.stdin !== undefined || opts.emptyStdin)
    Object.defineProperty(process, 'stdin', { value: Readable.from(opts.stdin === undefined ? [] : [Buffer.from(opts.stdin)]), configurable: true });
  process.exitCode = 0;
  try {
    await buildProgram().exitOverride().parseAsync(['node', 'letapis', ...args]);
  } finally {
    log.mockRestore();
    error.mockRestore();
    Object.defineProperty(process, 'stdin', stdinDesc);
    process.env = saved;
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { out: out.join('\n'), err: err.join('\n'), code };
}
