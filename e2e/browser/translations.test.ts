import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import translations from '../../web/src/i18n/en/translations.json' with { type: 'json' };
import { accessibilityViolations, addUser, apiSession, cli, describeInBrowser, expectNoProblems, freshInstallation, launchBrowser, screenshot, signInWithCode, startServer, type ApiClient, type AppServer, type BrowserSession } from './harness.js';

const T = translations.translations;

/**
 * Translations in Chromium against the real server: a translator finds a testimony's transcript in
 * the queue, opens the side-by-side editor, pastes a machine translation and saves it as such; the
 * review button is not hers to press. A second translator opens the same editor, sees the status and
 * marks it reviewed; the queue then lists nothing for English. axe-core on each page. (A translation
 * shown as outdated after its source changed is tested over the API on both engines.)
 */
describeInBrowser('translations in Chromium', () => {
  let server: AppServer;
  let session: BrowserSession;
  let tanya: Page;
  let tolia: Page;
  let dasha: ApiClient;
  const TRANSCRIPT = 'Сведка В-3 расказала: нас вывезлі ў Акрэсціна ўначы.';
  const ENGLISH = 'Witness W-3 said: we were taken to Akrestsina at night.';

  beforeAll(async () => {
    const install = freshInstallation();
    addUser(install.env, 'chief', 'administrator', 'Chief Administrator');
    addUser(install.env, 'dasha', 'documenter', 'Dasha Documenter');
    addUser(install.env, 'tanya', 'translator', 'Tanya Translator');
    addUser(install.env, 'tolia', 'translator', 'Tolia Translator');
    for (const args of [
      ['compartment', 'create', 'minsk-2020'],
      ['compartment', 'add-member', 'minsk-2020', 'dasha', '--role', 'documenter'],
      ['compartment', 'add-member', 'minsk-2020', 'tanya', '--role', 'translator'],
      ['compartment', 'add-member', 'minsk-2020', 'tolia', '--role', 'translator'],
    ]) {
      const r = cli(install.env, args);
      if (r.code !== 0) throw new Error(`letapis ${args.join(' ')}: ${r.err}`);
    }
    server = await startServer(install);
    dasha = await apiSession(server.url, 'dasha');
    // an invented witness and her testimony, in Belarusian
    const person = await dasha.call('POST', '/api/v1/persons', { pseudonym: 'Witness W-3' });
    expect(person.status).toBe(201);
    const made = await dasha.call('POST', '/api/v1/testimonies', { title: 'Interview 3', interviewee: person.body.id, language: 'be', transcript: TRANSCRIPT });
    expect(made.status).toBe(201);
    const a = await apiSession(server.url, 'tanya');
    const b = await apiSession(server.url, 'tolia');
    session = await launchBrowser(server.url);
    tanya = await session.newPage();
    tolia = await session.newPage();
    await signInWithCode(tanya, server.url, 'tanya', a.secret, 1);
    await signInWithCode(tolia, server.url, 'tolia', b.secret, 1);
  }, 180_000);
  afterAll(async () => {
    await session?.close();
    await server?.stop();
  });
  afterEach(() => expectNoProblems(session));
  vi.setConfig({ testTimeout: 120_000 });

  it('finds the transcript in the queue and saves a machine translation that its translator may not review', async () => {
    await tanya.goto(`${server.url}/translations?language=en`);
    await tanya.getByRole('heading', { name: T.queue.title, level: 1 }).waitFor();
    const row = tanya.getByTestId('translation-queue').getByRole('row').filter({ hasText: 'Interview 3' });
    await row.getByText(T.status.untranslated).waitFor();
    expect(await accessibilityViolations(tanya)).toEqual([]);
    await screenshot(tanya, 'translations-queue');
    await row.getByRole('link', { name: 'Interview 3' }).click();

    await tanya.getByRole('heading', { name: T.editor.title.replace('{{name}}', 'Interview 3'), level: 1 }).waitFor();
    const section = tanya.getByTestId('translation-transcript');
    expect(await section.getByTestId('source-text').innerText()).toBe(TRANSCRIPT);
    await section.getByTestId('translation-text').fill(ENGLISH);
    await section.getByRole('button', { name: T.editor.saveMachine }).click();
    await section.getByTestId('status-badge').filter({ hasText: T.status.machine }).waitFor();
    await section.getByText(T.editor.ownWork).waitFor();
    expect(await section.getByRole('button', { name: T.editor.review }).count()).toBe(0);
    expect(await accessibilityViolations(tanya)).toEqual([]);
    await screenshot(tanya, 'translations-editor');
  });

  it('lets another translator review it, after which it leaves the queue', async () => {
    await tolia.goto(`${server.url}/translations?what=review`);
    const row = tolia.getByTestId('translation-queue').getByRole('row').filter({ hasText: 'Interview 3' });
    await row.getByText(T.status.machine).waitFor();
    await row.getByRole('link', { name: 'Interview 3' }).click();
    const section = tolia.getByTestId('translation-transcript');
    await section.getByTestId('status-badge').filter({ hasText: T.status.machine }).waitFor();
    expect(await section.getByTestId('translation-text').inputValue()).toBe(ENGLISH);
    await section.getByRole('button', { name: T.editor.review }).click();
    await section.getByTestId('status-badge').filter({ hasText: T.status.reviewed }).waitFor();
    await section.getByText(T.editor.reviewedBy.replace('{{reviewer}}', 'tolia'), { exact: false }).waitFor();

    await tanya.goto(`${server.url}/translations?language=en`);
    await tanya.getByRole('heading', { name: T.queue.title, level: 1 }).waitFor();
    await tanya.getByText(T.queue.empty).waitFor();
  });
});
