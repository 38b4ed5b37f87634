import type { JobHandlers } from '../../../adapters/queue/queue.port.js';
import { jobRequester, refusalEndsJob } from '../../jobs/requester.js';
import { onwardProgress } from '../../jobs/progress.js';
import { runListImport, type ListImportDeps } from './lists.usecases.js';

/**
 * The `imports.list` job: a dry run or an import of a list, run as the account that asked for it,
 * with progress by rows; its result is the report. A list that cannot be read, or an account that
 * lost its rights, ends the job at once (trying again cannot help).
 */
export function listJobHandlers(deps: ListImportDeps): JobHandlers {
  return {
    'imports.list': {
      timeoutMs: 6 * 60 * 60 * 1000,
      run: async (payload, ctx) => {
        const { requestedBy, ...request } = payload;
        const actor = await jobRequester(deps.db, requestedBy, 'import');
        const report = onwardProgress(ctx);
        return refusalEndsJob(() =>
          runListImport(deps, actor, request, {
            signal: ctx.signal,
            onProgress: (phase, done, total) => {
              // a dry run is all validation; an import spends about half its time on each phase
              const share = payload.dryRun ? done / total : phase === 'validating' ? done / total / 2 : 0.5 + done / total / 2;
              report(share, `${phase}: ${done} of ${total} rows`);
            },
          }),
        );
      },
    },
  };
}
