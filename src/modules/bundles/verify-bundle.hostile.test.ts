import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import yazl from 'yazl';
import { verifyBundle } from './verify-bundle.js';

/** The offline verifier meets files from anywhere: it must answer "not verified" with a reason, never crash. */
describe('verify on hostile input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'letapis-hostile-bundle-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const zipOf = async (name: string, entries: Array<[string, Buffer]>) => {
    const z = new yazl.ZipFile();
    for (const [n, b] of entries) z.addBuffer(b, n);
    z.end();
    const path = join(dir, name);
    await pipeline(z.outputStream as unknown as Readable, createWriteStream(path));
    return path;
  };

  it('random bytes are not a bundle (no throw, a reason)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), async (bytes) => {
        const p = join(dir, 'random.zip');
        writeFileSync(p, bytes);
        const r = await verifyBundle(p, { trust: [] });
        expect(r.ok).toBe(false);
        expect(r.problems.length).toBeGreaterThan(0);
      }),
      { numRuns: 50 },
    );
    const missing = await verifyBundle(join(dir, 'no-such-file.zip'), { trust: [] });
    expect(missing.problems[0]!.message).toMatch(/not a readable ZIP/);
  });

  it('a ZIP without a manifest, with a garbage manifest, or with a manifest of the wrong shape', async () => {
    const none = await verifyBundle(await zipOf('none.zip', [['a.txt', Buffer.from('x')]]), { trust: [] });
    expect(none.problems.map((p) => p.where)).toEqual(['manifest.json']);
    for (const [name, text] of [
      ['garbage', '{not json'],
      ['wrong-format', JSON.stringify({ format: 'something-else/v1' })],
      ['no-sections', JSON.stringify({ format: 'letapis-case-bundle/v1' })],
      ['hostile-values', JSON.stringify({ format: 'letapis-case-bundle/v1', log: { origin: 1, publicKey: {} }, checkpoint: { note: 42 }, items: [{ id: 'x', events: [{ body: { index: 'a' }, proof: 'no' }] }], files: [{ path: '../x', size: 'big' }] })],
    ] as const) {
      const r = await verifyBundle(await zipOf(`${name}.zip`, [['manifest.json', Buffer.from(text)]]), { trust: ['not a key'] });
      expect(r.ok).toBe(false);
      expect(r.problems.length).toBeGreaterThan(0);
    }
  });

  it('file names that climb out of the bundle are refused', async () => {
    const p = join(dir, 'climb.zip');
    // yazl refuses to write such names, as it should: write a ZIP whose name is patched afterwards
    const ok = await zipOf('climb-src.zip', [['manifest.json', Buffer.from('{}')], ['aa/evil.txt', Buffer.from('evil')]]);
    const bytes = (await import('node:fs')).readFileSync(ok);
    writeFileSync(p, Buffer.from(bytes.toString('latin1').split('aa/evil.txt').join('../evil.tx'), 'latin1'));
    const r = await verifyBundle(p, { trust: [] });
    expect(r.ok).toBe(false);
  });
});
