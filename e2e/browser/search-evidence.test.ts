import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import search from '../../web/src/i18n/en/search.json' with { type: 'json' };
import evidence from '../../web/src/i18n/en/evidence.json' with { type: 'json' };
import { jpegWithGps } from '../../src/adapters/media/media.test-support.js';
import { englishLeft } from './catalogs.js';
import be from '../../web/src/i18n/be/core.json' with { type: 'json' };
import en from '../../web/src/i18n/en/core.json' with { type: 'json' };
import { makeVideo, sha256Of } from './search-evidence-support.js';
import { accessibilityViolations, addUser, apiSession, cli, describeInBrowser, expectNoProblems, freshInstallation, launchBrowser, screenshot, signInWithCode, startServer, type ApiClient, type AppServer, type BrowserSession } from './harness.js';

const S = search.search;
const E = evidence.evidence;


/** The little of the page's DOM these tests read, for functions run in the page. */
type PageWindow = { document: { querySelector(selector: string): { naturalWidth?: number; readyState?: number } | null } };
/**
 * Search and evidence in Chromium against the real server with the demo data: a name found across
 * scripts (marked as a name match), a facet applied to results and URL, an act added to a case, two files uploaded with the
 * resumable protocol (their SHA-256 checked against node's own, the photo's GPS shown), a time range
 * of the video linked to an act, and the chain of custody verified. axe-core on each page.
 */
