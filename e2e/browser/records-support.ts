import type { Locator, Page } from 'playwright-core';
import en from '../../web/src/i18n/en/core.json' with { type: 'json' };
import { totpCode } from '../../src/modules/users/users.test-support.js';
import { PASSWORD } from './harness.js';

/**
 * Helpers of the records browser test: a second factor enrolled over the API (so the browser signs
 * in with password and TOTP code, as every account that has one does), and the Mantine inputs the
 * record forms are made of, driven as a keyboard or mouse user would.
 */

/** Turns on a TOTP second factor for an account through its own API calls; returns the secret. */
export async function enrolTotp(url: string, username: string): Promise<string> {
  const signIn = await fetch(`${url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
  if (!signIn.ok) throw new Error(`sign-in for enrolment: ${signIn.status} ${await signIn.text()}`);
  const { csrfToken } = (await signIn.json()) as { csrfToken: string };
  const cookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const headers = { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken };
  const begin = await fetch(`${url}/api/v1/account/totp`, { method: 'POST', headers, body: '{}' });
  if (!begin.ok) throw new Error(`totp enrolment: ${begin.status} ${await begin.text()}`);
  const { secret } = (await begin.json()) as { secret: string };
  const confirm = await fetch(`${url}/api/v1/account/totp/confirm`, { method: 'POST', headers, body: JSON.stringify({ code: totpCode(secret) }) });
  if (!confirm.ok) throw new Error(`totp confirmation: ${confirm.status} ${await confirm.text()}`);
  await fetch(`${url}/api/v1/session`, { method: 'DELETE', headers });
  return secret;
}

/** Signs in with password, then the code of the next time step (the current one was used to enrol). */
export async function signInWithTotp(page: Page, url: string, username: string, secret: string): Promise<void> {
  await page.goto(`${url}/sign-in`);
  await page.getByLabel(en.signIn.username).fill(username);
  await page.getByLabel(new RegExp(`^${en.signIn.password}`)).fill(PASSWORD);
  await page.getByRole('button', { name: en.signIn.submit }).click();
  await page.getByRole('heading', { name: en.signIn.codeTitle }).waitFor();
  await page.getByLabel(new RegExp(`^${en.signIn.code}`)).fill(totpCode(secret, 1));
  await page.getByRole('button', { name: en.signIn.codeSubmit }).click();
}

const exact = (s: string) => new RegExp(`^${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*\\*?$`);

/** The input of a labelled field (required fields carry a "*" in their label). */
export function field(scope: Page | Locator, label: string): Locator {
  return scope
    .getByRole('textbox', { name: exact(label) })
    .or(scope.getByRole('combobox', { name: exact(label) }))
    .or(scope.locator('input').and(scope.getByLabel(exact(label))))
    .first();
}

/** Chooses an option of a (searchable) select by typing part of it and picking it from the list. */
export async function choose(page: Page, scope: Page | Locator, label: string, option: string, typed = option.slice(0, 4)): Promise<void> {
  const input = field(scope, label);
  if (await input.isEditable()) {
    // a multi-select's inner field may have no width left beside its chosen values: type into it
    await input.focus();
    await page.keyboard.type(typed);
  } else await input.click();
  await page.getByRole('option', { name: option, exact: true }).click();
  // a multi-select stays open for more: close it by leaving it (not with Escape: twice quickly hides the screen)
  await page.locator('h1').first().click();
}

/** Sets an approximate date: its precision, then the value in that precision's form. */
export async function fuzzyDate(page: Page, groupName: string, precision: string, value: string, labels: { precision: string; value: string }): Promise<void> {
  const group = page.getByRole('group', { name: exact(groupName) });
  await field(group, labels.precision).click();
  await page.getByRole('option', { name: precision, exact: true }).click();
  await field(group, labels.value).fill(value);
}
