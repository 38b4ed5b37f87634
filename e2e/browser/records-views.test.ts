import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import core from '../../web/src/i18n/en/core.json' with { type: 'json' };
import recordsCatalog from '../../web/src/i18n/en/records.json' with { type: 'json' };
import { ENUM_LABELS, TYPE_LABELS, fieldLabel } from '../../src/modules/records/labels.js';
import { accessibilityViolations, addUser, cli, PASSWORD, describeInBrowser, expectNoProblems, launchBrowser, freshInstallation, screenshot, startServer, type AppServer, type BrowserSession } from './harness.js';
import { field } from './records-support.js';

const en = recordsCatalog.records;
const events = TYPE_LABELS.events.many[0];

/**
 * Ordering a list and saved views in Chromium: an analyst orders the events by title both ways and
 * by when they began (an approximate date: by its earliest day, unknown last), filters them, saves
 * the view and imports a view an earlier version kept in the browser; in a new browser context (no
 * storage at all), signed in as the same account, the views are there and applying one restores
 * the filters and the order; views are renamed and deleted. axe-core passes. Screenshots:
 * records-views-sorted, records-views-manage.
 */
describeInBrowser('record lists: ordering and saved views in Chromium', () => {
  let server: AppServer;
  let session: BrowserSession;

  /** Events made over the API, in this order (so those without a start come in this order by id). */
  const made = [
    { title: 'Віцебск, пікет', status: 'verified', start: { value: '2021', precision: 'year' } },
    { title: 'Akrestsina night', status: 'verified', start: { value: '2020-08-10', precision: 'day' } },
    { title: 'Брэст, марш', status: 'verified', start: { value: '2020-08', precision: 'month' } },
    { title: 'Zhodino transfer', status: 'alleged', start: { value: null, precision: 'unknown' } },
    { title: 'Гомель, затрыманні', status: 'alleged' },
  ];

  beforeAll(async () => {
    const install = freshInstallation();
    addUser(install.env, 'chief', 'administrator');
    addUser(install.env, 'lesia', 'documenter', 'Лэся Аналітык');
    for (const args of [['compartment', 'create', 'regions-2020'], ['compartment', 'add-member', 'regions-2020', 'lesia', '--role', 'documenter']]) {
      const r = cli(install.env, args);
      if (r.code !== 0) throw new Error(`letapis ${args.join(' ')}: ${r.err}`);
    }
    server = await startServer(install);
    session = await launchBrowser(server.url);
    const signIn = await fetch(`${server.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'lesia', password: PASSWORD }) });
    const { csrfToken } = (await signIn.json()) as { csrfToken: string };
    const headers = { 'content-type': 'application/json', cookie: signIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; '), 'x-csrf-token': csrfToken };
    for (const e of made) {
      const res = await fetch(`${server.url}/api/v1/events`, { method: 'POST', headers, body: JSON.stringify(e) });
      if (res.status !== 201) throw new Error(`event: ${res.status} ${await res.text()}`);
    }
    await fetch(`${server.url}/api/v1/session`, { method: 'DELETE', headers });
  }, 120_000);
  afterAll(async () => {
    await session?.close();
    await server?.stop();
  });
  afterEach(() => expectNoProblems(session));
  vi.setConfig({ testTimeout: 120_000 });

  const signIn = async (page: Page) => {
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel(core.signIn.username).fill('lesia');
    await page.getByLabel(new RegExp(`^${core.signIn.password}`)).fill(PASSWORD);
    await page.getByRole('button', { name: core.signIn.submit }).click();
    await page.getByTestId('signed-in-as').waitFor();
  };
  const table = (page: Page) => page.getByRole('table', { name: events });
  const titles = (page: Page) => table(page).locator('tbody tr td:first-child a').allInnerTexts();
  const header = (page: Page, name: string) => table(page).getByRole('columnheader', { name, exact: true });
  const headerButton = (page: Page, name: string) => header(page, name).getByRole('button', { name, exact: true });
  const ordered = async (page: Page, expected: string[]) => expect.poll(() => titles(page)).toEqual(expected);

  it('orders the events by title and by start, saves the view, and finds it again in a new browser', async () => {
    const page = await session.newPage();
    await signIn(page);
    // a view kept in this browser by an earlier version: offered once for import
    const me = await page.evaluate(async () => ((await (await fetch('/api/v1/session')).json()) as { user: { id: string } }).user.id);
    const legacyKey = `letapis.records.views.${me}.events`;
    await page.evaluate(([key]) => (globalThis as any).localStorage.setItem(key!, JSON.stringify([{ name: 'Старыя', params: { status: 'alleged' }, columns: ['start', 'status'] }])), [legacyKey]);

    await page.goto(`${server.url}/records/events`);
    await page.getByRole('heading', { name: events, level: 1 }).waitFor();
    await page.getByRole('button', { name: en.views.legacyImport }).click();
    await page.getByRole('status').filter({ hasText: en.views.imported_one.replace('{{count, number}}', '1') }).waitFor();
    expect(await page.evaluate(([key]) => (globalThis as any).localStorage.getItem(key!), [legacyKey])).toBeNull();

    // newest first until told otherwise
    await ordered(page, made.map((e) => e.title).reverse());
    // by title: the record's name column; code-point order (Latin before Cyrillic), then the other way
    await headerButton(page, en.list.record).click();
    await page.waitForURL(/sort=title/);
    const byTitle = ['Akrestsina night', 'Zhodino transfer', 'Брэст, марш', 'Віцебск, пікет', 'Гомель, затрыманні'];
    await ordered(page, byTitle);
    expect(await header(page, en.list.record).getAttribute('aria-sort')).toBe('ascending');
    await headerButton(page, en.list.record).click();
    await page.waitForURL(/sort=-title/);
    await ordered(page, [...byTitle].reverse());
    expect(await header(page, en.list.record).getAttribute('aria-sort')).toBe('descending');

    // by when they began: "August 2020" means from 1 August; unknown and absent last, either way
    const began = fieldLabel('events', 'start')!.en;
    await headerButton(page, began).click();
    await page.waitForURL(/sort=start/);
    await ordered(page, ['Брэст, марш', 'Akrestsina night', 'Віцебск, пікет', 'Zhodino transfer', 'Гомель, затрыманні']);
    expect(await header(page, began).getAttribute('aria-sort')).toBe('ascending');
    expect(await header(page, en.list.record).getAttribute('aria-sort')).toBe('none');
    await headerButton(page, began).click();
    await page.waitForURL(/sort=-start/);
    await ordered(page, ['Віцебск, пікет', 'Akrestsina night', 'Брэст, марш', 'Гомель, затрыманні', 'Zhodino transfer']);

    // filtered to the verified ones, the order kept; saved under a name
    // the status filter is a multi-select without typing: opened by a click on its box
    await page.locator('.mantine-MultiSelect-input', { has: field(page, fieldLabel('events', 'status')!.en) }).click();
    await page.getByRole('option', { name: ENUM_LABELS.verified![0], exact: true }).click();
    await page.locator('h1').click();
    await page.waitForURL(/status=verified/);
    await ordered(page, ['Віцебск, пікет', 'Akrestsina night', 'Брэст, марш']);
    await page.getByRole('button', { name: en.views.save }).click();
    await page.getByLabel(new RegExp(`^${en.views.name}`)).fill('Правераныя, па даце');
    await page.getByRole('button', { name: en.views.saveSubmit }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await screenshot(page, 'records-views-sorted');
    expect(await accessibilityViolations(page)).toEqual([]);

    // ── a new browser context: no cookies, no storage; the same account
    const fresh = await session.newPage();
    await signIn(fresh);
    await fresh.goto(`${server.url}/records/events`);
    await fresh.getByRole('heading', { name: events, level: 1 }).waitFor();
    await ordered(fresh, made.map((e) => e.title).reverse());
    await fresh.getByRole('button', { name: en.views.open }).click();
    await fresh.getByRole('menuitem', { name: 'Старыя', exact: true }).waitFor();
    await fresh.getByRole('menuitem', { name: 'Правераныя, па даце', exact: true }).click();
    await fresh.waitForURL((u) => u.searchParams.get('status') === 'verified' && u.searchParams.get('sort') === '-start');
    await ordered(fresh, ['Віцебск, пікет', 'Akrestsina night', 'Брэст, марш']);
    expect(await header(fresh, began).getAttribute('aria-sort')).toBe('descending');
    // the imported view brings its filter and columns
    await fresh.getByRole('button', { name: en.views.open }).click();
    await fresh.getByRole('menuitem', { name: 'Старыя', exact: true }).click();
    await fresh.waitForURL((u) => u.searchParams.get('status') === 'alleged' && u.searchParams.get('cols') === 'start,status');
    await ordered(fresh, ['Гомель, затрыманні', 'Zhodino transfer']);

    // renamed and deleted in the manager
    await fresh.getByRole('button', { name: en.views.open }).click();
    await fresh.getByRole('menuitem', { name: en.views.manage }).click();
    const manager = fresh.getByRole('dialog', { name: en.views.manageTitle });
    await manager.getByRole('button', { name: en.views.rename.replace('{{name}}', 'Старыя') }).click();
    await manager.getByLabel(en.views.newName.replace('{{name}}', 'Старыя')).fill('Сцвярджаецца');
    await manager.getByRole('button', { name: en.views.renameSubmit }).click();
    await manager.getByRole('cell', { name: 'Сцвярджаецца', exact: true }).waitFor();
    await screenshot(fresh, 'records-views-manage');
    expect(await accessibilityViolations(fresh)).toEqual([]);
    await manager.getByRole('button', { name: en.views.delete.replace('{{name}}', 'Правераныя, па даце') }).click();
    await manager.getByRole('cell', { name: 'Правераныя, па даце', exact: true }).waitFor({ state: 'detached' });
    await manager.getByRole('button', { name: en.close }).click();
    await fresh.getByRole('button', { name: en.views.open }).click();
    await fresh.getByRole('menuitem', { name: 'Сцвярджаецца', exact: true }).waitFor();
    expect(await fresh.getByRole('menuitem', { name: 'Правераныя, па даце' }).count()).toBe(0);
    await fresh.locator('h1').click();
  });
});
