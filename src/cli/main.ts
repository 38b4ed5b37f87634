import { Command } from 'commander';
import { VERSION } from '../app/version.js';
import { loadConfig } from '../app/config.js';
import { migrateToLatest, openDatabase } from '../adapters/db/database.js';
import { serve } from './serve.js';
import { registerUserCommands } from './users.js';
import { registerRecordCommands } from './records.js';
import { registerDemoCommand } from './demo.js';
import { registerCompartmentCommands } from './compartments.js';
import { registerIngestCommand } from './ingest.js';
import { registerVaultCommands } from './vault.js';
import { reportError } from './context.js';
import { registerWorkerCommand } from './worker.js';
import { registerUploadCommands } from './uploads.js';
import { registerLedgerCommands } from './ledger.js';
import { registerSearchCommands } from './search.js';
import { registerWitnessCommands } from './witness.js';
import { registerImportCommands } from './imports.js';
import { registerImportListCommand } from './import-list.js';
import { registerImportFolderCommand } from './import-folder.js';
import { registerCaptureCommand } from './capture.js';
import { registerInterchangeCommands } from './interchange.js';
import { registerPublishCommand } from './publish.js';

/** Builds the `letapis` command line. */
export function buildProgram(): Command {
  const program = new Command('letapis')
    .version(VERSION)
    .description('Letapis (летапіс): documentation and accountability for human-rights defenders')
    .showHelpAfterError();

  program
    .command('serve')
    .description('serve the API and web interface (PORT, HOST, LETAPIS_DATA_DIR, DATABASE_URL)')
    .option('--drop-port <port>', 'also serve the anonymous drop for sources on this port, a listener of its own (docs/DROP.md)')
    .action(async (o: { dropPort?: string }) => {
      try {
        const dropPort = o.dropPort === undefined ? undefined : Number(o.dropPort);
        if (dropPort !== undefined && (!Number.isInteger(dropPort) || dropPort < 1 || dropPort > 65535)) throw new Error(`--drop-port must be a port number (1–65535), not "${o.dropPort}"`);
        await serve({ dropPort });
      } catch (e) {
        reportError(e);
      }
    });

  program
    .command('migrate')
    .description('bring the database schema up to date')
    .action(async () => {
      try {
        const config = loadConfig();
        const d = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
        try {
          const applied = await migrateToLatest(d.db, d.dialect);
          console.log(applied.length ? `applied ${applied.join(', ')} on ${d.describe}` : `${d.describe} is up to date`);
        } finally {
          await d.close();
        }
      } catch (e) {
        reportError(e);
      }
    });

  registerUserCommands(program);
  registerRecordCommands(program);
  registerDemoCommand(program);
  registerCompartmentCommands(program);
  registerIngestCommand(program);
  registerVaultCommands(program);
  registerWorkerCommand(program);
  registerUploadCommands(program);
  registerLedgerCommands(program);
  registerSearchCommands(program);
  registerWitnessCommands(program);
  registerImportCommands(program);
  registerImportListCommand(program);
  registerImportFolderCommand(program);
  registerCaptureCommand(program);
  registerInterchangeCommands(program);
  registerPublishCommand(program);
  return program;
}

/** Entry point used by bin/letapis.js. */
export async function run(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv);
}
