import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import exifr from 'exifr';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import evidence from '../../web/src/i18n/en/evidence.json' with { type: 'json' };
import redaction from '../../web/src/i18n/en/redaction.json' with { type: 'json' };
import { jpegWithGps, mp3 } from '../../src/adapters/media/media.test-support.js';
import { makeVideo, sha256Of } from './search-evidence-support.js';
import { accessibilityViolations, addUser, apiSession, cli, describeInBrowser, expectNoProblems, freshInstallation, launchBrowser, screenshot, signInWithCode, startServer, type ApiClient, type AppServer, type BrowserSession } from './harness.js';

const E = evidence.evidence;
const R = redaction.redaction;

/** The little of the page's DOM these tests read, for functions run in the page. */
type PageWindow = { document: { querySelector(selector: string): { naturalWidth?: number; readyState?: number } | null } };

/** Mean absolute difference per RGB value of two same-size pictures inside a rectangle, and away from it (16 px margin). */
async function difference(a: string, b: string, rect: { left: number; top: number; width: number; height: number }) {
  const ra = await sharp(a).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const rb = await sharp(b).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  expect([rb.info.width, rb.info.height]).toEqual([ra.info.width, ra.info.height]);
  const { width, height, channels } = ra.info;
  let inSum = 0, inN = 0, outSum = 0, outN = 0;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const inside = x >= rect.left && x < rect.left + rect.width && y >= rect.top && y < rect.top + rect.height;
      const near = x >= rect.left - 16 && x < rect.left + rect.width + 16 && y >= rect.top - 16 && y < rect.top + rect.height + 16;
      for (let c = 0; c < 3; c++) {
        const d = Math.abs(ra.data[(y * width + x) * channels + c]! - rb.data[(y * width + x) * channels + c]!);
        if (inside) (inSum += d), inN++;
        else if (!near) (outSum += d), outN++;
      }
    }
  return { inside: inSum / inN, outside: outSum / outN };
}

/** Drags the pointer over a picture from a quarter of its width and height to its middle (scrolled into view first: the pointer reaches only what is on the screen). */
async function dragFromQuarterToMiddle(page: Page, picture: Locator): Promise<void> {
  await picture.scrollIntoViewIfNeeded();
  const box = (await picture.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.25, box.y + box.height * 0.25);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5, { steps: 5 });
  await page.mouse.up();
}

/**
 * Redaction in Chromium against the real server: a documenter uploads a phone photo with EXIF and
 * GPS, draws a region on it on the redaction page, redacts, follows the job to its end and downloads
 * the redacted copy — which the test reads back with exifr and sharp: no EXIF, no GPS, the region
 * changed and the rest not. Then a stretch of a recording covered by a tone, its output without
 * tags; a statement's suggested pseudonym and a selected place hidden; a testimony's redacted
 * transcript. The custody of the item names the redaction. axe-core on each step.
 */
