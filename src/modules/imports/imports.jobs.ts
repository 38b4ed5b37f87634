import type { JobHandlers } from '../../adapters/queue/queue.port.js';
import { telegramImportJob } from './telegram/telegram.jobs.js';
import type { TelegramImportDeps } from './telegram/telegram.usecases.js';
import { listJobHandlers } from './lists/lists.jobs.js';
import { folderImportJob } from './folder/folder.jobs.js';
import { interchangeJobHandlers } from './interchange/interchange.jobs.js';

/** What the importers need: the records and evidence use cases' dependencies; `tmpDir` (inside the data dir) to unpack uploaded ZIPs. */
export type ImportDeps = TelegramImportDeps & { tmpDir?: string };

/**
 * The importers' jobs (docs/IMPORTS.md), for `jobHandlersOf` (modules/jobs/jobs.worker.ts). Each
 * importer adds its line.
 */
export function importJobHandlers(deps: ImportDeps): JobHandlers {
  return {
    'imports.telegram': telegramImportJob(deps),
    ...listJobHandlers(deps),
    'imports.folder': folderImportJob(deps),
    ...interchangeJobHandlers(deps),
  };
}
