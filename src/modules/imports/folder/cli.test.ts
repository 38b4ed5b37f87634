import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../app/config.js';
import { createContainer } from '../../../app/container.js';
import { makeActor } from '../../../test-support/actors.js';
import { runLetapis } from '../../../test-support/cli.js';

/**
 * `letapis import folder` end to end in-process (SQLite; the use case behind it runs on both
 * engines in folder.test.ts): a dry run, the import, the import again, a refused folder.
 */
describe('letapis import folder', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let folder: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'letapis-import-folder-'));
    env = { LETAPIS_DATA_DIR: join(dir, 'data') };
    const c = await createContainer(loadConfig(env));
    await makeActor(c.db, 'documenter', 'cli-folder');
    await c.close();
    folder = join(dir, 'матэрыялы');
    mkdirSync(folder);
    writeFileSync(join(folder, 'здымак.jpg'), 'cli photo bytes');
    writeFileSync(join(folder, 'metadata.csv'), 'file,source,date,note\nздымак.jpg,Сведка,10.08.2020,Каля метро\n../etc/passwd,,,\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const base = () => ['import', 'folder', folder, '--compartment', 'default', '--as', 'cli-folder'];

  it('dry-runs, imports, and adds nothing the second time; a refused metadata row is reported, exit code 0 while no file of the folder was left out', async () => {
    const dry = await runLetapis(env, [...base(), '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.out).toContain('dry run:   nothing was written');
    expect(dry.out).toContain('files:     1 would be taken (1 new, 0 already held: an acquisition would be added), 0 already imported, 0 not taken — of 1; 0 without metadata');
    expect(dry.out).toContain('metadata.csv row 3: the path climbs out of the folder ("..")');

    const imp = await runLetapis(env, [...base(), '--json']);
    expect(imp.code).toBe(0);
    expect(JSON.parse(imp.out).report).toMatchObject({ dryRun: false, files: { taken: 1, newItems: 1 }, metadata: { csv: true, form: { encoding: 'utf-8', delimiter: ',' } } });

    const again = await runLetapis(env, base());
    expect(again.out).toContain('files:     0 taken (0 new, 0 already held: an acquisition added), 1 already imported, 0 not taken — of 1');
  });

  it('a folder that is not there is refused with exit code 1', async () => {
    const r = await runLetapis(env, ['import', 'folder', join(dir, 'няма'), '--compartment', 'default', '--as', 'cli-folder']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/няма does not exist/);
  });
});