describeInBrowser('redaction in Chromium', () => {
  let server: AppServer;
  let session: BrowserSession;
  let page: Page;
  let api: ApiClient;
  const files = mkdtempSync(join(tmpdir(), 'letapis-e2e-redact-'));
  const photo = join(files, 'yard-at-night.jpg');
  const sound = join(files, 'witness-call.mp3');
  const statement = join(files, 'statement.txt');
  const clip = join(files, 'corridor.mp4');
  const items: Record<string, string> = {};
  let testimony: string;

  beforeAll(async () => {
    const install = freshInstallation();
    addUser(install.env, 'chief', 'administrator', 'Chief Administrator');
    addUser(install.env, 'dasha', 'documenter', 'Dasha Documenter');
    for (const args of [
      ['compartment', 'create', 'minsk-2020'],
      ['compartment', 'add-member', 'minsk-2020', 'dasha', '--role', 'documenter'],
    ]) {
      const r = cli(install.env, args);
      if (r.code !== 0) throw new Error(`letapis ${args.join(' ')}: ${r.err}`);
    }
    await jpegWithGps(photo);
    await mp3(sound);
    makeVideo(clip);
    writeFileSync(statement, 'Statement. Witness W-7 saw the van near Akrestsina street; the driver wore a badge.\n');
    server = await startServer(install);
    const s = await apiSession(server.url, 'dasha');
    api = s;
    // an invented witness, known to a documenter by the pseudonym only, and the testimony given
    const person = await api.call('POST', '/api/v1/persons', { pseudonym: 'Witness W-7', roles: ['victim'] });
    expect(person.status).toBe(201);
    const made = await api.call('POST', '/api/v1/testimonies', { title: 'Interview 7', interviewee: person.body.id, transcript: 'Witness W-7 said: they took me to Akrestsina on 9 August.' });
    expect(made.status).toBe(201);
    testimony = made.body.id;
    session = await launchBrowser(server.url);
    page = await session.newPage();
    page.setDefaultTimeout(20_000);
    await signInWithCode(page, server.url, 'dasha', s.secret, 1);
  }, 180_000);
  afterAll(async () => {
    await session?.close();
    await server?.stop();
    rmSync(files, { recursive: true, force: true });
  });
  afterEach(() => expectNoProblems(session));
  vi.setConfig({ testTimeout: 120_000 });

  it('uploads a photo with GPS, a recording, a statement and a video', async () => {
    await page.goto(`${server.url}/evidence/upload`);
    await page.getByRole('heading', { name: E.upload.title, level: 1 }).waitFor();
    await page.getByTestId('file-input').setInputFiles([photo, sound, statement, clip]);
    await page.getByTestId('upload-entry').nth(3).waitFor();
    await page.getByRole('button', { name: 'Upload 4 files' }).click();
    await page.getByTestId('new-item-link').nth(3).waitFor({ timeout: 60_000 });
    for (const name of ['yard-at-night.jpg', 'witness-call.mp3', 'statement.txt', 'corridor.mp4']) {
      const entry = page.getByTestId('upload-entry').filter({ hasText: name });
      await entry.getByText(E.upload.status.done).waitFor();
      items[name] = (await entry.getByTestId('new-item-link').getAttribute('href'))!.split('/').pop()!;
    }
    // the statement belongs to the testimony, whose interviewee is the witness
    expect((await api.call('POST', `/api/v1/evidence/${items['statement.txt']}/links`, { targetType: 'testimonies', targetId: testimony })).status).toBe(201);
  });

  it('draws a region on the photo, redacts it, follows the job and downloads a copy with no EXIF or GPS whose region differs', async () => {
    await page.goto(`${server.url}/evidence/${items['yard-at-night.jpg']}`);
    await page.getByTestId('item-state').filter({ hasText: new RegExp(`^(${E.state.ready}|${E.state.flagged})$`) }).waitFor({ timeout: 60_000 });
    await page.getByTestId('gps').waitFor();
    await page.getByTestId('redact-link').click();
    await page.getByRole('heading', { name: 'Redact: yard-at-night.jpg', level: 1 }).waitFor();
    await page.getByRole('heading', { name: R.image.title }).waitFor();
    const picture = page.getByRole('img', { name: R.image.picture });
    await picture.waitFor();
    await page.waitForFunction(() => ((globalThis as unknown as PageWindow).document.querySelector('img[alt]')?.naturalWidth ?? 0) > 0);

    // a quarter of the picture, from (25 %, 25 %) to (50 %, 50 %): 160 × 120 px at 160, 120 of the 640 × 480 original
    await dragFromQuarterToMiddle(page, picture);
    await page.getByTestId('marked-region').waitFor();
    const x = Number(await page.getByLabel(E.mark.x).inputValue());
    const w = Number(await page.getByLabel(E.mark.width).inputValue());
    expect(Math.abs(x - 160)).toBeLessThanOrEqual(3);
    expect(Math.abs(w - 160)).toBeLessThanOrEqual(3);
    await page.getByRole('button', { name: R.regions.keep }).click();
    await page.getByTestId('kept-region').waitFor();
    expect(await page.getByTestId('regions').getByRole('row').count()).toBe(2); // the head and one region
    await screenshot(page, 'redaction-image');
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.getByRole('button', { name: R.submit, exact: true }).click();
    const result = page.getByTestId('redaction-result');
    await result.waitFor({ timeout: 60_000 });
    await result.getByText(R.job.noMetadata).waitFor();
    const shown = (await page.getByTestId('redacted-sha256').textContent())!;
    expect(shown).toMatch(/^[0-9a-f]{64}$/);
    await screenshot(page, 'redaction-result');
    expect(await accessibilityViolations(page)).toEqual([]);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('redacted-download').click()]);
    const out = join(files, 'redacted.jpg');
    await download.saveAs(out);
    expect(sha256Of(out)).toBe(shown);
    // nothing of the phone's metadata: no EXIF at all, so no GPS, device or time
    expect(await exifr.parse(out, true).catch(() => undefined)).toBeUndefined();
    expect(await exifr.gps(out).catch(() => undefined)).toBeUndefined();
    const meta = await sharp(out).metadata();
    expect([meta.exif, meta.xmp, meta.iptc, meta.width, meta.height]).toEqual([undefined, undefined, undefined, 640, 480]);
    const bytes = readFileSync(out).toString('latin1');
    for (const needle of ['Apple', 'iPhone', '2020:08:09']) expect(bytes, needle).not.toContain(needle);
    // the region is a black box; the rest is the picture re-encoded
    const d = await difference(photo, out, { left: 164, top: 124, width: 152, height: 112 });
    expect(d.inside).toBeGreaterThan(30);
    expect(d.outside).toBeLessThan(3);
    // (stats() reads its input: the extract is made first)
    const inside = await sharp(await sharp(out).extract({ left: 170, top: 130, width: 140, height: 100 }).toBuffer()).stats();
    expect(inside.channels.slice(0, 3).every((c) => c.max < 24)).toBe(true);
    // the original is untouched, and the copy is listed with the item
    expect(sha256Of(photo)).toBe((await api.get(`/api/v1/evidence/${items['yard-at-night.jpg']}`)).sha256);
    await page.getByTestId('earlier-redactions').getByText(shown).waitFor();
    const listed = await api.get(`/api/v1/evidence?parent=${items['yard-at-night.jpg']}`);
    expect(listed.items.filter((i: { derivativeKind: string }) => i.derivativeKind === 'redacted').map((i: { sha256: string }) => i.sha256)).toEqual([shown]);
  });

  it('shows the redaction in the item’s custody and its copy among the derived ones', async () => {
    await page.getByRole('link', { name: R.back }).click();
    await page.getByTestId('custody-events').getByRole('cell', { name: E.custody.actions.redact }).waitFor();
    await page.getByRole('link', { name: E.derivative.redacted }).waitFor();
  });

  it('covers a stretch of the recording with a tone: the copy has no tags and keeps its length', async () => {
    await page.goto(`${server.url}/evidence/${items['witness-call.mp3']}/redact`);
    await page.getByRole('heading', { name: R.audio.title }).waitFor({ timeout: 60_000 });
    await page.getByLabel(E.mark.start, { exact: true }).fill('0:01');
    await page.getByLabel(E.mark.end, { exact: true }).fill('0:02');
    await page.getByRole('button', { name: R.audio.keepRange }).click();
    await page.getByTestId('audio-ranges').getByText('0:01.0–0:02.0').waitFor();
    await page.getByRole('combobox', { name: R.audio.cover }).click();
    await page.locator('.mantine-Select-option:visible').filter({ hasText: R.audio.tone }).click();
    await screenshot(page, 'redaction-audio');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: R.submit, exact: true }).click();
    await page.getByTestId('redaction-result').waitFor({ timeout: 90_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('redacted-download').click()]);
    const out = join(files, 'redacted.m4a');
    await download.saveAs(out);
    const probe = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', out], { encoding: 'utf8' })) as { format: { duration: string; tags?: Record<string, string> }; streams: { codec_type: string }[] };
    expect(Math.abs(Number(probe.format.duration) - 3)).toBeLessThan(0.2);
    expect(probe.streams.map((s) => s.codec_type)).toEqual(['audio']);
    expect(JSON.stringify(probe.format.tags ?? {})).not.toMatch(/Okrestina|title|encoder|Lavf/i);
    expect(readFileSync(out).toString('latin1')).not.toContain('Okrestina');
  });

  it('hides a suggested pseudonym and a selected place in a statement; the suggestion shows only the text’s own words', async () => {
    await page.goto(`${server.url}/evidence/${items['statement.txt']}/redact`);
    await page.getByRole('heading', { name: R.text.title }).waitFor({ timeout: 60_000 });
    const row = page.getByTestId('suggestions').getByRole('row').filter({ hasText: '«Witness W-7»' });
    await row.getByRole('cell', { name: R.text.matched.pseudonym, exact: true }).waitFor();
    await page.getByText(R.text.pseudonymsOnly).waitFor();
    await row.getByRole('button', { name: R.text.accept }).click();
    await page.getByTestId('suggestions').waitFor({ state: 'detached' });
    // a place selected with the pointer, as an editor would (a function run in the page: its DOM typed structurally)
    type Doc = { createRange(): { setStart(n: unknown, o: number): void; setEnd(n: unknown, o: number): void }; getSelection(): { removeAllRanges(): void; addRange(r: unknown): void } | null };
    type Box = { ownerDocument: Doc; querySelectorAll(s: string): ArrayLike<{ textContent: string | null; firstChild: unknown }> };
    await page.getByTestId('redaction-text').evaluate((box: Box, word: string) => {
      const piece = Array.from(box.querySelectorAll('span')).find((p) => (p.textContent ?? '').includes(word))!;
      const at = piece.textContent!.indexOf(word);
      const range = box.ownerDocument.createRange();
      range.setStart(piece.firstChild, at);
      range.setEnd(piece.firstChild, at + word.length);
      const selection = box.ownerDocument.getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
    }, 'Akrestsina street');
    await page.getByRole('button', { name: R.text.hideSelection }).click();
    expect(await page.getByTestId('chosen-spans').locator('li').allInnerTexts()).toEqual([expect.stringContaining('«Witness W-7»'), expect.stringContaining('«Akrestsina street»')]);
    await screenshot(page, 'redaction-text');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: R.submit, exact: true }).click();
    await page.getByTestId('redaction-result').waitFor({ timeout: 60_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('redacted-download').click()]);
    const out = join(files, 'redacted.txt');
    await download.saveAs(out);
    expect(readFileSync(out, 'utf8')).toBe('Statement. █████ saw the van near █████; the driver wore a badge.\n');
  });

  it('makes a testimony’s redacted transcript from its page, nothing stored', async () => {
    await page.goto(`${server.url}/records/testimonies/${testimony}`);
    await page.getByTestId('redact-transcript-link').click();
    await page.getByRole('heading', { name: R.testimony.title, level: 1 }).waitFor();
    await page.getByTestId('suggestions').getByRole('row').filter({ hasText: '«Witness W-7»' }).waitFor();
    await page.getByRole('button', { name: R.text.acceptAll }).click();
    await page.getByRole('button', { name: R.testimony.submit }).click();
    await page.getByTestId('redacted-text').filter({ hasText: '█████ said: they took me to Akrestsina on 9 August.' }).waitFor();
    await screenshot(page, 'redaction-testimony');
    expect(await accessibilityViolations(page)).toEqual([]);
    // the transcript itself is as it was
    expect((await api.get(`/api/v1/testimonies/${testimony}`)).transcript).toBe('Witness W-7 said: they took me to Akrestsina on 9 August.');
  });

  it('boxes a region of the video during one second only: the copy differs there and then, not before', async () => {
    await page.goto(`${server.url}/evidence/${items['corridor.mp4']}/redact`);
    await page.getByRole('heading', { name: R.video.title }).waitFor({ timeout: 60_000 });
    await page.getByLabel(E.mark.start, { exact: true }).fill('0:01');
    await page.getByLabel(E.mark.end, { exact: true }).fill('0:02');
    await page.getByTestId('current-range').filter({ hasText: '0:01.0–0:02.0' }).waitFor();
    const frame = page.getByRole('img', { name: R.video.frame });
    await frame.waitFor();
    await page.waitForFunction((alt: string) => ((globalThis as unknown as PageWindow).document.querySelector(`img[alt="${alt}"]`)?.naturalWidth ?? 0) > 0, R.video.frame);
    await dragFromQuarterToMiddle(page, frame);
    await page.getByRole('button', { name: R.video.keepRegion }).click();
    await page.getByTestId('regions').getByRole('cell', { name: '0:01.0–0:02.0' }).waitFor();
    await screenshot(page, 'redaction-video');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: R.submit, exact: true }).click();
    await page.getByTestId('redaction-result').waitFor({ timeout: 90_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('redacted-download').click()]);
    const out = join(files, 'redacted.mp4');
    await download.saveAs(out);
    const probe = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_format', '-of', 'json', out], { encoding: 'utf8' })) as { format: { tags?: Record<string, string> } };
    expect(Object.keys(probe.format.tags ?? {}).filter((k) => !['major_brand', 'minor_version', 'compatible_brands'].includes(k))).toEqual([]);
    // frames of the 320 × 240 video at 0.5 s (before the range) and 1.5 s (within it), original and copy
    const still = (src: string, at: number) => {
      const png = join(files, `${src === clip ? 'original' : 'redacted'}-${at}.png`);
      execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', '-ss', String(at), '-i', src, '-frames:v', '1', png]);
      return png;
    };
    const region = { left: 84, top: 64, width: 72, height: 52 };
    expect((await difference(still(clip, 1.5), still(out, 1.5), region)).inside).toBeGreaterThan(30);
    expect((await difference(still(clip, 0.5), still(out, 0.5), region)).inside).toBeLessThan(10);
  });
});
