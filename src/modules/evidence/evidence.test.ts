import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { runLetapis } from '../../test-support/cli.js';
import type { FastifyInstance } from 'fastify';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { describeEachDialect } from '../../test-support/dialects.js';
import { makeActor } from '../../test-support/actors.js';
import { dropSchema, ensureSchema } from '../../adapters/db/dialects/postgres/postgres.dialect.js';
import { loadConfig } from '../../app/config.js';
import { createContainer, type Container } from '../../app/container.js';
import { buildServer } from '../../app/server.js';
import { evidenceDeps } from '../../cli/ingest.js';
import type { Actor } from '../../domain/policies.js';
import { jpegWithGps, loopingPdfs, mp3, mp4, pdfBytes, pngBomb, textImage, toolForTests } from '../../adapters/media/media.test-support.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import { createRecord } from '../records/records.usecases.js';
import { createToken } from '../users/users.usecases.js';
import { auditRows } from '../users/users.test-support.js';
import { createJobWorker } from '../jobs/jobs.worker.js';
import { getEvidence, openEvidenceContent, type ItemDetail } from './evidence.usecases.js';

/**
 * The evidence vault's acceptance (issue 4), on both engines: `letapis ingest` of a folder of
 * photos, video, audio, a PDF and a scanned page, processed by the real job worker; the same
 * folder again; hostile files; the multipart upload with its limit; ranged, audited downloads;
 * links with a span.
 */

const ff = await toolForTests('ffmpeg');
const tess = await toolForTests('tesseract', ['bel', 'rus', 'eng']);
const allTools = ff.run && tess.run && !ff.missing && !tess.missing;

/** Plaintext put into the files (EXIF, ID3, MP4 tags, PDF text, the OCR words): never in a stored blob. */
const PDF_MARKER = 'LETAPISPLAINTEXTMARKER4711';
const VIDEO_MARKER = 'Dispersal at Pushkinskaya, filmed from a balcony';
const OCR_LINES = ['ПРАТАКОЛ ЗАТРЫМАННЯ', 'Акрэсціна, Мінск', 'DETENTION PROTOCOL WITNESS'];
const MARKERS = [PDF_MARKER, 'DETENTION PROTOCOL', 'ЗАТРЫМАННЯ', 'iPhone 12', 'Recording at Okrestina', VIDEO_MARKER];
const MULTIPART_LIMIT = 200_000;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Every file under `dir`, recursively. */
async function filesUnder(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else out.push(p);
  }
  return out;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** A multipart/form-data body: fields first, then one file part. */
