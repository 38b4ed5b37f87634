import type { Command } from 'commander';
import { appendAuditEvent } from '../modules/audit/audit.repository.js';
import { publishSite } from '../modules/stories/publish.js';
import { cliActor, recordsDeps, reportError, withContainer } from './context.js';

/**
 * `letapis publish --out DIR` (docs/PUBLICATION.md): builds the static site of the stories that may
 * be published, and prints each story refused with its reasons.
 */
export function registerPublishCommand(program: Command): void {
  program
    .command('publish')
    .requiredOption('--out <dir>', 'folder of the site: new, empty, or built by this command before (it is replaced whole)')
    .option('--as <user>', 'act as this account (default: the first administrator)')
    .description('build the static multilingual site of the stories that may be published (consent, reviewed translations, two editors)')
    .action(async (opts: { out: string; as?: string }) => {
      try {
        const report = await withContainer(async (c) => publishSite({ ...recordsDeps(c), blobs: c.blobs, vault: c.vault, audit: appendAuditEvent }, await cliActor(c, opts.as), opts.out));
        for (const p of report.published) console.log(`published ${p.id} (${p.languages.join(', ')})`);
        for (const r of report.refused) {
          console.log(`refused   ${r.id}${report.removed.includes(r.id) ? ' (taken down)' : ''}`);
          for (const reason of r.reasons) console.log(`          ${reason}`);
        }
        if (report.unreadable)
          console.log(`left out  ${report.unreadable} stories in compartments ${opts.as ?? 'this account'} may not read (act as a member of them: --as)`);
        console.log(`written:  ${opts.out} (${report.files} files)`);
      } catch (e) {
        reportError(e);
      }
    });
}
