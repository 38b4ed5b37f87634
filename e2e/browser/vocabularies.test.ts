import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import core from '../../web/src/i18n/en/core.json' with { type: 'json' };
import vocabCatalog from '../../web/src/i18n/en/vocabularies.json' with { type: 'json' };
import recordsCatalog from '../../web/src/i18n/en/records.json' with { type: 'json' };
import { VOCABULARY_SEED } from '../../src/domain/vocabularies/seed.js';
import { fieldLabel } from '../../src/modules/records/labels.js';
import { field } from './records-support.js';
import { changeTermOverApi } from './vocabularies-support.js';
import { englishLeft } from './catalogs.js';
import beCatalog from '../../web/src/i18n/be/vocabularies.json' with { type: 'json' };
import { accessibilityViolations, addUser, cli, describeInBrowser, enrolTotp, expectNoProblems, freshInstallation, launchBrowser, screenshot, signInWithCode, startServer, type AppServer, type BrowserSession } from './harness.js';

/**
 * Vocabularies in Chromium: a coordinator (signed in with a second factor) opens Administration →
 * Vocabularies, picks the methods vocabulary, is told at the field that a code is malformed, adds
 * a term with labels in three languages and sees it in the tree; deprecates another term; is told
 * that someone else changed the vocabulary meanwhile (a change made over the API) and reloads. On
 * a new act's form the new method is offered and the deprecated one is not. A documenter is told
 * the page is not for them. axe-core on the page and the dialog. Screenshot: admin-vocabularies.
 */
const v = vocabCatalog.vocabularies;
const fill = (s: string, vars: Record<string, string>) => s.replace(/\{\{(\w+)\}\}/g, (_, k: string) => vars[k]!);
const methods = VOCABULARY_SEED.find((x) => x.name === 'methods')!;
const label = (code: string) => methods.terms.find((t) => t.code === code)!.labels.en;
const NEW_TERM = { code: 'cold-water-dousing', be: 'Абліванне халоднай вадой', ru: 'Обливание холодной водой', en: 'Dousing with cold water' };

