import type { Command } from 'commander';
import { RECORD_TYPE_NAMES, type RecordTypeName } from '../domain/records/fields.js';
import { getRecord, listRecords } from '../modules/records/records.usecases.js';
import { cliActor, recordsDeps, reportError, withContainer } from './context.js';

function recordTypeArg(t: string): RecordTypeName {
  if (!(RECORD_TYPE_NAMES as readonly string[]).includes(t))
    throw new Error(`unknown record type "${t}"; one of: ${RECORD_TYPE_NAMES.join(', ')}`);
  return t as RecordTypeName;
}

/** `letapis records list TYPE` and `letapis records get TYPE ID`. */
export function registerRecordCommands(program: Command): void {
  const records = program.command('records').description('read records');
  records
    .command('list')
    .argument('<type>', `record type: ${RECORD_TYPE_NAMES.join(', ')}`)
    .option('--filter <field=value...>', 'filters as in the API, e.g. --filter type=beating --filter startFrom=2020-08-09')
    .option('--limit <n>', 'records per page (1-500)', '50')
    .option('--cursor <c>', 'continue from a previous page')
    .option('--sort <s>', "createdAt, updatedAt or a sortable field of the type (GET /api/v1/record-types); '-' before it for descending", '-createdAt')
    .option('--as <user>', 'act as this account (default: the first administrator)')
    .option('--json', 'print JSON')
    .description('list records of one type')
    .action(async (type: string, opts: { filter?: string[]; limit: string; cursor?: string; sort: string; as?: string; json?: boolean }) => {
      try {
        const t = recordTypeArg(type);
        const query: Record<string, unknown> = { limit: opts.limit, sort: opts.sort };
        if (opts.cursor) query.cursor = opts.cursor;
        for (const f of opts.filter ?? []) {
          const i = f.indexOf('=');
          if (i < 1) throw new Error(`--filter wants field=value, not "${f}"`);
          query[f.slice(0, i)] = f.slice(i + 1);
        }
        const page = await withContainer(async (c) => listRecords(recordsDeps(c), await cliActor(c, opts.as), t, query));
        if (opts.json) {
          console.log(JSON.stringify(page, null, 2));
          return;
        }
        for (const r of page.items) console.log(`${r.id}  v${r.version}  ${summary(r)}`);
        console.log(page.items.length ? '' : 'no records');
        if (page.nextCursor) console.log(`more: --cursor ${page.nextCursor}`);
      } catch (e) {
        reportError(e);
      }
    });
  records
    .command('get')
    .argument('<type>', 'record type')
    .argument('<id>', 'record id')
    .option('--as <user>', 'act as this account (default: the first administrator)')
    .option('--json', 'print JSON')
    .description('show one record with its links')
    .action(async (type: string, id: string, opts: { as?: string; json?: boolean }) => {
      try {
        const t = recordTypeArg(type);
        const rec = await withContainer(async (c) => getRecord(recordsDeps(c), await cliActor(c, opts.as), t, id));
        if (opts.json) {
          console.log(JSON.stringify(rec, null, 2));
          return;
        }
        const { links, permissions: _p, ...fields } = rec;
        for (const [k, v] of Object.entries(fields)) {
          if (v === null || (Array.isArray(v) && v.length === 0)) continue;
          console.log(`${k.padEnd(16)} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
        }
        if (links.outgoing.length) console.log('\nlinks to:');
        for (const l of links.outgoing) console.log(`  ${l.field.padEnd(16)} ${l.type} ${l.id}  ${l.label ?? ''}`);
        if (links.incoming.length) console.log('\nlinked from:');
        for (const l of links.incoming) console.log(`  ${l.type}.${l.field}  ${l.id}  ${l.label ?? ''}`);
      } catch (e) {
        reportError(e);
      }
    });
}

function summary(r: Record<string, unknown>): string {
  for (const k of ['title', 'pseudonym', 'nameEn', 'nameBe', 'nameRu', 'text', 'caseNumber', 'type', 'kind', 'article', 'summary', 'system', 'script']) {
    const v = r[k];
    if (typeof v === 'string' && v) return v.length > 80 ? `${v.slice(0, 77)}…` : v;
  }
  return '';
}
