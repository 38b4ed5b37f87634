import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import imports from '../../web/src/i18n/en/imports.json' with { type: 'json' };
import importsBe from '../../web/src/i18n/be/imports.json' with { type: 'json' };
import en from '../../web/src/i18n/en/core.json' with { type: 'json' };
import be from '../../web/src/i18n/be/core.json' with { type: 'json' };
import { englishLeft } from './catalogs.js';
import { zipBytes, type ZipEntrySpec } from '../../src/adapters/media/media.test-support.js';
import { testSigningKey, waczBytes, warcBytes } from '../../src/adapters/media/warc.test-support.js';
import { TEST_CHAT, range, writeTelegramExport } from '../../src/modules/imports/telegram/telegram.test-support.js';
import { accessibilityViolations, describeInBrowser, expectNoProblems, screenshot, type ApiClient, type AppServer, type BrowserSession } from './harness.js';
import { coordinatorSignedIn } from './imports-support.js';

const I = imports.imports;
const count = (s: string, n: number) => s.replace('{{count}}', String(n));

/** Every file under `dir` as a zip entry under `top/`. */
async function zipOfFolder(dir: string, top: string): Promise<Buffer> {
  const entries: ZipEntrySpec[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const name of await readdir(d)) {
      const p = join(d, name);
      if ((await stat(p)).isDirectory()) await walk(p);
      else entries.push({ name: `${top}/${relative(dir, p)}`, data: await readFile(p) });
    }
  };
  await walk(dir);
  return zipBytes(entries);
}

/** Waits for `what`, failing at once with the alert's text when the page shows a refusal instead. */
async function shownOrRefused(page: Page, what: ReturnType<Page['getByTestId']>, timeout = 60_000): Promise<void> {
  const prefix = (s: string) => s.split(' (')[0]!;
  const alert = page.getByRole('alert').filter({ hasText: new RegExp(`${prefix(I.error.refused)}|${prefix(I.file.uploadRefused)}|${I.error.network}|${I.error.unexpected}`) }).first();
  await Promise.race([what.waitFor({ timeout }), alert.waitFor({ timeout }).then(async () => expect.fail(`refused: ${await alert.textContent()}`))]);
}

/** Messages in the generated export, and those of them carrying a photo. */
const IDS = range(1, 12);
const MEDIA = new Set([3, 6, 9]);

/**
 * The imports hub and the wizards for Telegram exports, folders with metadata and web captures in
 * Chromium against the real server. A coordinator uploads a zipped Telegram Desktop export, sees
 * what it holds, dry-runs it (12 new messages, nothing written), imports it, follows the link to the
 * messages, and imports it again (nothing new); uploads a zipped folder with a metadata.csv whose one
 * row has an impossible date (that file left out and listed) and imports it twice; uploads a WARC and
 * sees its page's address, title and text, then a signed WACZ and its verification. axe-core on
 * each page.
 */
