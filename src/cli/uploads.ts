import type { Command } from 'commander';
import { uploadStoreOf } from '../modules/evidence/uploads/uploads.routes.js';
import { reportError, withContainer } from './context.js';

/**
 * `letapis uploads clean`: removes resumable uploads left unfinished for longer than 7 days (their
 * encrypted .part files, sidecars and data keys) from `<dataDir>/uploads`. The server does the same
 * when it starts and every few hours; this is for cron or for a server that is stopped.
 */
export function registerUploadCommands(program: Command): void {
  const uploads = program.command('uploads').description('resumable uploads waiting in the data directory');
  uploads
    .command('clean')
    .description('remove unfinished resumable uploads older than 7 days (LETAPIS_DATA_DIR, DATABASE_URL)')
    .action(async () => {
      try {
        await withContainer(async (c) => {
          const store = uploadStoreOf({ dataDir: c.config.dataDir, db: c.db, vault: c.vault });
          const n = await store.deleteExpired();
          console.log(n === 0 ? `no expired uploads in ${store.dir}` : `removed ${n} expired upload(s) from ${store.dir}`);
        });
      } catch (e) {
        reportError(e);
      }
    });
}
