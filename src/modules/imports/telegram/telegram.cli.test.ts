import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runLetapis } from '../../../test-support/cli.js';
import { loadConfig } from '../../../app/config.js';
import { withContainer } from '../../../cli/context.js';
import { range, writeTelegramExport } from './telegram.test-support.js';

/** `letapis import telegram DIR`: the report in words or JSON, the job kept done, exit 1 only on a refused export. */

let work: string;
let env: NodeJS.ProcessEnv;
let exportDir: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'letapis-telegram-cli-'));
  env = { LETAPIS_DATA_DIR: join(work, 'data') };
  const add = await runLetapis(env, ['user', 'add', 'ales', '--role', 'administrator', '--password-stdin'], { stdin: 'a very long password\n' });
  expect(add.code, add.err).toBe(0);
  const comp = await runLetapis(env, ['compartment', 'create', 'spring-2020']);
  expect(comp.code, comp.err).toBe(0);
  const member = await runLetapis(env, ['compartment', 'add-member', 'spring-2020', 'ales', '--role', 'coordinator']);
  expect(member.code, member.err).toBe(0);
  exportDir = join(work, 'ChatExport_2020-08-11');
  await mkdir(exportDir);
  await writeTelegramExport(exportDir, { ids: range(1, 20), mediaIds: new Set([5, 10]) });
}, 60_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

it('imports an export, prints what it took, and adds nothing the second time', async () => {
  // a dry run first: the counts of an import, nothing written
  const dry = await runLetapis(env, ['import', 'telegram', exportDir, '--compartment', 'spring-2020', '--as', 'ales', '--dry-run']);
  expect(dry.code, dry.err).toBe(0);
  expect(dry.out).toMatch(/dry run:\s+nothing was written/);
  expect(dry.out).toMatch(/messages:\s+20 new, 0 already there/);
  const held = await withContainer(async (c) => ({
    messages: (await c.db.selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
    items: (await c.db.selectFrom('evidence_items').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
  }), loadConfig(env));
  expect(held).toEqual({ messages: 0, items: 0 });

  const first = await runLetapis(env, ['import', 'telegram', exportDir, '--compartment', 'spring-2020', '--as', 'ales']);
  expect(first.code, first.err).toBe(0);
  expect(first.out).toMatch(/messages:\s+20 new, 0 already there, 0 updated \(edited since\), 0 not taken — of 20 in the export/);
  expect(first.out).toMatch(/files:\s+2 new, 0 already held \(an acquisition added\), 2 linked to their message, 0 not taken/);
  expect(first.out).toMatch(/job:\s+\S+ \(done\)/);

  const again = await runLetapis(env, ['import', 'telegram', exportDir, '--compartment', 'spring-2020', '--as', 'ales', '--json']);
  expect(again.code, again.err).toBe(0);
  const out = JSON.parse(again.out);
  expect(out.report.messages).toMatchObject({ created: 0, alreadyThere: 20 });
  // the run is a job like any other, done, with the report as its result
  const job = await withContainer((c) => c.db.selectFrom('jobs').selectAll().where('id', '=', out.jobId).executeTakeFirstOrThrow(), loadConfig(env));
  expect(job).toMatchObject({ name: 'imports.telegram', state: 'done', progress: 100 });
  expect(JSON.parse(job.result as string).messages.alreadyThere).toBe(20);
});

it('shows the operator the names of files it could not take', async () => {
  const dir = join(work, 'missing-file');
  await mkdir(dir);
  await writeFile(join(dir, 'result.json'), JSON.stringify({ name: 'Чат', type: 'private_group', id: 9, messages: [{ id: 1, type: 'message', date: '2020-08-10T23:15:00', date_unixtime: '1597090500', text: 'т', file: 'files/пратакол Іванова.pdf' }] }));
  const res = await runLetapis(env, ['import', 'telegram', dir, '--compartment', 'spring-2020', '--as', 'ales']);
  expect(res.code, res.err).toBe(0);
  expect(res.out).toContain('  files/пратакол Іванова.pdf: missing from the export folder (message 1; the message is imported without it)');
});

it('exits 1 with the reason when the export is refused, and when the compartment is unknown', async () => {
  const bad = join(work, 'bad');
  await mkdir(bad);
  await writeFile(join(bad, 'result.json'), '{ not json');
  const refused = await runLetapis(env, ['import', 'telegram', bad, '--compartment', 'spring-2020', '--as', 'ales']);
  expect(refused.code).toBe(1);
  expect(refused.err).toMatch(/letapis: result.json is not JSON/);
  const unknown = await runLetapis(env, ['import', 'telegram', exportDir, '--compartment', 'nowhere', '--as', 'ales']);
  expect(unknown.code).toBe(1);
  expect(unknown.err).toMatch(/no compartment is named "nowhere"/);
});
