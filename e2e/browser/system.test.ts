import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import en from '../../web/src/i18n/en/core.json' with { type: 'json' };
import enAdmin from '../../web/src/i18n/en/admin.json' with { type: 'json' };
import enSystem from '../../web/src/i18n/en/system.json' with { type: 'json' };
import { totpCode } from '../../src/modules/users/users.test-support.js';
import { field } from './records-support.js';
import { pick } from './admin-support.js';
import { sharesIn, writeJobs } from './system-support.js';
import { accessibilityViolations, addUser, cli, describeInBrowser, enrolTotp, expectNoProblems, freshInstallation, launchBrowser, PASSWORD, screenshot, signInWithCode, startServer, type AppServer, type BrowserSession } from './harness.js';

/**
 * The administration pages of the system in Chromium against the real server: the custody ledger
 * (sign a checkpoint, see it listed with its size, the verifier key, another organisation's witness
 * cosigning it with `letapis witness --once`), background jobs (a dead job retried and run again by
 * the worker, a retry the server refuses, filters in the URL, a job's detail, paging; a coordinator
 * sees only their compartment's jobs) and the vault (the development vault's warning; a sealed
 * installation unsealed with two of three shares, its status in words, sealed from the page and
 * unsealed again). axe-core on each page; nothing asked of another
 * origin.
 */
const s = enSystem.system;
const WITNESS = 'witness.example.org';
const fill = (text: string, vars: Record<string, string | number>) => text.replace(/\{\{(\w+)[^}]*\}\}/g, (_, k: string) => String(vars[k]));

