import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import { englishLeft } from './catalogs.js';
import { demoInstallation } from './analysis-support.js';
import { apiSession, describeInBrowser, expectNoProblems, launchBrowser, screenshot, signInWithCode, startServer, type ApiClient, type AppServer, type BrowserSession } from './harness.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './harness.js';


/**
 * Every page of the web application in Belarusian, and again in Russian, with the demo data loaded: a coordinator's
 * pages (records of each kind, a record's page and form, search, the views, intake, a case) and an
 * administrator's, each account having chosen the language. On each page, the text the interface
 * itself writes (headings, labels, buttons, column heads, navigation, badges) holds no English:
 * neither an English catalog text (`englishLeft`) nor any other word in Latin letters outside a
 * short list of names that are the same in every language. A page an area added later without
 * translating it, or with a string written in the code instead of the catalogs, fails here.
 */

/**
 * Words in Latin letters that are the same in Belarusian text: the product's name, a key's name,
 * standards and formats, commands; and the names of the compartments the demo set-up makes (data).
 */
const SAME_IN_EVERY_LANGUAGE = new Set(['Enter', 'Letapis', 'Natural', 'Earth', 'TOTP', 'JSON', 'HTML', 'SHA', 'ZIP', 'Leaflet', 'RFC', 'letapis', 'vault', 'rotate', 'ledger', 'verify', 'trust', 'init', 'passphrase', 'shares', 'threshold', 'json', 'sealed', 'LETAPIS_VAULT', 'demo', 'default', 'Uwazi']);

/** The interface's own words on the page: chrome, not the records' contents (titles and names are data, in any script). */
const UI_TEXT = 'header button, nav a, main h2, main h3, main h4, main label, main legend, main button, main th, main [role="tab"], main .mantine-Badge-label, main .mantine-InputWrapper-description';
/** Text the interface gives to assistive technology; it may quote data (a record's name), so only catalog texts are looked for in it. */
const ARIA = 'main [aria-label], main [title], main input[placeholder], main textarea[placeholder]';

