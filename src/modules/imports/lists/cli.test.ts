import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, describe } from 'vitest';
import { loadConfig } from '../../../app/config.js';
import { createContainer } from '../../../app/container.js';
import { makeActor } from '../../../test-support/actors.js';
import { runLetapis } from '../../../test-support/cli.js';
import { cp1251 } from './lists.test-support.js';

/**
 * `letapis import list` end to end in-process (SQLite; the use cases behind it run on both engines
 * in lists.test.ts): preview, dry run, import, import again, an unknown vocabulary value.
 */
describe('letapis import list', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let file: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'letapis-import-list-'));
    env = { LETAPIS_DATA_DIR: join(dir, 'data') };
    const c = await createContainer(loadConfig(env));
    await makeActor(c.db, 'documenter', 'cli-lists');
    await c.close();
    file = join(dir, 'затрыманыя.csv');
    writeFileSync(file, cp1251('Псеўданім;Прозвішча;Імя;Ролі\r\nЗ-201;Кавалёва;Алена;Пацярпелы\r\nЗ-202;Ўсціновіч;Ігнат;Сведка\r\n'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const base = () => ['import', 'list', file, '--compartment', 'default', '--as', 'cli-lists'];
  const mapping = ['--type', 'persons', '--map', 'Псеўданім=pseudonym', '--map', 'Прозвішча=identity.familyName', '--map', 'Імя=identity.givenName', '--map', 'Ролі=roles'];

  it('previews, dry-runs, imports, and adds nothing the second time', async () => {
    const preview = await runLetapis(env, [...base(), '--preview']);
    expect(preview.code).toBe(0);
    expect(preview.out).toContain('format:    csv, windows-1251, delimiter ";"');
    expect(preview.out).toContain('row    2:  З-201 | Кавалёва | Алена | Пацярпелы');

    const dry = await runLetapis(env, [...base(), ...mapping, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.out).toContain('rows:      2 — 2 valid, 0 with problems, 0 already imported');
    expect(dry.out).toContain('written:   nothing (dry run)');

    const imp = await runLetapis(env, [...base(), ...mapping, '--json']);
    expect(imp.code).toBe(0);
    const report = JSON.parse(imp.out).report;
    expect(report).toMatchObject({ written: 2, invalid: 0, form: { encoding: 'windows-1251', delimiter: ';' } });
    // the names went into the encrypted identity: the output carries ids and counts only
    expect(imp.out).not.toContain('Кавалёва');

    const again = await runLetapis(env, [...base(), ...mapping]);
    expect(again.out).toContain('rows:      2 — 0 valid, 0 with problems, 2 already imported');
    expect(again.out).toContain('written:   0 persons (all-or-nothing)');
  });

  it('an unknown vocabulary value fails the row with suggestions and exit code 1; nothing written', async () => {
    writeFileSync(file, 'Псеўданім,Ролі\nЗ-301,Сведак\n');
    const r = await runLetapis(env, [...base(), '--type', 'persons', '--map', 'Псеўданім=pseudonym', '--map', 'Ролі=roles']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('row 2 (column "Ролі", field roles): the value is not a term of the "person-roles" vocabulary');
    expect(r.out).toContain('did you mean "Сведка" (witness)');
    expect(r.out).toContain('1 row(s) have problems: nothing was written');
  });

  it('a bad mapping is refused before any row is read', async () => {
    const r = await runLetapis(env, [...base(), '--type', 'persons', '--map', 'Прозвішча']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/--map "Прозвішча" must be written COLUMN=field/);
  });
});