describeInBrowser('the ledger and jobs pages in Chromium', () => {
  let server: AppServer;
  let session: BrowserSession;
  let chiefSecret: string;
  let kasiaSecret: string;
  let witnessDir = '';
  let witnessToken: string;
  let compartmentId: string;
  let page: Page;

  beforeAll(async () => {
    // another organisation's witness (its own data directory), which this log trusts
    witnessDir = mkdtempSync(join(tmpdir(), 'letapis-e2e-witness-'));
    const made = cli({ PATH: process.env.PATH, HOME: process.env.HOME, LETAPIS_DATA_DIR: witnessDir }, ['witness', 'keygen', '--name', WITNESS]);
    if (made.code !== 0) throw new Error(`letapis witness keygen: ${made.err}`);
    const install = freshInstallation({ LETAPIS_WITNESSES: made.out.trim(), LETAPIS_WITNESS_QUORUM: '1' });
    addUser(install.env, 'chief', 'administrator', 'Halina Chyzhevich');
    addUser(install.env, 'witness-b', 'viewer');
    const token = cli(install.env, ['token', 'create', 'witness-b', '--scope', 'write', '--name', 'witness']);
    if (token.code !== 0) throw new Error(`letapis token create: ${token.err}`);
    witnessToken = token.out.trim();
    addUser(install.env, 'kasia', 'coordinator', 'Kasia Baranava');
    const created = cli(install.env, ['compartment', 'create', 'okrestina-2020', '--json']);
    if (created.code !== 0) throw new Error(`letapis compartment create: ${created.err}`);
    compartmentId = (JSON.parse(created.out) as { id: string }).id;
    const joined = cli(install.env, ['compartment', 'add-member', 'okrestina-2020', 'kasia', '--role', 'coordinator']);
    if (joined.code !== 0) throw new Error(`letapis compartment add-member: ${joined.err}`);
    server = await startServer(install);
    session = await launchBrowser(server.url);
    chiefSecret = await enrolTotp(server.url, 'chief');
    kasiaSecret = await enrolTotp(server.url, 'kasia');
  }, 120_000);
  afterAll(async () => {
    await session?.close();
    await server?.stop();
    if (witnessDir) rmSync(witnessDir, { recursive: true, force: true });
  });
  afterEach(() => expectNoProblems(session));
  vi.setConfig({ testTimeout: 90_000 });

  it('an administrator opens the custody ledger, signs a checkpoint, sees it listed with its size and the verifier key', async () => {
    page = await session.newPage();
    await signInWithCode(page, server.url, 'chief', chiefSecret, 1);
    await page.getByRole('link', { name: en.nav.admin }).click();
    await page.getByRole('link', { name: enAdmin.admin.tabs.ledger }).click();
    await page.getByRole('heading', { level: 1, name: s.ledger.title }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin/ledger');
    // a fresh installation: events logged (accounts, sign-ins), no checkpoint signed yet
    await page.getByTestId('no-checkpoint').waitFor();

    await page.getByRole('button', { name: s.ledger.signNow }).click();
    const signed = page.getByTestId('signed');
    await signed.waitFor({ timeout: 20_000 });
    const size = Number(/Checkpoint of ([\d,]+) events/.exec((await signed.textContent())!)![1]!.replace(/,/g, ''));
    expect(size).toBeGreaterThan(0);

    // the latest checkpoint and the list both show it, with its size
    await page.getByTestId('latest-size').filter({ hasText: `${size} event` }).waitFor();
    const row = page.getByTestId(`checkpoint-${size}`);
    await row.waitFor();
    expect(await row.getByRole('cell').first().textContent()).toBe(String(size));
    // the root hash shortened, the whole of it in the title (64 hex digits)
    expect(await row.locator('[data-full]').getAttribute('title')).toMatch(/^[0-9a-f]{64}$/);
    expect(await row.getByText(s.ledger.reason.manual).count()).toBe(1);

    // the verifier key as `letapis verify --trust` takes it: name+keyid+base64, and its fingerprint above
    const key = (await page.getByTestId('verifier-key').textContent())!;
    expect(key).toMatch(/^[^+\s]+\+[0-9a-f]{8}\+[A-Za-z0-9+/=]+$/);
    const [name, keyId] = key.split('+');
    await page.getByTestId('latest-checkpoint').getByText(fill(s.ledger.keyId, { keyId: keyId! })).waitFor();
    await page.getByTestId('latest-checkpoint').getByText(name!, { exact: false }).first().waitFor();
    await page.getByText(`letapis verify FILE.zip --trust '${key}'`).waitFor();
    await page.getByRole('button', { name: s.ledger.copyKey }).waitFor();
    // one witness is trusted (quorum 1) and has not cosigned yet
    const witnessed = page.getByTestId('latest-witnessed');
    await witnessed.getByText(s.ledger.notWitnessed).waitFor();
    await witnessed.getByText(fill(s.ledger.quorum, { got: 0, quorum: 1, witnesses: 1 })).waitFor();
    const witnessRow = page.getByRole('row').filter({ hasText: WITNESS });
    await witnessRow.getByText(s.ledger.neverCosigned).waitFor();
    // no time-stamping authority on this installation: said so
    await page.getByText(s.ledger.noTimestamps).waitFor();

    // the witness (another organisation, with its own command line) cosigns the checkpoint
    const cosigned = cli(
      { PATH: process.env.PATH, HOME: process.env.HOME, LETAPIS_DATA_DIR: witnessDir, LETAPIS_WITNESS_TOKEN: witnessToken },
      ['witness', '--once', '--log', server.url, '--log-key', key],
    );
    expect(cosigned.code, cosigned.err).toBe(0);
    await page.reload();
    await witnessed.getByText(s.ledger.isWitnessed).waitFor();
    await witnessed.getByText(fill(s.ledger.quorum, { got: 1, quorum: 1, witnesses: 1 })).waitFor();
    // its last cosignature covered this checkpoint's size
    expect(await witnessRow.getByRole('cell').last().textContent()).toBe(String(size));
    expect(await row.getByRole('cell').nth(4).textContent()).toBe(s.yes);

    await screenshot(page, 'admin-ledger');

    // the cosignature was itself logged: signing again makes a larger checkpoint, listed first
    await page.getByRole('button', { name: s.ledger.signNow }).click();
    await signed.waitFor();
    const size2 = Number(/Checkpoint of ([\d,]+) events/.exec((await signed.textContent())!)![1]!.replace(/,/g, ''));
    expect(size2).toBeGreaterThan(size);
    await page.getByTestId(`checkpoint-${size2}`).waitFor();
    expect(await page.getByTestId('checkpoints').locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid')))).toEqual([`checkpoint-${size2}`, `checkpoint-${size}`]);
    // and once more with nothing logged since: the same checkpoint back, said so
    await page.getByRole('button', { name: s.ledger.signNow }).click();
    await signed.filter({ hasText: fill(s.ledger.alreadySigned, { size: size2 }) }).waitFor();
    expect(await page.getByTestId('checkpoints').locator('tbody tr').count()).toBe(2);
    expect(await accessibilityViolations(page)).toEqual([]);

    // this installation's vault is the development one: said plainly, with the way to a sealed vault, and nothing to seal
    await page.getByRole('link', { name: enAdmin.admin.tabs.vault }).click();
    await page.getByRole('heading', { level: 1, name: s.vault.title }).waitFor();
    expect(await page.getByTestId('vault-mode').textContent()).toBe(s.vault.modeDev);
    await page.getByText(s.vault.devTitle).waitFor();
    await page.getByText(/letapis vault init --shares 5 --threshold 3/).waitFor();
    expect(await page.getByRole('button', { name: s.vault.sealNow }).count()).toBe(0);
    expect(await page.getByTestId('rotate-command').count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'admin-vault-dev');
  });

  it('lists jobs newest first, filters them in the URL, shows a refusal, retries a dead job that the worker then runs', async () => {
    // dead jobs cannot be made cheaply through the product: written into the database (see system-support.ts)
    const [blockerId, refusedId, deadId] = writeJobs(server.dataDir, [
      // holds the dedupe key of the next one and is never due: the server refuses to retry that one
      { name: 'search.reindex', state: 'queued', attempts: 0, maxAttempts: 3, dedupeKey: 'fixture.same-work', runAt: new Date('2099-01-01T00:00:00Z') },
      { name: 'search.reindex', state: 'dead', attempts: 3, maxAttempts: 3, lastError: 'fixture: disk full while writing the index', dedupeKey: 'fixture.same-work' },
      { name: 'search.reindex', state: 'dead', attempts: 3, maxAttempts: 3, lastError: 'fixture: the database was busy' },
    ]);

    await page.getByRole('link', { name: enAdmin.admin.tabs.jobs }).click();
    await page.getByRole('heading', { level: 1, name: s.jobs.title }).waitFor();
    const dead = page.getByTestId(`job-${deadId}`);
    await dead.waitFor();
    expect(await dead.getByTestId('job-state').getAttribute('data-state')).toBe('dead');
    expect(await dead.getByTestId('attempts').textContent()).toBe(fill(s.jobs.attemptsOf, { attempts: 3, max: 3 }));
    await dead.getByTestId('last-error').filter({ hasText: 'fixture: the database was busy' }).waitFor();
    await dead.getByText(s.jobs.names.searchReindex).waitFor();
    // newest first
    const ids = await page.getByTestId('jobs').locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid')));
    expect(ids.indexOf(`job-${deadId}`)).toBeLessThan(ids.indexOf(`job-${refusedId}`));
    expect(ids.indexOf(`job-${refusedId}`)).toBeLessThan(ids.indexOf(`job-${blockerId}`));

    // the state filter goes into the URL under the API's parameter name, and only dead jobs stay
    await pick(page, field(page, s.jobs.filterState), s.jobs.state.dead);
    await page.waitForURL((u) => u.searchParams.get('state') === 'dead');
    await page.getByTestId(`job-${blockerId}`).waitFor({ state: 'detached' });
    expect(await page.getByTestId('jobs').getByTestId('job-state').evaluateAll((b) => b.map((x) => x.getAttribute('data-state')))).toEqual(['dead', 'dead']);
    // the URL opens the same list
    await page.goto(`${server.url}/admin/jobs?state=queued&name=search.reindex`);
    await page.getByTestId(`job-${blockerId}`).waitFor();
    expect(await page.getByTestId(`job-${deadId}`).count()).toBe(0);
    await page.goto(`${server.url}/admin/jobs`);
    await dead.waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'admin-jobs');

    // another unfinished job does the same work: the server refuses (409), and the page says why
    await page.getByTestId(`job-${refusedId}`).getByRole('button', { name: s.jobs.retry, exact: false }).click();
    let confirm = page.getByRole('dialog', { name: fill(s.jobs.retryTitle, { name: s.jobs.names.searchReindex }) });
    await confirm.getByRole('button', { name: s.jobs.retry }).click();
    await confirm.getByText(s.jobs.retryRefused).waitFor();
    expect(await confirm.getByTestId('retry-refused').textContent()).toMatch(/does the same work/);
    await confirm.getByRole('button', { name: enAdmin.admin.cancel }).click();
    await confirm.waitFor({ state: 'detached' });
    expect(await page.getByTestId(`job-${refusedId}`).getByTestId('job-state').getAttribute('data-state')).toBe('dead');

    // retried: all its tries again; the worker takes it, and the list follows without a reload
    await dead.getByRole('button', { name: s.jobs.retry, exact: false }).click();
    confirm = page.getByRole('dialog', { name: fill(s.jobs.retryTitle, { name: s.jobs.names.searchReindex }) });
    await confirm.getByRole('button', { name: s.jobs.retry }).click();
    await confirm.waitFor({ state: 'detached' });
    const state = () => dead.getByTestId('job-state').getAttribute('data-state');
    await expect.poll(state, { timeout: 10_000 }).not.toBe('dead');
    await expect.poll(state, { timeout: 30_000 }).toBe('done');
    expect(await dead.getByTestId('attempts').textContent()).toBe(fill(s.jobs.attemptsOf, { attempts: 1, max: 3 }));
    expect(await dead.getByTestId('last-error').count()).toBe(0);

    // its detail: the result the job reported, and the error of the try before the retry
    await dead.getByRole('cell').first().click();
    const drawer = page.getByRole('dialog', { name: s.jobs.names.searchReindex });
    await drawer.getByTestId('job-detail').waitFor();
    await drawer.getByText(deadId!).waitFor();
    await drawer.getByTestId('detail-error').filter({ hasText: 'fixture: the database was busy' }).waitFor();
    expect(await drawer.getByText(s.jobs.noResult).count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'admin-job-detail');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });

    // more jobs than a page: "Load more" asks for the next page with the cursor
    writeJobs(server.dataDir, Array.from({ length: 25 }, () => ({ name: 'case.export', state: 'done' as const, attempts: 1, maxAttempts: 5 })));
    await page.goto(`${server.url}/admin/jobs`);
    await page.getByTestId('jobs').getByText(s.jobs.names.caseExport).first().waitFor();
    expect(await page.getByTestId(`job-${blockerId}`).count()).toBe(0);
    await page.getByRole('button', { name: s.loadMore }).click();
    await page.getByTestId(`job-${blockerId}`).waitFor();
    expect(await page.getByTestId('jobs').locator('tbody tr').count()).toBeGreaterThanOrEqual(29);
  });

  it("a coordinator sees the jobs of their compartment, and no other, without retry", async () => {
    const [theirs] = writeJobs(server.dataDir, [{ name: 'evidence.process', state: 'dead', attempts: 5, maxAttempts: 5, lastError: 'fixture: the item is gone', compartmentId }]);
    const own = await session.newPage();
    await signInWithCode(own, server.url, 'kasia', kasiaSecret, 1);
    await own.getByTestId('signed-in-as').waitFor();
    await own.goto(`${server.url}/admin/jobs`);
    await own.getByRole('heading', { level: 1, name: s.jobs.title }).waitFor();
    await own.getByText(s.jobs.introCoordinator).waitFor();
    const row = own.getByTestId(`job-${theirs}`);
    await row.getByText(s.jobs.names.evidenceProcess).waitFor();
    expect(await row.getByTestId('job-state').getAttribute('data-state')).toBe('dead');
    // only their compartment's job: the administrators' jobs (search index, exports) are not listed
    expect(await own.getByTestId('jobs').locator('tbody tr').count()).toBe(1);
    expect(await own.getByRole('button', { name: s.jobs.retry, exact: false }).count()).toBe(0);
    expect(await own.getByRole('columnheader', { name: s.jobs.actions }).count()).toBe(0);
    // the vault and the ledger are the administrators': not among the coordinator's sections
    expect(await own.getByRole('link', { name: enAdmin.admin.tabs.vault }).count()).toBe(0);
    expect(await accessibilityViolations(own)).toEqual([]);
  });
});

