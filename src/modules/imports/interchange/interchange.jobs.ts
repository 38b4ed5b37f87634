import type { JobHandlers } from '../../../adapters/queue/queue.port.js';
import { jobRequester, refusalEndsJob } from '../../jobs/requester.js';
import { onwardProgress } from '../../jobs/progress.js';
import { discardExport, keepExport, runInterchangeExport, runUwaziImport, type InterchangeDeps } from './interchange.usecases.js';

/**
 * The interchange jobs: `interchange.import-uwazi` (a dry run or an import; the result is the
 * report), `interchange.export` (the file stored encrypted for the one who asked; the result says
 * what it holds) and `interchange.export-expire` (removes an export not downloaded in time). They
 * run as the account that asked; one that is gone, or lost its rights, ends the job at once.
 */

export function interchangeJobHandlers(deps: InterchangeDeps): JobHandlers {
  return {
    'interchange.import-uwazi': {
      timeoutMs: 6 * 60 * 60 * 1000,
      run: async (payload, ctx) => {
        const { requestedBy, ...request } = payload;
        const actor = await jobRequester(deps.db, requestedBy, 'import');
        const report = onwardProgress(ctx);
        return refusalEndsJob(() =>
          runUwaziImport(deps, actor, request, (phase, done, total) => {
            // reading converts every row; writing creates them (and takes in their files)
            const share = total ? (payload.dryRun || phase === 'reading' ? done / total / (payload.dryRun ? 1 : 2) : 0.5 + done / total / 2) : 0;
            report(share, `${phase}: ${done} of ${total} rows`);
          }),
        );
      },
    },
    'interchange.export': {
      timeoutMs: 6 * 60 * 60 * 1000,
      run: async (payload, ctx) => {
        const { requestedBy, ...request } = payload;
        const actor = await jobRequester(deps.db, requestedBy, 'export');
        return refusalEndsJob(async () => {
          const report = onwardProgress(ctx);
          const made = await runInterchangeExport(deps, actor, request, (percent, message) => report(percent / 100, message));
          try {
            await keepExport(deps, ctx.jobId, request.compartment, { blobName: made.blobName, dataKeyId: made.dataKeyId, size: made.result.size }, made.result.expiresAt);
          } catch (e) {
            await discardExport(deps, made).catch(() => {});
            throw e;
          }
          return made.result;
        });
      },
    },
    'interchange.export-expire': {
      run: async (payload) => {
        await discardExport(deps, payload);
        return { removed: payload.exportJobId };
      },
    },
  };
}