describeInBrowser('vocabularies in Chromium', () => {
  let server: AppServer;
  let session: BrowserSession;
  let secret: string;
  let documenterSecret: string;
  let token: string;

  beforeAll(async () => {
    const install = freshInstallation();
    addUser(install.env, 'chief', 'administrator');
    addUser(install.env, 'tamara', 'coordinator', 'Tamara Hryniavič');
    addUser(install.env, 'zmitser', 'documenter', 'Zmitsier Lukašuk');
    for (const args of [['compartment', 'create', 'homel-2021'], ['compartment', 'add-member', 'homel-2021', 'tamara', '--role', 'coordinator']]) {
      const r = cli(install.env, args);
      if (r.code !== 0) throw new Error(`letapis ${args.join(' ')}: ${r.err}`);
    }
    const t = cli(install.env, ['token', 'create', 'tamara', '--scope', 'write']);
    if (t.code !== 0) throw new Error(`letapis token create: ${t.err}`);
    token = t.out.trim();
    server = await startServer(install);
    session = await launchBrowser(server.url);
    secret = await enrolTotp(server.url, 'tamara');
    documenterSecret = await enrolTotp(server.url, 'zmitser');
  }, 120_000);
  afterAll(async () => {
    await session?.close();
    await server?.stop();
  });
  afterEach(() => expectNoProblems(session));
  vi.setConfig({ testTimeout: 120_000 });

  let page: Page;
  const terms = () => page.getByRole('region', { name: fill(v.terms.heading, { name: methods.labels.en }) });

  it('a coordinator adds a term to the methods vocabulary in three languages and deprecates another', async () => {
    page = await session.newPage();
    await signInWithCode(page, server.url, 'tamara', secret, 1);
    await page.getByRole('navigation', { name: core.nav.main }).getByRole('link', { name: core.nav.admin }).click();
    await page.getByRole('heading', { level: 1, name: v.title }).waitFor();
    await page.getByTestId('vocabulary-methods').getByRole('button', { name: methods.labels.en }).click();
    await terms().waitFor();
    const version = Number((await page.getByTestId('vocabulary-version').innerText()).replace(/\D/g, ''));
    await page.getByTestId('term-falanga').waitFor();

    // a code the server refuses: said at the field, nothing added
    const form = page.getByRole('form', { name: v.add.heading });
    await field(form, v.add.code).fill('Cold water');
    await field(form, v.add.labelBe).fill(NEW_TERM.be);
    await field(form, v.add.labelRu).fill(NEW_TERM.ru);
    await field(form, v.add.labelEn).fill(NEW_TERM.en);
    await form.getByRole('button', { name: v.add.submit }).click();
    await form.getByText(v.errors.code).waitFor();
    expect(await page.getByTestId('vocabulary-version').innerText()).toBe(fill(v.terms.version, { version: String(version) }));

    await field(form, v.add.code).fill(NEW_TERM.code);
    await form.getByRole('button', { name: v.add.submit }).click();
    await form.getByText(fill(v.add.added, { code: NEW_TERM.code })).waitFor();
    const row = page.getByTestId(`term-${NEW_TERM.code}`);
    for (const text of [NEW_TERM.be, NEW_TERM.ru, NEW_TERM.en]) await row.getByRole('cell', { name: text, exact: true }).first().waitFor();
    await page.getByTestId('vocabulary-version').getByText(fill(v.terms.version, { version: String(version + 1) })).waitFor();
    // the same code again: the server's 409, at the field
    await field(form, v.add.code).fill(NEW_TERM.code);
    await field(form, v.add.labelBe).fill(NEW_TERM.be);
    await field(form, v.add.labelRu).fill(NEW_TERM.ru);
    await field(form, v.add.labelEn).fill(NEW_TERM.en);
    await form.getByRole('button', { name: v.add.submit }).click();
    await form.getByText(v.errors.duplicate).waitFor();
    // correcting the field takes the objection away
    await field(form, v.add.code).fill('');
    await form.getByText(v.errors.duplicate).waitFor({ state: 'detached' });
    for (const l of [v.add.labelBe, v.add.labelRu, v.add.labelEn]) await field(form, l).fill('');

    // deprecate falanga
    await page.getByRole('button', { name: fill(v.terms.editFor, { code: 'falanga' }) }).click();
    const dialog = page.getByRole('dialog', { name: fill(v.edit.title, { code: 'falanga' }) });
    await dialog.getByRole('checkbox', { name: v.edit.deprecated }).check();
    await dialog.getByText(v.edit.deprecatingNote).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: v.edit.save }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('term-falanga').getByText(v.terms.deprecated, { exact: true }).waitFor();

    await screenshot(page, 'admin-vocabularies');
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('a change made meanwhile by someone else is explained, and the vocabulary reloaded', async () => {
    await page.getByRole('button', { name: fill(v.terms.editFor, { code: 'kicking' }) }).click();
    const dialog = page.getByRole('dialog', { name: fill(v.edit.title, { code: 'kicking' }) });
    await field(dialog, v.add.labelEn).fill('Kicks');
    const now = await changeTermOverApi(server.url, token, 'methods', 'slapping', { labels: { en: 'Slaps in the face' } });
    await dialog.getByRole('button', { name: v.edit.save }).click();
    const alert = dialog.getByRole('alert').filter({ hasText: v.conflict.title });
    await alert.getByText(v.conflict.body).waitFor();
    await alert.getByRole('button', { name: v.conflict.reload }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('vocabulary-version').getByText(fill(v.terms.version, { version: String(now) })).waitFor();
    await page.getByTestId('term-slapping').locator('td[lang="en"]').getByText('Slaps in the face', { exact: true }).waitFor();
    await page.getByTestId('term-kicking').locator('td[lang="en"]').getByText(label('kicking'), { exact: true }).waitFor(); // not saved
  });

  it('a new act offers the new method and not the deprecated one', async () => {
    await page.goto(`${server.url}/records/acts/new`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    const methodsField = field(page, fieldLabel('acts', 'methods')!.en);
    await methodsField.focus();
    await page.keyboard.type('cold');
    await page.getByRole('option', { name: NEW_TERM.en, exact: true }).waitFor();
    await methodsField.fill('');
    await page.keyboard.type('fala');
    await page.getByText(recordsCatalog.records.picker.nothing).filter({ visible: true }).waitFor();
    expect(await page.getByRole('option', { name: label('falanga') }).count()).toBe(0);
    await methodsField.fill('');
    await page.keyboard.type('Slaps');
    await page.getByRole('option', { name: 'Slaps in the face', exact: true }).waitFor(); // the other change shows too
  });

  it('speaks Belarusian: the page, the terms in their Belarusian labels, no English left', async () => {
    await page.goto(`${server.url}/admin/vocabularies?v=methods`);
    await page.getByLabel(core.header.language).selectOption('be');
    await page.getByRole('heading', { level: 1, name: beCatalog.vocabularies.title }).waitFor();
    await page.getByRole('heading', { level: 2, name: fill(beCatalog.vocabularies.terms.heading, { name: methods.labels.be }) }).waitFor();
    await page.getByTestId(`term-${NEW_TERM.code}`).getByText(NEW_TERM.be, { exact: true }).first().waitFor();
    // data, not UI strings: English labels and the vocabulary's description (lang="en"), codes (translate="no")
    const text = await page.locator('main').evaluate((el) => {
      type Node = { remove(): void; innerText: string; cloneNode(deep: boolean): Node; querySelectorAll(s: string): { forEach(f: (n: Node) => void): void } };
      const copy = (el as unknown as Node).cloneNode(true);
      copy.querySelectorAll('[lang="en"], [translate="no"]').forEach((n) => n.remove());
      return copy.innerText;
    });
    expect(englishLeft(text)).toEqual([]);
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('a documenter is told plainly that vocabularies are changed by coordinators', async () => {
    const other = await session.newPage();
    await signInWithCode(other, server.url, 'zmitser', documenterSecret, 1);
    await other.getByTestId('signed-in-as').waitFor();
    expect(await other.getByRole('link', { name: core.nav.admin }).count()).toBe(0);
    await other.goto(`${server.url}/admin/vocabularies`);
    await other.getByRole('heading', { level: 1, name: v.notAllowed.title }).waitFor();
    await other.getByText(v.notAllowed.body).waitFor();
    expect(await other.getByRole('button', { name: v.add.submit }).count()).toBe(0);
  });
});
