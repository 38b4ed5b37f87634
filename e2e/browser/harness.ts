import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import en from '../../web/src/i18n/en/core.json' with { type: 'json' };
import { totpCode } from '../../src/modules/users/users.test-support.js';

/**
 * The end-to-end harness: the real server (`node bin/letapis.js serve`, built by `npm test` before
 * Vitest starts) as a child process on a free loopback port with its own data directory, driven
 * by the OS Chromium through playwright-core. Every request the browser makes is recorded; a
 * request to any origin but the app's own, an uncaught error in the page or a CSP violation fails
 * the test (see `BrowserSession.problems`). Screenshots go to e2e/browser/screenshots/ (ignored by
 * git), or to LETAPIS_SCREENSHOTS_DIR (e.g. docs/user-guide/img when refreshing the user guide).
 * E2E_DEBUG=1 prints the pages' console messages.
 */

export const CHROMIUM = process.env.LETAPIS_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
export const PASSWORD = 'a long enough password';
export const SCREENSHOTS = resolve(process.env.LETAPIS_SCREENSHOTS_DIR ?? 'e2e/browser/screenshots');
const BIN = resolve('bin/letapis.js');
const CI = process.env.CI === 'true' || process.env.CI === '1';

/**
 * `describe` for browser tests. Without Chromium: skipped with one line saying why, except under
 * CI=true, where the tests run and fail on the missing browser (as for PostgreSQL and ffmpeg).
 */
export function describeInBrowser(name: string, fn: () => void): void {
  if (!existsSync(CHROMIUM) && !CI) {
    console.warn(`\n[letapis tests] SKIPPING the browser tests "${name}": no Chromium at ${CHROMIUM} (apt install chromium, or set LETAPIS_CHROMIUM).\n`);
    describe.skip(`${name} [skipped: no Chromium at ${CHROMIUM}]`, fn);
  } else describe(name, fn);
}

export interface AppServer {
  url: string;
  dataDir: string;
  env: NodeJS.ProcessEnv;
  /** The server's output so far. */
  out(): string;
  stop(): Promise<void>;
}

/** Runs the letapis command line on a data directory (before or while the server runs). */
export function cli(env: NodeJS.ProcessEnv, args: string[], input?: string): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { env, input, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A fresh data directory and the environment of every process working on it. */
export function freshInstallation(extra: Record<string, string> = {}): { dataDir: string; env: NodeJS.ProcessEnv } {
  // LETAPIS_WEB_DIR: a web application built somewhere else than dist/web (a private build while others build)
  const webDir = process.env.LETAPIS_WEB_DIR ? resolve(process.env.LETAPIS_WEB_DIR) : resolve('dist/web');
  if (!existsSync(resolve('dist/src/cli/main.js')) || !existsSync(join(webDir, 'index.html')))
    throw new Error(`dist/ is missing or ${webDir} has no web app: npm test builds it first (npm run build)`);
  const dataDir = mkdtempSync(join(tmpdir(), 'letapis-e2e-'));
  return { dataDir, env: { PATH: process.env.PATH, HOME: process.env.HOME, LETAPIS_DATA_DIR: dataDir, LOG_LEVEL: 'warn', LETAPIS_WEB_DIR: webDir, ...extra } };
}

/** Creates an account with the command line (PASSWORD unless told). */
export function addUser(env: NodeJS.ProcessEnv, name: string, role: string, displayName?: string): void {
  const r = cli(env, ['user', 'add', name, '--role', role, '--password-stdin', ...(displayName ? ['--display-name', displayName] : [])], PASSWORD);
  if (r.code !== 0) throw new Error(`letapis user add ${name} failed: ${r.err}`);
}

/** Starts `letapis serve` on a free port of 127.0.0.1 and waits until it listens. */
export async function startServer(install: { dataDir: string; env: NodeJS.ProcessEnv }): Promise<AppServer> {
  const proc: ChildProcess = spawn(process.execPath, [BIN, 'serve'], { env: { ...install.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`the server did not start within 30 s:\n${out}`)), 30_000);
    proc.stdout!.on('data', () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m && /API docs:/.test(out)) {
        clearTimeout(timer);
        ok(m[1]!);
      }
    });
    proc.on('exit', (code) => fail(new Error(`the server exited with ${code}:\n${out}`)));
  });
  return {
    url,
    dataDir: install.dataDir,
    env: install.env,
    out: () => out,
    stop: async () => {
      if (proc.exitCode === null) {
        await new Promise<void>((ok) => {
          proc.once('exit', () => ok());
          proc.kill('SIGTERM');
        });
      }
      rmSync(install.dataDir, { recursive: true, force: true });
    },
  };
}

export interface BrowserSession {
  browser: Browser;
  /** A fresh context (no cookies, no storage) and a page in it, watched like every other. */
  newPage(opts?: { locale?: string }): Promise<Page>;
  /** Every URL the browser asked for, in order. */
  requests: string[];
  /** Requests to other origins, errors thrown in pages, CSP violations: each fails the test. */
  problems: string[];
  close(): Promise<void>;
}

