import type { Locator, Page } from 'playwright-core';
import { PASSWORD } from './harness.js';

/**
 * Helpers of the administration browser test: what the server answers when an account signs in
 * with a password over the API (the way the test checks that disabling an account works).
 */

/** The status of a password sign-in (200 or 202 when it may sign in; 401 when it may not). */
export async function passwordSignInStatus(url: string, username: string, password = PASSWORD): Promise<number> {
  const r = await fetch(`${url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  await r.arrayBuffer();
  return r.status;
}

/** Picks an option of a single select (typing part of it first when the select is searchable). */
export async function pick(page: Page, input: Locator, option: string, typed?: string): Promise<void> {
  if (typed !== undefined && (await input.isEditable())) await input.fill(typed);
  else await input.click();
  await page.getByRole('option', { name: option, exact: true }).click();
}