describeInBrowser('search and evidence in Chromium', () => {
  let server: AppServer;
  let session: BrowserSession;
  let page: Page;
  let api: ApiClient;
  let act: { id: string };
  let actTypeLabel: string;
  const files = mkdtempSync(join(tmpdir(), 'letapis-e2e-files-'));
  const photo = join(files, 'okrestina-yard.jpg');
  const video = join(files, 'corridor.mp4');
  const items: Record<string, string> = {};

  beforeAll(async () => {
    const install = freshInstallation();
    addUser(install.env, 'chief', 'administrator', 'Chief Administrator');
    addUser(install.env, 'dasha', 'documenter', 'Dasha Documenter');
    for (const args of [
      ['compartment', 'create', 'minsk-2020'],
      ['compartment', 'add-member', 'minsk-2020', 'dasha', '--role', 'documenter'],
      ['demo', '--as', 'dasha', '--compartment', 'minsk-2020'],
    ]) {
      const r = cli(install.env, args);
      if (r.code !== 0) throw new Error(`letapis ${args.join(' ')}: ${r.err}`);
    }
    await jpegWithGps(photo);
    makeVideo(video);
    server = await startServer(install);
    const s = await apiSession(server.url, 'dasha');
    api = s;
    // an act to link the video to, with a word no demo record has (to find it in the picker)
    const event = (await api.call('GET', '/api/v1/events?limit=1')).body.items[0];
    const victim = (await api.call('GET', '/api/v1/persons?limit=1')).body.items[0];
    const term = (await api.call('GET', '/api/v1/vocabularies/act-types')).body.terms[0];
    const actType = term.code;
    actTypeLabel = term.labels.en;
    const created = await api.call('POST', '/api/v1/acts', { compartment: event.compartment, event: event.id, victim: victim.id, type: actType, statedReason: 'Zebrafinch corridor beating' });
    expect(created.status).toBe(201);
    act = created.body;
    session = await launchBrowser(server.url);
    page = await session.newPage();
    // the machine running the tests is shared and often loaded: answers get more time than the harness's default
    page.setDefaultTimeout(20_000);
    await signInWithCode(page, server.url, 'dasha', s.secret, 1);
  }, 180_000);
  afterAll(async () => {
    await session?.close();
    await server?.stop();
    rmSync(files, { recursive: true, force: true });
  });
  afterEach(() => expectNoProblems(session));
  vi.setConfig({ testTimeout: 90_000 });

  const hits = () => page.getByTestId('search-hit');

  it('finds the person written Шчарбакоў by the Latin Shcharbakou and the Russian Щербаков, first and marked as a name match; the Belarusian Акрэсціна finds the Russian Окрестина; a query that cannot be read is said at the field', async () => {
    await page.getByRole('link', { name: 'Search' }).click();
    await page.getByRole('heading', { name: S.title, level: 1 }).waitFor();
    for (const q of ['Shcharbakou', 'Щербаков']) {
      await page.getByLabel(S.query).fill(q);
      await page.getByRole('button', { name: S.submit, exact: true }).click();
      await page.waitForURL((u) => u.searchParams.get('q') === q);
      const first = hits().first();
      await first.getByRole('link', { name: 'Official O-05 (shift supervisor)' }).waitFor();
      await first.getByTestId('by-name').filter({ hasText: S.byName }).waitFor();
      expect(await first.getByText(S.types.persons, { exact: true }).count()).toBe(1);
      expect(await first.getByRole('link').getAttribute('href')).toMatch(/^\/records\/persons\/[0-9a-f-]{36}$/);
    }
    await screenshot(page, 'search');
    expect(await accessibilityViolations(page)).toEqual([]);
    // a Belarusian spelling finds text written in Russian, and the snippet marks the Russian word
    await page.getByLabel(S.query).fill('Акрэсціна');
    await page.getByRole('button', { name: S.submit, exact: true }).click();
    await page.waitForURL((u) => u.searchParams.get('q') === 'Акрэсціна');
    await page.locator('[data-testid="snippet"] mark', { hasText: /^Окрестина$/ }).first().waitFor();
    // a query that cannot be read: said at the field, in the UI's language, with where
    await page.getByLabel(S.query).fill('Okrestina "unclosed');
    await page.getByRole('button', { name: S.submit, exact: true }).click();
    await page.getByText(S.error.queryAt.replace('{{position}}', '11')).waitFor();
    expect(await page.getByLabel(S.query).getAttribute('aria-invalid')).toBe('true');
  });

  it('highlights the matched words, and a facet narrows the results and goes into the URL', async () => {
    await page.goto(`${server.url}/search?q=${encodeURIComponent('Okrestina')}`);
    await hits().first().waitFor();
    // the Latin spelling found the Cyrillic text, and the snippet marks it
    const marked = await page.locator('[data-testid="snippet"] mark').allTextContents();
    expect(marked.length).toBeGreaterThan(0);
    expect(marked.some((m) => /^(Окрестин|Акрэсцін|Okrestin)/i.test(m))).toBe(true);
    const before = (await page.locator('#results-title').textContent())!;
    // the facet of information (claims): its label in the UI's language, with a count
    const facet = page.getByTestId('facet-type').filter({ hasText: S.types.information });
    const count = Number(/\((\d+)\)/.exec((await facet.textContent())!)![1]);
    expect(count).toBeGreaterThan(0);
    await facet.click();
    await page.waitForURL((u) => u.searchParams.get('type') === 'information' && u.searchParams.get('q') === 'Okrestina');
    await page.getByTestId('active-filter').filter({ hasText: `${S.facet.type}: ${S.types.information}` }).waitFor();
    await page.locator('#results-title').filter({ hasText: new RegExp(`^${count} match`) }).waitFor();
    expect(before).not.toBe(await page.locator('#results-title').textContent());
    for (const h of await hits().all()) expect(await h.getByText(S.types.information, { exact: true }).count()).toBe(1);
    expect(await page.getByTestId('facet-type').filter({ hasText: S.types.information }).getAttribute('aria-pressed')).toBe('true');
    await screenshot(page, 'search-facets');
    expect(await accessibilityViolations(page)).toEqual([]);
    // the link works from outside too (the dashboard builds such links)
    await page.goto(`${server.url}/search?q=Okrestina&type=information`);
    await page.locator('#results-title').filter({ hasText: new RegExp(`^${count} match`) }).waitFor();
  });

  it('adds an act found by search to a case', async () => {
    await page.goto(`${server.url}/search?q=Zebrafinch`);
    const hit = hits().filter({ hasText: S.types.acts });
    await hit.first().waitFor();
    await hit.first().getByRole('button', { name: S.addToCase.button }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('combobox', { name: S.addToCase.case, exact: true }).fill('Arbitrary imprisonment');
    await page.locator('.mantine-Select-option:visible').filter({ hasText: 'Arbitrary imprisonment and torture' }).first().click();
    await dialog.getByRole('button', { name: S.addToCase.submit, exact: true }).click();
    await dialog.getByRole('status').filter({ hasText: 'Added to the case' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: S.addToCase.close }).last().click();
    await dialog.waitFor({ state: 'hidden' });
    const cases = await api.call('GET', '/api/v1/cases?limit=50');
    const okrestina = cases.body.items.find((c: { title: string }) => c.title.startsWith('Arbitrary imprisonment'));
    expect(okrestina.acts).toContain(act.id);
  });

  it('uploads a photo and a video with the resumable protocol, each with its progress and a link to the new item', async () => {
    await page.getByRole('link', { name: 'Add evidence' }).click();
    await page.getByRole('heading', { name: E.upload.title, level: 1 }).waitFor();
    await page.getByLabel(E.upload.source, { exact: true }).fill('Telegram channel of a district chat');
    await page.getByLabel(E.upload.note, { exact: true }).fill('Sent by a witness on 2020-08-13; received on a phone, copied unchanged.');
    await page.getByTestId('file-input').setInputFiles([photo, video]);
    await page.getByTestId('upload-entry').nth(1).waitFor();
    await page.getByRole('button', { name: 'Upload 2 files' }).click();
    const links = page.getByTestId('new-item-link');
    await links.nth(1).waitFor({ timeout: 60_000 });
    for (const [file, name] of [[photo, 'okrestina-yard.jpg'], [video, 'corridor.mp4']] as const) {
      const entry = page.getByTestId('upload-entry').filter({ hasText: name });
      await entry.getByText(E.upload.status.done).waitFor();
      await entry.getByText(sha256Of(file)).waitFor();
      items[name] = (await entry.getByTestId('new-item-link').getAttribute('href'))!.split('/').pop()!;
    }
    await screenshot(page, 'evidence-upload');
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('shows the photo with its SHA-256, acquisition and metadata, GPS included, and links a region of it to a person', async () => {
    await page.goto(`${server.url}/evidence/${items['okrestina-yard.jpg']}`);
    await page.getByRole('heading', { name: 'Evidence: okrestina-yard.jpg', level: 1 }).waitFor();
    expect(await page.getByTestId('sha256').textContent()).toBe(sha256Of(photo));
    await page.getByTestId('item-state').filter({ hasText: new RegExp(`^(${E.state.ready}|${E.state.flagged})$`) }).waitFor({ timeout: 60_000 });
    await page.getByTestId('gps').filter({ hasText: '53.904500, 27.561500' }).waitFor();
    // …and on the bundled map (outlines and one marker; the harness fails any request elsewhere)
    await page.getByRole('region', { name: E.meta.mapLabel.replace('{{lat}}', '53.90450').replace('{{lon}}', '27.56150') }).waitFor();
    await page.getByTestId('gps-map').locator('path.basemap-belarus').waitFor();
    expect(await page.getByTestId('gps-map').locator('path.map-point').count()).toBe(1);
    await page.getByTestId('metadata-facts').getByText('Apple · iPhone 12 · 14.7.1').waitFor();
    await page.getByRole('cell', { name: 'Telegram channel of a district chat' }).waitFor();
    await page.getByRole('img', { name: E.preview.image }).waitFor();
    // functions (a string would be eval'd, which the app's CSP refuses), typed structurally: the
    // test's compiler has no DOM types
    await page.waitForFunction(() => ((globalThis as unknown as PageWindow).document.querySelector('img[alt]')?.naturalWidth ?? 0) > 0);
    await screenshot(page, 'evidence-item');
    expect(await accessibilityViolations(page)).toEqual([]);

    // a region drawn on the picture, in pixels of the 640 × 480 original, linked to a person
    const box = (await page.getByRole('img', { name: E.preview.image }).boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.25, box.y + box.height * 0.25);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5, { steps: 5 });
    await page.mouse.up();
    await page.getByTestId('marked-region').waitFor();
    const x = Number(await page.getByLabel(E.mark.x).inputValue());
    const w = Number(await page.getByLabel(E.mark.width).inputValue());
    expect(Math.abs(x - 160)).toBeLessThanOrEqual(3);
    expect(Math.abs(w - 160)).toBeLessThanOrEqual(3);
    await page.getByRole('combobox', { name: E.mark.targetType }).click();
    await page.locator('.mantine-Select-option:visible').filter({ hasText: S.types.persons }).click();
    await page.getByRole('combobox', { name: E.mark.target, exact: true }).fill('Щербаков');
    await page.locator('.mantine-Select-option:visible').filter({ hasText: 'Official O-05' }).first().click();
    await page.getByRole('button', { name: E.mark.linkMark }).click();
    await page.getByText(E.mark.saved).waitFor();
    const row = page.getByTestId('links').getByRole('row').filter({ hasText: 'region' });
    await row.getByRole('link', { name: `${S.types.persons}: Official O-05 (shift supervisor)` }).waitFor();
    const stored = await api.call('GET', `/api/v1/evidence/${items['okrestina-yard.jpg']}`);
    expect(stored.body.links[0].span).toMatchObject({ kind: 'region', x, width: w });
  });

  it('marks a time range in the video, links it to an act, shows the link, and verifies the chain of custody', async () => {
    await page.goto(`${server.url}/evidence/${items['corridor.mp4']}`);
    await page.getByRole('heading', { name: 'Evidence: corridor.mp4', level: 1 }).waitFor().catch(async (e) => {
      // seen once on a loaded machine: keep what the page and the server said
      console.log(`[search-evidence] the video's page did not come:\n${await page.locator('main').innerText()}\n--- server:\n${server.out().slice(-3000)}`);
      throw e;
    });
    expect(await page.getByTestId('sha256').textContent()).toBe(sha256Of(video));
    await page.getByTestId('item-state').filter({ hasText: new RegExp(`^(${E.state.ready}|${E.state.flagged})$`) }).waitFor({ timeout: 60_000 });
    await page.getByTestId('metadata-facts').getByText('0:03.0').waitFor();
    // the start from the playback position, the end typed
    const player = page.getByTestId('evidence-video');
    await page.waitForFunction(() => ((globalThis as unknown as PageWindow).document.querySelector('video')?.readyState ?? 0) >= 1);
    type MediaElement = { currentTime: number; addEventListener(type: string, listener: () => void, options: { once: boolean }): void };
    await player.evaluate((v: MediaElement) => new Promise<void>((ok) => { v.addEventListener('seeked', () => ok(), { once: true }); v.currentTime = 1; }));
    await page.getByRole('button', { name: E.mark.startHere }).click();
    expect(await page.getByLabel(E.mark.start, { exact: true }).inputValue()).toBe('0:01.0');
    await page.getByLabel(E.mark.end, { exact: true }).fill('0:02.5');
    await page.getByTestId('current-mark').filter({ hasText: 'from 0:01.0 to 0:02.5' }).waitFor();
    // the act, found through the search API by a word of it
    await page.getByRole('combobox', { name: E.mark.target, exact: true }).fill('Zebrafinch');
    await page.locator('.mantine-Select-option:visible').first().click();
    await screenshot(page, 'evidence-mark');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: E.mark.linkMark }).click();
    await page.getByText(E.mark.saved).waitFor();
    const row = page.getByTestId('links').getByRole('row').filter({ hasText: 'from 0:01.0 to 0:02.5' });
    await row.waitFor();
    expect(await row.getByRole('link').getAttribute('href')).toBe(`/records/acts/${act.id}`);
    await row.getByRole('link', { name: `${S.types.acts}: ${actTypeLabel}` }).waitFor();
    const stored = await api.call('GET', `/api/v1/evidence/${items['corridor.mp4']}`);
    expect(stored.body.links).toEqual([expect.objectContaining({ targetType: 'acts', targetId: act.id, span: { kind: 'time', from: 1, to: 2.5 } })]);

    // the chain of custody, checked now
    await page.getByTestId('custody-events').getByRole('cell', { name: E.custody.actions.link }).waitFor();
    await page.getByRole('button', { name: E.custody.verify }).click();
    const result = page.getByTestId('verify-result');
    await result.getByText(E.custody.verified, { exact: true }).waitFor();
    await result.getByText(E.custody.contentOk).waitFor();
    await page.getByTestId('custody-events').getByRole('cell', { name: E.custody.actions.verify }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('speaks Belarusian on the search and evidence pages: no English left in what the interface itself says', async () => {
    // the demo records are written in English: only the interface's own words are checked (headings, labels, buttons, table heads);
    // "SHA-256" is the algorithm's name in every language
    const uiText = async () => (await page.locator('main h1, main h2, main h3, main label, main th, main button, main summary, main [role="alert"], main [role="status"]').allInnerTexts()).join('\n').replace(/SHA-256/g, '');
    await page.goto(`${server.url}/search?q=Okrestina`);
    await hits().first().waitFor();
    await page.locator('header').getByLabel(en.header.language).selectOption('be');
    await page.getByRole('heading', { name: 'Пошук', level: 1 }).waitFor();
    await hits().first().waitFor();
    expect(englishLeft((await page.locator('main h1, main h2, main h3, main label, main summary').allInnerTexts()).join('\n'))).toEqual([]);
    for (const name of ['okrestina-yard.jpg', 'corridor.mp4']) {
      await page.goto(`${server.url}/evidence/${items[name]}`);
      await page.getByRole('heading', { name: `Доказ: ${name}`, level: 1 }).waitFor();
      await page.getByTestId('custody-events').waitFor();
      await page.getByTestId('links').waitFor();
      expect(englishLeft(await uiText())).toEqual([]);
    }
    await page.goto(`${server.url}/evidence/upload`);
    await page.getByRole('heading', { name: 'Дадаць доказы', level: 1 }).waitFor();
    expect(englishLeft((await page.locator('main').innerText()).replace(/SHA-256/g, ''))).toEqual([]);
    await page.locator('header').getByLabel(be.header.language).selectOption('en');
    await page.getByRole('heading', { name: E.upload.title, level: 1 }).waitFor();
  });
});
