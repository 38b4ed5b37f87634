import type { JobContext, JobDefinition } from '../../../adapters/queue/queue.port.js';
import { jobRequester, refusalEndsJob } from '../../jobs/requester.js';
import { importFolder, METADATA_CSV, type FolderImportDeps, type FolderImportReport, type Problem } from './folder.usecases.js';
import { runImport } from '../zip-imports.usecases.js';

declare module '../../../adapters/queue/queue.port.js' {
  interface JobPayloads {
    /**
     * Import (or with dryRun, check) a folder of files with metadata.csv or JSON sidecars into a
     * compartment, as the account that asked: a folder on this machine (`dir`, the CLI), or an
     * uploaded ZIP evidence item (`itemId`, the API), unpacked for the job and removed after.
     */
    'imports.folder': ({ dir: string } | { itemId: string }) & { compartment: string; actorId: string; dryRun?: boolean };
  }
}

/**
 * A problem as the job's result keeps it. Results are readable by every member of the compartment,
 * while a file's name is shown only to those who may see evidence metadata (a name can name a
 * person): a path keeps its first folder only; rows and columns of metadata.csv are kept.
 *
 * @example withoutFileName({ where: 'суд/пратакол Іванова.pdf', reason: '…' }) // → { where: 'суд/…', reason: '…' }
 */
export function withoutFileName(p: Problem): Problem {
  if (p.where.startsWith(`${METADATA_CSV} `)) return p;
  const slash = p.where.indexOf('/');
  return { ...p, where: slash > 0 ? `${p.where.slice(0, slash)}/…` : '…' };
}

/**
 * The `imports.folder` job: runs the import as the account that asked, with files done of the
 * total as progress; its result is the report, without file names (`withoutFileName`). A refused
 * folder, or an account gone, ends the job at once; the import being idempotent, any other
 * failure is simply tried again.
 */
export function folderImportJob(
  /** With `tmpDir` (inside the data dir) for folders uploaded as ZIPs. */
  deps: FolderImportDeps & { tmpDir?: string },
  /** Receives the whole report, file names included (the CLI prints it to the operator). */
  onReport?: (report: FolderImportReport) => void,
): JobDefinition<'imports.folder'> {
  return {
    timeoutMs: 12 * 60 * 60 * 1000,
    run: async (payload, ctx: JobContext) => {
      const { actorId } = payload;
      const actor = await jobRequester(deps.db, actorId, 'import');
      return refusalEndsJob(async () => {
        const report = await runImport(deps, actor, 'folder', payload, importFolder, { signal: ctx.signal, onProgress: (share, message) => ctx.progress(share * 100, message) });
        onReport?.(report);
        return { ...report, problems: report.problems.map(withoutFileName) } as unknown as Record<string, unknown>;
      });
    },
  };
}