describeInBrowser('the import wizards in Chromium', () => {
  let server: AppServer;
  let session: BrowserSession;
  let page: Page;
  let api: ApiClient;
  const files = mkdtempSync(join(tmpdir(), 'letapis-e2e-wizards-'));
  const telegramZip = join(files, 'ChatExport_2020-08-11.zip');
  const folderZip = join(files, 'фота-жнівень.zip');
  const warc = join(files, 'навіны.warc.gz');
  const wacz = join(files, 'навіны.wacz');
  const PAGE_URL = 'https://news.example/2020/08/10/akrescina';
  const PAGE_WORD = 'чаргаперадач';
  let telegramItem = '';

  beforeAll(async () => {
    // a Telegram Desktop export, zipped with its folder as Telegram Desktop names it
    const exportDir = mkdtempSync(join(files, 'export-'));
    await writeTelegramExport(exportDir, { ids: IDS, mediaIds: MEDIA, serviceAfter: [5] });
    writeFileSync(telegramZip, await zipOfFolder(exportDir, 'ChatExport_2020-08-11'));
    // a folder: one file described, one with an impossible date, one not described at all
    const csv = ['file;source;date;note', 'фота/пратакол-1.txt;Сведка з Мінска;10.08.2020;Каля метро', 'фота/пратакол-2.txt;Сведка;31.02.2020;', ''].join('\r\n');
    writeFileSync(
      folderZip,
      zipBytes([
        { name: 'фота-жнівень/metadata.csv', data: csv },
        { name: 'фота-жнівень/фота/пратакол-1.txt', data: 'Пратакол першы\n' },
        { name: 'фота-жнівень/фота/пратакол-2.txt', data: 'Пратакол другі\n' },
        { name: 'фота-жнівень/без-апісання.txt', data: 'Без апісання\n' },
      ]),
    );
    const html = `<html><head><meta charset="utf-8"><title>Чарга каля Акрэсціна</title></head><body><p>Людзі стаяць у чарзе, ${PAGE_WORD}.</p></body></html>`;
    const warcData = await warcBytes([{ url: PAGE_URL, contentType: 'text/html; charset=utf-8', body: html }]);
    writeFileSync(warc, warcData);
    writeFileSync(wacz, waczBytes(warcData, { key: testSigningKey(), pages: [{ url: PAGE_URL, ts: '2020-08-10T21:14:05Z', title: 'Чарга' }], title: 'Навіны 10 жніўня' }));

    ({ server, session, page, api } = await coordinatorSignedIn());
  }, 180_000);
  afterAll(async () => {
    await session?.close();
    await server?.stop();
    rmSync(files, { recursive: true, force: true });
  });
  afterEach(() => expectNoProblems(session));
  vi.setConfig({ testTimeout: 180_000 });

  const messages = async () => (await api.call('GET', '/api/v1/messages?limit=100')).body.items as { messageId: number; chatId: string }[];

  it('lists every kind of import on the hub, each with who may use it', async () => {
    await page.getByRole('link', { name: I.nav }).click();
    await page.getByRole('heading', { name: I.hub.title, level: 1 }).waitFor();
    const cards = page.getByTestId('import-kind');
    expect(await cards.count()).toBe(5);
    for (const [title, to] of [
      [I.hub.list.title, '/imports/list'],
      [I.hub.telegram.title, '/imports/telegram'],
      [I.hub.folder.title, '/imports/folder'],
      [I.hub.capture.title, '/imports/web-capture'],
      [I.hub.interchange.title, '/imports/interchange'],
    ])
      expect(await page.getByRole('link', { name: title, exact: true }).getAttribute('href')).toBe(to);
    expect(await cards.filter({ hasText: I.hub.whoRecords }).count()).toBe(2);
    expect(await cards.filter({ hasText: I.hub.whoEvidence }).count()).toBe(2);
    expect(await cards.filter({ hasText: I.hub.whoInterchange }).count()).toBe(1);
    await screenshot(page, 'imports-hub');
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('Telegram: uploads the zipped export and shows its chat, messages, files and dates', async () => {
    await page.goto(`${server.url}/imports`);
    await page.getByRole('link', { name: I.hub.telegram.title, exact: true }).click();
    await page.getByRole('heading', { name: I.telegram.title, level: 1 }).waitFor();
    await page.getByText(I.telegram.howTo.format).waitFor();
    await page.getByTestId('telegram-file-input').setInputFiles(telegramZip);
    await page.getByTestId('chosen-file').waitFor();
    await page.getByRole('button', { name: I.file.upload }).click();
    const preview = page.getByTestId('archive-preview');
    await shownOrRefused(page, preview);
    await preview.getByRole('cell', { name: TEST_CHAT.name }).waitFor();
    await preview.getByRole('cell', { name: I.telegram.chatTypes.publicChannel }).waitFor();
    // the service message is not counted: nobody wrote it
    await preview.getByText(count(I.telegram.preview.messages_other, IDS.length), { exact: true }).waitFor();
    await preview.getByText(count(I.telegram.preview.media_other, MEDIA.size), { exact: true }).waitFor();
    expect(await preview.getByTestId('date-range').textContent()).toContain('2020');
    await page.getByRole('button', { name: I.archive.steps.file }).click();
    telegramItem = (await page.getByRole('link', { name: I.file.openItem }).getAttribute('href'))!.split('/').pop()!;
    await page.getByRole('button', { name: I.telegram.steps.preview }).click();
    await preview.waitFor();
    await screenshot(page, 'import-telegram-preview');
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('Telegram: the dry run counts the new messages and files and writes nothing', async () => {
    await page.getByRole('button', { name: I.next }).click();
    await page.getByRole('button', { name: I.archive.checkStart }).click();
    const report = page.getByTestId('check-report');
    await report.waitFor({ timeout: 120_000 });
    await report.getByText(I.archive.dryRunNote).waitFor();
    expect(await report.getByTestId('messages-new').textContent()).toBe(count(I.telegram.report.new_other, IDS.length));
    expect(await report.getByTestId('media-new').textContent()).toBe(count(I.telegram.report.mediaNew_other, MEDIA.size));
    // the service message is listed as not taken, with its reason
    expect(await report.getByTestId('problem').count()).toBeGreaterThanOrEqual(1);
    expect(await report.getByTestId('problem-reason').first().textContent()).toBe(I.reason['service-message'].replace('{{action}}', I.serviceAction.pinMessage));
    expect(await messages()).toEqual([]);
    await screenshot(page, 'import-telegram-check');
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('Telegram: imports the messages, links to them, and adds nothing the second time', async () => {
    await page.getByRole('button', { name: I.next }).click();
    await page.getByRole('button', { name: I.run.start, exact: true }).click();
    const report = page.getByTestId('import-report');
    await report.waitFor({ timeout: 120_000 });
    expect(await report.getByTestId('messages-new').textContent()).toBe(count(I.telegram.report.new_other, IDS.length));
    await page.getByText(count(I.telegram.report.done_other, IDS.length)).waitFor();
    expect((await messages()).map((m) => m.messageId).sort((a, b) => a - b)).toEqual(IDS);
    await screenshot(page, 'import-telegram-done');
    expect(await accessibilityViolations(page)).toEqual([]);

    // again: the same export adds nothing
    await page.getByRole('button', { name: I.archive.importAgain }).click();
    await page.getByText(I.telegram.report.nothingNew).waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('import-report').getByTestId('messages-new').textContent()).toBe(count(I.telegram.report.new_other, 0));
    expect(await page.getByTestId('import-report').getByTestId('messages-already').textContent()).toBe(count(I.telegram.report.already_other, IDS.length));
    expect(await messages()).toHaveLength(IDS.length);

    // the link opens the chat's messages
    await page.getByTestId('chat-messages-link').click();
    await page.waitForURL((u) => u.pathname === '/records/messages' && u.searchParams.get('chatId') === String(TEST_CHAT.id));
    await page.locator('main').getByText(TEST_CHAT.name).first().waitFor();
  });

  it('folder: shows what the zip holds, leaves out the file with an impossible date, imports once', async () => {
    await page.goto(`${server.url}/imports/folder`);
    await page.getByRole('heading', { name: I.folder.title, level: 1 }).waitFor();
    await page.getByRole('cell', { name: I.folder.columns.links }).waitFor();
    await page.getByTestId('folder-file-input').setInputFiles(folderZip);
    await page.getByRole('button', { name: I.file.upload }).click();
    const preview = page.getByTestId('archive-preview');
    await shownOrRefused(page, preview);
    await preview.getByText(count(I.folder.preview.files_other, 3), { exact: true }).waitFor();
    expect(await preview.getByTestId('metadata-csv').textContent()).toBe(I.folder.preview.csvYes);
    expect(await preview.getByRole('row').filter({ hasText: 'без-апісання.txt' }).textContent()).toContain(I.folder.preview.notDescribed);
    expect(await preview.getByRole('row').filter({ hasText: 'пратакол-1.txt' }).textContent()).toContain(I.folder.preview.described);
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.getByRole('button', { name: I.next }).click();
    await page.getByRole('button', { name: I.archive.checkStart }).click();
    const check = page.getByTestId('check-report');
    await check.waitFor({ timeout: 120_000 });
    expect(await check.getByTestId('files-taken').textContent()).toBe(count(I.folder.report.taken_other, 2));
    const problems = await check.getByTestId('problems').textContent();
    // the impossible date said from its code, with the row of metadata.csv; the cell is not quoted
    expect(problems).toContain(`${I.reason['not-a-calendar-date']} ${I.reasonExtra.fromRow.replace('{{row}}', '3')}`);
    expect(problems).not.toContain('31.02.2020');
    expect(await check.getByTestId('problem').count()).toBe(2);
    // the report is readable by the whole compartment: files' names are cut to their first folder
    expect(problems).toContain('фота/…');
    expect(problems).not.toContain('пратакол-2.txt');
    await screenshot(page, 'import-folder-check');

    await page.getByRole('button', { name: I.next }).click();
    await page.getByRole('button', { name: I.run.start, exact: true }).click();
    const report = page.getByTestId('import-report');
    await report.waitFor({ timeout: 120_000 });
    expect(await report.getByTestId('files-taken').textContent()).toBe(count(I.folder.report.taken_other, 2));
    await page.getByText(count(I.folder.report.done_other, 2)).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.getByRole('button', { name: I.archive.importAgain }).click();
    await page.getByText(I.folder.report.nothingNew).waitFor({ timeout: 120_000 });
    expect(await report.getByTestId('files-already').textContent()).toBe(count(I.folder.report.alreadyImported_other, 2));
  });

  it('web capture: a WARC is recognised and its page shown, a signed WACZ verified', async () => {
    await page.goto(`${server.url}/imports/web-capture`);
    await page.getByRole('heading', { name: I.capture.title, level: 1 }).waitFor();
    await page.getByText(I.capture.live).waitFor();
    await page.getByTestId('capture-file-input').setInputFiles(warc);
    await page.getByRole('button', { name: I.file.upload }).click();
    const result = page.getByTestId('capture-result');
    await result.getByTestId('page-text').waitFor({ timeout: 120_000 });
    expect(await result.getByTestId('detected').textContent()).toBe(I.capture.detected.replace('{{format}}', 'WARC.GZ'));
    await result.getByTestId('pages').getByRole('cell', { name: PAGE_URL }).waitFor();
    await result.getByTestId('pages').getByRole('cell', { name: 'Чарга каля Акрэсціна' }).waitFor();
    expect(await result.getByTestId('page-text').textContent()).toContain(PAGE_WORD);
    await result.getByText(I.capture.plainWarc).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    const itemHref = await result.getByTestId('item-link').getAttribute('href');
    expect(itemHref).toMatch(/^\/evidence\/[0-9a-f-]{36}$/);

    await page.getByTestId('capture-file-input').setInputFiles(wacz);
    await page.getByRole('button', { name: I.file.upload }).click();
    const verification = page.getByTestId('verification');
    await verification.waitFor({ timeout: 120_000 });
    expect(await verification.getByTestId('outcome').allTextContents()).toEqual([I.capture.result.ok, I.capture.result.ok, I.capture.result.ok]);
    expect(await page.getByTestId('item-link').getAttribute('href')).not.toBe(itemHref);
    await screenshot(page, 'import-web-capture');
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('speaks Belarusian: the Telegram export named by its id (?item=), its preview and dry run without English left', async () => {
    const B = importsBe.imports;
    await page.goto(`${server.url}/imports/telegram?item=${telegramItem}`);
    await page.getByRole('heading', { name: I.telegram.title, level: 1 }).waitFor();
    await page.locator('header').getByLabel(en.header.language).selectOption('be');
    await page.getByRole('heading', { name: B.telegram.title, level: 1 }).waitFor();
    // the interface's words (the export's own names, such as ChatExport_…, are not)
    const chrome = async () => (await page.locator('main h1, main h2, main h3, main label, main th, main button, main [data-testid="archive-preview"], main [data-testid="report-counts"], main [role="status"]').allInnerTexts()).join('\n');
    expect(englishLeft(await chrome())).toEqual([]);
    await page.getByRole('button', { name: B.file.useExisting }).click();
    const preview = page.getByTestId('archive-preview');
    await shownOrRefused(page, preview);
    await preview.getByRole('cell', { name: B.telegram.chatTypes.publicChannel }).waitFor();
    expect(englishLeft(await chrome())).toEqual([]);
    await page.getByRole('button', { name: B.next }).click();
    await page.getByRole('button', { name: B.archive.checkStart }).click();
    const report = page.getByTestId('check-report');
    await report.waitFor({ timeout: 120_000 });
    // everything is there already: 12 of the Belarusian plural "already here"
    expect(await report.getByTestId('messages-already').textContent()).toBe(count(B.telegram.report.already_many, IDS.length));
    expect(englishLeft(await chrome())).toEqual([]);
    // the problems (the service message skipped) said in Belarusian from their codes, where they are too
    const problems = report.getByTestId('problem');
    await problems.first().waitFor();
    const service = B.reason['service-message'].replace('{{action}}', B.serviceAction.pinMessage);
    expect(await report.getByTestId('problem-reason').allInnerTexts()).toEqual([service]);
    expect((await problems.allInnerTexts()).join('\n')).not.toMatch(/[A-Za-z]/);
    expect(await problems.first().getByRole('cell').first().textContent()).toBe(B.at.message.replace('{{id}}', '900000005'));
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.locator('header').getByLabel(be.header.language).selectOption('en');
    await page.getByRole('heading', { name: I.telegram.title, level: 1 }).waitFor();
  });
});
