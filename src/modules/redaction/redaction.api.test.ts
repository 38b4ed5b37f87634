import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import exifr from 'exifr';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { probeAv } from '../../adapters/media/av-metadata.js';
import { ffmpeg, jpegWithGps, mp4, toolForTests } from '../../adapters/media/media.test-support.js';
import type { Container } from '../../app/container.js';
import { buildServer } from '../../app/server.js';
import { evidenceDeps } from '../../cli/ingest.js';
import type { Actor } from '../../domain/policies.js';
import { DEFAULT_MARK } from '../../domain/redaction/text.js';
import { makeActor } from '../../test-support/actors.js';
import { describeEachDialect, openTestContainer } from '../../test-support/dialects.js';
import { runJobsUntilIdle } from '../../test-support/jobs.js';
import { ingestEvidence } from '../evidence/evidence.usecases.js';
import { createToken } from '../users/users.usecases.js';

/**
 * Redaction over the API (issue 9), on both engines: redacted image, video, audio and text
 * derivatives made by the real job worker, read back with no metadata of their originals, the
 * original's bytes untouched, a custody event per redaction with the spec's and the output's
 * hashes; suggestions of names only for those who may reveal identities; refusals said clearly.
 */

const ff = await toolForTests('ffmpeg');
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const NAME = 'Аляксандра Прыкладная';
const LATIN = 'Aliaksandra Prykladnaya';
const PHONE = '+375 29 765-43-21';

