import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addUser, apiSession, cli, describeInBrowser, expectNoProblems, freshInstallation, launchBrowser, accessibilityViolations, type BrowserSession } from './harness.js';
import { STRINGS } from '../../web/drop/strings.js';
import { WORDLIST_LATIN } from '../../src/domain/drop/wordlist-latin.js';

/**
 * The anonymous drop's page in Chromium (issue 9's first acceptance line, docs/DROP.md): a source
 * sends a message and a file through the page on the drop listener; the store holds only sealed
 * boxes; the server's output holds no client address; a sealed server cannot open the submission,
 * staff open it after unsealing, take the file in as evidence (its custody begins) and reply; the
 * source comes back with the codename in the page and reads the reply. The browser asks nothing of
 * any origin but the drop listener's.
 *
 * The server runs on a data directory kept across a restart (sealed again), so this test starts it
 * itself, with `--drop-port`. LETAPIS_E2E_CLI runs another CLI entry (a private build or tsx).
 */
const PASSPHRASE = 'an invented passphrase for the drop test';
const MESSAGE = 'I am an invented guard at an invented prison. Marker QX-drop-page-message-4417';
const FILE_TEXT = 'List of invented names, marker QX-drop-page-file-9023';
const FILE_NAME = 'QX-list-of-guards.txt';
const REPLY = 'Thank you, we read it. Marker QX-drop-page-reply-5150';
const en = STRINGS.en;

interface Running {
  url: string;
  dropUrl: string;
  out(): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

async function start(env: NodeJS.ProcessEnv, dropPort: number): Promise<Running> {
  const entry = process.env.LETAPIS_E2E_CLI ? ['--import', 'tsx', resolve(process.env.LETAPIS_E2E_CLI)] : [resolve('bin/letapis.js')];
  const proc: ChildProcess = spawn(process.execPath, [...entry, 'serve', '--drop-port', String(dropPort)], { env: { ...env, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`the server did not start within 60 s:\n${out}`)), 60_000);
    proc.stdout!.on('data', () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m && /drop: /.test(out)) {
        clearTimeout(timer);
        ok(m[1]!);
      }
    });
    proc.on('exit', (code) => fail(new Error(`the server exited with ${code}:\n${out}`)));
  });
  return {
    url,
    dropUrl: `http://127.0.0.1:${dropPort}`,
    out: () => out,
    stop: () =>
      new Promise<void>((ok) => {
        if (proc.exitCode !== null) return ok();
        proc.once('exit', () => ok());
        proc.kill('SIGTERM');
      }),
  };
}

/** Every file under a folder, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/**
 * The server's output since `from`, less the staff listener's request lines (its own log, which
 * records the staff's addresses as any staff server does; its lines may be flushed late).
 */
function dropLog(out: string, from: number): string {
  return out
    .slice(from)
    .split('\n')
    .filter((l) => !/"url":"\/api\//.test(l))
    .join('\n');
}

const unseal = async (url: string) => {
  const res = await fetch(`${url}/api/v1/vault/unseal`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ passphrase: PASSPHRASE }) });
  expect(res.status).toBe(200);
};

