import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import en from '../../web/src/i18n/en/core.json' with { type: 'json' };
import { accessibilityViolations, addUser, cli, describeInBrowser, expectNoProblems, freshInstallation, launchBrowser, PASSWORD, screenshot, startServer, type AppServer, type BrowserSession } from './harness.js';

/**
 * A server started sealed (LETAPIS_VAULT=sealed, a passphrase vault at the lowest argon2id cost so
 * the test is quick): an administrator who signs in is taken to the unseal screen as soon as an
 * answer says the vault is sealed (enrolling a second factor needs it), a wrong passphrase is
 * refused clearly, the right one opens the vault, and enrolment then goes on.
 */
const PASSPHRASE = 'correct horse battery staple unseal';

describeInBrowser('unsealing the vault in Chromium', () => {
  let server: AppServer;
  let session: BrowserSession;

  beforeAll(async () => {
    const install = freshInstallation({ LETAPIS_VAULT: 'sealed' });
    const init = cli(install.env, ['vault', 'init', '--passphrase-stdin', '--kdf-ops', '3', '--kdf-memory-mib', '64'], `${PASSPHRASE}\n`);
    if (init.code !== 0) throw new Error(`letapis vault init: ${init.err}`);
    addUser(install.env, 'keeper', 'administrator');
    server = await startServer(install);
    expect(server.out()).toMatch(/vault is SEALED/);
    session = await launchBrowser(server.url);
  }, 120_000);
  afterAll(async () => {
    await session?.close();
    await server?.stop();
  });
  afterEach(() => expectNoProblems(session));

  it('leads a signed-in administrator from a sealed vault to the unseal screen, refuses a wrong passphrase, opens with the right one', async () => {
    const page = await session.newPage();
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel(en.signIn.username).fill('keeper');
    await page.getByLabel(new RegExp(`^${en.signIn.password}`)).fill(PASSWORD);
    await page.getByRole('button', { name: en.signIn.submit }).click();
    // enrolment needs the vault (the secret is stored under it): the app says it is sealed
    await page.getByRole('heading', { name: en.unseal.title }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/unseal');
    await page.getByText(en.unseal.intro).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.getByText(en.unseal.byPassphrase, { exact: true }).click();
    const field = page.getByLabel(new RegExp(`^${en.unseal.passphrase}`));
    await field.fill(`${PASSPHRASE} (wrong)`);
    await page.getByRole('button', { name: en.unseal.submit }).click();
    await page.getByRole('alert').filter({ hasText: en.unseal.wrong }).waitFor({ timeout: 20_000 });
    expect(await field.inputValue()).toBe(''); // nothing secret left in the page
    await screenshot(page, 'unseal');

    await field.fill(PASSPHRASE);
    await page.getByRole('button', { name: en.unseal.submit }).click();
    await page.getByText(en.unseal.open).waitFor({ timeout: 20_000 });
    const status = await fetch(`${server.url}/api/v1/vault/unseal`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ passphrase: PASSPHRASE }) });
    expect(((await status.json()) as { sealed: boolean }).sealed).toBe(false);
    await screenshot(page, 'unseal-open');

    await page.getByRole('button', { name: en.unseal.continue }).click();
    // still signed in: enrolment now works
    await page.getByRole('heading', { name: en.enrol.title }).waitFor();
    await page.getByRole('img', { name: en.enrol.qrLabel }).waitFor();
  });
});
