import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Container } from '../../../app/container.js';
import type { Actor } from '../../../domain/policies.js';
import { findCompartment } from '../../compartments/compartments.repository.js';
import { appendAuditEvent } from '../../audit/audit.repository.js';
import { getEvidence } from '../../evidence/evidence.usecases.js';
import { createRecord } from '../../records/records.usecases.js';
import { createCompartment } from '../../compartments/compartments.usecases.js';
import { runJobHere } from '../run-here.js';
import { describeEachDialect, openTestContainer } from '../../../test-support/dialects.js';
import { makeActor } from '../../../test-support/actors.js';
import { cp1251 } from '../lists/lists.test-support.js';
import { importFolder, type FolderImportDeps, type FolderImportReport } from './folder.usecases.js';
import { folderImportJob } from './folder.jobs.js';

/**
 * Issue 8, part 4: a folder of files described by metadata.csv (here in Windows-1251) or by JSON
 * sidecars becomes evidence with acquisitions and links; again, it adds nothing; what cannot be
 * taken is reported with its reason; hostile paths and symbolic links are refused; a dry run
 * writes nothing.
 */

const count = async (c: Container, table: string) => Number((await c.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
const reasonOf = (r: FolderImportReport, where: string) => r.problems.filter((p) => p.where === where).map((p) => p.reason).join(' / ');

describeEachDialect('folder import with metadata.csv or sidecars', (dialect) => {
  let c: Container;
  let deps: FolderImportDeps;
  let actor: Actor;
  let compartment: string;
  let work: string;
  let act: string;
  let person: string;
  let place: string;
  let hidden: string;

  beforeAll(async () => {
    c = await openTestContainer(dialect);
    deps = { db: c.db, vault: c.vault, blobs: c.blobs, audit: appendAuditEvent, maxBytes: c.config.maxUploadBytes };
    actor = await makeActor(c.db, 'documenter');
    compartment = (await findCompartment(c.db, 'default'))!.id;
    const create = async (type: string, fields: Record<string, unknown>) => (await createRecord(deps, actor, type as any, { compartment, ...fields })).id as string;
    person = await create('persons', { pseudonym: 'Алесь К.' });
    const event = await create('events', { title: 'Разгон на Пушкінскай, 10 жніўня 2020', status: 'alleged' });
    act = await create('acts', { event, victim: person, type: 'arrest' });
    place = await create('places', { nameBe: 'Пушкінская' });
    // a person in a compartment the documenter is not in: "no person", as if it did not exist
    const admin = await makeActor(c.db, 'administrator');
    await createCompartment({ db: c.db, audit: appendAuditEvent } as any, admin, { name: `other-${dialect}` });
    const outsider = await makeActor(c.db, 'documenter', undefined, `other-${dialect}`);
    const other = (await findCompartment(c.db, `other-${dialect}`))!.id;
    hidden = (await createRecord(deps, outsider, 'persons', { compartment: other, pseudonym: 'Схаваны' })).id as string;
    work = await mkdtemp(join(tmpdir(), 'letapis-folder-'));
  });

  afterAll(async () => {
    await c?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('takes a folder described by a Windows-1251 metadata.csv: acquisitions, links, report; again adds nothing; a dry run writes nothing', async () => {
    const dir = join(work, 'csv');
    await mkdir(join(dir, 'відэа'), { recursive: true });
    await writeFile(join(dir, 'фота1.jpg'), 'bytes of photo one');
    await writeFile(join(dir, 'відэа', 'кліп.mp4'), 'bytes of the clip');
    await writeFile(join(dir, 'без-апісання.txt'), 'a file nobody described');
    await writeFile(join(dir, 'bad-date.txt'), 'bad date');
    await writeFile(join(dir, 'bad-link.txt'), 'bad link');
    await writeFile(join(dir, 'hidden-link.txt'), 'hidden link');
    await writeFile(join(dir, 'bad-type.txt'), 'bad type');
    await writeFile(join(work, 'outside.txt'), 'outside the folder');
    await symlink(join(work, 'outside.txt'), join(dir, 'link-out.txt'));
    const rows = [
      'file;source;date;place;note;links;Аўтар',
      `фота1.jpg;Сведка з Мінска;10.08.2020;${place};Затрыманне каля метро;acts:${act}|persons:${person}`,
      'відэа\\кліп.mp4;Тэлеграм-канал;2020-08-10 23:15;Менск, праспект Пераможцаў;;',
      'няма.jpg;;;;;',
      'bad-date.txt;;31.02.2020;;;',
      `bad-link.txt;;;;;acts:01900000-0000-7000-8000-000000000000`,
      `hidden-link.txt;;;;;persons:${hidden}`,
      `bad-type.txt;;;;;kittens:${act}`,
      '../outside.txt;;;;;',
      '/etc/passwd;;;;;',
      'link-out.txt;;;;;',
    ];
    await writeFile(join(dir, 'metadata.csv'), cp1251(rows.join('\r\n') + '\r\n'));

    const before = { items: await count(c, 'evidence_items'), acq: await count(c, 'evidence_acquisitions'), links: await count(c, 'evidence_links'), keys: await count(c, 'import_rows') };
    const dry = await importFolder(deps, actor, { dir, compartment, dryRun: true });
    expect(dry.files).toMatchObject({ seen: 7, taken: 3, newItems: 3, notTaken: 4, withoutMetadata: 1 });
    expect(dry.links.added).toBe(3);
    expect({ items: await count(c, 'evidence_items'), acq: await count(c, 'evidence_acquisitions'), links: await count(c, 'evidence_links'), keys: await count(c, 'import_rows') }).toEqual(before);

    const r = await importFolder(deps, actor, { dir, compartment });
    expect(r.metadata.form?.encoding).toBe('windows-1251');
    expect(r.files).toMatchObject({ seen: 7, taken: 3, newItems: 3, alreadyHeld: 0, alreadyImported: 0, withoutMetadata: 1, notTaken: 4 });
    expect(r.links).toEqual({ added: 3, alreadyThere: 0 });
    expect(reasonOf(r, 'metadata.csv row 4')).toBe('no such file in the folder');
    expect(reasonOf(r, 'metadata.csv column 7')).toBe('the column "Аўтар" is not read (the columns are file, source, date, place, note, links)');
    expect(reasonOf(r, 'metadata.csv row 9')).toMatch(/climbs out of the folder/);
    expect(reasonOf(r, 'metadata.csv row 10')).toMatch(/absolute/);
    expect(reasonOf(r, 'metadata.csv row 11')).toMatch(/symbolic link: not followed/);
    expect(reasonOf(r, 'link-out.txt')).toMatch(/symbolic link: not followed/);
    expect(reasonOf(r, 'bad-date.txt')).toMatch(/date "31.02.2020": the value is not a real calendar date .*row 5/);
    expect(reasonOf(r, 'bad-link.txt')).toMatch(/no act has id 01900000-0000-7000-8000-000000000000/);
    expect(reasonOf(r, 'hidden-link.txt')).toBe(`persons:${hidden}: no person has id ${hidden} (metadata.csv row 7); the file is not taken`);
    expect(reasonOf(r, 'bad-type.txt')).toMatch(/"kittens" is not a record type/);
    expect(reasonOf(r, 'без-апісання.txt')).toMatch(/no row in metadata.csv and no sidecar/);
    // the codes the web translates, with params that quote no cell and name no file
    const codeOf = (where: string) => r.problems.filter((p) => p.where === where).map((p) => (p.params ? [p.code, p.params] : [p.code]));
    expect(codeOf('metadata.csv row 4')).toEqual([['no-such-file']]);
    expect(codeOf('metadata.csv column 7')).toEqual([['unknown-column', { column: 7 }]]);
    expect(codeOf('metadata.csv row 9')).toEqual([['path-climbs-out']]);
    expect(codeOf('metadata.csv row 10')).toEqual([['path-absolute']]);
    expect(codeOf('metadata.csv row 11')).toEqual([['path-through-link']]);
    expect(codeOf('link-out.txt')).toEqual([['symbolic-link']]);
    expect(codeOf('bad-date.txt')).toEqual([['not-a-calendar-date', { row: 5 }]]);
    expect(codeOf('bad-link.txt')).toEqual([['record-not-found', { type: 'acts', row: 6 }]]);
    expect(codeOf('hidden-link.txt')).toEqual([['record-not-found', { type: 'persons', row: 7 }]]);
    expect(codeOf('bad-type.txt')).toEqual([['link-unknown-type', { row: 8 }]]);
    expect(codeOf('без-апісання.txt')).toEqual([['no-metadata']]);
    expect(JSON.stringify(r.problems.map((p) => p.params ?? null))).not.toMatch(/31\.02|kittens|txt/);

    // the photo: its acquisition has the source (Cyrillic read right), date and note; it is linked to the act, the person and the place
    const photo = (await c.db.selectFrom('evidence_items').select('id').where('sha256', '=', sha('bytes of photo one')).executeTakeFirstOrThrow()).id as string;
    const view = (await getEvidence(deps, actor, photo)) as any;
    expect(view.acquisitions).toHaveLength(1);
    expect(view.acquisitions[0].note).toBe('Folder import\nDate: 2020-08-10 (as given: 10.08.2020)\nЗатрыманне каля метро');
    expect(view.acquisitions[0].source).toBe('Сведка з Мінска');
    expect(view.acquisitions[0].method).toBe('cli-ingest');
    const links = await c.db.selectFrom('evidence_links').select(['target_type', 'target_id']).where('item_id', '=', photo).orderBy('target_type').execute();
    expect(links.map((l) => `${l.target_type}:${l.target_id}`)).toEqual([`acts:${act}`, `persons:${person}`, `places:${place}`]);
    const clip = (await c.db.selectFrom('evidence_items').select('id').where('sha256', '=', sha('bytes of the clip')).executeTakeFirstOrThrow()).id as string;
    const clipView = (await getEvidence(deps, actor, clip)) as any;
    expect(clipView.acquisitions[0].filename).toBe('відэа/кліп.mp4');
    expect(clipView.acquisitions[0].note).toBe('Folder import\nDate: 2020-08-10T23:15:00+03:00 (as given: 2020-08-10 23:15)\nPlace: Менск, праспект Пераможцаў');
    // nothing outside the folder was read
    expect(await c.db.selectFrom('evidence_items').select('id').where('sha256', '=', sha('outside the folder')).executeTakeFirst()).toBeUndefined();

    const counts = { items: await count(c, 'evidence_items'), acq: await count(c, 'evidence_acquisitions'), links: await count(c, 'evidence_links') };
    const again = await importFolder(deps, actor, { dir, compartment });
    expect(again.files).toMatchObject({ taken: 0, alreadyImported: 3, notTaken: 4 });
    expect(again.links).toEqual({ added: 0, alreadyThere: 3 });
    expect({ items: await count(c, 'evidence_items'), acq: await count(c, 'evidence_acquisitions'), links: await count(c, 'evidence_links') }).toEqual(counts);
  });

  it('takes JSON sidecars (photo.jpg.json and photo.json), reports broken ones, and runs as the imports.folder job', async () => {
    const dir = join(work, 'sidecars');
    await mkdir(dir);
    await writeFile(join(dir, 'a.jpg'), 'sidecar photo a');
    await writeFile(join(dir, 'a.jpg.json'), JSON.stringify({ source: 'Фатограф А.', date: '2020-08-11', note: 'Акрэсціна', links: [`acts:${act}`] }));
    await writeFile(join(dir, 'b.png'), 'sidecar photo b');
    await writeFile(join(dir, 'b.json'), JSON.stringify({ date: '08.2020', links: `persons:${person}` }));
    await writeFile(join(dir, 'c.jpg'), 'not json');
    await writeFile(join(dir, 'c.jpg.json'), '{ source: nope');
    await writeFile(join(dir, 'd.jpg'), 'too deep');
    await writeFile(join(dir, 'd.jpg.json'), '{"note":' + '['.repeat(1000) + ']'.repeat(1000) + '}');
    await writeFile(join(dir, 'e.jpg'), 'too big');
    await writeFile(join(dir, 'e.jpg.json'), JSON.stringify({ note: 'x'.repeat(70 * 1024) }));
    await writeFile(join(dir, 'f.jpg'), 'not utf-8');
    await writeFile(join(dir, 'f.jpg.json'), cp1251('{"note": "Акрэсціна"}'));
    await writeFile(join(dir, 'лісты.json'), JSON.stringify({ not: 'a sidecar, a file of its own' }));

    let whole: FolderImportReport | undefined;
    const { result } = await runJobHere(c.db, 'imports.folder', { dir, compartment, actorId: actor.userId }, folderImportJob(deps, (r) => (whole = r)), { compartmentId: compartment });
    const r = result as unknown as FolderImportReport;
    expect(r.metadata).toMatchObject({ csv: false, sidecars: 2 });
    expect(r.files).toMatchObject({ seen: 7, taken: 3, notTaken: 4, withoutMetadata: 1 });
    expect(r.links.added).toBe(2);
    expect(reasonOf(whole!, 'c.jpg.json')).toBe('sidecar is not JSON: not read');
    expect(reasonOf(whole!, 'd.jpg.json')).toMatch(/nested more than 4 levels deep/);
    expect(reasonOf(whole!, 'e.jpg.json')).toMatch(/more than the 65536 read/);
    expect(reasonOf(whole!, 'c.jpg')).toMatch(/its sidecar could not be read/);
    expect(reasonOf(whole!, 'f.jpg.json')).toBe('sidecar is not UTF-8 text (JSON is UTF-8): not read');
    const codeOf = (where: string) => whole!.problems.filter((p) => p.where === where).map((p) => (p.params ? [p.code, p.params] : [p.code]));
    expect(codeOf('c.jpg.json')).toEqual([['sidecar-not-json']]);
    expect(codeOf('d.jpg.json')).toEqual([['sidecar-too-deep', { max: 4 }]]);
    expect(codeOf('e.jpg.json')).toEqual([['sidecar-too-large', { size: expect.any(Number), max: 65536 }]]);
    expect(codeOf('c.jpg')).toEqual([['sidecar-broken']]);
    expect(codeOf('f.jpg.json')).toEqual([['sidecar-not-utf8']]);
    // the job's result, readable by every member of the compartment, keeps no file names
    expect(JSON.stringify(r.problems)).not.toMatch(/c\.jpg|лісты/);

    const a = (await c.db.selectFrom('evidence_items').select('id').where('sha256', '=', sha('sidecar photo a')).executeTakeFirstOrThrow()).id as string;
    const view = (await getEvidence(deps, actor, a)) as any;
    expect(view.acquisitions[0].source).toBe('Фатограф А.');
    expect(view.acquisitions[0].note).toBe('Folder import\nDate: 2020-08-11 (as given: 2020-08-11)\nАкрэсціна');
    const b = (await c.db.selectFrom('evidence_items').select('id').where('sha256', '=', sha('sidecar photo b')).executeTakeFirstOrThrow()).id as string;
    expect((await c.db.selectFrom('evidence_links').select('target_id').where('item_id', '=', b).execute()).map((l) => l.target_id)).toEqual([person]);

    const again = await importFolder(deps, actor, { dir, compartment });
    expect(again.files).toMatchObject({ taken: 0, alreadyImported: 3 });
  });

  it('refuses a folder whose metadata.csv is a symbolic link, writing nothing', async () => {
    const dir = join(work, 'linked-csv');
    await mkdir(dir);
    await writeFile(join(dir, 'f.txt'), 'linked csv folder file');
    await writeFile(join(work, 'elsewhere.csv'), 'file,note\nf.txt,x\n');
    await symlink(join(work, 'elsewhere.csv'), join(dir, 'metadata.csv'));
    const items = await count(c, 'evidence_items');
    await expect(importFolder(deps, actor, { dir, compartment })).rejects.toThrow(/metadata.csv is a symbolic link/);
    expect(await count(c, 'evidence_items')).toBe(items);
  });
});

function sha(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}
