import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import be from '../../web/src/i18n/be/core.json' with { type: 'json' };
import en from '../../web/src/i18n/en/core.json' with { type: 'json' };
import { englishLeft } from './catalogs.js';
import { totpCode, wrongCode } from '../../src/modules/users/users.test-support.js';
import { accessibilityViolations, addUser, cli, describeInBrowser, expectNoProblems, freshInstallation, launchBrowser, PASSWORD, screenshot, startServer, type AppServer, type BrowserSession } from './harness.js';

/**
 * The web application in Chromium against the real server: signing in with a second factor
 * (enrolment, sign-out, sign-in with a code, a wrong code), the language remembered per account
 * with no English left in Belarusian, accessibility (axe-core) and keyboard-only sign-in. Each test
 * saves a screenshot; the browser must never ask another origin for anything.
 *
 * The server allows 10 sign-in requests a minute per address: the tests here make 9 together.
 */
describeInBrowser('the web application in Chromium', () => {
  let server: AppServer;
  let session: BrowserSession;

  beforeAll(async () => {
    const install = freshInstallation();
    addUser(install.env, 'chief', 'administrator', 'Chief Administrator');
    addUser(install.env, 'ales', 'documenter', 'Ales Kavalenka'); // a name, not an English word: the Belarusian page is searched for English words
    addUser(install.env, 'kasia', 'coordinator');
    for (const args of [['compartment', 'create', 'minsk-2020', '--description', 'Events of August 2020'], ['compartment', 'add-member', 'minsk-2020', 'ales', '--role', 'documenter']]) {
      const r = cli(install.env, args);
      if (r.code !== 0) throw new Error(`letapis ${args.join(' ')}: ${r.err}`);
    }
    server = await startServer(install);
    session = await launchBrowser(server.url);
  }, 120_000);
  afterAll(async () => {
    await session?.close();
    await server?.stop();
  });
  afterEach(() => expectNoProblems(session));
  vi.setConfig({ testTimeout: 60_000 });

  async function signInWithPassword(page: Page, username: string) {
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel(en.signIn.username).fill(username);
    await page.getByLabel(new RegExp(`^${en.signIn.password}`)).fill(PASSWORD);
    await page.getByRole('button', { name: en.signIn.submit }).click();
  }

  it('a new administrator enrols a second factor, signs out, and signs in again with password and code', async () => {
    const page = await session.newPage();
    await page.goto(server.url);
    // not signed in: the app sends the browser to the sign-in page
    await page.getByRole('heading', { name: en.signIn.title }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await screenshot(page, 'sign-in');
    // the first load's JavaScript as it crossed the wire (compressed): issue 7 wants under 1 MB
    const js = (await page.evaluate(
      "performance.getEntriesByType('resource').filter((e) => new URL(e.name).pathname.endsWith('.js')).map((e) => ({ url: e.name, bytes: e.encodedBodySize, raw: e.decodedBodySize }))",
    )) as { url: string; bytes: number; raw: number }[];
    const wire = js.reduce((a, e) => a + e.bytes, 0);
    expect(js.length).toBeGreaterThan(0);
    expect(wire).toBeLessThan(js.reduce((a, e) => a + e.raw, 0) / 2); // it did come compressed
    expect(wire).toBeLessThan(1_000_000);
    console.log(`[letapis e2e] first load: ${js.length} JavaScript files, ${wire} bytes compressed over loopback`);

    await signInWithPassword(page, 'chief');
    await page.getByRole('heading', { name: en.enrol.title }).waitFor();
    await page.getByRole('img', { name: en.enrol.qrLabel }).waitFor();
    // the secret as an authenticator app takes it (shown in groups of four)
    const secret = (await page.getByTestId('totp-secret').textContent())!.replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await screenshot(page, 'enrol-second-factor');
    expect(await accessibilityViolations(page)).toEqual([]);

    // a wrong code first: said clearly, nothing turned on
    await page.getByLabel(en.enrol.code).fill(wrongCode(secret));
    await page.getByRole('button', { name: en.enrol.submit }).click();
    await page.getByRole('alert').filter({ hasText: en.enrol.wrongCode }).waitFor();
    await page.getByLabel(en.enrol.code).fill(totpCode(secret, 0));
    await page.getByRole('button', { name: en.enrol.submit }).click();
    await page.getByRole('heading', { name: 'Welcome, Chief Administrator' }).waitFor();
    await page.getByText('Account role: administrator').waitFor();

    await page.getByRole('button', { name: en.header.signOut }).click();
    await page.getByRole('heading', { name: en.signIn.title }).waitFor();
    // signed out on the server too: the home page sends back to sign-in
    await page.goto(server.url);
    await page.getByRole('heading', { name: en.signIn.title }).waitFor();

    await signInWithPassword(page, 'chief');
    await page.getByRole('heading', { name: en.signIn.codeTitle }).waitFor();
    await page.getByLabel(new RegExp(`^${en.signIn.code}`)).fill(wrongCode(secret, 7));
    await page.getByRole('button', { name: en.signIn.codeSubmit }).click();
    await page.getByRole('alert').filter({ hasText: en.signIn.error.wrongCode }).waitFor();
    await screenshot(page, 'sign-in-wrong-code');
    await page.getByLabel(new RegExp(`^${en.signIn.code}`)).fill(totpCode(secret, 1));
    await page.getByRole('button', { name: en.signIn.codeSubmit }).click();
    await page.getByRole('heading', { name: 'Welcome, Chief Administrator' }).waitFor();
    await page.getByTestId('signed-in-as').filter({ hasText: 'Chief Administrator' }).waitFor();
    await screenshot(page, 'home-administrator');
  });

  it('keeps the language an account chose: Belarusian after a reload, with no English left on the pages visited', async () => {
    const page = await session.newPage({ locale: 'en-US' });
    await signInWithPassword(page, 'ales');
    await page.getByRole('heading', { name: 'Welcome, Ales Kavalenka' }).waitFor();
    await page.getByRole('cell', { name: 'minsk-2020' }).waitFor();

    await page.getByLabel(en.header.language).selectOption('be');
    await page.getByRole('heading', { name: 'Вітаем, Ales Kavalenka' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Вітаем, Ales Kavalenka' }).waitFor();
    await page.getByRole('cell', { name: be.role.documenter }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('be');
    // remembered by the server, not by this browser
    expect(await page.evaluate('localStorage.length + sessionStorage.length')).toBe(0);
    // the session's end: Chromium's Intl has no Belarusian, so digits only (format.ts), never English
    await page.getByText(/не пазней за \d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}/).waitFor();
    expect(await page.innerText('body')).not.toMatch(/\b(January|February|March|April|May|June|July|August|September|October|November|December|AM|PM)\b/);
    await screenshot(page, 'home-belarusian');
    expect(englishLeft(await page.innerText('body'))).toEqual([]);

    await page.getByRole('button', { name: be.header.signOut }).click();
    await page.getByRole('heading', { name: be.signIn.title }).waitFor();
    expect(englishLeft(await page.innerText('body'))).toEqual([]);
    await screenshot(page, 'sign-in-belarusian');
  });

  it('passes an automated accessibility check (axe-core) on the sign-in page and the home page', async () => {
    const page = await session.newPage();
    await page.goto(`${server.url}/sign-in`);
    await page.getByRole('heading', { name: en.signIn.title }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await signInWithPassword(page, 'ales');
    // the account chose Belarusian in the test before: the home page comes in it
    await page.getByRole('heading', { name: 'Вітаем, Ales Kavalenka' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByLabel(be.header.language).selectOption('en');
    await page.getByRole('heading', { name: 'Welcome, Ales Kavalenka' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'home-documenter');
  });

  it('signs in with the keyboard alone: Tab between the fields, Enter to submit, the code likewise', async () => {
    // kasia enrols her second factor over the API, as her phone app would have it
    const signIn = await fetch(`${server.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'kasia', password: PASSWORD }) });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const headers = { cookie, 'x-csrf-token': ((await signIn.json()) as { csrfToken: string }).csrfToken, 'content-type': 'application/json' };
    const begun = await fetch(`${server.url}/api/v1/account/totp`, { method: 'POST', headers, body: '{}' });
    const { secret } = (await begun.json()) as { secret: string };
    const confirmed = await fetch(`${server.url}/api/v1/account/totp/confirm`, { method: 'POST', headers, body: JSON.stringify({ code: totpCode(secret, 0) }) });
    expect(confirmed.status).toBe(200);

    const page = await session.newPage();
    await page.goto(`${server.url}/sign-in`);
    await page.getByRole('heading', { name: en.signIn.title }).waitFor();
    // the user name field has the focus on arrival
    expect(await page.evaluate('document.activeElement?.autocomplete')).toBe('username');
    await page.keyboard.type('kasia');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.autocomplete')).toBe('current-password');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: en.signIn.codeTitle }).waitFor();
    expect(await page.evaluate('document.activeElement?.autocomplete')).toBe('one-time-code');
    await page.keyboard.type(totpCode(secret, 1));
    await screenshot(page, 'sign-in-code');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Welcome, kasia' }).waitFor();
    // and on from there by keyboard: the first Tab reaches the skip link, which leads to the page
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe(en.app.skipToContent);
  });
});
