import { afterAll, beforeAll, expect, it } from 'vitest';
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

  it('exports the demo as Uwazi CSVs, imports them into an empty instance, and exports the same bytes again', async () => {
    const first = await exportUwazi(depsA, coordA, { compartment: compA, types: INTERCHANGE_DEFAULT_TYPES });
    const zip = await zipOfFiles(first.files);
    const report = await importUwazi(depsB, coordB, { compartment: compB, files: await interchangeFiles('letapis.zip', zip) });
    expect(report.problems).toEqual([]);
    expect(report.notWritten).toBeNull();
    const second = await exportUwazi(depsB, coordB, { compartment: compB, types: INTERCHANGE_DEFAULT_TYPES });
    for (const [i, f] of first.files.entries()) expect(second.files[i]!.text, f.name).toBe(f.text);
    expect(await zipOfFiles(second.files)).toEqual(zip);
    for (const f of first.files) expect(f.rows, f.name).toBeGreaterThan(0);
  }, 300_000);
});