describeEachDialect('redaction API', (dialect) => {
  let c: Container;
  let app: FastifyInstance;
  let work: string;
  let coordinator: Actor;
  const token = {} as Record<'coordinator' | 'documenter' | 'analyst' | 'viewer', string>;
  const item = {} as Record<'photo' | 'video' | 'voice' | 'text', string>;
  const bytes = {} as Record<'photo' | 'video' | 'voice' | 'text', Buffer>;
  let testimony: string;
  let victim: string;

  const call = (who: keyof typeof token, method: string, url: string, body?: unknown) =>
    app.inject({
      method: method as any,
      url,
      headers: { authorization: `Bearer ${token[who]}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });

  const runJobs = (ms?: number) => runJobsUntilIdle(c, ms);

  const job = async (id: string) => c.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const download = async (id: string) => {
    const res = await call('coordinator', 'GET', `/api/v1/evidence/${id}/content`);
    expect(res.statusCode, res.body).toBe(200);
    return res.rawPayload;
  };

  /** Asks for a redaction, runs the worker, and returns the derivative the job made with its bytes. */
  async function redact(name: keyof typeof item, spec: unknown): Promise<{ id: string; bytes: Buffer; mime: string; specSha256: string; derivedWith: string }> {
    const res = await call('documenter', 'POST', `/api/v1/evidence/${item[name]}/redactions`, spec);
    expect(res.statusCode, res.body).toBe(202);
    const { jobId, specSha256 } = res.json();
    await runJobs();
    const j = await job(jobId);
    expect(j.state, String(j.last_error ?? '')).toBe('done');
    const result = JSON.parse(j.result);
    const list = (await call('viewer', 'GET', `/api/v1/evidence?parent=${item[name]}`)).json().items as { id: string; derivativeKind: string; mime: string; derivedWith: string; permissions: { download: boolean } }[];
    const d = list.find((x) => x.id === result.derivativeId)!;
    expect(d).toMatchObject({ derivativeKind: 'redacted' });
    // a redacted derivative is not a preview: only those who may download evidence open it
    expect(d.permissions.download).toBe(false);
    const got = await download(d.id);
    expect(sha256(got)).toBe(result.sha256);
    return { id: d.id, bytes: got, mime: d.mime, specSha256, derivedWith: d.derivedWith };
  }

  beforeAll(async () => {
    c = await openTestContainer(dialect);
    app = await buildServer(c);
    work = await mkdtemp(join(tmpdir(), 'letapis-redaction-'));
    coordinator = await makeActor(c.db, 'coordinator', 'rd-kasia');
    await makeActor(c.db, 'documenter', 'rd-dzmitry');
    await makeActor(c.db, 'analyst', 'rd-ales');
    await makeActor(c.db, 'viewer', 'rd-vika');
    for (const [k, u] of [['coordinator', 'rd-kasia'], ['documenter', 'rd-dzmitry'], ['analyst', 'rd-ales'], ['viewer', 'rd-vika']] as const) token[k] = (await createToken(c.db, u)).token;

    // an invented witness: pseudonym, encrypted identity and a Latin spelling
    const p = await call('coordinator', 'POST', '/api/v1/persons', { pseudonym: 'Witness W-7', roles: ['victim'], identity: { fullName: NAME, contacts: [{ kind: 'phone', value: PHONE }] } });
    expect(p.statusCode, p.body).toBe(201);
    victim = p.json().id;
    expect((await call('coordinator', 'POST', '/api/v1/person-names', { person: victim, text: LATIN, script: 'Latn', language: 'be', system: 'be-2007-un' })).statusCode).toBe(201);
    const t = await call('coordinator', 'POST', '/api/v1/testimonies', {
      title: 'Interview 7',
      interviewee: victim,
      transcript: `Witness W-7 said: I am ${NAME}. They took Прыкладную to Akrestsina. Call me at 029 765 43 21.`,
    });
    expect(t.statusCode, t.body).toBe(201);
    testimony = t.json().id;

    const photo = join(work, 'photo.jpg');
    await jpegWithGps(photo, 4);
    bytes.photo = await readFile(photo);
    bytes.text = Buffer.from(`Statement. ${LATIN} saw the van; Witness W-7 was beaten. Her sister was not there.\n`, 'utf8');
    const deps = evidenceDeps(c);
    const take = async (name: keyof typeof item) => (item[name] = (await ingestEvidence(deps, coordinator, Readable.from([bytes[name]]), { filename: `${name}.bin` })).item.id);
    await take('photo');
    await take('text');
    if (ff.run) {
      const video = join(work, 'clip.mp4');
      await mp4(video, { seconds: 3, extra: ['-metadata', 'title=Recording at Okrestina', '-metadata', 'encoder=Samsung SM-G991B'] });
      bytes.video = await readFile(video);
      const voice = join(work, 'voice.m4a');
      await ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=3', '-c:a', 'aac', '-metadata', 'title=Witness K. at home', '-metadata', 'location=+53.9045+027.5615/', '-metadata', 'creation_time=2020-08-09T20:15:00Z', voice]);
      bytes.voice = await readFile(voice);
      await take('video');
      await take('voice');
    }
    const link = await call('coordinator', 'POST', `/api/v1/evidence/${item.text}/links`, { targetType: 'testimonies', targetId: testimony });
    expect(link.statusCode, link.body).toBe(201);
    await runJobs(120_000); // processing: types, metadata, previews
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await c?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('redacts regions of a photo into a derivative without EXIF or GPS, leaving the original as it was, with a custody event', async () => {
    const spec = { kind: 'image', regions: [{ x: 0, y: 0, width: 0.5, height: 0.5, unit: 'relative' }, { x: 400, y: 300, width: 160, height: 120, style: 'blur' }] };
    const out = await redact('photo', spec);
    expect(out.mime).toBe('image/jpeg');
    expect(out.derivedWith).toBe('sharp');
    await expect(exifr.parse(out.bytes, true).catch(() => undefined)).resolves.toBeUndefined();
    const meta = await sharp(out.bytes).metadata();
    expect([meta.exif, meta.xmp, meta.iptc, meta.icc]).toEqual([undefined, undefined, undefined, undefined]);
    expect(out.bytes.toString('latin1')).not.toMatch(/Apple|iPhone|2020:08:09/);
    const box = await sharp(await sharp(out.bytes).extract({ left: 10, top: 10, width: 300, height: 220 }).toBuffer()).stats();
    expect(box.channels.slice(0, 3).every((ch) => ch.max < 24)).toBe(true);
    const before = await sharp(await sharp(bytes.photo).extract({ left: 10, top: 10, width: 300, height: 220 }).toBuffer()).stats();
    expect(before.channels.some((ch) => ch.max > 100)).toBe(true);

    // the original: the same bytes, and its EXIF still there for those who may see metadata
    expect(sha256(await download(item.photo))).toBe(sha256(bytes.photo));
    const custody = (await call('viewer', 'GET', `/api/v1/evidence/${item.photo}/custody`)).json();
    const ev = custody.events.find((e: any) => e.body.action === 'evidence.redact');
    expect(ev.body.details).toMatchObject({ derivativeId: out.id, kind: 'image', specSha256: out.specSha256, sha256: sha256(out.bytes), tool: 'sharp' });
    expect(custody.events.some((e: any) => e.body.action === 'evidence.derive' && e.body.details.derivativeId === out.id)).toBe(true);
    expect(custody.intact).toBe(true);
  });

  it.skipIf(!ff.run)('redacts a video region over a time range and its sound, and a voice recording, with no tags left', async () => {
    const video = await redact('video', { kind: 'video', regions: [{ x: 0.1, y: 0.1, width: 0.4, height: 0.4, unit: 'relative', style: 'blur', ranges: [{ from: 0, to: 2 }] }], audio: { ranges: [{ from: 1, to: 2 }], cover: 'tone' } });
    expect(video.mime).toBe('video/mp4');
    const voice = await redact('voice', { kind: 'audio', ranges: [{ from: 0.5, to: 1 }], pitchSemitones: -3 });
    expect(voice.mime).toBe('audio/mp4');
    for (const [out, orig] of [[video, bytes.video], [voice, bytes.voice]] as const) {
      const p = join(work, `probe-${out.id}`);
      await writeFile(p, out.bytes);
      const probe = await probeAv(p);
      expect(Object.keys(probe.format?.tags ?? {}).sort()).toEqual(['compatible_brands', 'major_brand', 'minor_version']);
      for (const s of probe.streams ?? []) expect(Object.keys(s.tags ?? {}).sort()).toEqual(['handler_name', 'language', 'vendor_id']);
      expect(out.bytes.toString('latin1')).not.toMatch(/Okrestina|Witness K|Samsung|53\.9045|2020-08-09|Lavf|Lavc|x264/);
      expect(orig.toString('latin1')).toMatch(/Okrestina|Witness K/); // the originals did carry them
    }
    expect(sha256(await download(item.video))).toBe(sha256(bytes.video));
  });

  it('suggests where a text names the linked witness: real names and contacts for a coordinator, only the pseudonym for a documenter', async () => {
    const full = await call('coordinator', 'GET', `/api/v1/evidence/${item.text}/redaction-suggestions`);
    expect(full.statusCode, full.body).toBe(200);
    const body = full.json();
    expect(body).toMatchObject({ identities: true, persons: 1, sourceItemId: item.text });
    expect(body.spans.map((s: any) => [body.text.slice(s.start, s.end), s.matched, s.personId, s.pseudonym])).toEqual([
      [LATIN, 'name', victim, 'Witness W-7'],
      ['Witness W-7', 'pseudonym', victim, 'Witness W-7'],
    ]);
    expect(full.body).not.toContain(NAME); // the name itself is never sent
    const audited = await c.db.selectFrom('audit_events').selectAll().where('action', '=', 'evidence.redaction-suggestions').execute();
    expect(audited.map((a) => a.target_id)).toEqual([item.text]);

    const limited = (await call('documenter', 'GET', `/api/v1/evidence/${item.text}/redaction-suggestions`)).json();
    expect(limited).toMatchObject({ identities: false, persons: 1 });
    expect(limited.spans.map((s: any) => limited.text.slice(s.start, s.end))).toEqual(['Witness W-7']);
    expect((await call('analyst', 'GET', `/api/v1/evidence/${item.text}/redaction-suggestions`)).statusCode).toBe(403);

    const t = (await call('coordinator', 'GET', `/api/v1/testimonies/${testimony}/redaction-suggestions`)).json();
    expect(t.spans.map((s: any) => [t.text.slice(s.start, s.end), s.matched])).toEqual([
      ['Witness W-7', 'pseudonym'],
      [NAME, 'name'],
      ['Прыкладную', 'name'],
      ['29 765 43 21', 'contact'],
    ]);
  });

  it('redacts the chosen spans of a text item into a derivative and of a testimony on the fly, refusing spans outside the text', async () => {
    const { text, spans } = (await call('coordinator', 'GET', `/api/v1/evidence/${item.text}/redaction-suggestions`)).json();
    const out = await redact('text', { kind: 'text', spans: spans.map((s: any) => ({ start: s.start, end: s.end })) });
    expect(out.mime).toBe('text/plain');
    expect(out.bytes.toString('utf8')).toBe(`Statement. ${DEFAULT_MARK} saw the van; ${DEFAULT_MARK} was beaten. Her sister was not there.\n`);
    expect(text).toContain(LATIN);

    const t = await call('documenter', 'POST', `/api/v1/testimonies/${testimony}/redacted-transcript`, { spans: [{ start: 0, end: 11 }], mark: '[…]' });
    expect(t.statusCode, t.body).toBe(200);
    expect(t.json().text.startsWith('[…] said: I am')).toBe(true);
    const bad = await call('documenter', 'POST', `/api/v1/testimonies/${testimony}/redacted-transcript`, { spans: [{ start: 5, end: 100_000 }] });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors).toEqual([{ field: 'spans.0', message: expect.stringMatching(/ends past the text/) }]);
    const badJob = await call('documenter', 'POST', `/api/v1/evidence/${item.text}/redactions`, { kind: 'text', spans: [{ start: 0, end: 100_000 }] });
    expect(badJob.statusCode).toBe(202);
    await runJobs();
    const dead = await job(badJob.json().jobId);
    expect(dead.state).toBe('dead');
    expect(dead.last_error).toMatch(/ends past the text/);
  });

  it('refuses those who may not redact, kinds that do not fit the item, and bad specs, writing nothing', async () => {
    const spec = { kind: 'image', regions: [{ x: 0, y: 0, width: 10, height: 10 }] };
    const before = Number((await c.db.selectFrom('jobs').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    expect((await call('analyst', 'POST', `/api/v1/evidence/${item.photo}/redactions`, spec)).statusCode).toBe(403);
    expect((await call('viewer', 'POST', `/api/v1/evidence/${item.photo}/redactions`, spec)).statusCode).toBe(403);
    expect((await call('documenter', 'POST', `/api/v1/evidence/0190a1b2-0000-7000-8000-00000000abcd/redactions`, spec)).statusCode).toBe(404);
    const wrongKind = await call('documenter', 'POST', `/api/v1/evidence/${item.text}/redactions`, spec);
    expect(wrongKind.statusCode).toBe(422);
    expect(wrongKind.json().errors).toEqual([{ field: 'kind', message: 'an image redaction needs a picture; this item is text' }]);
    const relative = await call('documenter', 'POST', `/api/v1/evidence/${item.photo}/redactions`, { kind: 'image', regions: [{ x: 0, y: 0, width: 2, height: 0.5, unit: 'relative' }] });
    expect(relative.statusCode).toBe(422);
    const nothing = await call('documenter', 'POST', `/api/v1/evidence/${item.photo}/redactions`, { kind: 'image', regions: [] });
    expect(nothing.statusCode).toBe(422);
    const after = Number((await c.db.selectFrom('jobs').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    expect(after).toBe(before);

    // the same spec twice while the first is queued: one job
    const a = (await call('coordinator', 'POST', `/api/v1/evidence/${item.photo}/redactions`, { kind: 'image', regions: [{ x: 640, y: 0, width: 10, height: 10 }] })).json();
    const b = (await call('documenter', 'POST', `/api/v1/evidence/${item.photo}/redactions`, { kind: 'image', regions: [{ x: 640, y: 0, width: 10, height: 10 }] })).json();
    expect([a.created, b.created, b.jobId]).toEqual([true, false, a.jobId]);
    // a region outside the picture ends the job with the reason; no derivative is made
    await runJobs();
    const dead = await job(a.jobId);
    expect(dead.state).toBe('dead');
    expect(dead.last_error).toMatch(/outside the 640 × 480 picture/);
  });
});
