import type { JobContext, JobDefinition } from '../../../adapters/queue/queue.port.js';
import { jobRequester, refusalEndsJob } from '../../jobs/requester.js';
import { importTelegramExport, type TelegramImportDeps, type TelegramImportReport } from './telegram.usecases.js';
import { runImport } from '../zip-imports.usecases.js';
import type { Problem } from './parse.js';

declare module '../../../adapters/queue/queue.port.js' {
  interface JobPayloads {
    /**
     * Import a Telegram Desktop export into a compartment, as the account that asked: a folder on
     * this machine (`dir`, the CLI), or an uploaded ZIP evidence item (`itemId`, the API), unpacked
     * for the job and removed after. `dryRun`: report what would be added, write nothing.
     */
    'imports.telegram': ({ dir: string } | { itemId: string }) & { compartment: string; actorId: string; dryRun?: boolean };
  }
}

/**
 * A problem as the job's result keeps it. Results are readable by every member of the compartment,
 * while an evidence file's name is shown only to those who may see evidence metadata (a document's
 * name can name a person): outside photos/ (names Telegram makes from the date), a path keeps its
 * folder only; the reason still says which message.
 *
 * @example withoutFileName({ where: 'files/протокол Иванова.pdf', reason: '…' }) // → { where: 'files/…', reason: '…' }
 */
export function withoutFileName(p: Problem): Problem {
  if (/^message \S+( in chat \S+)?$|^chat \S+$/.test(p.where) || /^photos\/[^/]+$/.test(p.where)) return p;
  const slash = p.where.replace(/\\/g, '/').indexOf('/');
  return { ...p, where: slash > 0 ? `${p.where.slice(0, slash)}/…` : '…' };
}

/**
 * The `imports.telegram` job: runs the import as the account that asked, reporting messages done
 * of the total as progress; its result is the import's report. A refused export, or an account
 * gone or no longer allowed, ends the job at once (trying again cannot help); the import being
 * idempotent, any other failure is simply tried again. The result leaves out document file names
 * (`withoutFileName`).
 */
export function telegramImportJob(
  /** With `tmpDir` (inside the data dir) for exports uploaded as ZIPs. */
  deps: TelegramImportDeps & { tmpDir?: string },
  /** Receives the whole report, file names included (the CLI prints it to the operator). */
  onReport?: (report: TelegramImportReport) => void,
): JobDefinition<'imports.telegram'> {
  return {
    timeoutMs: 12 * 60 * 60 * 1000,
    run: async (payload, ctx: JobContext) => {
      const { actorId } = payload;
      const actor = await jobRequester(deps.db, actorId, 'import');
      return refusalEndsJob(async () => {
        const report = await runImport(deps, actor, 'telegram', payload, importTelegramExport, { signal: ctx.signal, onProgress: (share, message) => ctx.progress(share * 100, message) });
        onReport?.(report);
        return { ...report, problems: report.problems.map(withoutFileName) };
      });
    },
  };
}
