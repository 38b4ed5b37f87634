import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import imports from '../../web/src/i18n/en/imports.json' with { type: 'json' };
import importsBe from '../../web/src/i18n/be/imports.json' with { type: 'json' };
import en from '../../web/src/i18n/en/core.json' with { type: 'json' };
import be from '../../web/src/i18n/be/core.json' with { type: 'json' };
import { englishLeft } from './catalogs.js';
import { BAD_DATE_ROW, BAD_ROLE_ROW, coordinatorSignedIn, detaineesCsv } from './imports-support.js';
import { accessibilityViolations, describeInBrowser, expectNoProblems, screenshot, type ApiClient, type AppServer, type BrowserSession } from './harness.js';

const I = imports.imports;
const count = (s: string, n: number) => s.replace('{{count}}', String(n));

/**
 * The list import wizard in Chromium against the real server: a coordinator uploads a
 * Windows-1251 CSV of 20 invented detainees as evidence, sees how it reads (the encoding detected),
 * has its columns matched to a person's fields by their Belarusian names, checks it (exactly the
 * two wrong rows, with suggestions), imports only the valid rows and finds the 18 records in the
 * list. axe-core on each step.
 */
describeInBrowser('the list import wizard in Chromium', () => {
  let server: AppServer;
  let session: BrowserSession;
  let page: Page;
  let api: ApiClient;
  const files = mkdtempSync(join(tmpdir(), 'letapis-e2e-lists-'));
  const csv = join(files, 'затрыманыя-жнівень.csv');
  const { bytes, pseudonyms } = detaineesCsv();
  let personsLabel = '';
  let itemId = '';

  beforeAll(async () => {
    writeFileSync(csv, bytes);
    ({ server, session, page, api } = await coordinatorSignedIn());
    const types = (await api.call('GET', '/api/v1/record-types')).body.items as { name: string; pluralLabel: { en: string } }[];
    personsLabel = types.find((t) => t.name === 'persons')!.pluralLabel.en;
  }, 180_000);
  afterAll(async () => {
    await session?.close();
    await server?.stop();
    rmSync(files, { recursive: true, force: true });
  });
  afterEach(() => expectNoProblems(session));
  vi.setConfig({ testTimeout: 120_000 });

  it('refuses an evidence item that does not exist, said on the first step', async () => {
    await page.getByRole('link', { name: I.nav }).click();
    await page.getByRole('heading', { name: I.hub.title, level: 1 }).waitFor();
    await page.getByRole('link', { name: I.hub.list.title }).click();
    await page.getByRole('heading', { name: I.title, level: 1 }).waitFor();
    await page.getByText(I.file.keptAsEvidence).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByLabel(I.file.existing).fill('not an id');
    await page.getByRole('button', { name: I.file.useExisting }).click();
    await page.getByRole('alert').filter({ hasText: I.file.badId }).waitFor();
    await page.getByLabel(I.file.existing).fill('0b1c2d3e-4f50-4617-8899-aabbccddeeff');
    await page.getByRole('button', { name: I.file.useExisting }).click();
    await page.getByRole('alert').filter({ hasText: I.error.refused.replace(' ({{status}})', '') }).waitFor();
    // still on the first step: nothing was read
    expect(await page.getByTestId('preview').count()).toBe(0);
    await page.getByLabel(I.file.existing).fill('');
  });

  it('uploads a Windows-1251 list as evidence and shows how it reads', async () => {
    await page.getByTestId('list-file-input').setInputFiles(csv);
    await page.getByTestId('chosen-file').waitFor();
    await page.getByRole('button', { name: I.file.upload }).click();
    const preview = page.getByTestId('preview');
    await preview.waitFor({ timeout: 60_000 });
    await page.getByTestId('detected-encoding').filter({ hasText: I.read.encoding.replace('{{encoding}}', 'windows-1251') }).waitFor();
    await page.getByText(I.read.delimiter.replace('{{delimiter}}', I.delimiters.semicolon)).waitFor();
    // the Cyrillic read right: the header and the first rows
    await preview.getByRole('columnheader', { name: 'Дата нараджэння' }).waitFor();
    await preview.getByRole('cell', { name: 'Кавалёва' }).first().waitFor();
    await preview.getByRole('cell', { name: 'Затрыманы Н-01' }).waitFor();
    expect(await preview.locator('tbody tr').count()).toBe(20);
    // the list became an evidence item, linked from the first step
    await page.getByRole('button', { name: I.steps.file }).click();
    itemId = (await page.getByRole('link', { name: I.file.openItem }).getAttribute('href'))!.split('/').pop()!;
    expect(itemId).toMatch(/^[0-9a-f-]{36}$/);
    await page.getByRole('button', { name: I.steps.read }).click();
    await preview.waitFor();
    await screenshot(page, 'import-preview');
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('says at the preview when a forced encoding does not fit the file, and reads it again as detected', async () => {
    await page.getByRole('combobox', { name: I.read.encodingLabel }).click();
    await page.getByRole('option', { name: 'utf-8', exact: true }).click();
    await page.getByRole('button', { name: I.read.again }).click();
    await page.getByRole('alert').filter({ hasText: I.error.refused.replace('{{status}}', '422') }).filter({ hasText: 'UTF-8' }).waitFor();
    await page.getByRole('combobox', { name: I.read.encodingLabel }).click();
    await page.getByRole('option', { name: I.read.detected, exact: true }).click();
    await page.getByRole('button', { name: I.read.again }).click();
    await page.getByRole('alert').waitFor({ state: 'detached' });
    await page.getByTestId('preview').getByRole('cell', { name: 'Затрыманы Н-01' }).waitFor();
  });

  it('matches the Belarusian column names to a person’s fields, then checks the list: exactly the two wrong rows, the unknown role with suggestions', async () => {
    await page.getByRole('button', { name: I.next }).click();
    await page.getByRole('combobox', { name: I.map.type }).click();
    await page.getByRole('option', { name: personsLabel, exact: true }).click();
    const mapping = page.getByTestId('mapping');
    await mapping.waitFor();
    const fieldOf = (column: string) => page.getByRole('combobox', { name: I.map.fieldFor.replace('{{column}}', column), exact: true }).inputValue();
    expect(await fieldOf('Прозвішча')).toContain(I.identity.familyName);
    expect(await fieldOf('Імя')).toContain(I.identity.givenName);
    expect(await fieldOf('Імя па бацьку')).toContain(I.identity.patronymic);
    expect(await fieldOf('Дата нараджэння')).toContain(I.identity.birthDate);
    expect(await fieldOf('Псеўданім')).toBe('Pseudonym');
    expect(await fieldOf('Ролі')).toBe('Roles');
    expect(await accessibilityViolations(page)).toEqual([]);

    // the check (a dry run job)
    await page.getByRole('button', { name: I.next }).click();
    await page.getByRole('button', { name: I.check.start }).click();
    const report = page.getByTestId('check-report');
    await report.waitFor({ timeout: 90_000 });
    await report.getByText(count(I.report.valid_other, 18), { exact: true }).waitFor();
    await report.getByText(count(I.report.invalid_other, 2), { exact: true }).waitFor();
    const problems = page.getByTestId('problem');
    expect(await problems.count()).toBe(2);
    const role = problems.filter({ has: page.getByRole('cell', { name: String(BAD_ROLE_ROW), exact: true }) });
    expect(await role.getByRole('cell', { name: 'Ролі', exact: true }).count()).toBe(1);
    expect(await role.getByTestId('suggestions').textContent()).toContain('Сведка (witness)');
    const date = problems.filter({ has: page.getByRole('cell', { name: String(BAD_DATE_ROW), exact: true }) });
    expect(await date.getByRole('cell', { name: 'Дата нараджэння', exact: true }).count()).toBe(1);
    // a problem never quotes the cell (reports are readable by the whole compartment)
    expect(await page.getByTestId('problems').textContent()).not.toContain('45.13.1990');
    // said from the problem's code: the date's reason in the catalog's words
    expect(await date.getByTestId('problem-reason').textContent()).toBe(I.reason['not-a-calendar-date']);
    // nothing written by the check
    expect((await api.call('GET', '/api/v1/persons?limit=50')).body.items).toEqual([]);
    await screenshot(page, 'import-check');
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('imports only the valid rows and finds the 18 records in the list', async () => {
    await page.getByRole('button', { name: I.next }).click();
    // all or nothing is the default
    expect(await page.getByLabel(I.run.allOrNothing).isChecked()).toBe(true);
    // all or nothing with two rows wrong: nothing written, and why, from the report's code
    await page.getByRole('button', { name: I.run.start, exact: true }).click();
    const notWritten = page.getByTestId('not-written');
    await notWritten.waitFor({ timeout: 90_000 });
    expect(await notWritten.textContent()).toBe(count(I.run.notWrittenProblems_other, 2));
    expect((await api.call('GET', '/api/v1/persons?limit=50')).body.items).toEqual([]);
    await page.getByLabel(I.run.validOnly).check();
    await page.getByRole('button', { name: I.run.start, exact: true }).click();
    const report = page.getByTestId('import-report');
    // the first run's report stays until the second's is there
    await report.getByText(count(I.run.done_other, 18)).waitFor({ timeout: 90_000 });
    expect(await report.getByTestId('written').textContent()).toBe(count(I.report.written_other, 18));
    expect(await page.getByTestId('not-written').count()).toBe(0);
    expect(await page.getByTestId('problem').count()).toBe(2);
    await screenshot(page, 'import-done');
    expect(await accessibilityViolations(page)).toEqual([]);
    const persons = (await api.call('GET', '/api/v1/persons?limit=50')).body.items as { pseudonym: string }[];
    const wrong = new Set([pseudonyms[BAD_ROLE_ROW - 2], pseudonyms[BAD_DATE_ROW - 2]]);
    expect(persons.map((p) => p.pseudonym).sort()).toEqual(pseudonyms.filter((p) => !wrong.has(p)).sort());
    await page.getByTestId('records-link').click();
    await page.waitForURL((u) => u.pathname === '/records/persons');
    await page.getByText('Затрыманы Н-01', { exact: true }).first().waitFor();
    await page.getByText('Затрыманы Н-20', { exact: true }).first().waitFor();
    expect(await page.getByText(pseudonyms[BAD_ROLE_ROW - 2]!, { exact: true }).count()).toBe(0);
  });

  it('speaks Belarusian: an uploaded list named by its id (?item=), read, mapped and checked without English left, its problems too', async () => {
    const B = importsBe.imports;
    await page.goto(`${server.url}/imports/list?item=${itemId}`);
    await page.getByRole('heading', { name: I.title, level: 1 }).waitFor();
    await page.locator('header').getByLabel(en.header.language).selectOption('be');
    await page.getByRole('heading', { name: B.title, level: 1 }).waitFor();
    expect(await page.getByLabel(B.file.existing).inputValue()).toBe(itemId);
    await page.getByRole('button', { name: B.file.useExisting }).click();
    await page.getByTestId('preview').waitFor();
    const uiText = async () => (await page.locator('main h1, main h2, main h3, main label, main th, main button, main [role="alert"], main [role="status"]').allInnerTexts()).join('\n');
    expect(englishLeft(await uiText())).toEqual([]);
    await page.getByRole('button', { name: B.next }).click();
    await page.getByRole('combobox', { name: B.map.type }).click();
    await page.getByRole('option', { name: 'Асобы', exact: true }).click();
    await page.getByTestId('mapping').waitFor();
    expect(await page.getByRole('combobox', { name: B.map.fieldFor.replace('{{column}}', 'Прозвішча'), exact: true }).inputValue()).toContain(B.identity.familyName);
    expect(englishLeft(await uiText())).toEqual([]);
    expect(await accessibilityViolations(page)).toEqual([]);

    // the check: the two wrong rows' problems said in Belarusian from their codes, not the server's English
    await page.getByRole('button', { name: B.next }).click();
    await page.getByRole('button', { name: B.check.start }).click();
    const report = page.getByTestId('check-report');
    await report.waitFor({ timeout: 90_000 });
    const vocabularies = (await api.call('GET', '/api/v1/vocabularies')).body.items as { name: string; labels: { be: string } }[];
    const roles = vocabularies.find((v) => v.name === 'person-roles')!.labels.be;
    const reasons = page.getByTestId('problem-reason');
    await reasons.filter({ hasText: B.reason['not-a-calendar-date'] }).waitFor();
    await reasons.filter({ hasText: B.reason['unknown-term'].split('«')[0]!.trim() + ` «${roles}»` }).waitFor();
    const said = (await reasons.allInnerTexts()).join('\n');
    expect(await reasons.count()).toBe(2);
    expect(said).not.toMatch(/[A-Za-z]/);
    expect(said).not.toContain('Сведак');
    expect(englishLeft(await uiText())).toEqual([]);
    await screenshot(page, 'import-check-be');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.locator('header').getByLabel(be.header.language).selectOption('en');
    await page.getByRole('heading', { name: I.title, level: 1 }).waitFor();
  });
});
