import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import cases from '../../web/src/i18n/en/cases.json' with { type: 'json' };
import en from '../../web/src/i18n/en/core.json' with { type: 'json' };
import casesBe from '../../web/src/i18n/be/cases.json' with { type: 'json' };
import evidenceEn from '../../web/src/i18n/en/evidence.json' with { type: 'json' };
import { englishLeft } from './catalogs.js';
import { sha256Of } from './search-evidence-support.js';
import { choose, field, termLabelEn, waitUntilFound } from './cases-support.js';
import { accessibilityViolations, addUser, apiSession, cli, describeInBrowser, expectNoProblems, freshInstallation, launchBrowser, screenshot, signInWithCode, startServer, type ApiClient, type AppServer, type BrowserSession } from './harness.js';

const C = cases.cases;

/**
 * The case workspace in Chromium against the real server with the demo data: a coordinator opens
 * a case from the Cases list, adds an act and an evidence item (ingested with the CLI) by search,
 * qualifies the case as torture (crime against humanity) with two elements — one mapped to the
 * evidence, one left lacking proof — exports the case, follows the job, downloads the bundle in the
 * browser and checks it offline with `letapis verify`. A documenter sees no export at all.
 */
describeInBrowser('the case workspace in Chromium', () => {
  let server: AppServer;
  let session: BrowserSession;
  let page: Page;
  let api: ApiClient;
  let docApi: ApiClient & { secret: string };
  let caseId: string;
  let actId: string;
  let itemId: string;
  const files = mkdtempSync(join(tmpdir(), 'letapis-e2e-cases-'));

  beforeAll(async () => {
    const install = freshInstallation();
    addUser(install.env, 'chief', 'administrator', 'Chief Administrator');
    addUser(install.env, 'kasia', 'coordinator', 'Kasia Coordinator');
    addUser(install.env, 'dasha', 'documenter', 'Dasha Documenter');
    writeFileSync(join(files, 'statement.txt'), 'Written statement of a detainee about the corridor of Akrescina, August 2020.\n');
    for (const args of [
      ['compartment', 'create', 'minsk-2020'],
      ['compartment', 'add-member', 'minsk-2020', 'kasia', '--role', 'coordinator'],
      ['compartment', 'add-member', 'minsk-2020', 'dasha', '--role', 'documenter'],
      ['demo', '--as', 'kasia', '--compartment', 'minsk-2020'],
    ]) {
      const r = cli(install.env, args);
      if (r.code !== 0) throw new Error(`letapis ${args.join(' ')}: ${r.err}`);
    }
    const ingested = cli(install.env, ['ingest', join(files, 'statement.txt'), '--compartment', 'minsk-2020', '--as', 'kasia', '--note', 'Zebrafinch corridor statement', '--json']);
    if (ingested.code !== 0) throw new Error(`letapis ingest: ${ingested.err}`);
    itemId = (JSON.parse(ingested.out) as { files: { itemId: string }[] }).files[0]!.itemId;
    server = await startServer(install);
    const s = await apiSession(server.url, 'kasia');
    api = s;
    docApi = await apiSession(server.url, 'dasha');
    const event = (await api.call('GET', '/api/v1/events?limit=1')).body.items[0];
    const victim = (await api.call('GET', '/api/v1/persons?limit=1')).body.items[0];
    const actType = (await api.call('GET', '/api/v1/vocabularies/act-types')).body.terms[0].code;
    const act = await api.call('POST', '/api/v1/acts', { compartment: event.compartment, event: event.id, victim: victim.id, type: actType, statedReason: 'Zebrafinch corridor beating' });
    expect(act.status).toBe(201);
    actId = act.body.id;
    const created = await api.call('POST', '/api/v1/cases', { compartment: event.compartment, title: 'Akrescina corridor, August 2020', status: 'in-preparation' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    caseId = created.body.id;
    await waitUntilFound(api, 'acts', 'Zebrafinch*', actId);
    await waitUntilFound(api, 'evidence', 'Zebrafinch*', itemId);
    session = await launchBrowser(server.url);
    page = await session.newPage();
    page.setDefaultTimeout(20_000);
    await signInWithCode(page, server.url, 'kasia', s.secret, 1);
  }, 240_000);
  afterAll(async () => {
    await session?.close();
    await server?.stop();
    rmSync(files, { recursive: true, force: true });
  });
  afterEach(() => expectNoProblems(session));
  vi.setConfig({ testTimeout: 120_000 });

  it('opens the case from the Cases list and adds an act and an evidence item found by search', async () => {
    await page.getByRole('link', { name: en.nav.cases }).click();
    await page.getByRole('link', { name: 'Akrescina corridor, August 2020' }).click();
    await page.getByRole('link', { name: C.workspace }).click();
    await page.waitForURL((u) => u.pathname === `/cases/${caseId}`);
    await page.getByRole('heading', { name: C.acts.title }).waitFor();
    await page.getByRole('heading', { name: 'Akrescina corridor, August 2020', level: 1 }).waitFor();
    await page.getByText(C.acts.none).waitFor();
    await page.getByText(C.evidence.none).waitFor();

    await field(page, C.acts.add).fill('Zebrafinch');
    await page.getByRole('listbox').getByRole('option').first().click();
    await expect.poll(async () => (await api.call('GET', `/api/v1/cases/${caseId}`)).body.acts).toEqual([actId]);
    await page.getByTestId('case-acts').getByRole('listitem').first().waitFor();

    await field(page, C.evidence.add).fill('Zebrafinch');
    await page.getByRole('listbox').getByRole('option').first().click();
    await page.getByTestId('case-evidence').getByRole('link').first().waitFor();
    const linked = (await api.call('GET', `/api/v1/linked-evidence?type=cases&id=${caseId}`)).body.items as { id: string }[];
    expect(linked.map((x) => x.id)).toEqual([itemId]);
    await expect.poll(() => page.getByTestId('case-evidence').getByRole('listitem').count()).toBe(1);
    // named by its kind in the reader's language, its type and the start of its SHA-256
    await page.getByTestId('case-evidence').getByRole('link', { name: new RegExp(`^${C.category.text} · text/plain · [0-9a-f]{12}$`) }).waitFor();
    await page.evaluate('window.scrollTo(0, 0)');
    await screenshot(page, 'case-workspace');
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('qualifies the case with two elements of the crime: one proven by the evidence, one shown as lacking proof', async () => {
    const framework = await termLabelEn(api, 'legal-frameworks', 'rome-statute');
    const crime = await termLabelEn(api, 'crimes', 'rs-7-1-f');
    const severe = await termLabelEn(api, 'crime-elements', 'rs-7-1-f-1');
    const attack = await termLabelEn(api, 'crime-elements', 'rs-7-context-attack');
    await page.getByText(C.qualifications.none).waitFor();
    await choose(page, page, C.qualifications.frameworkLabel, framework);
    await choose(page, page, C.qualifications.crimeLabel, crime);
    await page.getByRole('button', { name: C.qualifications.submit }).click();
    const qualification = page.getByTestId('qualification');
    await qualification.getByRole('heading', { name: crime }).waitFor();
    await qualification.getByText(C.elements.none).waitFor();

    for (const element of [severe, attack]) {
      await choose(page, page, C.elements.addLabel, element);
      await page.getByRole('button', { name: C.elements.add }).click();
      await page.getByTestId('element').filter({ hasText: element }).waitFor();
    }
    // nothing mapped yet: both lack proof
    await page.getByTestId('elements-summary').filter({ hasText: '2 elements: 0 with proof, 2 lacking proof' }).waitFor();

    const severeRow = page.getByTestId('element').filter({ hasText: severe });
    await choose(page, severeRow, C.elements.mapEvidence.replace('{{element}}', severe));
    await severeRow.getByText(C.elements.supported_one.replace('{{count, number}}', '1')).waitFor();
    await page.getByTestId('elements-summary').filter({ hasText: '2 elements: 1 with proof, 1 lacking proof' }).waitFor();
    // how far it is proven, as the record's enum names it
    const types = (await api.call('GET', '/api/v1/record-types')).body.items as { name: string; fields: { name: string; valueLabels?: Record<string, { en: string }> }[] }[];
    const proven = types.find((x) => x.name === 'qualification-elements')!.fields.find((f) => f.name === 'assessment')!.valueLabels!.proven!.en;
    await choose(page, severeRow, C.elements.assessment.replace('{{element}}', severe), proven);
    const attackRow = page.getByTestId('element').filter({ hasText: attack });
    await attackRow.getByText(C.elements.lacksProof, { exact: true }).waitFor();
    expect(await severeRow.getByText(C.elements.lacksProof, { exact: true }).count()).toBe(0);

    // the mapping is the evidence linked to the element, as the export reads it
    const quals = (await api.call('GET', `/api/v1/qualifications?case=${caseId}`)).body.items as { id: string; crime: string }[];
    expect(quals.map((q) => q.crime)).toEqual(['rs-7-1-f']);
    const elements = (await api.call('GET', `/api/v1/qualification-elements?qualification=${quals[0]!.id}`)).body.items as { id: string; element: string }[];
    const severeId = elements.find((e) => e.element === 'rs-7-1-f-1')!.id;
    await expect.poll(async () => (await api.call('GET', `/api/v1/qualification-elements/${severeId}`)).body.assessment).toBe('proven');
    const onElement = (await api.call('GET', `/api/v1/linked-evidence?type=qualification-elements&id=${severeId}`)).body.items as { id: string }[];
    expect(onElement.map((x) => x.id)).toEqual([itemId]);
    await page.evaluate('window.scrollTo(0, 0)');
    await screenshot(page, 'case-elements');
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('exports the case, follows the job, downloads the bundle in the browser, and the bundle verifies offline', async () => {
    await page.getByRole('button', { name: C.export.start }).click();
    const download = page.getByRole('link', { name: C.export.download });
    await download.waitFor({ timeout: 90_000 });
    await page.getByText(C.export.sha256).waitFor();
    // one act, the case, a qualification and its two elements; the one evidence item with its custody
    await page.getByTestId('export-summary').filter({ hasText: /In the bundle: records \d+, evidence items 1, custody events \d+\./ }).waitFor();
    await page.evaluate('window.scrollTo(0, 0)');
    await screenshot(page, 'case-export');
    expect(await accessibilityViolations(page)).toEqual([]);

    const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
    const bundle = join(files, 'case.zip');
    await file.saveAs(bundle);
    const exports = (await api.call('GET', `/api/v1/cases/${caseId}/exports`)).body.items as { state: string; sha256: string; size: number }[];
    expect(exports[0]!.state).toBe('done');
    expect(statSync(bundle).size).toBe(exports[0]!.size);
    expect(sha256Of(bundle)).toBe(exports[0]!.sha256);
    await expect(page.getByText(exports[0]!.sha256)).toBeTruthy();

    // checked as a recipient would, with the log's verifier key given to them
    const key = cli(server.env, ['ledger', 'key']);
    expect(key.code, key.err).toBe(0);
    const verified = cli(server.env, ['verify', bundle, '--trust', key.out.trim()]);
    expect(verified.code, `${verified.out}\n${verified.err}`).toBe(0);
  });

  it('shows a documenter the case without any export, in Belarusian with no English left', async () => {
    const other = await session.newPage();
    other.setDefaultTimeout(20_000);
    await signInWithCode(other, server.url, 'dasha', docApi.secret, 1);
    await other.goto(`${server.url}/cases/${caseId}`);
    await other.getByRole('heading', { name: C.elements.title }).waitFor();
    await other.getByTestId('elements-summary').waitFor();
    // the API refuses case.export to documenters: the page offers nothing
    expect((await docApi.call('GET', `/api/v1/cases/${caseId}/exports`)).status).toBeGreaterThanOrEqual(403);
    expect(await other.getByRole('heading', { name: C.export.title }).count()).toBe(0);
    expect(await other.getByRole('button', { name: C.export.start }).count()).toBe(0);

    // in Belarusian: no English left in what the interface itself says (the case's title is the user's own text)
    await other.locator('header').getByLabel(en.header.language).selectOption('be');
    await other.getByRole('heading', { name: casesBe.cases.elements.title }).waitFor();
    await other.getByText(casesBe.cases.elements.lacksProof, { exact: true }).waitFor();
    const uiText = (await other.locator('main h2, main h3, main h4, main label, main button, main .mantine-Badge-label, main [data-testid="elements-summary"]').allInnerTexts()).join('\n');
    expect(englishLeft(uiText)).toEqual([]);
    expect(await accessibilityViolations(other)).toEqual([]);
    await other.close();
  });

  it('takes the evidence item out of the case after a question; the item stays and its custody records the removal', async () => {
    const U = evidenceEn.evidence.unlink;
    await page.goto(`${server.url}/cases/${caseId}`);
    const list = page.getByTestId('case-evidence');
    await list.getByRole('link').first().waitFor();
    await list.getByRole('button', { name: new RegExp(`^${U.button.replace('{{name}}', '')}`) }).click();
    const dialog = page.getByRole('dialog', { name: U.title });
    await dialog.getByText(U.body.split('{{name}}')[0]!).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'case-remove-evidence');
    await dialog.getByRole('button', { name: U.confirm }).click();
    await page.getByText(C.evidence.none).waitFor();
    const left = (await api.call('GET', `/api/v1/linked-evidence?type=cases&id=${caseId}`)).body;
    expect(left.items, JSON.stringify(left)).toEqual([]);
    // the item is still there, and its chain of custody ends with the removal
    const custody = (await api.call('GET', `/api/v1/evidence/${itemId}/custody`)).body as { events: { action?: string; body?: { action: string } }[] };
    expect(custody.events.map((e) => e.body?.action ?? e.action)).toContain('evidence.unlink');
    await page.goto(`${server.url}/evidence/${itemId}`);
    await page.getByText(evidenceEn.evidence.custody.actions.unlink).first().waitFor();
  });
});
