import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { cliActor, reportError, withContainer } from './context.js';
import { search } from '../modules/search/search.usecases.js';
import { rebuildIndex } from '../modules/search/indexer.js';
import { rebuildNameIndex } from '../modules/records/secrets.js';
import { appendAuditEvent } from '../modules/audit/audit.repository.js';

/** `letapis search QUERY` and `letapis reindex`. */
export function registerSearchCommands(program: Command): void {
  program
    .command('search')
    .argument('<query...>', 'words in any language or script, "phrases", prefix*, -exclusion, field:value')
    .option('--filter <field=value...>', 'filters as in the API, e.g. --filter type=acts --filter from=2020-08-09')
    .option('--sort <s>', 'relevance, date, -date or label', 'relevance')
    .option('--limit <n>', 'results per page (1-100)', '20')
    .option('--cursor <c>', 'continue from a previous page')
    .option('--as <user>', 'act as this account (default: the first administrator)')
    .option('--json', 'print JSON')
    .description('search every record and evidence item the account may read')
    .action(async (words: string[], opts: { filter?: string[]; sort: string; limit: string; cursor?: string; as?: string; json?: boolean }) => {
      try {
        const params: Record<string, unknown> = { q: words.join(' '), sort: opts.sort, limit: opts.limit };
        if (opts.cursor) params.cursor = opts.cursor;
        for (const f of opts.filter ?? []) {
          const i = f.indexOf('=');
          if (i < 1) throw new Error(`--filter wants field=value, not "${f}"`);
          params[f.slice(0, i)] = f.slice(i + 1);
        }
        const res = await withContainer(async (c) => search({ db: c.db, vault: c.vault }, await cliActor(c, opts.as), params));
        if (opts.json) return void console.log(JSON.stringify(res, null, 2));
        console.log(`${res.capped ? 'more than ' : ''}${res.total} result(s)${res.capped ? ' (the best shown: narrow the query)' : ''}${res.fuzzy ? ' (near matches: nothing matched exactly)' : ''}`);
        for (const h of res.items) {
          console.log(`${h.type.padEnd(22)} ${h.id}  ${h.label}${h.byName ? '  [name]' : ''}${h.date ? `  ${h.date}` : ''}`);
          if (h.snippet) console.log(`    ${marked(h.snippet.text, h.snippet.highlights)}`);
          else if (h.sealedMatch) console.log('    (matched in encrypted text)');
        }
        for (const [field, values] of Object.entries(res.facets))
          if (values.length) console.log(`${field}: ${values.map((v) => `${v.value} (${v.count})`).join(', ')}`);
        if (res.nextCursor) console.log(`more: --cursor ${res.nextCursor}`);
      } catch (e) {
        reportError(e);
      }
    });

  program
    .command('reindex')
    .option('--json', 'print JSON')
    .description('rebuild the blind name index and the search index from the records, with progress (the server also runs it as a job)')
    .action(async (opts: { json?: boolean }) => {
      try {
        const bar = !opts.json && process.stderr.isTTY ? new cliProgress.SingleBar({ format: 'reindex [{bar}] {percentage}% | {value}/{total} | {type}', stream: process.stderr }, cliProgress.Presets.shades_classic) : null;
        const out = await withContainer(async (c) => {
          if (c.vault.isSealed()) throw new Error('the vault is sealed in this process: encrypted names and prose cannot be indexed (unseal it first)');
          const names = await rebuildNameIndex(c.db, c.vault);
          bar?.start(1, 0, { type: '' });
          const t0 = Date.now();
          const docs = await rebuildIndex(
            c.db,
            c.vault,
            (p) => {
              bar?.setTotal(Math.max(1, p.total));
              bar?.update(p.done, { type: p.type });
            },
            c.blobs,
          );
          bar?.stop();
          await appendAuditEvent(c.db, { action: 'search.reindex', actorId: (await cliActor(c).catch(() => null))?.userId ?? null, details: { documents: docs, names } });
          return { documents: docs, names, seconds: (Date.now() - t0) / 1000 };
        });
        console.log(opts.json ? JSON.stringify(out) : `indexed ${out.documents} records and ${out.names} name sources in ${out.seconds.toFixed(1)} s`);
      } catch (e) {
        reportError(e);
      }
    });
}

/** The snippet with the matched words in [brackets], for a terminal. */
function marked(text: string, hl: Array<[number, number]>): string {
  let out = '';
  let at = 0;
  for (const [a, b] of hl) {
    out += `${text.slice(at, a)}[${text.slice(a, b)}]`;
    at = b;
  }
  return out + text.slice(at);
}
