import { Readable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { appendAuditEvent } from '../../audit/audit.repository.js';
import { ingestEvidence } from '../../evidence/evidence.usecases.js';
import type { Container } from '../../../app/container.js';
import type { Actor } from '../../../domain/policies.js';
import { ForbiddenError } from '../../../domain/errors.js';
import { depsOf, describeEachDialect, openTestContainer } from '../../../test-support/dialects.js';
import { makeActor } from '../../../test-support/actors.js';
import { findCompartment } from '../../compartments/compartments.repository.js';
import { loadDemo } from '../../demo/demo.usecases.js';
import { createRecord, type RecordsDeps } from '../../records/records.usecases.js';
import { exportUwazi, zipOfFiles } from './uwazi-export.js';
import { importUwazi, interchangeFiles } from './uwazi-import.js';
import { esfJson, exportEsf } from './esf-export.js';
import { INTERCHANGE_DEFAULT_TYPES } from './interchange.usecases.js';
import { readZipFiles } from './zip-read.js';
import { zipOf } from '../lists/lists.test-support.js';

/**
 * Issue 8, part 5 on both engines: the demo data exported as Uwazi CSVs, imported into an empty
 * instance, exported again → the same bytes; an ESF export's shape; a CSV with an unknown term
 * refused with suggestions and nothing written; `title__be/ru/en` read into the names.
 */

describeEachDialect('interchange (Uwazi CSV, HURIDOCS ESF)', (dialect) => {
  let a: Container;
  let b: Container;
  let depsA: RecordsDeps;
  let depsB: RecordsDeps;
  let coordA: Actor;
  let coordB: Actor;
  let compA: string;
  let compB: string;
  const count = async (c: Container, table: string) => Number((await c.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    a = await openTestContainer(dialect);
    b = await openTestContainer(dialect);
    depsA = depsOf(a);
    depsB = depsOf(b);
    coordA = await makeActor(a.db, 'coordinator', 'ic-coord-a');
    coordB = await makeActor(b.db, 'coordinator', 'ic-coord-b');
    compA = (await findCompartment(a.db, 'default'))!.id;
    compB = (await findCompartment(b.db, 'default'))!.id;
    await loadDemo(depsA, coordA, undefined, compA);
  }, 120_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('exports the demo as Uwazi CSVs, imports them into an empty instance (again: nothing added), and exports the same bytes again', async () => {
    const first = await exportUwazi(depsA, coordA, { compartment: compA, types: INTERCHANGE_DEFAULT_TYPES });
    const zip = await zipOfFiles(first.files);
    const evidenceDeps = { db: b.db, vault: b.vault, blobs: b.blobs, audit: appendAuditEvent };
    const { item } = await ingestEvidence(evidenceDeps, coordB, Readable.from([zip]), { filename: 'letapis.zip', method: 'cli-ingest', compartment: compB });
    const request = { compartment: compB, itemId: item.id, files: await interchangeFiles('letapis.zip', zip) };
    const report = await importUwazi(depsB, coordB, request);
    expect(report.problems).toEqual([]);
    expect(report.notWritten).toBeNull();
    const rows = first.files.reduce((n, f) => n + f.rows, 0);
    expect(Object.values(report.written).reduce((n, w) => n + w!, 0)).toBe(rows);
    // the same file again adds nothing
    const again = await importUwazi(depsB, coordB, request);
    expect(again).toMatchObject({ written: {}, alreadyImported: rows, notWritten: null, problems: [] });
    const second = await exportUwazi(depsB, coordB, { compartment: compB, types: INTERCHANGE_DEFAULT_TYPES });
    for (const [i, f] of first.files.entries()) expect(second.files[i]!.text, f.name).toBe(f.text);
    expect(await zipOfFiles(second.files)).toEqual(zip);
    for (const f of first.files) expect(f.rows, f.name).toBeGreaterThan(0);
  }, 300_000);

  const csv = (lines: string[]) => Buffer.from(lines.join('\r\n') + '\r\n');

  it('reads title__be/ru/en into the names, parent::child terms by code or label, and references by title to rows above and to the compartment', async () => {
    const files = [
      {
        name: 'places.csv',
        bytes: csv([
          'title,title__be,title__ru,title__en,kind,parent,latitude,longitude',
          'Valozhyn,Валожын,Воложин,Valozhyn,city,Belarus,54.0874,26.5234',
          'Valozhyn outskirts,Ваколіцы Валожына,,Valozhyn outskirts,Горад,Valozhyn,,',
        ]),
      },
      {
        name: 'facilities.csv',
        bytes: csv([
          'title,title__be,title__ru,title__en,place,kind,operator,capacity',
          'Valozhyn remand wing,Следчы аддзел Валожына,Следственное отделение Воложина,Valozhyn remand wing,Valozhyn outskirts,Remand prison (SIZO)::СИЗО КГБ («американка»),,40',
        ]),
      },
    ];
    const report = await importUwazi(depsA, coordA, { compartment: compA, files });
    expect(report.problems).toEqual([]);
    expect(report.written).toEqual({ places: 2, facilities: 1 });
    const row = await a.db.selectFrom('facilities').selectAll().where('name_en', '=', 'Valozhyn remand wing').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name_be: 'Следчы аддзел Валожына', name_ru: 'Следственное отделение Воложина', kind: 'kgb-remand-prison' });
    const outskirts = await a.db.selectFrom('places').selectAll().where('name_en', '=', 'Valozhyn outskirts').executeTakeFirstOrThrow();
    expect(outskirts).toMatchObject({ name_be: 'Ваколіцы Валожына', name_ru: null, kind: 'city' });
    const valozhyn = await a.db.selectFrom('places').selectAll().where('name_en', '=', 'Valozhyn').executeTakeFirstOrThrow();
    expect(row.place_id).toBe(outskirts.id);
    expect(outskirts.parent_id).toBe(valozhyn.id);
    // "Belarus" is a place of the demo, already in the compartment
    const belarus = await a.db.selectFrom('places').select('id').where('name_en', '=', 'Belarus').executeTakeFirstOrThrow();
    expect(valozhyn.parent_id).toBe(belarus.id);
    // and it exports back the way it came in: codes as parent::child
    const out = await exportUwazi(depsA, coordA, { compartment: compA, types: ['facilities'] });
    expect(out.files[0]!.text).toContain('Valozhyn remand wing,Следчы аддзел Валожына,Следственное отделение Воложина,Valozhyn remand wing,Valozhyn outskirts,remand-prison::kgb-remand-prison,,40');
  });

  it('refuses a CSV with an unknown term (with suggestions), a term under the wrong parent and an unknown title; nothing of the ZIP is written', async () => {
    const before = { places: await count(a, 'places'), facilities: await count(a, 'facilities') };
    const zip = await zipOfFiles([
      { name: 'places.csv', text: 'title,title__en,kind\r\nStowbtsy,Stowbtsy,city\r\n' },
      {
        name: 'facilities.csv',
        text: [
          'title,title__en,place,kind',
          'Stowbtsy lock-up,Stowbtsy lock-up,Stowbtsy,Ізалятар часовага ўтрымання (ІЧУ',
          'Stowbtsy colony,Stowbtsy colony,Stowbtsy,remand-prison::juvenile-colony',
          'Nowhere lock-up,Nowhere lock-up,Atlantis,prison',
        ].join('\r\n'),
      },
    ]);
    const report = await importUwazi(depsA, coordA, { compartment: compA, files: await interchangeFiles('bad.zip', zip) });
    expect(report.problemsTotal).toBe(3);
    const [unknown, parent, missing] = report.problems;
    expect(unknown).toMatchObject({ file: 'facilities.csv', row: 2, column: 'kind', field: 'kind' });
    expect(unknown!.reason).toMatch(/not a term of the "facility-kinds" vocabulary/);
    expect(unknown!.suggestions![0]).toMatchObject({ code: 'temporary-detention-centre' });
    expect(parent).toMatchObject({ row: 3, column: 'kind' });
    expect(parent!.reason).toMatch(/under parents it does not have.*penal-colony::juvenile-colony/);
    expect(missing).toMatchObject({ row: 4, column: 'place' });
    expect(missing!.reason).toMatch(/no place .* has this title/);
    expect(report.notWritten).toMatch(/nothing was written/);
    expect(report.written).toEqual({});
    expect({ places: await count(a, 'places'), facilities: await count(a, 'facilities') }).toEqual(before);
  });

  it('rolls back every row when one fails the record checks while writing; a dry run writes nothing', async () => {
    const before = await count(a, 'events');
    const files = [{ name: 'events.csv', bytes: csv(['title,status,start,end', 'Пікет каля ратушы,alleged,2020-08-16,2020-08-16', 'Ланцуг салідарнасці,alleged,2020-08-14,2020-08-13']) }];
    const failed = await importUwazi(depsA, coordA, { compartment: compA, files });
    expect(failed.notWritten).toMatch(/nothing was written \(all or nothing\)/);
    expect(failed.problems).toEqual([expect.objectContaining({ file: 'events.csv', row: 3, field: 'end', reason: 'end is before start' })]);
    expect(await count(a, 'events')).toBe(before);
    const ok = [{ name: 'events.csv', bytes: csv(['title,status,start', 'Пікет каля ратушы,alleged,~2020-08']) }];
    const dry = await importUwazi(depsA, coordA, { compartment: compA, files: ok, dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, written: { events: 1 }, notWritten: null, problems: [] });
    expect(await count(a, 'events')).toBe(before);
  });

  it('refuses a hostile ZIP (a name leaving the archive, a symbolic link, a zip bomb) before reading any row', async () => {
    const events = Buffer.from('title,status\r\nПікет,alleged\r\n');
    // yazl writes no such name: write "zz/…" and change the name's bytes in place (local header and central directory)
    const escaping = Buffer.from((await zipOf([{ name: 'zz/events.csv', data: events }])).toString('latin1').replaceAll('zz/events.csv', '../events.csv'), 'latin1');
    await expect(interchangeFiles('x.zip', escaping)).rejects.toThrow(/leaves the archive/);
    await expect(interchangeFiles('x.zip', await zipOf([{ name: 'events.csv', data: Buffer.from('/etc/passwd'), mode: 0o120777 }]))).rejects.toThrow(/symbolic link/);
    await expect(readZipFiles(await zipOf([{ name: 'events.csv', data: Buffer.alloc(3 * 1024 * 1024, 0x61) }]), { maxEntries: 10, maxBytes: 1024 * 1024 })).rejects.toThrow(/zip bomb/);
  });

  it('takes one CSV not named after its type when the type is given; terms by label, several by |, yes/no as lists are read', async () => {
    const files = [{ name: 'спіс.csv', bytes: csv(['title,sex,roles,deceased', 'Ю-501,жаночы,Пацярпелы|Сведка,не']) }];
    const report = await importUwazi(depsA, coordA, { compartment: compA, files, type: 'persons' });
    expect(report).toMatchObject({ written: { persons: 1 }, problems: [], notWritten: null });
    const row = await a.db.selectFrom('persons').selectAll().where('pseudonym', '=', 'Ю-501').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ sex: 'female' });
    expect(Boolean(Number(row.deceased))).toBe(false);
    const out = await exportUwazi(depsA, coordA, { compartment: compA, types: ['persons'] });
    expect(out.files[0]!.text).toContain('Ю-501,female,,,false,victim|witness');
  });

  it('refuses a column that names no field, before reading any row', async () => {
    await expect(importUwazi(depsA, coordA, { compartment: compA, files: [{ name: 'events.csv', bytes: csv(['title,status,nickname', 'Something,alleged,x']) }] })).rejects.toThrow(/no field of events is named "nickname"/);
  });

  it('exports nothing to an account outside the compartment; no encrypted field by default; with them only for an account that may reveal identities', async () => {
    const plain = await exportUwazi(depsA, coordA, { compartment: compA, types: ['persons', 'testimonies'] });
    expect(plain.files[0]!.text.split('\r\n')[0]).toBe('title,sex,is_group,group_size,deceased,roles');
    expect(plain.files[1]!.text.split('\r\n')[0]).not.toContain('transcript');
    const outsider = await makeActor(a.db, 'coordinator', 'ic-outsider', null);
    await expect(exportUwazi(depsA, outsider, { compartment: compA, types: ['persons'] })).rejects.toThrow(/no compartment you belong to/);
    await expect(exportEsf(depsA, outsider, compA)).rejects.toThrow(/no compartment you belong to/);
    const documenter = await makeActor(a.db, 'documenter', 'ic-doc');
    await expect(exportUwazi(depsA, documenter, { compartment: compA, types: ['persons'], withSensitive: true })).rejects.toThrow(ForbiddenError);
    const sealed = await createRecord(depsA, coordA, 'persons', { pseudonym: 'Ц-77', notes: 'Жыве ў вёсцы пад Валожынам', compartment: compA });
    expect(sealed.id).toBeTruthy();
    const withNotes = await exportUwazi(depsA, coordA, { compartment: compA, types: ['persons'], withSensitive: true });
    expect(withNotes.files[0]!.text.split('\r\n')[0]).toMatch(/^title,sex,is_group,group_size,deceased,roles,notes,identity_full_name,identity_given_name,identity_family_name,/);
    expect(withNotes.files[0]!.text).toContain('Ц-77,,,,,,Жыве ў вёсцы пад Валожынам,,');
    expect(plain.files[0]!.text).not.toContain('Жыве');
  });

  it('with identities, each person is revealed (audited) into identity columns that import back into the encrypted identity, the same bytes again', async () => {
    await createRecord(depsA, coordA, 'persons', {
      pseudonym: 'Ц-78',
      sex: 'female',
      identity: {
        familyName: 'Кавалёва',
        givenName: 'Алена',
        otherNames: ['Kavaliova', 'Ковалёва'],
        birthDate: { value: '1990-05', precision: 'month' },
        contacts: [{ kind: 'phone', value: '+375 29 000-00-00' }, { kind: 'telegram', value: '@niama_takoha' }],
        documents: [{ kind: 'passport', number: 'MP0000000' }],
      },
      compartment: compA,
    });
    const reveals = async (c: Container) => Number((await c.db.selectFrom('audit_events').select((eb) => eb.fn.countAll().as('n')).where('action', '=', 'identity.reveal').executeTakeFirstOrThrow()).n);
    const before = await reveals(a);
    const first = await exportUwazi(depsA, coordA, { compartment: compA, types: ['persons'], withSensitive: true });
    const text = first.files[0]!.text;
    expect(text).toContain('Ц-78,female,,,,,,,Алена,Кавалёва,,,Kavaliova|Ковалёва,1990-05,,,+375 29 000-00-00,,@niama_takoha,,,,MP0000000,,');
    expect(await reveals(a)).toBe(before + 1);
    const fresh = await openTestContainer(dialect);
    try {
      const coord = await makeActor(fresh.db, 'coordinator', 'ic-coord-c');
      const comp = (await findCompartment(fresh.db, 'default'))!.id;
      const report = await importUwazi(depsOf(fresh), coord, { compartment: comp, files: [{ name: 'persons.csv', bytes: Buffer.from(text) }] });
      expect(report.problems).toEqual([]);
      const rows = JSON.stringify(await fresh.db.selectFrom('persons').selectAll().execute());
      expect(rows).not.toContain('Кавалёва');
      const again = await exportUwazi(depsOf(fresh), coord, { compartment: comp, types: ['persons'], withSensitive: true });
      expect(again.files[0]!.text).toBe(text);
    } finally {
      await fresh.close();
    }
  });

  it('exports ESF JSON: events, acts, persons by pseudonym, involvements pointing at acts and persons that are there; the same bytes twice', async () => {
    const doc = await exportEsf(depsA, coordA, compA);
    expect(doc.events.length).toBeGreaterThan(0);
    expect(doc.acts.length).toBeGreaterThan(0);
    expect(doc.involvements.length).toBeGreaterThan(0);
    for (const e of doc.events) for (const k of ['event_record_number', 'event_title', 'initial_date', 'final_date', 'geographical_term', 'violation_status', 'type_of_event']) expect(e).toHaveProperty(k);
    const events = new Set(doc.events.map((e) => e.event_record_number));
    const acts = new Set(doc.acts.map((x) => x.act_record_number));
    const persons = new Set(doc.persons.map((p) => p.person_record_number));
    for (const act of doc.acts) {
      expect(events.has(act.event_record_number), 'act in an event').toBe(true);
      expect(persons.has(act.victim_record_number), 'victim is a person').toBe(true);
      expect(act.type_of_act).toMatchObject({ code: expect.any(String), label: expect.any(String) });
    }
    for (const i of doc.involvements) {
      expect(acts.has(i.act_record_number), 'involvement of an act').toBe(true);
      expect(persons.has(i.perpetrator_record_number), 'perpetrator is a person').toBe(true);
      expect(i.degree_of_involvement).toMatchObject({ code: expect.any(String), label: expect.any(String) });
    }
    for (const p of doc.persons) expect(Object.keys(p)).toEqual(['person_record_number', 'name', 'counted', 'number_of_persons_in_group', 'sex', 'deceased', 'roles']);
    expect(doc.persons.some((p) => p.counted === 'organisation')).toBe(true);
    expect(esfJson(await exportEsf(depsA, coordA, compA))).toBe(esfJson(doc));
    // pseudonyms only: the demo's person rows carry no identity in clear, and none is asked for
    expect(esfJson(doc)).not.toMatch(/"identity"|"notes"/);
  });
});

