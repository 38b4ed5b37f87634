import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../app/config.js';
import { createContainer } from '../../../app/container.js';
import { makeActor } from '../../../test-support/actors.js';
import { runLetapis } from '../../../test-support/cli.js';
import { recordsDeps } from '../../../cli/context.js';
import { loadDemo } from '../../demo/demo.usecases.js';
import { Readable } from 'node:stream';
import { appendAuditEvent } from '../../audit/audit.repository.js';
import { findCompartment } from '../../compartments/compartments.repository.js';
import { ingestEvidence, linkEvidence } from '../../evidence/evidence.usecases.js';
import { readZipFiles } from './zip-read.js';

/**
 * `letapis export uwazi`, `letapis export esf` and `letapis import uwazi` in-process (SQLite; the
 * use cases run on both engines in interchange.test.ts): export the demo's places and events,
 * import them into a second data directory (a dry run first), export again → the same ZIP.
 */
describe('letapis export uwazi / export esf / import uwazi', () => {
  let dir: string;
  let envA: NodeJS.ProcessEnv;
  let envB: NodeJS.ProcessEnv;
  let envC: NodeJS.ProcessEnv;
  const photo = Buffer.from('an invented photograph of a detention, for the command line test');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'letapis-interchange-'));
    envA = { LETAPIS_DATA_DIR: join(dir, 'a') };
    envB = { LETAPIS_DATA_DIR: join(dir, 'b') };
    envC = { LETAPIS_DATA_DIR: join(dir, 'c') };
    const a = await createContainer(loadConfig(envA));
    const coordinator = await makeActor(a.db, 'coordinator', 'cli-ic');
    await loadDemo(recordsDeps(a), coordinator);
    await makeActor(a.db, 'documenter', 'cli-ic-doc');
    await makeActor(a.db, 'translator', 'cli-ic-tr');
    // a photograph linked to the first event
    const deps = { db: a.db, vault: a.vault, blobs: a.blobs, audit: appendAuditEvent };
    const compartment = (await findCompartment(a.db, 'default'))!.id;
    const event = await a.db.selectFrom('events').select('id').orderBy('created_at').orderBy('id').executeTakeFirstOrThrow();
    const { item } = await ingestEvidence(deps, coordinator, Readable.from([photo]), { filename: 'IMG_0042.jpeg', method: 'upload', compartment });
    await linkEvidence(deps, coordinator, item.id, { targetType: 'events', targetId: event.id });
    await a.close();
    const c = await createContainer(loadConfig(envC));
    await makeActor(c.db, 'coordinator', 'cli-ic');
    await c.close();
    const b = await createContainer(loadConfig(envB));
    await makeActor(b.db, 'coordinator', 'cli-ic');
    await b.close();
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exports, imports (dry run, then for real; again adds nothing) and exports the same bytes again; ESF as JSON', async () => {
    const zip = join(dir, 'export.zip');
    const exp = await runLetapis(envA, ['export', 'uwazi', '--compartment', 'default', '--as', 'cli-ic', '--type', 'places', '--type', 'events', '--out', zip]);
    expect(exp.err).toBe('');
    expect(exp.code).toBe(0);
    expect(exp.out).toMatch(/places\.csv\s+\d+ records/);

    const dry = await runLetapis(envB, ['import', 'uwazi', zip, '--compartment', 'default', '--as', 'cli-ic', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.out).toMatch(/would write \d+ places, \d+ events \(dry run: rolled back\)/);
    const imp = await runLetapis(envB, ['import', 'uwazi', zip, '--compartment', 'default', '--as', 'cli-ic']);
    expect(imp.code).toBe(0);
    expect(imp.out).toMatch(/written:\s+\d+ places, \d+ events/);

    const twice = await runLetapis(envB, ['import', 'uwazi', zip, '--compartment', 'default', '--as', 'cli-ic']);
    expect(twice.code).toBe(0);
    expect(twice.out).toMatch(/written:\s+nothing\n\s+\d+ row\(s\) already imported from this file: skipped/);

    const again = join(dir, 'again.zip');
    expect((await runLetapis(envB, ['export', 'uwazi', '--compartment', 'default', '--as', 'cli-ic', '--type', 'places', '--type', 'events', '--out', again])).code).toBe(0);
    expect(readFileSync(again).equals(readFileSync(zip))).toBe(true);

    const esf = join(dir, 'esf.json');
    const e = await runLetapis(envA, ['export', 'esf', '--compartment', 'default', '--as', 'cli-ic', '--out', esf]);
    expect(e.code).toBe(0);
    expect(JSON.parse(readFileSync(esf, 'utf8')).acts.length).toBeGreaterThan(0);
  });

  it('exports with --with-files (the photograph under files/, named in attachments), imports it with its file, exports the same bytes again', async () => {
    const zip = join(dir, 'with-files.zip');
    const exp = await runLetapis(envA, ['export', 'uwazi', '--compartment', 'default', '--as', 'cli-ic', '--type', 'places', '--type', 'events', '--with-files', '--out', zip]);
    expect(exp.code).toBe(0);
    expect(exp.out).toMatch(/files\/\s+1 files/);
    const entries = await readZipFiles(readFileSync(zip));
    const file = entries.find((e) => e.name.startsWith('files/'))!;
    expect(file.name).toMatch(/^files\/[0-9a-f]{64}\.jpeg$/);
    expect(file.bytes.equals(photo)).toBe(true);
    expect(entries.find((e) => e.name === 'events.csv')!.bytes.toString()).toContain(`,${file.name}\r\n`);
    const imp = await runLetapis(envC, ['import', 'uwazi', zip, '--compartment', 'default', '--as', 'cli-ic']);
    expect(imp.code).toBe(0);
    expect(imp.out).toMatch(/1 file\(s\) taken in as evidence and linked/);
    const again = join(dir, 'with-files-again.zip');
    expect((await runLetapis(envC, ['export', 'uwazi', '--compartment', 'default', '--as', 'cli-ic', '--type', 'places', '--type', 'events', '--with-files', '--out', again])).code).toBe(0);
    expect(readFileSync(again).equals(readFileSync(zip))).toBe(true);
    // a translator may read the records but not download evidence: refused, nothing written
    const no = await runLetapis(envA, ['export', 'uwazi', '--compartment', 'default', '--as', 'cli-ic-tr', '--type', 'events', '--with-files', '--out', join(dir, 'tr.zip')]);
    expect(no.code).toBe(1);
    expect(no.err).toMatch(/does not let you download evidence/);
  });

  it('refuses --with-identities to an account that may not reveal, and a CSV with an unknown term (exit 1, suggestions)', async () => {
    const no = await runLetapis(envA, ['export', 'uwazi', '--compartment', 'default', '--as', 'cli-ic-doc', '--type', 'persons', '--with-identities', '--out', join(dir, 'p.zip')]);
    expect(no.code).toBe(1);
    expect(no.err).toMatch(/does not let you reveal identities/);
    const csv = join(dir, 'events.csv');
    writeFileSync(csv, 'title,status,types\r\nПікет,alleged,Затрыманне на вуліцы\r\n');
    const bad = await runLetapis(envB, ['import', 'uwazi', csv, '--compartment', 'default', '--as', 'cli-ic']);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/events\.csv row 2 \(column "types"\): the value is not a term of the "event-types" vocabulary.*did you mean/);
    expect(bad.out).toMatch(/written:\s+nothing/);
  });
});
