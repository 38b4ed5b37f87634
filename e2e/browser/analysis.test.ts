import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import a from '../../web/src/i18n/en/analysis.json' with { type: 'json' };
import core from '../../web/src/i18n/en/core.json' with { type: 'json' };
import beA from '../../web/src/i18n/be/analysis.json' with { type: 'json' };
import beCore from '../../web/src/i18n/be/core.json' with { type: 'json' };
import { englishLeft } from './catalogs.js';
import { demoInstallation } from './analysis-support.js';
import { accessibilityViolations, apiSession, describeInBrowser, expectNoProblems, launchBrowser, PASSWORD, screenshot, signInWithCode, startServer, type ApiClient, type AppServer, type BrowserSession } from './harness.js';

const t = a.analysis;

/**
 * The dashboard, timeline, map and network in Chromium against the real server with the demo data
 * loaded: the figures on the page are the API's for the same filters, a filter changes them, a bar
 * leads to the search page with the filters in its URL; the views draw their content (the map its
 * bundled basemap and markers) with nothing fetched from another origin; axe-core finds nothing
 * serious. Screenshots: dashboard, timeline, map, network.
 */
describeInBrowser('the dashboard and the timeline, map and network views in Chromium', () => {
  let server: AppServer;
  let session: BrowserSession;
  let api: ApiClient & { secret: string };
  let page: Page;

  beforeAll(async () => {
    server = await startServer(demoInstallation());
    session = await launchBrowser(server.url);
    api = await apiSession(server.url, 'vera');
    page = await session.newPage();
    await signInWithCode(page, server.url, 'vera', api.secret, 1);
  }, 180_000);
  afterAll(async () => {
    await session?.close();
    await server?.stop();
  });
  afterEach(() => expectNoProblems(session));
  vi.setConfig({ testTimeout: 90_000 });

  /** The data table of a chart (hidden from the eye until asked for; a screen reader has it). */
  const tableOf = (testId: string) => page.getByTestId(testId).getByRole('table');
  const cellTexts = async (testId: string, column: number) => (await tableOf(testId).locator(`tbody tr td:nth-child(${column})`).allTextContents()).map((s) => s.trim());

  it('shows the dashboard’s charts with the API’s figures, follows a filter, and leads from a bar to the search page', async () => {
    await page.getByRole('link', { name: core.nav.dashboard }).click();
    await page.getByRole('heading', { level: 1, name: t.dashboard.title }).waitFor();
    const byType = await api.get<{ total: number; items: { code: string; count: number }[] }>('/api/v1/analysis/acts-by-type');
    const vocab = await api.get<{ terms: { code: string; labels: { en: string } }[] }>('/api/v1/vocabularies/act-types');
    const labelOf = (code: string) => vocab.terms.find((x) => x.code === code)!.labels.en;
    expect(byType.items.length).toBeGreaterThan(1);

    // the table under "Acts by type" says what the API says, row by row, in English
    await tableOf('acts-by-type').locator('tbody tr').first().waitFor({ state: 'attached', timeout: 30_000 });
    expect(await cellTexts('acts-by-type', 1)).toEqual(byType.items.map((i) => labelOf(i.code)));
    expect(await cellTexts('acts-by-type', 2)).toEqual(byType.items.map((i) => String(i.count)));
    // every chart drew something
    for (const id of ['detentions-over-time', 'acts-by-type', 'acts-by-method', 'acts-by-facility', 'acts-by-unit', 'occupancy'])
      expect(await page.getByTestId(id).locator('[data-testid="chart-canvas"] svg path').count(), id).toBeGreaterThan(3);
    const overTime = await api.get<{ buckets: { start: string; count: number }[] }>('/api/v1/analysis/detentions-over-time?interval=month');
    expect(await cellTexts('detentions-over-time', 2)).toEqual(overTime.buckets.map((b) => String(b.count)));
    // occupancy: the facility with most stays first, its capacity beside each period
    const occupancy = await api.get<{ facilities: { capacity: number | null; peak: number }[] }>('/api/v1/analysis/occupancy');
    expect(occupancy.facilities.length).toBeGreaterThan(0);
    const caps = await cellTexts('occupancy', 3);
    expect(new Set(caps)).toEqual(new Set([occupancy.facilities[0]!.capacity === null ? '—' : occupancy.facilities[0]!.capacity.toLocaleString('en-US')]));

    // the table is there for the eye too, on demand
    const show = page.getByTestId('acts-by-type').getByRole('button', { name: t.showTable });
    expect(await show.getAttribute('aria-expanded')).toBe('false');
    await show.click();
    await tableOf('acts-by-type').waitFor({ state: 'visible' });
    const hide = page.getByTestId('acts-by-type').getByRole('button', { name: t.hideTable });
    expect(await hide.getAttribute('aria-expanded')).toBe('true');
    await hide.click();
    await screenshot(page, 'dashboard');
    expect(await accessibilityViolations(page)).toEqual([]);

    // a filter: from 12 August 2020 on. The URL keeps it, the figures follow the API's for it
    await page.getByLabel(t.filters.from).fill('2020-08-12');
    await page.waitForURL(/[?&]from=2020-08-12/);
    const narrowed = await api.get<typeof byType>('/api/v1/analysis/acts-by-type?from=2020-08-12');
    expect(narrowed.total).toBeLessThan(byType.total);
    await expect.poll(() => cellTexts('acts-by-type', 2), { timeout: 15_000 }).toEqual(narrowed.items.map((i) => String(i.count)));
    await page.getByTestId('acts-by-type').getByText(`${narrowed.total} act`).waitFor();

    // a range the server refuses: said at the field, in the UI's language; cleared, the figures come back
    await page.getByLabel(t.filters.to).fill('2020-08-01');
    await page.getByText(t.filters.toNotAfterFrom).waitFor();
    await page.getByLabel(t.filters.to).fill('');
    await page.getByText(t.filters.toNotAfterFrom).waitFor({ state: 'detached' });
    await expect.poll(() => cellTexts('acts-by-type', 2), { timeout: 15_000 }).toEqual(narrowed.items.map((i) => String(i.count)));

    // a click on the first (largest) bar: its records on the search page, with the filter and the bar's type
    const first = narrowed.items[0]!;
    const bar = page.getByTestId('acts-by-type').locator('[data-testid="chart-canvas"] svg path[fill="#1c7ed6"]').first();
    await bar.click();
    await page.waitForURL((u) => u.pathname === '/search');
    const params = new URL(page.url()).searchParams;
    expect(Object.fromEntries(params)).toEqual({ type: 'acts', from: '2020-08-12', actType: first.code });
  });

  it('shows events and acts on a zoomable timeline, each leading to its record', async () => {
    await page.goto(`${server.url}/timeline`);
    await page.getByRole('heading', { level: 1, name: t.timeline.title }).waitFor();
    const timeline = await api.get<{ items: { id: string; type: 'event' | 'act' }[] }>('/api/v1/analysis/timeline');
    expect(timeline.items.length).toBeGreaterThan(5);
    await tableOf('timeline').locator('tbody tr').first().waitFor({ state: 'attached', timeout: 30_000 });
    expect(await tableOf('timeline').locator('tbody tr').count()).toBe(timeline.items.length);
    const hrefs = await tableOf('timeline').locator('tbody a').evaluateAll((as) => as.map((x) => (x as unknown as { getAttribute(name: string): string | null }).getAttribute('href')));
    expect(hrefs).toEqual(timeline.items.map((i) => `/records/${i.type}s/${i.id}`));
    // the chart: one bar per item, and the zoom slider
    expect(await page.getByTestId('timeline').locator('[data-testid="chart-canvas"] svg path').count()).toBeGreaterThan(timeline.items.length);
    await screenshot(page, 'timeline');
    expect(await accessibilityViolations(page)).toEqual([]);
    // a date known only to the month is said as such, not as a made-up day
    const approximate = (await api.get<{ items: { startPrecision: string | null; end: string | null }[] }>('/api/v1/analysis/timeline')).items.findIndex((i) => i.startPrecision === 'month' && !i.end);
    expect(approximate).toBeGreaterThanOrEqual(0); // the demo has some
    expect((await cellTexts('timeline', 1))[approximate]).toMatch(new RegExp(`^${t.timeline.inMonth.replace('{{date}}', '')}[A-Z][a-z]+ \\d{4}$`));
    // events only
    await page.getByTestId('timeline').getByText(t.timeline.showEvents, { exact: true }).click();
    await page.waitForURL(/show=events/);
    const events = timeline.items.filter((i) => i.type === 'event').length;
    await expect.poll(() => tableOf('timeline').locator('tbody tr').count(), { timeout: 15_000 }).toBe(events);
  });

  it('draws the bundled basemap with counts per region, then per place, each place leading to its records', async () => {
    await page.goto(`${server.url}/map`);
    await page.getByRole('heading', { level: 1, name: t.map.title }).waitFor();
    // Natural Earth outlines from the app itself: Belarus and its neighbours
    await page.locator('path.basemap-belarus').waitFor();
    expect(await page.locator('path.basemap-country').count()).toBeGreaterThanOrEqual(6);
    const geo = await api.get<{ points: { id: string; type: string; count: number; lat: number; lon: number }[] }>('/api/v1/analysis/geo');
    expect(geo.points.length).toBeGreaterThan(2);
    // from afar: regions, Minsk city among them with the sum of its places
    await page.locator('path.map-region').first().waitFor();
    await page.getByText(new RegExp(`^${t.map.regions.minskCity}: \\d+$`)).waitFor();
    expect(await tableOf('geo').locator('tbody tr').count()).toBeGreaterThan(geo.points.length);
    await screenshot(page, 'map');
    expect(await accessibilityViolations(page)).toEqual([]);

    // closer: every place and facility
    await page.getByTestId('geo').getByText(t.map.levelPlaces, { exact: true }).click();
    await expect.poll(() => page.locator('path.map-place, path.map-facility').count(), { timeout: 15_000 }).toBe(geo.points.length);
    await screenshot(page, 'map-places');
    // a place's records: its link in the table carries place= (or facility=)
    const links = await tableOf('geo').locator('tbody a').evaluateAll((as) => as.map((x) => (x as unknown as { getAttribute(name: string): string | null }).getAttribute('href')));
    expect(links).toEqual(geo.points.map((p) => `/search?${p.type}=${p.id}`));
    // the switch zoomed in on the region with most records: click a marker in view
    const box = (await page.getByTestId('map').boundingBox())!;
    const markers = page.locator('path.map-facility, path.map-place');
    let clicked = false;
    for (let i = (await markers.count()) - 1; i >= 0 && !clicked; i--) {
      const b = await markers.nth(i).boundingBox();
      if (b && b.x > box.x + 40 && b.y > box.y + 40 && b.x + b.width < box.x + box.width - 40 && b.y + b.height < box.y + box.height - 40) {
        await page.mouse.click(b.x + b.width / 2, b.y + b.height / 2);
        clicked = true;
      }
    }
    expect(clicked).toBe(true);
    await page.waitForURL((u) => u.pathname === '/search');
    expect([...new URL(page.url()).searchParams.keys()].some((k) => k === 'place' || k === 'facility')).toBe(true);
  });

  it('draws the network of units and events, persons by pseudonym, each node leading to its record', async () => {
    await page.goto(`${server.url}/network`);
    await page.getByRole('heading', { level: 1, name: t.network.title }).waitFor();
    const net = await api.get<{ nodes: { id: string; type: string; label: string }[]; edges: unknown[] }>('/api/v1/analysis/network');
    expect(net.edges.length).toBeGreaterThan(0);
    await tableOf('network').locator('tbody tr').first().waitFor({ state: 'attached', timeout: 30_000 });
    expect(await tableOf('network').locator('tbody tr').count()).toBe(net.edges.length);
    expect(await page.getByTestId('network').locator('[data-testid="chart-canvas"] svg path').count()).toBeGreaterThan(net.nodes.length);
    await page.waitForTimeout(1500); // the force layout settles
    await screenshot(page, 'network');
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.getByTestId('network').getByText(t.network.personUnit, { exact: true }).click();
    await page.waitForURL(/kind=person-unit/);
    const persons = await api.get<typeof net>('/api/v1/analysis/network?kind=person-unit');
    const pseudonyms = persons.nodes.filter((n) => n.type === 'person').map((n) => n.label);
    expect(pseudonyms.length).toBeGreaterThan(0);
    await expect.poll(() => tableOf('network').locator('tbody tr').count(), { timeout: 15_000 }).toBe(persons.edges.length);
    const firstColumn = new Set(await cellTexts('network', 1));
    expect([...firstColumn].every((name) => pseudonyms.includes(name))).toBe(true);
    const person = persons.nodes.find((n) => n.type === 'person')!;
    expect(await tableOf('network').locator(`a[href="/records/persons/${person.id}"]`).count()).toBeGreaterThan(0);
  });

  it('speaks Belarusian: labels, vocabulary and numbers of the dashboard and the map, no English left', async () => {
    await page.goto(`${server.url}/dashboard`);
    await page.getByRole('heading', { level: 1, name: t.dashboard.title }).waitFor({ timeout: 30_000 });
    await page.getByLabel(core.header.language).selectOption('be');
    await page.getByRole('heading', { level: 1, name: beA.analysis.dashboard.title }).waitFor();
    const vocab = await api.get<{ terms: { code: string; labels: { be: string } }[] }>('/api/v1/vocabularies/act-types');
    const byType = await api.get<{ items: { code: string }[] }>('/api/v1/analysis/acts-by-type');
    await expect.poll(() => cellTexts('acts-by-type', 1), { timeout: 15_000 }).toEqual(byType.items.map((i) => vocab.terms.find((x) => x.code === i.code)!.labels.be));
    // months as digits (Chromium has no Belarusian month names), never an English month
    const months = await cellTexts('detentions-over-time', 1);
    expect(months.every((m) => /^\d{2}\.\d{4}$/.test(m))).toBe(true);
    const text = async () => (await page.locator('main').innerText()) + (await page.locator('main svg text').allTextContents()).join(' ');
    expect(englishLeft(await text())).toEqual([]);
    await screenshot(page, 'dashboard-belarusian');
    await page.getByRole('link', { name: beCore.nav.map }).click();
    await page.getByRole('heading', { level: 1, name: beA.analysis.map.title }).waitFor();
    await page.getByText(new RegExp(`^${beA.analysis.map.regions.minskCity}: \\d+$`)).waitFor();
    expect(englishLeft(await text())).toEqual([]);
    await page.getByLabel(beCore.header.language).selectOption('en');
    await page.getByRole('heading', { level: 1, name: t.map.title }).waitFor();
  });

  it('counts nothing for an account in no compartment, and says why', async () => {
    const other = await session.newPage();
    await other.goto(`${server.url}/sign-in`);
    await other.getByLabel(core.signIn.username).fill('nadia');
    await other.getByLabel(new RegExp(`^${core.signIn.password}`)).fill(PASSWORD);
    await other.getByRole('button', { name: core.signIn.submit }).click();
    await other.getByTestId('signed-in-as').waitFor();
    await other.goto(`${server.url}/dashboard`);
    await other.getByText(t.filters.noCompartment).waitFor({ timeout: 30_000 });
    await other.getByTestId('acts-by-type').getByText(t.empty).waitFor();
    await other.getByTestId('detentions-over-time').getByText(t.empty).waitFor();
    expect(await accessibilityViolations(other)).toEqual([]);
  });
});