for (const lang of ['be', 'ru'] as const)
describeInBrowser(`every page in ${lang === 'be' ? 'Belarusian' : 'Russian'}`, () => {
  let server: AppServer;
  let session: BrowserSession;
  let vera: ApiClient & { secret: string };
  let chief: ApiClient & { secret: string };
  let page: Page;
  const ids: Record<string, string> = {};
  // an item with text and a testimony, for the redaction pages (the demo makes no evidence)
  let statement = '';
  let testimony: string | undefined;

  beforeAll(async () => {
    const install = demoInstallation();
    const files = mkdtempSync(join(tmpdir(), 'letapis-e2e-languages-'));
    writeFileSync(join(files, 'statement.txt'), 'Statement of an invented witness.\n');
    const ingested = cli(install.env, ['ingest', join(files, 'statement.txt'), '--compartment', 'demo', '--as', 'vera', '--json']);
    if (ingested.code !== 0) throw new Error(`letapis ingest: ${ingested.err}`);
    statement = (JSON.parse(ingested.out) as { files: { itemId: string }[] }).files[0]!.itemId;
    rmSync(files, { recursive: true, force: true });
    server = await startServer(install);
    session = await launchBrowser(server.url);
    vera = await apiSession(server.url, 'vera');
    chief = await apiSession(server.url, 'chief');
    for (const who of [vera, chief]) expect((await who.call('PATCH', '/api/v1/account', { locale: lang })).status).toBe(200);
    for (const type of ['events', 'acts', 'persons', 'cases', 'detentions', 'units', 'facilities']) {
      const first = (await vera.call('GET', `/api/v1/${type}?limit=1`)).body.items[0];
      if (first) ids[type] = first.id;
    }
    testimony = (await vera.call('GET', '/api/v1/testimonies?limit=1')).body.items[0]?.id;
    for (let i = 0; i < 60 && (await vera.get(`/api/v1/evidence/${statement}`)).state !== 'ready'; i++) await new Promise((ok) => setTimeout(ok, 1000));
  }, 180_000);
  afterAll(async () => {
    await session?.close();
    await server?.stop();
  });
  afterEach(() => expectNoProblems(session));
  vi.setConfig({ testTimeout: 300_000 });

  /** Opens a page, waits until it has its heading and has finished loading, and returns what is left in English. */
  async function englishOn(path: string): Promise<string[]> {
    await page.goto(`${server.url}${path}`);
    await page.locator('main h1').first().waitFor({ timeout: 30_000 });
    await page.waitForLoadState('networkidle');
    // lazily drawn parts (charts, maps) a moment more
    await page.waitForTimeout(300);
    const text = (await page.locator(UI_TEXT).allInnerTexts()).join('\n');
    const aria = (
      await page.locator(ARIA).evaluateAll((els) => els.map((e) => [e.getAttribute('aria-label'), e.getAttribute('title'), e.getAttribute('placeholder')].filter(Boolean).join('\n')))
    ).join('\n');
    // the map's own controls say nothing of the data: their names are checked like the rest of the chrome
    const controls = (await page.locator('main .leaflet-control a').evaluateAll((els) => els.map((e) => `${e.getAttribute('aria-label') ?? ''} ${e.getAttribute('title') ?? ''}`))).join('\n');
    // identifiers a technical reader needs as they are (a job's name such as search.reindex) are not words
    const latin = [...new Set(`${text}\n${controls}`.replace(/\b[a-z]+(?:\.[a-z-]+)+\b/g, '').match(/\b[A-Za-z][a-z]{3,}\b/g) ?? [])].filter((w) => !SAME_IN_EVERY_LANGUAGE.has(w));
    return [...englishLeft(`${text}\n${aria}`, lang).map((s) => `${path}: ${s}`), ...latin.map((w) => `${path}: Latin word "${w}"`)];
  }

  it(`shows a coordinator every page in ${lang}, with no English left`, async () => {
    page = await session.newPage();
    await signInWithCode(page, server.url, 'vera', vera.secret, 1);
    const paths = [
      '/',
      '/dashboard',
      '/timeline',
      '/map',
      '/network',
      '/intake',
      '/evidence/upload',
      '/imports',
      '/imports/list',
      '/imports/telegram',
      '/imports/folder',
      '/imports/web-capture',
      '/imports/interchange',
      '/records',
      ...Object.keys(ids).map((type) => `/records/${type}`),
      ...Object.entries(ids).map(([type, id]) => `/records/${type}/${id}`),
      `/records/events/${ids.events}/edit`,
      '/records/acts/new',
      '/records/persons/new',
      '/search?q=%D0%90%D0%BA%D1%80%D1%8D%D1%81%D1%86%D1%96%D0%BD%D0%B0',
      ...(ids.cases ? [`/cases/${ids.cases}`] : []),
      '/admin/vocabularies',
      '/admin/jobs',
      `/evidence/${statement}/redact`,
      ...(testimony ? [`/records/testimonies/${testimony}/redact`] : []),
      '/translations',
      `/records/events/${ids.events}/translate`,
    ];
    const left: string[] = [];
    for (const p of paths) left.push(...(await englishOn(p)));
    expect(left).toEqual([]);
    await page.close();
  });

  it(`shows an administrator the administration in ${lang}, with no English left`, async () => {
    page = await session.newPage();
    await signInWithCode(page, server.url, 'chief', chief.secret, 1);
    const left: string[] = [];
    for (const p of ['/admin/users', '/admin/compartments', '/admin/vocabularies', '/admin/vault', '/admin/ledger', '/admin/jobs']) left.push(...(await englishOn(p)));
    expect(left).toEqual([]);
    await screenshot(page, `admin-jobs-${lang}`);
    await page.close();
  });
});