function multipartBody(fields: Record<string, string>, file: { name: string; data: Buffer }): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----letapis${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    file.data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describeEachDialect('evidence', (dialect) => {
  let work: string;
  let dataDir: string;
  let folder: string;
  let hostile: string;
  let schema: string | undefined;
  let env: NodeJS.ProcessEnv;
  let c: Container;
  let app: FastifyInstance;
  let doc: Actor;
  let viewer: Actor;
  let docToken: string;
  let viewerToken: string;
  /** File name in the folder → item id, from the first ingest. */
  const itemOf: Record<string, string> = {};
  /** File name → bytes, as written. */
  const bytesOf: Record<string, Buffer> = {};
  /** The hostile JPEG with a damaged EXIF block, after processing. */
  let corruptExif: ItemDetail | undefined;

  /** Runs one `letapis` command in-process, as cli.test.ts does. */
  async function letapis(args: string[]): Promise<{ out: string; err: string; code: number }> {
    return runLetapis(env, args);
  }

  /** Runs the real worker until no job is queued, running or waiting to retry. */
  async function runJobs(ms = 45_000): Promise<void> {
    const worker = createJobWorker(c, { pollMs: 50, concurrency: 3, backoff: { baseMs: 50, maxMs: 200 } });
    worker.start();
    try {
      const end = Date.now() + ms;
      for (;;) {
        const open = await c.db.selectFrom('jobs').select(['id', 'state', 'progress_message']).where('state', 'in', ['queued', 'running', 'failed']).execute();
        if (open.length === 0) break;
        if (Date.now() > end) throw new Error(`jobs still unfinished after ${ms} ms: ${JSON.stringify(open)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await worker.stop();
    }
  }

  const jobsOf = async (itemId: string) =>
    (await c.db.selectFrom('jobs').selectAll().where('name', '=', 'evidence.process').execute()).filter((j) => JSON.parse(j.payload).itemId === itemId);
  const countOf = async (table: string) => Number((await c.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const deps = () => evidenceDeps(c);
  const detail = (id: string, who: Actor = doc): Promise<ItemDetail> => getEvidence(deps(), who, id);
  const derivative = (d: ItemDetail, kind: string) => d.derivatives.find((x) => x.derivativeKind === kind);
  const content = async (id: string) => readAll((await openEvidenceContent(deps(), doc, id)).stream);

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'letapis-evidence-'));
    dataDir = join(work, 'data');
    folder = join(work, 'incoming');
    hostile = join(work, 'hostile');
    await mkdir(join(folder, 'phone'), { recursive: true });
    await mkdir(hostile, { recursive: true });
    env = { LETAPIS_DATA_DIR: dataDir, LETAPIS_MULTIPART_MAX_BYTES: String(MULTIPART_LIMIT) };
    if (dialect === 'postgres') {
      schema = `ev_${randomBytes(5).toString('hex')}`;
      await ensureSchema(inject('pgUrl'), schema);
      env.DATABASE_URL = `${inject('pgUrl')}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    }

    // the folder: a photo with GPS (in a subfolder), a PDF with text, a scanned page, an MP4, an MP3
    await jpegWithGps(join(folder, 'phone', 'IMG_0042.jpg'));
    await writeFile(
      join(folder, 'report.pdf'),
      pdfBytes([
        '<< /Type /Catalog /Pages 2 0 R >>',
        '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
        `<< /Length ${`BT /F1 18 Tf 72 700 Td (Detention ${PDF_MARKER}) Tj ET`.length} >>\nstream\nBT /F1 18 Tf 72 700 Td (Detention ${PDF_MARKER}) Tj ET\nendstream`,
        '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
      ]),
    );
    await textImage(join(folder, 'scan-page-1.png'), OCR_LINES);
    if (ff.run) {
      await mp4(join(folder, 'phone', 'VID_0007.mp4'), { seconds: 2, size: '320x240', extra: ['-metadata', `title=${VIDEO_MARKER}`] });
      await mp3(join(folder, 'recording.mp3'));
    }
    for (const p of await filesUnder(folder)) bytesOf[p.slice(folder.length + 1)] = await readFile(p);

    // hostile files
    if (ff.run) {
      await mp4(join(hostile, 'truncated.mp4'), { seconds: 2, size: '320x240' });
      await truncate(join(hostile, 'truncated.mp4'), Math.floor((await stat(join(hostile, 'truncated.mp4'))).size / 2));
    }
    await jpegWithGps(join(hostile, 'corrupt-exif.jpg'), 9);
    const jpeg = await readFile(join(hostile, 'corrupt-exif.jpg'));
    const tiff = jpeg.indexOf(Buffer.from('Exif\0\0', 'latin1')) + 6;
    jpeg.writeUInt16LE(0xffff, tiff + jpeg.readUInt32LE(tiff + 4)); // IFD0 claims 65535 entries
    for (let i = tiff + 30; i < tiff + 120; i++) jpeg[i] = (i * 37) & 0xff; // and garbage through its tags
    await writeFile(join(hostile, 'corrupt-exif.jpg'), jpeg);
    await pngBomb(join(hostile, 'bomb.png'), 20_000, 20_000);
    await writeFile(join(hostile, 'loop.pdf'), loopingPdfs()['page tree cycle through a page']!);
    await writeFile(join(hostile, 'empty'), Buffer.alloc(0));
    // a name that would climb out of a folder if it were ever used as a path ('/' cannot be in a name)
    await writeFile(join(hostile, '..\\..\\x'), 'a note whose name tries to leave its folder\n');

    c = await createContainer(loadConfig(env));
    app = await buildServer(c);
    await app.ready();
    doc = await makeActor(c.db, 'documenter', 'ev-doc');
    viewer = await makeActor(c.db, 'viewer', 'ev-viewer');
    docToken = (await createToken(c.db, 'ev-doc')).token;
    viewerToken = (await createToken(c.db, 'ev-viewer')).token;
  });

  afterAll(async () => {
    await app?.close();
    await c?.close();
    if (schema) await dropSchema(inject('pgUrl'), schema);
    rmSync(work, { recursive: true, force: true });
  });

  it.skipIf(!ff.run)('has ffmpeg (CI requires it)', () => expect(ff.missing).toBeUndefined());
  it.skipIf(!tess.run)('has tesseract with bel, rus and eng (CI requires them)', () => expect(tess.missing).toBeUndefined());

  it('letapis ingest takes in the folder recursively and reports the hash sha256sum prints', async () => {
    const r = await letapis(['ingest', folder, '--as', 'ev-doc', '--source', 'a volunteer in Minsk', '--note', 'first batch', '--json']);
    expect(r.code, r.err).toBe(0);
    const report = JSON.parse(r.out) as { files: { path: string; itemId: string; sha256: string; size: number; duplicate: boolean }[]; skipped: unknown[] };
    expect(report.skipped).toEqual([]);
    expect(report.files.map((f) => f.path.slice(folder.length + 1)).sort()).toEqual(Object.keys(bytesOf).sort());
    for (const f of report.files) {
      const name = f.path.slice(folder.length + 1);
      expect(f, name).toMatchObject({ sha256: sha256(bytesOf[name]!), size: bytesOf[name]!.length, duplicate: false });
      itemOf[name] = f.itemId;
      const d = await detail(f.itemId);
      expect(d.sha256).toBe(sha256(bytesOf[name]!));
      expect(d.acquisitions).toEqual([
        expect.objectContaining({ method: 'cli-ingest', filename: name.split('/').pop(), source: 'a volunteer in Minsk', note: 'first batch', acquiredBy: doc.userId, toolVersion: expect.stringMatching(/^letapis /) }),
      ]);
    }
    expect(new Set(Object.values(itemOf)).size).toBe(Object.keys(bytesOf).length);
  });

  it('processes every item with the real worker: all jobs done, nothing flagged, no tool skipped', async () => {
    await runJobs();
    for (const [name, id] of Object.entries(itemOf)) {
      const jobs = await jobsOf(id);
      expect(jobs.map((j) => [j.state, j.last_error]), name).toEqual([['done', null]]);
      const result = JSON.parse(jobs[0]!.result);
      expect(result.flags, name).toEqual([]);
      if (allTools) expect(result.skipped, name).toEqual([]);
      const d = await detail(id);
      expect(d, name).toMatchObject({ state: 'ready', flags: [] });
    }
    expect(await detail(itemOf['phone/IMG_0042.jpg']!)).toMatchObject({ mime: 'image/jpeg', category: 'image', phash: expect.any(String) });
    expect(await detail(itemOf['report.pdf']!)).toMatchObject({ mime: 'application/pdf', category: 'pdf' });
    expect(await detail(itemOf['scan-page-1.png']!)).toMatchObject({ mime: 'image/png', category: 'image' });
    // the decrypted working copies are gone
    expect(await filesUnder(join(dataDir, 'tmp'))).toEqual([]);
  });

  it('stores every blob encrypted: no plaintext marker in any file of the disk store', async () => {
    const blobs = (await filesUnder(join(dataDir, 'blobs'))).filter((p) => !p.includes('.tmp'));
    const items = await c.db.selectFrom('evidence_items').select(['blob_name', 'stored_size', 'size']).execute();
    expect(blobs.length).toBe(items.length);
    for (const i of items) {
      const p = blobs.find((b) => b.endsWith(i.blob_name));
      expect(p, `blob ${i.blob_name}`).toBeDefined();
      expect((await stat(p!)).size).toBe(Number(i.stored_size));
      expect(Number(i.stored_size)).toBeGreaterThan(Number(i.size));
    }
    const markers = allTools ? MARKERS : MARKERS.filter((m) => m === PDF_MARKER || m === 'iPhone 12');
    // the markers are really in the plaintext that went in…
    const plain = Object.values(bytesOf).map((b) => b.toString('latin1')).join('\n');
    for (const m of [PDF_MARKER, 'iPhone 12', ...(ff.run ? ['Recording at Okrestina', VIDEO_MARKER] : [])]) expect(plain).toContain(m);
    // …and in none of the stored bytes (originals and derivatives such as the OCR and PDF text)
    for (const p of blobs) {
      const raw = await readFile(p);
      for (const m of markers) {
        expect(raw.includes(Buffer.from(m, 'utf8')), `${m} in ${p}`).toBe(false);
        expect(raw.includes(Buffer.from(m, 'utf16le')), `${m} (UTF-16) in ${p}`).toBe(false);
      }
    }
  });

  it('shows the extracted metadata to a documenter and null to a viewer', async () => {
    const photo = await detail(itemOf['phone/IMG_0042.jpg']!);
    expect((photo.metadata as any).gps).toMatchObject({ lat: expect.closeTo(53.9045, 3), lon: expect.closeTo(27.5615, 3) });
    expect((photo.metadata as any).device).toMatchObject({ make: 'Apple', model: 'iPhone 12' });
    expect(photo.permissions).toEqual({ download: true, metadata: true, link: true, redact: true });
    const pdf = await detail(itemOf['report.pdf']!);
    expect((pdf.metadata as any).text.pages[0]).toContain(PDF_MARKER);
    for (const id of Object.values(itemOf)) {
      const seen = await detail(id, viewer);
      expect(seen.metadata).toBeNull();
      expect(seen.acquisitions.every((a) => a.filename === null && a.source === null)).toBe(true);
      expect(seen.permissions).toEqual({ download: false, metadata: false, link: false, redact: false });
    }
    // over HTTP too
    const res = await app.inject({ method: 'GET', url: `/api/v1/evidence/${itemOf['phone/IMG_0042.jpg']}`, headers: { authorization: `Bearer ${viewerToken}` } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().metadata).toBeNull();
    expect(res.body).not.toMatch(/53\.90|iPhone/);
    const asDoc = await app.inject({ method: 'GET', url: `/api/v1/evidence/${itemOf['phone/IMG_0042.jpg']}`, headers: { authorization: `Bearer ${docToken}` } });
    expect(asDoc.json().metadata.gps.lat).toBeCloseTo(53.9045, 3);
  });

  it('makes thumbnails and previews of images and the text of the PDF, each an item with its own hash and its parent', async () => {
    for (const name of ['phone/IMG_0042.jpg', 'scan-page-1.png']) {
      const d = await detail(itemOf[name]!);
      for (const kind of ['thumbnail', 'preview']) {
        const t = derivative(d, kind);
        expect(t, `${kind} of ${name}`).toMatchObject({ parentId: d.id, state: 'ready', derivedWith: 'sharp', category: 'image' });
        const bytes = await content(t!.id);
        expect(sha256(bytes)).toBe(t!.sha256);
        expect(bytes.length).toBe(t!.size);
        expect(bytes.length).toBeGreaterThan(100);
      }
      // a viewer sees previews, not the evidentiary copy
      await expect(openEvidenceContent(deps(), viewer, derivative(d, 'thumbnail')!.id)).resolves.toBeDefined();
      await expect(openEvidenceContent(deps(), viewer, d.id)).rejects.toMatchObject({ status: 403 });
    }
    const pdf = await detail(itemOf['report.pdf']!);
    const text = derivative(pdf, 'text');
    expect(text).toMatchObject({ parentId: pdf.id, mime: 'text/plain' });
    expect((await content(text!.id)).toString('utf8')).toContain(PDF_MARKER);
    // derivatives are not listed among the originals
    const listed = await app.inject({ method: 'GET', url: '/api/v1/evidence?limit=100', headers: { authorization: `Bearer ${docToken}` } });
    expect(listed.json().items.map((i: any) => i.id).sort()).toEqual(Object.values(itemOf).sort());
  });

  it.skipIf(!ff.run)('reads the duration of the MP4 and MP3 and makes a poster and a browser-playable preview of the video', async () => {
    const video = await detail(itemOf['phone/VID_0007.mp4']!);
    expect(video).toMatchObject({ mime: 'video/mp4', category: 'video', phash: expect.any(String) });
    expect((video.metadata as any).durationSeconds).toBeCloseTo(2, 0);
    expect((video.metadata as any).location).toMatchObject({ lat: expect.closeTo(53.9045, 3), lon: expect.closeTo(27.5615, 3) });
    expect((video.metadata as any).tags).toMatchObject({ title: VIDEO_MARKER });
    const poster = derivative(video, 'poster');
    expect(poster).toMatchObject({ parentId: video.id, category: 'image', derivedWith: 'ffmpeg' });
    const preview = derivative(video, 'video-preview');
    expect(preview).toMatchObject({ parentId: video.id, category: 'video', derivedWith: 'ffmpeg' });
    expect(sha256(await content(preview!.id))).toBe(preview!.sha256);
    const audio = await detail(itemOf['recording.mp3']!);
    expect(audio).toMatchObject({ mime: 'audio/mpeg', category: 'audio' });
    expect((audio.metadata as any).durationSeconds).toBeCloseTo(3, 0);
    expect((audio.metadata as any).tags).toMatchObject({ title: 'Recording at Okrestina' });
  });

  it.skipIf(!tess.run)('makes an OCR text derivative of the scanned page with the rendered words', async () => {
    const scan = await detail(itemOf['scan-page-1.png']!);
    const ocr = derivative(scan, 'ocr-text');
    expect(ocr).toMatchObject({ parentId: scan.id, mime: 'text/plain', derivedWith: expect.stringMatching(/^tesseract .*\(bel\+rus\+eng\)$/) });
    const text = (await content(ocr!.id)).toString('utf8');
    expect(text).toContain('DETENTION PROTOCOL');
    expect(text).toContain('ЗАТРЫМАННЯ');
    expect(text).toMatch(/Акрэсціна/);
  });

  it('the same folder ingested again creates no new items, only acquisitions', async () => {
    const items = await countOf('evidence_items');
    const jobs = await countOf('jobs');
    const blobs = (await filesUnder(join(dataDir, 'blobs'))).length;
    const r = await letapis(['ingest', folder, '--as', 'ev-doc', '--json']);
    expect(r.code, r.err).toBe(0);
    const report = JSON.parse(r.out) as { files: { path: string; itemId: string; sha256: string; duplicate: boolean }[] };
    expect(report.files).toHaveLength(Object.keys(bytesOf).length);
    for (const f of report.files) expect(f).toMatchObject({ itemId: itemOf[f.path.slice(folder.length + 1)], duplicate: true });
    expect(await countOf('evidence_items')).toBe(items);
    expect(await countOf('jobs')).toBe(jobs);
    // the second copy written while hashing is removed again
    expect((await filesUnder(join(dataDir, 'blobs'))).length).toBe(blobs);
    for (const id of Object.values(itemOf)) {
      const d = await detail(id);
      expect(d.acquisitions.map((a) => a.method)).toEqual(['cli-ingest', 'cli-ingest']);
      expect(d.state).toBe('ready');
    }
    const audit = await auditRows(c.db, { action: 'evidence.acquire' });
    expect(audit.filter((a) => a.details.duplicate === true)).toHaveLength(Object.keys(bytesOf).length);
  });

  it('stores each hostile file with its hash, flags it with a reason, and crashes nothing', async () => {
    const expected: Record<string, Buffer> = {};
    for (const p of await filesUnder(hostile)) expected[p.slice(hostile.length + 1)] = await readFile(p);
    expect(Object.keys(expected)).toContain('..\\..\\x');
    const r = await letapis(['ingest', hostile, '--as', 'ev-doc', '--json']);
    expect(r.code, r.err).toBe(0);
    const report = JSON.parse(r.out) as { files: { path: string; itemId: string; sha256: string; size: number }[] };
    const ids: Record<string, string> = {};
    for (const f of report.files) {
      const name = f.path.slice(hostile.length + 1);
      expect(f, name).toMatchObject({ sha256: sha256(expected[name]!), size: expected[name]!.length });
      ids[name] = f.itemId;
    }
    expect(Object.keys(ids).sort()).toEqual(Object.keys(expected).sort());
    const t0 = Date.now();
    await runJobs();
    expect(Date.now() - t0).toBeLessThan(40_000);

    const outcome: Record<string, ItemDetail> = {};
    for (const [name, id] of Object.entries(ids)) {
      const jobs = await jobsOf(id);
      expect(jobs.map((j) => [j.state, j.last_error]), name).toEqual([['done', null]]);
      const d = await detail(id);
      outcome[name] = d;
      expect(d.sha256, name).toBe(sha256(expected[name]!));
      expect(['flagged', 'ready'], name).toContain(d.state);
      if (d.state === 'flagged') {
        expect(d.flags.length, name).toBeGreaterThan(0);
        for (const f of d.flags) expect(f, name).toMatchObject({ kind: expect.stringMatching(/^[a-z-]+$/), reason: expect.stringMatching(/\w{3}/) });
      } else expect(d.flags, name).toEqual([]);
      // the evidentiary copy is kept as received
      expect(sha256(await content(id)), name).toBe(sha256(expected[name]!));
      // no reason leaks where the server keeps its files
      expect(JSON.stringify(d.flags), name).not.toContain(dataDir);
    }
    expect(outcome.empty).toMatchObject({ size: 0, state: 'flagged', flags: [expect.objectContaining({ reason: expect.stringMatching(/empty/) })] });
    expect(outcome['bomb.png']).toMatchObject({ mime: 'image/png', state: 'flagged' });
    expect(outcome['bomb.png']!.flags).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'limit', reason: expect.stringMatching(/^thumbnail: /) })]));
    expect(outcome['bomb.png']!.derivatives).toEqual([]);
    expect(outcome['loop.pdf']).toMatchObject({ mime: 'application/pdf' });
    if (outcome['loop.pdf']!.state === 'ready') expect((outcome['loop.pdf']!.metadata as any).warnings.length).toBeGreaterThan(0);
    // the JPEG's damaged EXIF does not keep it from its thumbnail, and is reported
    const jpeg = outcome['corrupt-exif.jpg']!;
    expect(jpeg).toMatchObject({ mime: 'image/jpeg' });
    expect(derivative(jpeg, 'thumbnail')).toBeDefined();
    expect((jpeg.metadata as any).warnings).toEqual([expect.stringMatching(/EXIF is damaged/)]);
    expect((jpeg.metadata as any).gps).toBeNull();
    corruptExif = jpeg;
    if (ff.run) {
      expect(outcome['truncated.mp4']).toMatchObject({ mime: 'video/mp4', state: 'flagged' });
      expect(outcome['truncated.mp4']!.flags).toEqual(expect.arrayContaining([expect.objectContaining({ reason: expect.stringMatching(/moov atom not found/) })]));
    }
    // the climbing name is kept only as a name: stored, and nothing written where it points
    const climber = outcome['..\\..\\x']!;
    expect(climber.acquisitions[0]!.filename).toBe('..\\..\\x');
    expect(climber).toMatchObject({ category: 'text', state: 'ready' });
    for (const base of [hostile, dataDir, join(dataDir, 'blobs'), join(dataDir, 'tmp')]) expect(existsSync(resolve(base, '../../x')), base).toBe(false);
    expect(await filesUnder(join(dataDir, 'tmp'))).toEqual([]);
  });

  it('flags the JPEG whose EXIF is damaged with the reason (acceptance: every hostile file is flagged)', () => {
    // processItem turns thrown errors into flags but drops metadata warnings: the item ends "ready"
    expect(corruptExif, 'the hostile-file test ran').toBeDefined();
    expect(corruptExif!.state, 'a JPEG whose EXIF could not be read is flagged').toBe('flagged');
    expect(corruptExif!.flags).toEqual(expect.arrayContaining([expect.objectContaining({ reason: expect.stringMatching(/EXIF is damaged/) })]));
  });

  it('uploads over multipart: 201, duplicate the second time, 413 past the limit with nothing stored; names are only names', async () => {
    const data = Buffer.from(`%PDF-1.4 not really; ${randomBytes(16).toString('hex')}\n`);
    const upload = (name: string, bytes: Buffer, token = docToken, fields: Record<string, string> = { note: 'uploaded' }) => {
      const body = multipartBody(fields, { name, data: bytes });
      return app.inject({ method: 'POST', url: '/api/v1/evidence', headers: { authorization: `Bearer ${token}`, ...body.headers }, payload: body.payload });
    };
    const first = await upload('../../x', data);
    expect(first.statusCode, first.body).toBe(201);
    const one = first.json();
    expect(one).toMatchObject({ duplicate: false, item: { sha256: sha256(data), size: data.length, state: 'stored' }, acquisition: { method: 'upload', note: 'uploaded' } });
    expect(one.item).not.toHaveProperty('blobName');
    const again = await upload('copy.bin', data);
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json()).toMatchObject({ duplicate: true, item: { id: one.item.id } });
    const d = await detail(one.item.id);
    expect(d.acquisitions.map((a) => a.filename)).toEqual([expect.stringMatching(/^(\.\.\/\.\.\/)?x$/), 'copy.bin']);
    expect(existsSync(resolve(dataDir, '../../x'))).toBe(false);
    // a viewer may not add evidence
    expect((await upload('v.bin', randomBytes(100), viewerToken)).statusCode).toBe(403);

    const items = await countOf('evidence_items');
    const keys = await countOf('data_keys');
    const blobs = await filesUnder(join(dataDir, 'blobs'));
    for (const size of [MULTIPART_LIMIT + 1, MULTIPART_LIMIT + 4096, 3 * MULTIPART_LIMIT]) {
      const big = await upload('big.bin', randomBytes(size));
      // nothing of it is kept: no item (not even of the bytes up to the limit), no data key, no blob
      expect(await countOf('evidence_items'), `items after ${size} bytes`).toBe(items);
      expect(await countOf('data_keys'), `data keys after ${size} bytes`).toBe(keys);
      expect(await filesUnder(join(dataDir, 'blobs'))).toEqual(blobs);
      expect(big.statusCode, big.body).toBe(413);
      expect(big.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(big.json().detail).toMatch(/larger than the limit of 200000 bytes/);
    }
    // exactly at the limit is fine
    const edge = await upload('edge.bin', randomBytes(MULTIPART_LIMIT));
    expect(edge.statusCode, edge.body).toBe(201);
  });

  it('downloads with Range: 206 and the right bytes, and every download is an audit event', async () => {
    const name = 'report.pdf';
    const id = itemOf[name]!;
    const whole = bytesOf[name]!;
    const before = (await auditRows(c.db, { action: 'evidence.download', targetId: id })).length;
    const res = await app.inject({ method: 'GET', url: `/api/v1/evidence/${id}/content`, headers: { authorization: `Bearer ${docToken}`, range: 'bytes=100-199' } });
    expect(res.statusCode, res.body).toBe(206);
    expect(res.headers['content-range']).toBe(`bytes 100-199/${whole.length}`);
    expect(res.headers['accept-ranges']).toBe('bytes');
    expect(res.rawPayload.equals(whole.subarray(100, 200))).toBe(true);
    const tail = await app.inject({ method: 'GET', url: `/api/v1/evidence/${id}/content`, headers: { authorization: `Bearer ${docToken}`, range: 'bytes=-10' } });
    expect(tail.statusCode).toBe(206);
    expect(tail.rawPayload.equals(whole.subarray(whole.length - 10))).toBe(true);
    const full = await app.inject({ method: 'GET', url: `/api/v1/evidence/${id}/content`, headers: { authorization: `Bearer ${docToken}` } });
    expect(full.statusCode).toBe(200);
    expect(full.headers['x-content-sha256']).toBe(sha256(whole));
    expect(full.rawPayload.equals(whole)).toBe(true);
    const outside = await app.inject({ method: 'GET', url: `/api/v1/evidence/${id}/content`, headers: { authorization: `Bearer ${docToken}`, range: `bytes=${whole.length}-` } });
    expect(outside.statusCode).toBe(416);
    const denied = await app.inject({ method: 'GET', url: `/api/v1/evidence/${id}/content`, headers: { authorization: `Bearer ${viewerToken}`, range: 'bytes=0-9' } });
    expect(denied.statusCode).toBe(403);

    const events = await auditRows(c.db, { action: 'evidence.download', targetId: id });
    expect(events.length - before).toBe(3);
    expect(events.slice(before)).toEqual([
      expect.objectContaining({ actor_id: doc.userId, target_type: 'evidence', details: expect.objectContaining({ sha256: sha256(whole), range: [100, 199] }) }),
      expect.objectContaining({ actor_id: doc.userId, details: expect.objectContaining({ range: [whole.length - 10, whole.length - 1] }) }),
      expect.objectContaining({ actor_id: doc.userId, details: { sha256: sha256(whole) } }),
    ]);
  });

  it('links an item to an act with a time span', async () => {
    const recordsDeps = { db: c.db, vault: c.vault, audit: appendAuditEvent };
    const event = await createRecord(recordsDeps, doc, 'events', { title: 'Detentions on Pushkinskaya', status: 'alleged' });
    const victim = await createRecord(recordsDeps, doc, 'persons', { pseudonym: 'Witness E-4' });
    const act = await createRecord(recordsDeps, doc, 'acts', { event: event.id, victim: victim.id, type: 'arrest' });
    const id = itemOf[ff.run ? 'phone/VID_0007.mp4' : 'phone/IMG_0042.jpg']!;
    const post = (body: unknown, token = docToken) =>
      app.inject({ method: 'POST', url: `/api/v1/evidence/${id}/links`, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    const span = { kind: 'time', from: 0.5, to: 1.75 };
    const res = await post({ targetType: 'acts', targetId: act.id, span, note: 'the arrest is seen here' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ targetType: 'acts', targetId: act.id, span, note: 'the arrest is seen here' });
    expect((await detail(id)).links).toEqual([expect.objectContaining({ id: res.json().id, targetType: 'acts', targetId: act.id, span })]);
    expect((await auditRows(c.db, { action: 'evidence.link', targetId: id })).at(-1)).toMatchObject({ actor_id: doc.userId, details: { targetType: 'acts', targetId: act.id } });
    // a span that ends before it starts, a record that does not exist, a viewer: refused
    expect((await post({ targetType: 'acts', targetId: act.id, span: { kind: 'time', from: 2, to: 1 } })).statusCode).toBe(422);
    expect((await post({ targetType: 'acts', targetId: '0190a1b2-0000-7000-8000-00000000abcd' })).statusCode).toBe(422);
    expect((await post({ targetType: 'acts', targetId: act.id }, viewerToken)).statusCode).toBe(403);
    expect((await detail(id)).links).toHaveLength(1);
  });

  it('removes a link: the item and the record stay, the custody event keeps what the link said', async () => {
    const recordsDeps = { db: c.db, vault: c.vault, audit: appendAuditEvent };
    const event = await createRecord(recordsDeps, doc, 'events', { title: 'Night at Akrestsina', status: 'alleged' });
    const id = itemOf['phone/IMG_0042.jpg']!;
    const before = (await detail(id)).links.length;
    const made = await app.inject({
      method: 'POST',
      url: `/api/v1/evidence/${id}/links`,
      headers: { authorization: `Bearer ${docToken}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ targetType: 'events', targetId: event.id, span: { kind: 'region', x: 0.1, y: 0.1, width: 0.2, height: 0.2 } }),
    });
    expect(made.statusCode, made.body).toBe(201);
    const linkId = made.json().id as string;
    const del = (link: string, token = docToken) => app.inject({ method: 'DELETE', url: `/api/v1/evidence/${id}/links/${link}`, headers: { authorization: `Bearer ${token}` } });
    // a viewer may see the link but not remove it; a link id that is not this item's is not found
    expect((await del(linkId, viewerToken)).statusCode).toBe(403);
    expect((await del('0190a1b2-0000-7000-8000-00000000abcd')).statusCode).toBe(404);
    expect((await detail(id)).links.map((l) => l.id)).toContain(linkId);
    const res = await del(linkId);
    expect(res.statusCode, res.body).toBe(204);
    const after = await detail(id);
    expect(after.links.map((l) => l.id)).not.toContain(linkId);
    expect(after.links).toHaveLength(before);
    expect((await auditRows(c.db, { action: 'evidence.unlink', targetId: id })).at(-1)).toMatchObject({
      actor_id: doc.userId,
      details: { linkId, targetType: 'events', targetId: event.id, span: { kind: 'region', x: 0.1, y: 0.1, width: 0.2, height: 0.2 } },
    });
    // the record is still there; removing twice is "not found"
    expect(await c.db.selectFrom('events').select('id').where('id', '=', event.id).executeTakeFirst()).toBeDefined();
    expect((await del(linkId)).statusCode).toBe(404);
  });
});
