import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import en from '../../web/src/i18n/en/core.json' with { type: 'json' };
import enAdmin from '../../web/src/i18n/en/admin.json' with { type: 'json' };
import { field } from './records-support.js';
import { passwordSignInStatus, pick } from './admin-support.js';
import { accessibilityViolations, addUser, describeInBrowser, enrolTotp, expectNoProblems, freshInstallation, launchBrowser, screenshot, signInWithCode, startServer, type AppServer, type BrowserSession } from './harness.js';

/**
 * Administration in Chromium against the real server: an administrator (signed in with a TOTP code)
 * creates an account, whose generated password is shown once and works; disables it (it can no
 * longer sign in), enables it again and resets its password; creates a compartment, adds the new
 * account, changes its role there and removes it. A documenter sees no Administration link and is
 * told plainly that the pages are not for them. axe-core on both pages; nothing asked of another
 * origin.
 *
 * Sign-in requests (10 a minute per address): 2 enrolments, 4 in the browser (password, then
 * code, for two accounts), 3 checks over the API.
 */
const a = enAdmin.admin;
const fill = (s: string, vars: Record<string, string>) => s.replace(/\{\{(\w+)\}\}/g, (_, k: string) => vars[k]!);

describeInBrowser('administration in Chromium', () => {
  let server: AppServer;
  let session: BrowserSession;
  let chiefSecret: string;
  let alesSecret: string;
  let newPassword = '';

  beforeAll(async () => {
    const install = freshInstallation();
    addUser(install.env, 'chief', 'administrator', 'Chief Administrator');
    addUser(install.env, 'ales', 'documenter', 'Ales Kavalenka');
    server = await startServer(install);
    session = await launchBrowser(server.url);
    chiefSecret = await enrolTotp(server.url, 'chief');
    alesSecret = await enrolTotp(server.url, 'ales');
  }, 120_000);
  afterAll(async () => {
    await session?.close();
    await server?.stop();
  });
  afterEach(() => expectNoProblems(session));
  vi.setConfig({ testTimeout: 90_000 });

  let page: Page;

  it('an administrator creates an account, sees its password once, disables and enables it, resets its password', async () => {
    page = await session.newPage();
    await signInWithCode(page, server.url, 'chief', chiefSecret, 1);
    await page.getByRole('link', { name: en.nav.admin }).click();
    await page.getByRole('heading', { level: 1, name: a.users.title }).waitFor();
    await page.getByTestId('account-chief').waitFor();
    // the administrator's own row offers nothing that could lock them out
    expect(await page.getByTestId('account-chief').getByRole('button').count()).toBe(0);

    await page.getByRole('button', { name: a.users.create }).click();
    const form = page.getByRole('dialog', { name: a.users.create });
    // a user name the server refuses: said at the field
    await form.getByLabel(new RegExp(`^${a.users.username}`)).fill('Nasta K');
    await form.getByRole('button', { name: a.users.createSubmit }).click();
    await form.getByText(a.users.errors.username).waitFor();
    await form.getByLabel(new RegExp(`^${a.users.username}`)).fill('nasta');
    await form.getByLabel(a.users.displayName).fill('Nasta Kalinouskaja');
    await pick(page, field(form, a.users.role), en.role.analyst);
    await pick(page, field(form, a.users.role), en.role.documenter);
    await form.getByRole('button', { name: a.users.createSubmit }).click();

    const shown = page.getByRole('dialog', { name: fill(a.users.created, { username: 'nasta' }) });
    await shown.getByText(fill(a.password.warning, { username: 'nasta' })).waitFor();
    newPassword = (await shown.getByTestId('initial-password').textContent())!;
    expect(newPassword).toMatch(/^[A-Za-z2-9]{5}(-[A-Za-z2-9]{5}){3}$/);
    await shown.getByRole('button', { name: a.password.copy }).waitFor();
    await screenshot(page, 'admin-new-password');
    await shown.getByRole('button', { name: a.password.done }).click();
    await shown.waitFor({ state: 'detached' });
    expect(await page.getByText(newPassword).count()).toBe(0); // shown once: gone once closed

    const row = page.getByTestId('account-nasta');
    await row.getByRole('cell', { name: 'Nasta Kalinouskaja' }).waitFor();
    await row.getByRole('cell', { name: en.role.documenter, exact: true }).waitFor();
    await row.getByRole('cell', { name: a.users.totpOff }).waitFor();
    expect(await passwordSignInStatus(server.url, 'nasta', newPassword)).toBe(200);

    // disabling asks first, saying that sessions end and tokens are revoked
    await row.getByRole('button', { name: fill(a.users.disableFor, { username: 'nasta' }) }).click();
    const ask = page.getByRole('dialog', { name: fill(a.users.disableTitle, { username: 'nasta' }) });
    await ask.getByText(a.users.disableBody).waitFor();
    await ask.getByRole('button', { name: a.users.disable }).click();
    await ask.waitFor({ state: 'detached' });
    await row.getByText(a.users.disabled, { exact: true }).waitFor();
    expect(await passwordSignInStatus(server.url, 'nasta', newPassword)).toBe(401);

    await row.getByRole('button', { name: fill(a.users.enableFor, { username: 'nasta' }) }).click();
    await page.getByRole('dialog', { name: fill(a.users.enableTitle, { username: 'nasta' }) }).getByRole('button', { name: a.users.enable }).click();
    await row.getByText(a.users.active, { exact: true }).waitFor();

    // a forgotten password: a new one is generated and shown once; it is the one that works now
    await row.getByRole('button', { name: fill(a.users.resetPasswordFor, { username: 'nasta' }) }).click();
    const reset = page.getByRole('dialog', { name: fill(a.users.resetPasswordTitle, { username: 'nasta' }) });
    await reset.getByText(a.users.resetPasswordBody).waitFor();
    await reset.getByRole('button', { name: a.users.resetPassword }).click();
    const again = page.getByRole('dialog', { name: a.users.passwordReset });
    const resetPassword = (await again.getByTestId('initial-password').textContent())!;
    expect(resetPassword).not.toBe(newPassword);
    await again.getByRole('button', { name: a.password.done }).click();
    await again.waitFor({ state: 'detached' });
    // enabled again, with the new password (the sign-in limit of 10 a minute leaves no room to try the old one too)
    expect(await passwordSignInStatus(server.url, 'nasta', resetPassword)).toBe(200);

    await screenshot(page, 'admin-users');
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('an administrator creates a compartment, adds the new account, changes its role and removes it', async () => {
    await page.getByRole('navigation', { name: a.sections }).getByRole('link', { name: a.compartments.title }).click();
    await page.getByRole('heading', { level: 1, name: a.compartments.title }).waitFor();

    await page.getByRole('button', { name: a.compartments.create }).click();
    const form = page.getByRole('dialog', { name: a.compartments.create });
    await form.getByLabel(new RegExp(`^${a.compartments.name}`)).fill('gomel-2021');
    await form.getByLabel(a.compartments.description).fill('Detentions in Gomel, 2021');
    await form.getByRole('button', { name: a.compartments.createSubmit }).click();
    await form.waitFor({ state: 'detached' });

    const members = page.getByRole('region', { name: fill(a.compartments.membersOf, { name: 'gomel-2021' }) });
    await members.getByText(a.compartments.noMembers).waitFor();
    await pick(page, field(members, a.compartments.addUser), 'Nasta Kalinouskaja (nasta)', 'nasta');
    await members.getByRole('button', { name: a.compartments.add, exact: true }).click();
    const row = members.getByTestId('member-nasta');
    const role = field(row, fill(a.compartments.roleOf, { username: 'nasta' }));
    await row.waitFor();
    expect(await role.inputValue()).toBe(en.role.documenter);
    // the list above counts the new member
    await page.getByRole('row', { name: /gomel-2021/ }).getByRole('cell', { name: '1', exact: true }).waitFor();

    await role.click();
    await page.getByRole('option', { name: en.role.analyst, exact: true }).click();
    await expect.poll(() => role.inputValue()).toBe(en.role.analyst);
    await page.reload();
    await page.getByRole('button', { name: 'gomel-2021' }).click();
    await expect.poll(() => field(page.getByTestId('member-nasta'), fill(a.compartments.roleOf, { username: 'nasta' })).inputValue()).toBe(en.role.analyst);
    await screenshot(page, 'admin-compartments');
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.getByRole('button', { name: fill(a.compartments.removeMember, { username: 'nasta' }) }).click();
    const ask = page.getByRole('dialog', { name: fill(a.compartments.removeTitle, { username: 'nasta', name: 'gomel-2021' }) });
    await ask.getByText(a.compartments.removeBody).waitFor();
    await ask.getByRole('button', { name: a.compartments.remove }).click();
    await page.getByText(a.compartments.noMembers).waitFor();
    expect(await page.getByTestId('member-nasta').count()).toBe(0);
    await page.close();
  });

  it('a documenter sees no Administration link and is told the pages are not for them', async () => {
    const p = await session.newPage();
    await signInWithCode(p, server.url, 'ales', alesSecret, 1);
    await p.getByRole('link', { name: en.nav.home }).waitFor();
    expect(await p.getByRole('link', { name: en.nav.admin }).count()).toBe(0);
    await p.goto(`${server.url}/admin/users`);
    await p.getByRole('heading', { level: 1, name: a.notAllowed.title }).waitFor();
    await p.getByText(a.notAllowed.body).waitFor();
    expect(await p.getByRole('table').count()).toBe(0);
    await p.goto(`${server.url}/admin/compartments`);
    await p.getByRole('heading', { level: 1, name: a.notAllowed.title }).waitFor();
    expect(await accessibilityViolations(p)).toEqual([]);
    await p.close();
  });
});