describeInBrowser('the vault page in Chromium, on a vault opened by shares', () => {
  let server: AppServer;
  let session: BrowserSession;
  let shares: string[] = [];

  beforeAll(async () => {
    const install = freshInstallation({ LETAPIS_VAULT: 'sealed' });
    const init = cli(install.env, ['vault', 'init', '--shares', '3', '--threshold', '2']);
    if (init.code !== 0) throw new Error(`letapis vault init: ${init.err}`);
    shares = sharesIn(init.out);
    expect(shares).toHaveLength(3);
    addUser(install.env, 'keeper', 'administrator', 'Zmitser Lapko');
    server = await startServer(install);
    expect(server.out()).toMatch(/vault is SEALED/);
    session = await launchBrowser(server.url);
  }, 120_000);
  afterAll(async () => {
    await session?.close();
    await server?.stop();
  });
  afterEach(() => expectNoProblems(session));
  vi.setConfig({ testTimeout: 120_000 });

  const submitShare = async (page: Page, share: string) => {
    await page.getByLabel(new RegExp(`^${en.unseal.share}`)).fill(share);
    await page.getByRole('button', { name: en.unseal.submit }).click();
  };

  it('unsealed with two of three shares, shows the vault in words, seals it from the page and is unsealed again', async () => {
    const page = await session.newPage();
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel(en.signIn.username).fill('keeper');
    await page.getByLabel(new RegExp(`^${en.signIn.password}`)).fill(PASSWORD);
    await page.getByRole('button', { name: en.signIn.submit }).click();
    // enrolling a second factor needs the vault: the unseal screen
    await page.getByRole('heading', { name: en.unseal.title }).waitFor();
    await submitShare(page, shares[0]!);
    await page.getByText(fill(en.unseal.progress, { received: 1, threshold: 2 })).waitFor({ timeout: 20_000 });
    await submitShare(page, shares[2]!);
    await page.getByText(en.unseal.open).waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: en.unseal.continue }).click();
    await page.getByRole('heading', { name: en.enrol.title }).waitFor();
    const secret = (await page.getByTestId('totp-secret').textContent())!.replace(/\s/g, '');
    await page.getByLabel(en.enrol.code).fill(totpCode(secret, 0));
    await page.getByRole('button', { name: en.enrol.submit }).click();
    await page.getByTestId('signed-in-as').waitFor();

    await page.getByRole('link', { name: en.nav.admin }).click();
    await page.getByRole('link', { name: enAdmin.admin.tabs.vault }).click();
    await page.getByRole('heading', { level: 1, name: s.vault.title }).waitFor();
    expect(await page.getByTestId('vault-mode').textContent()).toBe(s.vault.modeSealed);
    expect(await page.getByTestId('vault-state').textContent()).toBe(s.vault.stateOpen);
    expect(await page.getByTestId('vault-method').textContent()).toBe(fill(s.vault.methodShares, { threshold: 2, shares: 3 }));
    expect(await page.getByTestId('vault-master').textContent()).toBe('1');
    expect(await page.getByTestId('vault-keyset').textContent()).toBe('1');
    // new shares are made on the server's machine, never here: the command for a vault of shares
    expect(await page.getByTestId('rotate-command').textContent()).toMatch(/^letapis vault rotate < current-shares\.txt/);
    expect(await page.getByText(s.vault.devTitle).count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'admin-vault');

    await page.getByRole('button', { name: s.vault.sealNow }).click();
    const confirm = page.getByRole('dialog', { name: s.vault.sealConfirmTitle });
    await confirm.getByText(s.vault.sealConfirmBody).waitFor();
    await screenshot(page, 'admin-vault-seal');
    expect(await accessibilityViolations(page)).toEqual([]);
    await confirm.getByRole('button', { name: s.vault.sealNow }).click();
    await page.getByRole('heading', { name: en.unseal.title }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/unseal');

    // sealed for real: a share is needed again, and one is not enough
    await submitShare(page, shares[1]!);
    await page.getByText(fill(en.unseal.progress, { received: 1, threshold: 2 })).waitFor({ timeout: 20_000 });
    // the vault page says how far unsealing has come (the status needs no key)
    await page.goto(`${server.url}/admin/vault`);
    await page.getByRole('heading', { level: 1, name: s.vault.title }).waitFor();
    await page.getByText(fill(s.vault.received, { received: 1, threshold: 2 })).waitFor();
    expect(await page.getByTestId('vault-state').textContent()).toBe(s.vault.stateSealed);

    await page.goto(`${server.url}/unseal`);
    await submitShare(page, shares[0]!);
    await page.getByText(en.unseal.open).waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: en.unseal.continue }).click();
    // the app is back, still signed in
    await page.getByTestId('signed-in-as').waitFor();
    await page.goto(`${server.url}/admin/vault`);
    await page.getByTestId('vault-state').filter({ hasText: s.vault.stateOpen }).waitFor();
  });
});
