import type { Locator, Page } from 'playwright-core';
import { totpCode } from '../../src/modules/users/users.test-support.js';

/**
 * Helpers of the intake and protection browser tests: moving the focus with the keyboard alone,
 * TOTP codes for repeated sign-ins (each code's time step may be used once), and API calls with a
 * bearer token for setting up and checking.
 */

/** Presses Tab (or Shift+Tab) until `target` has the focus; fails after `max` presses. */
export async function tabTo(page: Page, target: Locator, opts: { back?: boolean; max?: number } = {}): Promise<void> {
  const max = opts.max ?? 120;
  await target.waitFor();
  for (let i = 0; i < max; i++) {
    // runs in the page: `document` is the page's
    if (await target.evaluate((el: any) => { const active = (globalThis as any).document.activeElement; return el === active || el.contains(active); })) return;
    await page.keyboard.press(opts.back ? 'Shift+Tab' : 'Tab');
  }
  const focused = await page.evaluate("`${document.activeElement?.tagName} ${document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent?.slice(0, 60) ?? ''}`");
  throw new Error(`${max} presses of Tab did not reach ${target}; the focus is on ${focused}`);
}

/** Tabs to a field and types into it, as a person would. */
export async function typeInto(page: Page, target: Locator, text: string): Promise<void> {
  await tabTo(page, target);
  await page.keyboard.type(text);
}

/** Tabs to a control and presses a key on it (Enter for buttons and links, Space for boxes). */
export async function press(page: Page, target: Locator, key: 'Enter' | 'Space' | 'ArrowDown' | 'ArrowRight'): Promise<void> {
  await tabTo(page, target);
  await page.keyboard.press(key);
}

/**
 * Codes of one TOTP secret for several sign-ins in a row: the server accepts the current step or
 * one either side, and each step once, so the next code is for the step after the last one used,
 * waiting for time to catch up when needed.
 */
export class TotpClock {
  private last = -Infinity;
  constructor(private readonly secret: string) {}
  private static step(at = Date.now()) {
    return Math.floor(at / 30_000);
  }
  async next(): Promise<string> {
    let now = TotpClock.step();
    const want = Math.max(now, this.last + 1);
    while (want > now + 1) {
      await new Promise((r) => setTimeout(r, (now + 1) * 30_000 - Date.now() + 250));
      now = TotpClock.step();
    }
    this.last = want;
    return totpCode(this.secret, want - now);
  }
}

/** A JSON call with a bearer token (set-up and checks outside the browser). */
export async function apiCall<T = any>(baseUrl: string, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}
