import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import core from '../../web/src/i18n/en/core.json' with { type: 'json' };
import beIntake from '../../web/src/i18n/be/intake.json' with { type: 'json' };
import intakeCatalog from '../../web/src/i18n/en/intake.json' with { type: 'json' };
import protectCatalog from '../../web/src/i18n/en/protect.json' with { type: 'json' };
import { englishLeft } from './catalogs.js';
import { accessibilityViolations, addUser, cli, describeInBrowser, expectNoProblems, freshInstallation, launchBrowser, PASSWORD, screenshot, startServer, type AppServer, type BrowserSession } from './harness.js';
import { apiCall, press, tabTo, TotpClock, typeInto } from './intake-support.js';

const en = intakeCatalog.intake;
const pr = protectCatalog.protect;
const fill = (s: string, v: Record<string, string | number>) => s.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(v[k]));

/**
 * Testimony intake and the protection of the person at the screen, in Chromium against the real
 * server, with the keyboard alone: consent first (nothing written before it), the Istanbul
 * Protocol's topics, the recording uploaded with tus, the proposed act confirmed and everything
 * checked through the API; revealing the witness's identity asks for a reason and is audited; quick
 * hide and the inactivity lock leave no sensitive text on the screen and need the password back.
 */
describeInBrowser('testimony intake and protecting the person at the screen', () => {
  let server: AppServer;
  let session: BrowserSession;
  let token: string; // the coordinator's, for set-up and checks
  let adminToken: string; // an administrator's, to read the audit log
  let clock: TotpClock;
  let page: Page;
  let audioDir: string;
  let audio: string;
  const writes: { method: string; path: string }[] = [];
  let placeId: string;

  beforeAll(async () => {
    const install = freshInstallation();
    addUser(install.env, 'halina', 'coordinator', 'Halina Coordinator');
    addUser(install.env, 'auditor', 'administrator');
    for (const args of [['compartment', 'create', 'minsk-2020', '--description', 'Events of August 2020'], ['compartment', 'add-member', 'minsk-2020', 'halina', '--role', 'coordinator']]) {
      const r = cli(install.env, args);
      if (r.code !== 0) throw new Error(`letapis ${args.join(' ')}: ${r.err}`);
    }
    const tokenOf = (user: string, scope: string) => {
      const r = cli(install.env, ['token', 'create', user, '--scope', scope, '--json']);
      if (r.code !== 0) throw new Error(`token for ${user}: ${r.err}`);
      return (JSON.parse(r.out) as { token: string }).token;
    };
    token = tokenOf('halina', 'write');
    adminToken = tokenOf('auditor', 'admin');
    audioDir = mkdtempSync(join(tmpdir(), 'letapis-intake-'));
    audio = join(audioDir, 'interview.ogg');
    execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=2', audio]);
    server = await startServer(install);
    session = await launchBrowser(server.url);

    // a place and a unit in the compartment, to pick from
    const place = await apiCall(server.url, token, 'POST', '/api/v1/places', { nameEn: 'Akrestsina detention centre, Minsk', nameBe: 'ЦІП на Акрэсціна, Мінск' });
    expect(place.status, JSON.stringify(place.body)).toBe(201);
    placeId = place.body.id;
    const unit = await apiCall(server.url, token, 'POST', '/api/v1/units', { nameEn: 'OMON of Minsk', nameBe: 'АМАП Мінска' });
    expect(unit.status, JSON.stringify(unit.body)).toBe(201);

    // halina's second factor, enrolled over the API as her phone app would have it
    const signIn = await fetch(`${server.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'halina', password: PASSWORD }) });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const headers = { cookie, 'x-csrf-token': ((await signIn.json()) as { csrfToken: string }).csrfToken, 'content-type': 'application/json' };
    const { secret } = (await (await fetch(`${server.url}/api/v1/account/totp`, { method: 'POST', headers, body: '{}' })).json()) as { secret: string };
    clock = new TotpClock(secret);
    const confirmed = await fetch(`${server.url}/api/v1/account/totp/confirm`, { method: 'POST', headers, body: JSON.stringify({ code: await clock.next() }) });
    expect(confirmed.status).toBe(200);

    page = await session.newPage();
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (r.method() !== 'GET' && url.pathname.startsWith('/api/')) writes.push({ method: r.method(), path: url.pathname });
    });
  }, 180_000);
  afterAll(async () => {
    await session?.close();
    await server?.stop();
    if (audioDir) rmSync(audioDir, { recursive: true, force: true });
  });
  afterEach(() => expectNoProblems(session));
  vi.setConfig({ testTimeout: 180_000 });

  /** Signs in with the keyboard: user name, Tab, password, Enter, then the code, Enter. */
  async function signInByKeyboard() {
    await page.goto(`${server.url}/sign-in`);
    await page.getByRole('heading', { name: core.signIn.title }).waitFor();
    await page.keyboard.type('halina');
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: core.signIn.codeTitle }).waitFor();
    await page.keyboard.type(await clock.next());
    await page.keyboard.press('Enter');
    await page.getByTestId('signed-in-as').waitFor();
  }

  /** The way back from a hidden or locked screen: password, then a code, by keyboard. */
  async function unlockByKeyboard() {
    await tabTo(page, page.getByLabel(pr.lock.password, { exact: false }).first());
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await tabTo(page, page.getByLabel(pr.lock.code).first());
    await page.keyboard.type(await clock.next());
    await page.keyboard.press('Enter');
    await page.locator('html:not([data-protect])').waitFor();
  }

  const stepHeading = (name: string) => page.getByRole('heading', { level: 2, name });
  const next = () => page.getByRole('button', { name: en.next, exact: true });
  async function nextStep(name: string) {
    await press(page, next(), 'Enter');
    await stepHeading(name).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
  }

  it('takes a testimony with the keyboard alone: consent first, the topics, the recording, the proposed act confirmed, all saved and linked', async () => {
    await signInByKeyboard();
    const signedInWrites = writes.length;
    // to the intake through the navigation
    await press(page, page.getByRole('link', { name: core.nav.intake }), 'Enter');
    await page.getByRole('heading', { level: 1, name: en.title }).waitFor();
    await stepHeading(en.steps.consent).waitFor();
    await page.getByText(fill(en.progress, { step: 1, total: 12, name: en.steps.consent })).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);

    // step 1: the witness by pseudonym, the real name only into the encrypted identity, consent per recipient
    await typeInto(page, page.getByRole('textbox', { name: en.consent.pseudonym }), 'Witness K., Homiel');
    await typeInto(page, page.getByRole('textbox', { name: en.consent.fullName }), 'Kaciaryna Kavaliova');
    await typeInto(page, page.getByRole('textbox', { name: en.consent.birthDate }), '1994');
    await press(page, page.getByRole('checkbox', { name: 'Use in investigations and judicial proceedings' }).first(), 'Space');
    await press(page, page.getByRole('button', { name: en.consent.addRecipient }), 'Enter');
    await typeInto(page, page.getByRole('textbox', { name: fill(en.consent.recipient, { number: 2 }) }), 'UN Special Rapporteur on Belarus');
    const second = page.getByRole('group', { name: fill(en.consent.scopes, { number: 2 }) });
    await press(page, second.getByRole('checkbox', { name: 'Sharing with UN bodies' }), 'Space');
    expect(await page.getByRole('checkbox', { name: 'Sharing with UN bodies' }).last().isChecked()).toBe(true);
    await screenshot(page, 'intake-consent');
    // nothing was written before consent is recorded
    expect(writes.slice(signedInWrites)).toEqual([]);
    await press(page, page.getByRole('button', { name: en.consent.record }), 'Enter');
    await stepHeading(en.steps.interview).waitFor();
    expect(writes.slice(signedInWrites).map((w) => `${w.method} ${w.path}`)).toEqual(['POST /api/v1/persons', 'POST /api/v1/consents', 'POST /api/v1/consents']);
    expect(await accessibilityViolations(page)).toEqual([]);

    // the interview
    await typeInto(page, page.getByRole('textbox', { name: en.interview.title }), 'Detention at Pushkinskaya, August 2020');
    await press(page, page.getByLabel(en.interview.language), 'ArrowDown'); // the first language: Belarusian
    expect(await page.getByLabel(en.interview.language).inputValue()).toBe('be');
    await nextStep(en.steps.before);
    await typeInto(page, page.getByRole('textbox', { name: en.before.label }), 'She was walking home from a peaceful march with two friends.');
    await nextStep(en.steps.incidents);

    // dates, times and places: one incident, approximate end
    await tabTo(page, page.getByLabel(fill(en.incidents.type, { number: 1 })));
    await page.keyboard.type('Torture');
    expect(await page.getByLabel(fill(en.incidents.type, { number: 1 })).inputValue()).toBe('torture');
    await typeInto(page, page.getByRole('textbox', { name: fill(en.incidents.start, { number: 1 }) }), '10.08.2020 23:15');
    await typeInto(page, page.getByRole('textbox', { name: fill(en.incidents.end, { number: 1 }) }), '13.08.2020');
    await press(page, page.getByRole('checkbox', { name: `${en.date.approx}: ${fill(en.incidents.end, { number: 1 })}` }), 'Space');
    await press(page, page.getByLabel(fill(en.incidents.place, { number: 1 })), 'ArrowDown');
    expect(await page.getByLabel(fill(en.incidents.place, { number: 1 })).inputValue()).toBe(placeId);
    await screenshot(page, 'intake-topics');
    await nextStep(en.steps.perpetrators);

    // who was involved and how they looked
    await press(page, page.getByRole('button', { name: en.perpetrators.add }), 'Enter');
    await typeInto(page, page.getByRole('textbox', { name: fill(en.perpetrators.label, { number: 1 }) }), 'Officer in a balaclava who gave orders');
    await typeInto(page, page.getByRole('textbox', { name: fill(en.perpetrators.appearance, { number: 1 }) }), 'Black uniform without insignia, balaclava, tall, about 30');
    await press(page, page.getByLabel(fill(en.perpetrators.unit, { number: 1 })), 'ArrowDown');
    await nextStep(en.steps.said);
    await typeInto(page, page.getByRole('textbox', { name: en.said.label }), 'He shouted: "You wanted change? Here it is."');
    await nextStep(en.steps.routine);
    await typeInto(page, page.getByRole('textbox', { name: en.routine.transport }), 'A prison van, face down on the floor.');
    await typeInto(page, page.getByRole('textbox', { name: en.routine.cell }), 'A cell for 4 with 36 women.');
    await nextStep(en.steps.methods);
    // a method by searching: type, the first match is chosen, Enter
    await tabTo(page, page.getByLabel(new RegExp(`^${fill(en.methods.forIncident, { name: '' })}`)).first());
    await page.keyboard.type('Baton');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab'); // away: the list closes
    await typeInto(page, page.getByRole('textbox', { name: en.methods.account }), 'Beaten with batons on the legs and back in the yard.');
    await nextStep(en.steps.injuries);
    await typeInto(page, page.getByRole('textbox', { name: en.injuries.injuries }), 'Bruises on the thighs and back for three weeks.');
    await nextStep(en.steps.witnesses);
    await typeInto(page, page.getByRole('textbox', { name: en.witnesses.label }), 'Two friends held in the same cell.');
    await nextStep(en.steps.recording);

    // the recording, chosen with the keyboard, sent with tus
    const chooser = page.waitForEvent('filechooser');
    await press(page, page.getByRole('button', { name: new RegExp(en.recording.file) }).first(), 'Enter');
    await (await chooser).setFiles(audio);
    await page.getByText(en.recording.done).waitFor({ timeout: 30_000 });
    const sha = (await page.locator('code').first().textContent())!.trim();
    expect(sha).toBe(execFileSync('sha256sum', [audio]).toString().split(' ')[0]);
    // nothing about the interview stays in the browser's storage
    expect(await page.evaluate('localStorage.length + sessionStorage.length')).toBe(0);

    // stepping back and forth loses nothing
    await press(page, page.getByRole('button', { name: en.back }), 'Enter');
    await stepHeading(en.steps.witnesses).waitFor();
    expect(await page.getByRole('textbox', { name: en.witnesses.label }).inputValue()).toBe('Two friends held in the same cell.');
    await nextStep(en.steps.recording);
    expect(await page.getByText(en.recording.done).isVisible()).toBe(true);
    expect(writes.some((w) => w.path === '/api/v1/testimonies')).toBe(false);

    // the review: the act proposed from the steps, the witness as victim, the perpetrator's involvement
    await nextStep(en.steps.review);
    const act = page.getByTestId('proposed-act');
    expect(await act.count()).toBe(1);
    expect(await page.getByLabel(fill(en.incidents.type, { number: 1 })).inputValue()).toBe('torture');
    expect(await page.getByRole('textbox', { name: fill(en.incidents.start, { number: 1 }) }).inputValue()).toBe('10.08.2020 23:15');
    await act.getByText('Witness K., Homiel').waitFor();
    await act.getByText('Officer in a balaclava who gave orders (OMON of Minsk)').waitFor();
    await act.getByText('Baton blows').waitFor();
    expect(await page.getByLabel(en.review.eventTitle).inputValue()).toBe('Detention at Pushkinskaya, August 2020');
    await screenshot(page, 'intake-review');
    await press(page, page.getByRole('button', { name: en.review.save }), 'Enter');
    await page.getByRole('heading', { level: 1, name: en.done.title }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    const testimonyId = (await page.getByTestId('testimony-id').textContent())!.trim();
    expect(await page.getByRole('link', { name: en.done.openTestimony }).getAttribute('href')).toBe(`/records/testimonies/${testimonyId}`);

    // what the server now holds
    const testimony = (await apiCall(server.url, token, 'GET', `/api/v1/testimonies/${testimonyId}`)).body;
    expect(testimony).toMatchObject({ title: 'Detention at Pushkinskaya, August 2020', language: 'be', mode: 'in-person' });
    // the transcript (stored encrypted) gathers every topic under its heading, in the witness's words
    for (const part of [`## ${en.steps.before}`, 'She was walking home', `## ${en.steps.said}`, 'You wanted change?', `## ${en.routine.cell}`, 'A cell for 4 with 36 women.', `## ${en.steps.witnesses}`])
      expect(testimony.transcript).toContain(part);
    expect(testimony.topics).toEqual(expect.arrayContaining(['circumstances-before', 'dates-and-times', 'perpetrators-identity', 'what-was-said', 'transport', 'detention-routine', 'methods', 'injuries-symptoms', 'witnesses']));
    expect(testimony.acts).toHaveLength(1);
    const witnessId: string = testimony.interviewee;
    const witness = (await apiCall(server.url, token, 'GET', `/api/v1/persons/${witnessId}`)).body;
    expect(witness).toMatchObject({ pseudonym: 'Witness K., Homiel', identity: null });
    expect(witness.hidden).toContain('identity');
    const consents = (await apiCall(server.url, token, 'GET', `/api/v1/consents?person=${witnessId}`)).body.items as { id: string; recipient: string | null; scopes: string[] }[];
    expect(consents.map((c) => [c.recipient, [...c.scopes].sort()]).sort()).toEqual([
      [null, ['internal-use', 'judicial-use']],
      ['UN Special Rapporteur on Belarus', ['share-with-un-bodies']],
    ]);
    expect(consents.map((c) => c.id)).toContain(testimony.consent);
    const actRecord = (await apiCall(server.url, token, 'GET', `/api/v1/acts/${testimony.acts[0]}`)).body;
    expect(actRecord).toMatchObject({ victim: witnessId, type: 'torture', methods: ['batons'], event: testimony.event, place: placeId });
    expect(actRecord.start).toMatchObject({ precision: 'exact' });
    expect(actRecord.start.value).toMatch(/^2020-08-10T23:15:00/);
    expect(actRecord.end).toEqual({ value: '2020-08-13', precision: 'estimate' });
    expect(actRecord.links.incoming).toContainEqual(expect.objectContaining({ type: 'testimonies', id: testimonyId }));
    const involvements = (await apiCall(server.url, token, 'GET', `/api/v1/involvements?act=${actRecord.id}`)).body.items;
    expect(involvements).toHaveLength(1);
    expect(involvements[0]).toMatchObject({ degree: 'carried-out', basisNote: 'Officer in a balaclava who gave orders: Black uniform without insignia, balaclava, tall, about 30' });
    const perpetrator = (await apiCall(server.url, token, 'GET', `/api/v1/persons/${involvements[0].person}`)).body;
    expect(perpetrator).toMatchObject({ pseudonym: 'Officer in a balaclava who gave orders', roles: ['alleged-perpetrator'] });
    const evidence = (await apiCall(server.url, token, 'GET', '/api/v1/evidence')).body.items;
    expect(evidence).toHaveLength(1);
    expect(evidence[0].sha256).toBe(sha);
    const item = (await apiCall(server.url, token, 'GET', `/api/v1/evidence/${evidence[0].id}`)).body;
    expect(item.links.map((l: { targetType: string; targetId: string }) => `${l.targetType}/${l.targetId}`).sort()).toEqual([`acts/${actRecord.id}`, `testimonies/${testimonyId}`].sort());

    // revealing the witness's identity asks why, shows it for a while, and is audited with the reason
    await press(page, page.getByRole('button', { name: fill(pr.reveal.buttonFor, { name: 'Witness K., Homiel' }) }), 'Enter');
    const dialog = page.getByRole('dialog', { name: fill(pr.reveal.title, { name: 'Witness K., Homiel' }) });
    await dialog.waitFor();
    await press(page, dialog.getByRole('button', { name: pr.reveal.submit }), 'Enter');
    await dialog.getByText(pr.reveal.reasonRequired).waitFor(); // no reason: nothing asked of the server
    expect(writes.some((w) => w.path.endsWith('/reveal'))).toBe(false);
    await press(page, dialog.getByRole('radio', { name: pr.reveal.reasons.case }), 'Space');
    await typeInto(page, dialog.getByRole('textbox', { name: pr.reveal.details }), 'Submission to the prosecutor, case 2020/17');
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'reveal-reason');
    await press(page, dialog.getByRole('button', { name: pr.reveal.submit }), 'Enter');
    await page.getByTestId('revealed-identity').filter({ hasText: 'Kaciaryna Kavaliova' }).waitFor();
    const audit = (await apiCall(server.url, adminToken, 'GET', `/api/v1/audit?action=identity.reveal`)).body.items;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ targetType: 'persons', targetId: witnessId, reason: `${pr.reveal.reasons.case}: Submission to the prosecutor, case 2020/17` });
    await press(page, page.getByRole('button', { name: pr.reveal.hideNow }), 'Enter');
    expect(await page.innerText('body')).not.toContain('Kaciaryna Kavaliova');
  });

  it('quick hide: Escape twice blanks the screen to a neutral page, ends the session, and the way back asks for the password', async () => {
    await press(page, page.getByRole('button', { name: en.done.another }), 'Enter');
    await stepHeading(en.steps.consent).waitFor();
    await typeInto(page, page.getByRole('textbox', { name: en.consent.pseudonym }), 'Witness Z.');
    await typeInto(page, page.getByRole('textbox', { name: en.consent.fullName }), 'Zmitser Zialiony');
    // an Escape that closes an open list (its opener marked as Mantine's pickers mark it) is not half
    // of a quick hide: closing two pickers in a row must not blank the screen
    await page.evaluate(
      "(() => { const b = document.createElement('button'); b.id = 'open-list'; b.textContent = 'list'; b.setAttribute('aria-haspopup', 'listbox'); b.setAttribute('aria-expanded', 'true'); document.querySelector('main').append(b); })()",
    );
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await page.waitForTimeout(300);
    expect(await page.getByText(pr.neutral.text).count()).toBe(0);
    await page.evaluate("document.getElementById('open-list').remove()");
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await page.getByText(pr.neutral.text).waitFor();
    const text = await page.innerText('body');
    for (const secret of ['Zmitser Zialiony', 'Witness Z.', 'Halina', 'Letapis', en.title]) expect(text).not.toContain(secret);
    expect(await page.title()).toBe(pr.neutral.pageTitle);
    await screenshot(page, 'quick-hide');
    // the session ended on the server: the cookie opens nothing any more
    expect(await page.evaluate("fetch('/api/v1/session').then((r) => r.status)")).toBe(401);
    // back: a deliberate step, then the password and the code
    await press(page, page.getByRole('button', { name: pr.neutral.continue }), 'Enter');
    await page.getByRole('heading', { name: pr.lock.titleHidden }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await unlockByKeyboard();
    // nothing typed before was lost
    expect(await page.getByRole('textbox', { name: en.consent.fullName }).inputValue()).toBe('Zmitser Zialiony');
    expect(await page.evaluate("fetch('/api/v1/session').then((r) => r.status)")).toBe(200);
  });

  it('locks the screen after inactivity (set to 2 seconds for this test) and asks for the password again', async () => {
    await page.evaluate("localStorage.setItem('letapis.lockAfterSeconds', '2')");
    await page.reload();
    await page.getByTestId('signed-in-as').waitFor();
    await press(page, page.getByRole('link', { name: core.nav.intake }), 'Enter');
    await typeInto(page, page.getByRole('textbox', { name: en.consent.fullName }), 'Alena Sakalova');
    // no key, no mouse: locked within a few seconds
    await page.getByRole('heading', { name: pr.lock.titleIdle }).waitFor({ timeout: 10_000 });
    const text = await page.innerText('body');
    expect(text).not.toContain('Alena Sakalova');
    expect(text).not.toContain(en.title);
    expect(text).toContain(pr.lock.introIdle);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'session-lock');
    await page.evaluate("localStorage.removeItem('letapis.lockAfterSeconds')");
    await unlockByKeyboard();
    expect(await page.getByRole('textbox', { name: en.consent.fullName }).inputValue()).toBe('Alena Sakalova');
    expect(readFileSync(audio).length).toBeGreaterThan(0);
  });

  it('speaks Belarusian throughout: the interview steps and the vocabularies, with no English left', async () => {
    await page.getByLabel(core.header.language).selectOption('be');
    await page.getByRole('heading', { level: 1, name: beIntake.intake.title }).waitFor();
    await stepHeading(beIntake.intake.steps.consent).waitFor();
    // the consent scopes in the vocabulary's Belarusian
    await page.getByRole('checkbox', { name: 'Толькі для ўнутранага выкарыстання' }).first().waitFor();
    expect(englishLeft(await page.innerText('body'))).toEqual([]);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'intake-belarusian');
  });
});
