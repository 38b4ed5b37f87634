import { Readable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import type { FastifyInstance } from 'fastify';
import type { Container } from '../../../app/container.js';
import { buildServer } from '../../../app/server.js';
import { describeEachDialect, openTestContainer } from '../../../test-support/dialects.js';
import { makeActor } from '../../../test-support/actors.js';
import type { Actor } from '../../../domain/policies.js';
import { ValidationError } from '../../../domain/errors.js';
import { appendAuditEvent } from '../../audit/audit.repository.js';
import { findCompartment } from '../../compartments/compartments.repository.js';
import { ingestEvidence } from '../../evidence/evidence.usecases.js';
import { createRecord } from '../../records/records.usecases.js';
import { revealPerson } from '../../persons/persons.usecases.js';
import { createToken } from '../../users/tokens.usecases.js';
import { createJobWorker } from '../../jobs/jobs.worker.js';
import { listJobHandlers } from './lists.jobs.js';
import { previewList, runListImport, type ListImportDeps } from './lists.usecases.js';
import { cp1251, xlsxOf, zipOf } from './lists.test-support.js';

/**
 * Issue 8, part 3 on both engines: a Windows-1251 list of detainees imports with correct text into
 * the encrypted identity; a list of 500 proceedings with 3 bad rows reports exactly those in the dry
 * run and writes nothing until told; all-or-nothing writes nothing (also when row 400 fails while
 * writing); valid-only writes 497; importing again adds nothing; hostile lists are refused with
 * nothing written; and the API's preview and job.
 */

describeEachDialect('list imports (CSV, XLSX)', (dialect) => {
  let c: Container;
  let deps: ListImportDeps;
  let documenter: Actor;
  let coordinator: Actor;
  let compartment: string;
  const persons: string[] = [];

  const ingest = async (bytes: Buffer, filename: string) =>
    (await ingestEvidence(deps, documenter, Readable.from([bytes]), { filename, method: 'cli-ingest', compartment })).item.id;
  const count = async (table: string) => Number((await c.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    c = await openTestContainer(dialect);
    deps = { db: c.db, vault: c.vault, blobs: c.blobs, audit: appendAuditEvent };
    documenter = await makeActor(c.db, 'documenter', 'lists-doc');
    coordinator = await makeActor(c.db, 'coordinator', 'lists-coord');
    compartment = (await findCompartment(c.db, 'default'))!.id;
    for (const pseudonym of ['Д-1', 'Д-2', 'Д-3', 'Д-4', 'Д-5']) persons.push((await createRecord(deps, documenter, 'persons', { pseudonym, compartment })).id);
  });
  afterAll(async () => c?.close());

  it('imports a Windows-1251 list of detainees with their names, correct, into the encrypted identity; again adds nothing', async () => {
    const csv = [
      'Псеўданім;Прозвішча;Імя;Імя па бацьку;Дата нараджэння;Пол;Ролі',
      'З-101;Кавалёва;Алена;Уладзіміраўна;03.05.1990;жаночы;Пацярпелы',
      'З-102;Ўсціновіч;Ігнат;Сяргеевіч;1987;мужчынскі;Пацярпелы|Сведка',
      'З-103;Пётрова;Ксения;Андреевна;11.1979;женский;Пострадавший',
    ].join('\r\n');
    const itemId = await ingest(cp1251(csv), 'затрыманыя.csv');
    const request = {
      itemId,
      type: 'persons',
      compartment,
      mapping: {
        Псеўданім: 'pseudonym',
        Прозвішча: 'identity.familyName',
        Імя: 'identity.givenName',
        'Імя па бацьку': 'identity.patronymic',
        'Дата нараджэння': 'identity.birthDate',
        Пол: 'sex',
        Ролі: 'roles',
      },
    };
    const preview = await previewList(deps, documenter, { itemId });
    expect(preview.form).toMatchObject({ format: 'csv', encoding: 'windows-1251', delimiter: ';' });
    expect(preview.header[1]).toBe('Прозвішча');
    expect(preview.rows[1]).toEqual({ row: 3, cells: ['З-102', 'Ўсціновіч', 'Ігнат', 'Сяргеевіч', '1987', 'мужчынскі', 'Пацярпелы|Сведка'] });

    const report = await runListImport(deps, documenter, { ...request, mode: 'all-or-nothing', dryRun: false });
    expect(report).toMatchObject({ rows: 3, valid: 3, invalid: 0, written: 3, problems: [] });
    const second = report.records.find((r) => r.row === 3)!.id;
    const revealed = await revealPerson(deps, coordinator, second, 'checking the imported list against the paper one');
    expect(revealed.pseudonym).toBe('З-102');
    expect(revealed.identity).toMatchObject({ familyName: 'Ўсціновіч', givenName: 'Ігнат', patronymic: 'Сяргеевіч', birthDate: { value: '1987', precision: 'year' } });
    const third = await revealPerson(deps, coordinator, report.records.find((r) => r.row === 4)!.id, 'checking the imported list against the paper one');
    expect(third.identity).toMatchObject({ familyName: 'Пётрова', givenName: 'Ксения', birthDate: { value: '1979-11', precision: 'month' } });
    // the names are nowhere in clear: not in the person rows, not in the history
    const rows = JSON.stringify(await c.db.selectFrom('persons').selectAll().execute()) + JSON.stringify(await c.db.selectFrom('record_versions').selectAll().execute());
    for (const name of ['Кавалёва', 'Ўсціновіч', 'Пётрова', 'Ксения']) expect(rows).not.toContain(name);
    const row = await c.db.selectFrom('persons').select(['sex']).where('id', '=', second).executeTakeFirstOrThrow();
    expect(row.sex).toBe('male');

    const again = await runListImport(deps, documenter, { ...request, mode: 'all-or-nothing', dryRun: false });
    expect(again).toMatchObject({ rows: 3, alreadyImported: 3, written: 0 });
  });

  /** 500 proceedings; rows 101, 202 and 303 (spreadsheet rows 102, 203, 304) are wrong. */
  function proceedings(): Buffer {
    const lines = ['Абвінавачаны,Від працэсу,Дата,Нумар справы'];
    for (let i = 1; i <= 500; i++) {
      let kind = i % 2 ? 'Адміністрацыйны працэс' : 'уголовный процесс';
      let date = `${String((i % 28) + 1).padStart(2, '0')}.08.2020`;
      let who = persons[i % persons.length]!;
      if (i === 101) kind = 'Адміністрацыйны працес';
      if (i === 202) date = '31.02.2021';
      if (i === 303) who = uuidv7();
      lines.push(`${who},${kind},${date},№ ${1000 + i}`);
    }
    return Buffer.from(lines.join('\n'));
  }
  const proceedingsRequest = (itemId: string) => ({
    itemId,
    type: 'proceedings',
    compartment,
    mapping: { Абвінавачаны: 'defendant', 'Від працэсу': 'kind', Дата: 'date', 'Нумар справы': 'caseNumber' },
  });

  it('a dry run of 500 rows reports exactly the 3 bad ones (with suggestions) and writes nothing; all-or-nothing writes nothing; valid-only 497; again nothing', async () => {
    const itemId = await ingest(proceedings(), 'справы.csv');
    const before = await count('proceedings');
    const dry = await runListImport(deps, documenter, { ...proceedingsRequest(itemId), mode: 'all-or-nothing', dryRun: true });
    expect(dry).toMatchObject({ rows: 500, valid: 497, invalid: 3, written: 0, problemsTotal: 3 });
    expect(dry.problems.map((p) => [p.row, p.column, p.field])).toEqual([
      [102, 'Від працэсу', 'kind'],
      [203, 'Дата', 'date'],
      [304, 'Абвінавачаны', 'defendant'],
    ]);
    expect(dry.problems[0]!.suggestions?.[0]).toEqual({ code: 'administrative', label: 'Адміністрацыйны працэс' });
    expect(dry.problems[1]!.reason).toBe('the value is not a real calendar date');
    expect(dry.problems[2]!.reason).toMatch(/^no person has id /);
    // the codes the web translates: the term, the date, the record that does not exist (or is out of sight)
    expect(dry.problems.map((p) => [p.code, p.params])).toEqual([
      ['unknown-term', { vocabulary: 'proceeding-kinds' }],
      ['not-a-calendar-date', undefined],
      ['record-not-found', { type: 'persons' }],
    ]);
    expect(await count('proceedings')).toBe(before);

    const none = await runListImport(deps, documenter, { ...proceedingsRequest(itemId), mode: 'all-or-nothing', dryRun: false });
    expect(none).toMatchObject({ invalid: 3, written: 0 });
    expect(none.notWritten).toMatch(/3 row\(s\) have problems: nothing was written/);
    expect(none.notWrittenCode).toBe('rows-have-problems');
    expect(await count('proceedings')).toBe(before);
    expect(await count('import_rows')).toBe(3); // the detainees' rows only

    const some = await runListImport(deps, documenter, { ...proceedingsRequest(itemId), mode: 'valid-only', dryRun: false });
    expect(some).toMatchObject({ valid: 497, invalid: 3, written: 497, problemsTotal: 3 });
    expect(await count('proceedings')).toBe(before + 497);
    const one = await c.db.selectFrom('proceedings').select(['kind', 'date_value', 'date_precision', 'case_number']).where('id', '=', some.records[0]!.id).executeTakeFirstOrThrow();
    expect(one).toEqual({ kind: 'administrative', date_value: '2020-08-02', date_precision: 'day', case_number: '№ 1001' });

    const again = await runListImport(deps, documenter, { ...proceedingsRequest(itemId), mode: 'valid-only', dryRun: false });
    expect(again).toMatchObject({ alreadyImported: 497, invalid: 3, written: 0 });
    expect(await count('proceedings')).toBe(before + 497);
  });

  it('a required field no column feeds is a problem of every row, coded "required"', async () => {
    const itemId = await ingest(Buffer.from(`Абвінавачаны\n${persons[0]}\n`), 'справы-без-віду.csv');
    const dry = await runListImport(deps, documenter, { itemId, type: 'proceedings', compartment, mapping: { Абвінавачаны: 'defendant' }, mode: 'all-or-nothing', dryRun: true });
    expect(dry.problems.map((p) => [p.row, p.field, p.reason, p.code])).toEqual([[2, 'kind', 'is required', 'required']]);
  });

  it('all-or-nothing leaves nothing when row 400 of 500 fails while being written', async () => {
    const lines = ['Абвінавачаны,Від працэсу'];
    for (let i = 1; i <= 500; i++) lines.push(`${persons[i % persons.length]},criminal`);
    const itemId = await ingest(Buffer.from(lines.join('\n')), 'справы-2.csv');
    const before = await count('proceedings');
    let writes = 0;
    const failing: ListImportDeps = {
      ...deps,
      // the clock is read once per record written (not by validation): the 400th write fails
      now: () => {
        if (++writes === 400) throw new ValidationError([{ field: 'date', message: 'the disk is full (simulated)' }]);
        return new Date();
      },
    };
    const report = await runListImport(failing, documenter, { itemId, type: 'proceedings', compartment, mapping: { Абвінавачаны: 'defendant', 'Від працэсу': 'kind' }, mode: 'all-or-nothing', dryRun: false });
    expect(writes).toBe(400);
    expect(report).toMatchObject({ written: 0, records: [] });
    expect(report.notWritten).toBe('row 401 could not be written: nothing was written (all or nothing)');
    expect([report.notWrittenCode, report.notWrittenParams]).toEqual(['row-not-written', { row: 401 }]);
    expect(await count('proceedings')).toBe(before);
    expect(Number((await c.db.selectFrom('import_rows').select((eb) => eb.fn.countAll().as('n')).where('item_id', '=', itemId).executeTakeFirstOrThrow()).n)).toBe(0);
  });

  it('refuses a CSV with a 50 MB field quickly, writing nothing', async () => {
    const bytes = Buffer.concat([Buffer.from('Псеўданім,Нататкі\nЗ-1,"'), Buffer.alloc(50 * 1024 * 1024, 0x61), Buffer.from('"\n')]);
    const itemId = await ingest(bytes, 'вялікі.csv');
    const before = await count('persons');
    const t = Date.now();
    await expect(runListImport(deps, documenter, { itemId, type: 'persons', compartment, mapping: { Псеўданім: 'pseudonym', Нататкі: 'notes' }, mode: 'valid-only', dryRun: false })).rejects.toThrow(
      /a field near line \d+ is longer than 1,000,000 characters: the list is refused/,
    );
    expect(Date.now() - t).toBeLessThan(10_000);
    expect(await count('persons')).toBe(before);
  });

  it('refuses an XLSX zip bomb and an XLSX with ".." paths; reads a real sheet', async () => {
    const bomb = await zipOf([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(300 * 1024 * 1024, 0x20) }]);
    await expect(previewList(deps, documenter, { itemId: await ingest(bomb, 'bomb.xlsx') })).rejects.toThrow(/inflates to more than 200 MB: refused/);
    const up = await zipOf([{ name: 'xl/ab/cd/evil.xml', data: Buffer.from('x') }]);
    const evil = Buffer.from(up.toString('latin1').replaceAll('xl/ab/cd/', 'xl/../../'), 'latin1');
    await expect(previewList(deps, documenter, { itemId: await ingest(evil, 'evil.xlsx') })).rejects.toThrow(/leaves the archive/);

    const book = await xlsxOf([
      { name: 'Аркуш1', rows: [['нататкі']] },
      { name: 'Групы', rows: [['Псеўданім', 'Колькасць'], ['Г-1', 15], ['Г-2', 30]] },
    ]);
    const itemId = await ingest(book, 'групы.xlsx');
    const preview = await previewList(deps, documenter, { itemId, sheet: 'Групы' });
    expect(preview).toEqual({ form: { format: 'xlsx', encoding: null, delimiter: null, sheet: 'Групы', sheets: ['Аркуш1', 'Групы'] }, header: ['Псеўданім', 'Колькасць'], rows: [{ row: 2, cells: ['Г-1', '15'] }, { row: 3, cells: ['Г-2', '30'] }] });
    const report = await runListImport(deps, documenter, { itemId, sheet: 'Групы', type: 'persons', compartment, mapping: { Псеўданім: 'pseudonym', Колькасць: 'groupSize' }, fixed: { isGroup: 'так' }, mode: 'all-or-nothing', dryRun: false });
    expect(report).toMatchObject({ written: 2, invalid: 0 });
    const g = await c.db.selectFrom('persons').select(['pseudonym', 'group_size', 'is_group']).where('id', '=', report.records[1]!.id).executeTakeFirstOrThrow();
    expect({ ...g, is_group: Boolean(g.is_group) }).toEqual({ pseudonym: 'Г-2', group_size: 30, is_group: true });
    await expect(previewList(deps, documenter, { itemId, sheet: 'Іншы' })).rejects.toThrow(/the XLSX has no sheet "Іншы"; its sheets: Аркуш1, Групы/);
  });

  it('over the API: preview, then a dry run and an import as jobs whose result is the report', async () => {
    const app: FastifyInstance = await buildServer(c, { logger: false } as any);
    try {
      const token = (await createToken(c.db, 'lists-doc')).token;
      const call = (method: 'GET' | 'POST', url: string, body?: unknown) =>
        app.inject({ method, url, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { payload: JSON.stringify(body) } : {}) });
      const itemId = await ingest(proceedings(), 'справы-api.csv');
      const preview = await call('POST', '/api/v1/imports/lists/preview', { itemId });
      expect(preview.statusCode).toBe(200);
      expect(preview.json()).toMatchObject({ form: { format: 'csv', encoding: 'utf-8', delimiter: ',' }, header: ['Абвінавачаны', 'Від працэсу', 'Дата', 'Нумар справы'] });
      expect(preview.json().rows).toHaveLength(20);

      const badMapping = await call('POST', '/api/v1/imports/lists', { ...proceedingsRequest(itemId), mapping: { Прозвішча: 'defendant' }, dryRun: true });
      expect(badMapping.statusCode).toBe(422);
      expect(badMapping.json().detail).toMatch(/the list has no column "Прозвішча"/);

      const dry = await call('POST', '/api/v1/imports/lists', { ...proceedingsRequest(itemId), dryRun: true });
      expect(dry.statusCode).toBe(202);
      const worker = createJobWorker(c, { handlers: listJobHandlers(deps), pollMs: 20 });
      worker.start();
      const result = async (jobId: string) => {
        for (let i = 0; i < 600; i++) {
          const job = (await call('GET', `/api/v1/jobs/${jobId}`)).json();
          if (job.state === 'done' || job.state === 'dead') return job;
          await new Promise((r) => setTimeout(r, 50));
        }
        throw new Error('the job did not finish');
      };
      try {
        const dryJob = await result(dry.json().jobId);
        expect(dryJob.state).toBe('done');
        expect(dryJob.result).toMatchObject({ dryRun: true, rows: 500, invalid: 3, written: 0 });
        expect(dryJob.result.problems[0]).toMatchObject({ row: 102, code: 'unknown-term', params: { vocabulary: 'proceeding-kinds' } });
        const imp = await call('POST', '/api/v1/imports/lists', { ...proceedingsRequest(itemId), mode: 'valid-only' });
        const impJob = await result(imp.json().jobId);
        expect(impJob.result).toMatchObject({ written: 497, invalid: 3 });
        expect(impJob.progress).toBe(100);
      } finally {
        await worker.stop();
      }
    } finally {
      await app.close();
    }
  });
});