/** Launches Chromium headless with a fresh profile; records every request of every page. */
export async function launchBrowser(appUrl: string): Promise<BrowserSession> {
  const origin = new URL(appUrl).origin;
  // launch() starts Chromium on a fresh profile in a temporary folder of its own, removed on close
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const requests: string[] = [];
  const problems: string[] = [];
  const contexts: BrowserContext[] = [];
  return {
    browser,
    requests,
    problems,
    async newPage(opts = {}) {
      const context = await browser.newContext({ locale: opts.locale ?? 'en-US', viewport: { width: 1200, height: 800 }, serviceWorkers: 'block' });
      contexts.push(context);
      context.setDefaultTimeout(10_000); // a failing wait names its locator well before the test's own timeout
      context.on('request', (req) => {
        const url = req.url();
        requests.push(url);
        if (!/^(data|blob|about):/.test(url) && new URL(url).origin !== origin) problems.push(`request to another origin: ${url}`);
      });
      const page = await context.newPage();
      page.on('pageerror', (e) => problems.push(`error in the page: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(`CSP: ${m.text()}`);
        if (process.env.E2E_DEBUG) console.log('[console]', m.type(), m.text().slice(0, 600));
      });
      return page;
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => {});
      await browser.close();
    },
  };
}

/**
 * Saves a full-page screenshot under a stable name (for the user guide). From the top of the page:
 * taken scrolled, the shell's fixed header and navigation column were drawn over the middle.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's check of the page as it is now (WCAG 2.x A and AA rules, best practices). Injected
 * through the DevTools protocol, so the page's CSP (no inline script) is not loosened for it.
 * Returns the violations of serious or critical impact, described for a failure message.
 */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  type Violation = { id: string; impact: string; help: string; nodes: { target: string[] }[] };
  const result = (await page.evaluate("axe.run(document, { resultTypes: ['violations'] })")) as { violations: Violation[] };
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact}: ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Asserts nothing went wrong in the browser since the last check (then starts afresh). */
export function expectNoProblems(session: BrowserSession): void {
  const problems = session.problems.splice(0);
  const requests = session.requests.splice(0);
  expect(problems).toEqual([]);
  expect(requests.length).toBeGreaterThan(0);
}

/** An API session of one account, for a test's set-up and checks (cookie and CSRF token as the browser has them). */
export interface ApiClient {
  /** Any request; the body parsed as JSON when there is one. */
  call<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** A GET that must answer 200. */
  get<T = any>(path: string): Promise<T>;
}

/**
 * Signs in over the API and enrols a second factor with the code of time step 0, as the account's
 * phone app would; returns the session and the TOTP secret (a browser then signs in with step 1).
 */
export async function apiSession(url: string, username: string): Promise<ApiClient & { secret: string }> {
  const signIn = await fetch(`${url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
  if (signIn.status !== 200) throw new Error(`sign-in of ${username}: ${signIn.status} ${await signIn.text()}`);
  const cookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const csrf = ((await signIn.json()) as { csrfToken: string }).csrfToken;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrf, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const get = async (path: string) => {
    const res = await call('GET', path);
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const begun = await call('POST', '/api/v1/account/totp', {});
  if (begun.status !== 201) throw new Error(`TOTP enrolment of ${username}: ${begun.status} ${JSON.stringify(begun.body)}`);
  const secret = (begun.body as { secret: string }).secret;
  const confirmed = await call('POST', '/api/v1/account/totp/confirm', { code: totpCode(secret, 0) });
  if (confirmed.status !== 200) throw new Error(`TOTP confirmation of ${username}: ${confirmed.status}`);
  return { call, get, secret };
}

/** Turns on a TOTP second factor for an account over the API and signs that session out; returns the secret. */
export async function enrolTotp(url: string, username: string): Promise<string> {
  const s = await apiSession(url, username);
  await s.call('DELETE', '/api/v1/session');
  return s.secret;
}

/** Signs in in the browser with password and the authenticator's code for `step`, then waits for the signed-in header. */
export async function signInWithCode(page: Page, url: string, username: string, secret: string, step: number): Promise<void> {
  await page.goto(`${url}/sign-in`);
  await page.getByLabel(en.signIn.username).fill(username);
  await page.getByLabel(new RegExp(`^${en.signIn.password}`)).fill(PASSWORD);
  await page.getByRole('button', { name: en.signIn.submit }).click();
  await page.getByRole('heading', { name: en.signIn.codeTitle }).waitFor();
  await page.getByLabel(new RegExp(`^${en.signIn.code}`)).fill(totpCode(secret, step));
  await page.getByRole('button', { name: en.signIn.codeSubmit }).click();
  await page.getByTestId('signed-in-as').waitFor();
}