describeInBrowser('the anonymous drop page in Chromium', () => {
  let install: { dataDir: string; env: NodeJS.ProcessEnv };
  let server: Running | undefined;
  let session: BrowserSession;
  let codename = '';
  let dropPort = 0;

  beforeAll(async () => {
    const dropWeb = process.env.LETAPIS_DROP_WEB_DIR ? resolve(process.env.LETAPIS_DROP_WEB_DIR) : resolve('dist/drop');
    // debug: the drop listener writes a line per request, so there is a log to search
    install = freshInstallation({ LETAPIS_VAULT: 'sealed', LOG_LEVEL: 'debug', LETAPIS_DROP_WEB_DIR: dropWeb });
    const init = cli(install.env, ['vault', 'init', '--passphrase-stdin', '--kdf-ops', '3', '--kdf-memory-mib', '64'], `${PASSPHRASE}\n`);
    if (init.code !== 0) throw new Error(`letapis vault init: ${init.err}`);
    addUser(install.env, 'drop-chief', 'administrator');
    addUser(install.env, 'drop-hanna', 'coordinator', 'Hanna Invented');
    for (const args of [
      ['compartment', 'create', 'intake', '--description', 'What sources hand over'],
      ['compartment', 'add-member', 'intake', 'drop-hanna', '--role', 'coordinator'],
    ]) {
      const r = cli(install.env, args);
      if (r.code !== 0) throw new Error(`letapis ${args.join(' ')}: ${r.err}${r.out}`);
    }
    dropPort = await freePort();
    server = await start(install.env, dropPort);
    // the drop key pair is made once the vault is unsealed
    expect((await fetch(`${server.dropUrl}/drop/api/info`)).status).toBe(503);
    await unseal(server.url);
    session = await launchBrowser(server.dropUrl);
  }, 180_000);
  afterAll(async () => {
    await session?.close();
    await server?.stop();
    rmSync(install.dataDir, { recursive: true, force: true });
  });

  it('seals a message and a file in the page, uploads only sealed boxes, shows the codename, and logs no address', async () => {
    const logBefore = server!.out().length;
    const page = await session.newPage();
    await page.goto(`${server!.dropUrl}/`);
    await page.getByRole('heading', { name: en.title }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/drop/');
    // the page's language and the codename's word list are the source's choice
    await page.getByLabel(STRINGS.en.language).selectOption('be');
    await page.getByRole('heading', { name: STRINGS.be.title }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByLabel(STRINGS.be.listLatin).check();
    await page.getByLabel(STRINGS.be.message).fill(MESSAGE);
    await page.getByLabel(STRINGS.be.files).setInputFiles({ name: FILE_NAME, mimeType: 'text/plain', buffer: Buffer.from(FILE_TEXT) });
    await page.getByRole('button', { name: STRINGS.be.send }).click();
    await page.getByText(STRINGS.be.sent).waitFor({ timeout: 60_000 });
    codename = (await page.locator('#shown-codename').textContent())!.trim();
    // seven words of the Latin list, the one chosen
    expect(codename).toMatch(/^[a-z]+( [a-z]+){6}$/);
    expect(codename.split(' ').every((w) => WORDLIST_LATIN.includes(w))).toBe(true);
    expect(await accessibilityViolations(page)).toEqual([]);

    // the store: the database file and every blob hold neither the message, the file, its name nor the codename
    const needles = [MESSAGE, 'QX-drop-page-message-4417', FILE_TEXT, 'QX-drop-page-file-9023', FILE_NAME, codename, codename.split(' ').slice(0, 2).join(' ')];
    const stored = filesUnder(install.dataDir);
    expect(stored.some((f) => /\.db$/.test(f))).toBe(true);
    for (const f of stored) {
      const body = readFileSync(f).toString('latin1');
      for (const n of needles) expect(body.includes(n), `${n} in ${f}`).toBe(false);
    }
    // the drop's log lines were written, and none holds the caller
    const log = dropLog(server!.out(), logBefore);
    expect(log).toMatch(/drop request/);
    for (const n of ['127.0.0.1', 'remoteAddress', 'remotePort', 'user-agent', 'HeadlessChrome', 'Chrome/']) expect(log.includes(n), `${n} in the log:\n${log}`).toBe(false);
    expectNoProblems(session);
  }, 120_000);

  it('cannot be opened by a sealed server; staff open it after unsealing, take the file in (custody begins) and reply', async () => {
    await server!.stop();
    server = await start(install.env, dropPort);
    // started again, the server is sealed: nothing of the drop can be opened until an unseal
    expect(server.out()).toMatch(/vault is SEALED/);
    await unseal(server.url);
    const staff = await apiSession(server.url, 'drop-hanna');
    const queue = await staff.get<{ submissions: { id: string; files: { id: string }[] }[] }>('/api/v1/drop/queue');
    expect(queue.submissions).toHaveLength(1);
    const sub = queue.submissions[0]!;
    const opened = await staff.call('POST', `/api/v1/drop/submissions/${sub.id}/open`);
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
    expect(opened.body.message).toEqual({ v: 1, text: MESSAGE, files: [{ name: FILE_NAME, type: 'text/plain' }] });
    const taken = await staff.call('POST', `/api/v1/drop/files/${sub.files[0]!.id}/evidence`, {});
    expect(taken.status, JSON.stringify(taken.body)).toBe(201);
    const custody = (await staff.call('GET', `/api/v1/evidence/${taken.body.evidence}/custody`)).body as { events: { action?: string; body?: { action: string } }[] };
    expect(custody.events.map((e) => e.body?.action ?? e.action)[0]).toBe('evidence.acquire');
    const replied = await staff.call('POST', `/api/v1/drop/submissions/${sub.id}/replies`, { text: REPLY });
    expect(replied.status, JSON.stringify(replied.body)).toBe(201);
    // the reply is stored sealed
    for (const f of filesUnder(install.dataDir)) expect(readFileSync(f).toString('latin1').includes('QX-drop-page-reply-5150'), f).toBe(false);
  }, 120_000);

  it('lets the source come back with the codename, typed in capitals with odd spacing, and read the reply in the page', async () => {
    const logBefore = server!.out().length;
    const page = await session.newPage();
    await page.goto(`${server!.dropUrl}/drop/`);
    await page.getByRole('button', { name: en.backTab }).click();
    // a wrong codename: a clear answer, nothing found
    await page.getByLabel(en.typeCodename).fill('one two three');
    await page.getByRole('button', { name: en.read }).click();
    await page.getByRole('alert').filter({ hasText: en.wordCount(3) }).waitFor();
    await page.getByLabel(en.typeCodename).fill(`  ${codename.toUpperCase().split(' ').join(' ,  ')} `);
    await page.getByRole('button', { name: en.read }).click();
    await page.locator('.reply').filter({ hasText: REPLY }).waitFor({ timeout: 60_000 }).catch(async (e) => {
      throw new Error(`${String(e)}\nthe page: ${await page.locator('main').innerText()}`);
    });
    await page.getByText(en.submissions(1)).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    const log = dropLog(server!.out(), logBefore);
    expect(log).toMatch(/drop request/);
    for (const n of ['127.0.0.1', 'remoteAddress', 'user-agent', 'HeadlessChrome']) expect(log.includes(n), `${n} in the log:\n${log}`).toBe(false);
    // every request of the page went to the drop listener (expectNoProblems checks other origins too)
    const dropOrigin = new URL(server!.dropUrl).origin;
    expect(session.requests.filter((u) => !u.startsWith('blob:') && !u.startsWith('data:')).every((u) => new URL(u).origin === dropOrigin)).toBe(true);
    expectNoProblems(session);
  }, 120_000);
});
