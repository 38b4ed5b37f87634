import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import core from '../../web/src/i18n/en/core.json' with { type: 'json' };
import recordsCatalog from '../../web/src/i18n/en/records.json' with { type: 'json' };
import { ENUM_LABELS, TYPE_LABELS, fieldLabel } from '../../src/modules/records/labels.js';
import { RECORD_TYPE_NAMES, type RecordTypeName } from '../../src/domain/records/fields.js';
import { choose, field, fuzzyDate } from './records-support.js';
import { englishLeft } from './catalogs.js';
import beRecords from '../../web/src/i18n/be/records.json' with { type: 'json' };
import { accessibilityViolations, addUser, cli, describeInBrowser, enrolTotp, expectNoProblems, freshInstallation, launchBrowser, PASSWORD, screenshot, signInWithCode, startServer, type AppServer, type BrowserSession } from './harness.js';

const en = recordsCatalog.records;
/** A field's name as the UI shows it in English (served by GET /api/v1/record-types from labels.ts). */
const L = (type: RecordTypeName, name: string) => fieldLabel(type, name)!.en;
const one = (type: RecordTypeName) => TYPE_LABELS[type].one[0];
const many = (type: RecordTypeName) => TYPE_LABELS[type].many[0];
const dateLabels = { precision: en.precision.label, value: en.precision.value };

/**
 * Records in Chromium: a documenter signs in with a second factor, creates an event, then an act
 * in it with methods from the vocabulary and a victim made on the spot, adds an alleged
 * perpetrator's involvement from the act's page, edits the act and reads the change in its
 * history, and sees a server validation error (an impossible date) at its field. Lists, forms and
 * detail pages pass axe-core. Screenshots: records-list, records-act-form, records-act-detail,
 * records-history.
 */
describeInBrowser('records in Chromium', () => {
  let server: AppServer;
  let session: BrowserSession;
  let secret: string;

  beforeAll(async () => {
    const install = freshInstallation();
    addUser(install.env, 'chief', 'administrator');
    addUser(install.env, 'ales', 'documenter', 'Ales Documenter');
    addUser(install.env, 'maryia', 'documenter', 'Maryia Documenter');
    for (const args of [['compartment', 'create', 'minsk-2020', '--description', 'Events of August 2020'], ['compartment', 'add-member', 'minsk-2020', 'ales', '--role', 'documenter'], ['compartment', 'add-member', 'minsk-2020', 'maryia', '--role', 'documenter']]) {
      const r = cli(install.env, args);
      if (r.code !== 0) throw new Error(`letapis ${args.join(' ')}: ${r.err}`);
    }
    server = await startServer(install);
    session = await launchBrowser(server.url);
    secret = await enrolTotp(server.url, 'ales');
  }, 120_000);
  afterAll(async () => {
    await session?.close();
    await server?.stop();
  });
  afterEach(() => expectNoProblems(session));
  vi.setConfig({ testTimeout: 120_000 });

  const main = (page: Page) => page.locator('main');

  it('a documenter records an event, an act with its victim and an alleged perpetrator, edits it and reads its history', async () => {
    const page = await session.newPage();
    await signInWithCode(page, server.url, 'ales', secret, 1);
    await page.getByRole('heading', { name: 'Welcome, Ales Documenter' }).waitFor();

    // Records in the navigation: every type of the catalog, grouped
    await page.getByRole('navigation', { name: core.nav.main }).getByRole('link', { name: core.nav.records }).click();
    await page.getByRole('heading', { name: en.title, level: 1 }).waitFor();
    await main(page).getByRole('link', { name: many('events') }).click();
    await page.getByRole('heading', { name: many('events'), level: 1 }).waitFor();
    await page.getByText(en.list.none.replace('{{type}}', many('events'))).waitFor();

    // ── an event, with a month for a date
    await page.getByRole('link', { name: en.list.new.replace('{{type}}', one('events')) }).click();
    await page.getByRole('heading', { name: en.form.newTitle.replace('{{type}}', one('events')) }).waitFor();
    await field(page, L('events', 'title')).fill('Night at Akrestsina');
    await choose(page, page, L('events', 'status'), ENUM_LABELS.alleged![0], 'all');
    await fuzzyDate(page, L('events', 'start'), en.precision.month, '2020-08', dateLabels);
    await page.getByRole('button', { name: en.form.create }).click();
    await page.getByRole('heading', { name: 'Night at Akrestsina', level: 1 }).waitFor();
    const eventUrl = page.url();
    await expect.poll(() => page.locator('td[data-field="start"]').innerText()).toBe('August 2020');

    // ── an act in that event, from the event's page: the event is filled in already
    await page.getByRole('button', { name: en.detail.addLinked }).click();
    await page.getByRole('menuitem', { name: `${one('acts')} (${L('acts', 'event')})` }).click();
    await page.getByRole('heading', { name: en.form.newTitle.replace('{{type}}', one('acts')) }).waitFor();
    await expect.poll(() => field(page, L('acts', 'event')).inputValue()).toBe('Night at Akrestsina');
    await choose(page, page, L('acts', 'type'), 'Beating', 'Beat');
    await choose(page, page, L('acts', 'methods'), 'Baton blows', 'Baton');
    await choose(page, page, L('acts', 'methods'), 'Kicking', 'Kick');
    // the victim does not exist yet: made on the spot, by pseudonym
    await page.getByRole('button', { name: en.picker.create.replace('{{type}}', one('persons')) }).first().click();
    const quick = page.getByRole('form', { name: en.picker.create.replace('{{type}}', one('persons')) });
    await field(quick, L('persons', 'pseudonym')).fill('Witness 7');
    await quick.getByRole('button', { name: en.picker.createSubmit }).click();
    await expect.poll(() => field(page, L('acts', 'victim')).inputValue()).toBe('Witness 7');
    await fuzzyDate(page, L('acts', 'start'), en.precision.day, '2020-08-11', dateLabels);
    // required fields are marked for everyone, not by colour alone
    await page.getByText(en.form.requiredNote).waitFor();
    await screenshot(page, 'records-act-form');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: en.form.create }).click();

    // ── the act's page: its victim, methods and event
    await page.getByRole('heading', { name: 'Beating', level: 1 }).waitFor();
    const actUrl = page.url();
    await page.locator('td[data-field="victim"]').getByRole('link', { name: 'Witness 7' }).waitFor();
    await page.locator('td[data-field="event"]').getByRole('link', { name: 'Night at Akrestsina' }).waitFor();
    await expect.poll(() => page.locator('td[data-field="methods"]').innerText()).toMatch(/^Baton blows\s+Kicking$/);
    await expect.poll(() => page.locator('td[data-field="start"]').innerText()).toBe('August 11, 2020');
    await page.getByText(en.involvements.none).waitFor();

    // ── an alleged perpetrator's involvement, from the act's page
    await page.getByRole('link', { name: en.involvements.addPerpetrator }).click();
    await page.getByRole('heading', { name: en.form.newTitle.replace('{{type}}', one('involvements')) }).waitFor();
    await expect.poll(() => field(page, L('involvements', 'act')).inputValue()).toBe('Beating');
    const perpetratorPicker = page.getByRole('button', { name: en.picker.create.replace('{{type}}', one('persons')) });
    await perpetratorPicker.first().click();
    const quick2 = page.getByRole('form', { name: en.picker.create.replace('{{type}}', one('persons')) });
    await field(quick2, L('persons', 'pseudonym')).fill('Officer K.');
    await quick2.getByRole('button', { name: en.picker.createSubmit }).click();
    await expect.poll(() => field(page, L('involvements', 'person')).inputValue()).toBe('Officer K.');
    await choose(page, page, L('involvements', 'degree'), 'Carried out', 'Carr');
    await choose(page, page, L('involvements', 'confidence'), ENUM_LABELS.medium![0], 'med');
    await page.getByRole('button', { name: en.form.create }).click();
    // back on the act's page, the perpetrator listed with their role
    await page.waitForURL(actUrl);
    const perpetrators = page.getByRole('table', { name: en.involvements.title });
    await perpetrators.getByRole('link', { name: 'Officer K.' }).waitFor();
    await perpetrators.getByText('Carried out').waitFor();
    await page.getByText(en.evidence.none).waitFor();
    // records pointing at the act are named in words, not codes: the involvement by its role
    await page.getByRole('list').getByRole('link', { name: 'Carried out' }).waitFor();
    await screenshot(page, 'records-act-detail');
    expect(await accessibilityViolations(page)).toEqual([]);

    // ── an edit, read back in the history as "field: old → new"
    await page.getByRole('link', { name: en.detail.edit }).click();
    await page.getByRole('heading', { name: new RegExp(`^${en.form.editTitle.replace('{{type}}', one('acts'))}`) }).waitFor();
    await field(page, L('acts', 'statedReason')).fill('Resisting arrest');
    await fuzzyDate(page, L('acts', 'start'), en.precision.estimate, '2020-08-11', dateLabels);
    await page.getByRole('button', { name: en.form.save }).click();
    await page.getByRole('heading', { name: 'Beating', level: 1 }).waitFor();
    const v2 = page.getByTestId('history-changes-2');
    await v2.waitFor();
    const lines = (await v2.getByRole('listitem').allInnerTexts()).map((l) => l.replace(/\s+/g, ' ').trim());
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${L('acts', 'statedReason')}: — → ${en.history.becomes} Resisting arrest$`)));
    expect(lines).toContainEqual(`${L('acts', 'start')}: August 11, 2020 → ${en.history.becomes} about August 11, 2020`);
    await expect.poll(() => page.locator('td[data-field="start"]').innerText()).toBe('about August 11, 2020');
    await screenshot(page, 'records-history');

    // ── the server refuses an impossible date: said at the field, in the UI's words
    await page.getByRole('link', { name: en.detail.edit }).click();
    await fuzzyDate(page, L('acts', 'end'), en.precision.day, '2020-02-30', dateLabels);
    await page.getByRole('button', { name: en.form.save }).click();
    const endGroup = page.getByRole('group', { name: new RegExp(`^${L('acts', 'end')}`) });
    await endGroup.getByRole('alert').filter({ hasText: en.problem.notADate }).waitFor();
    await page.getByText(en.form.fixProblems).waitFor();
    expect(page.url()).toMatch(/\/edit$/);
    await page.getByRole('link', { name: en.form.cancel }).click();
    await page.waitForURL(actUrl);

    // ── the list of acts: filtered by a method, a saved view
    await page.goto(`${server.url}/records/acts`);
    await page.getByRole('heading', { name: many('acts'), level: 1 }).waitFor();
    const table = page.getByRole('table', { name: many('acts') });
    await table.getByRole('link', { name: 'Beating' }).waitFor();
    await choose(page, page, L('acts', 'methods'), 'Kicking', 'Kick');
    await page.waitForURL(/methods=kicking/);
    await table.getByRole('link', { name: 'Beating' }).waitFor();
    await page.getByRole('button', { name: en.views.save }).click();
    await page.getByLabel(new RegExp(`^${en.views.name}`)).fill('Kicking in August');
    await page.getByRole('button', { name: en.views.saveSubmit }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: en.views.open }).click();
    await page.getByRole('menuitem', { name: 'Kicking in August', exact: true }).waitFor();
    await page.locator('h1').click();
    await page.getByRole('menu').waitFor({ state: 'detached' });
    await screenshot(page, 'records-list');
    expect(await accessibilityViolations(page)).toEqual([]);
    // the event's page lists the act as a record referring to it
    await page.goto(eventUrl);
    await page.getByRole('heading', { name: en.detail.linkedFrom }).waitFor();
    await main(page).getByRole('link', { name: 'Beating' }).waitFor();

    // ── a person is shown by pseudonym, the identity left to its own panel; deleting one still referred to is refused, and said so
    await page.goto(actUrl);
    await page.getByRole('table', { name: en.involvements.title }).getByRole('link', { name: 'Officer K.' }).click();
    await page.getByRole('heading', { name: 'Officer K.', level: 1 }).waitFor();
    await page.getByText(en.identity.none).waitFor();
    await page.getByRole('button', { name: en.detail.delete }).click();
    await page.getByRole('dialog').getByRole('button', { name: en.detail.deleteConfirm }).click();
    await page.getByRole('dialog').getByRole('alert').filter({ hasText: en.detail.deleteReferenced }).waitFor();
    await page.getByRole('dialog').getByRole('button', { name: en.form.cancel, exact: true }).click();

    // ── in Belarusian: field names, codes and dates too, no English left on the pages
    await page.getByLabel(core.header.language).selectOption('be');
    const be = beRecords.records;
    const englishLabels = (type: RecordTypeName) =>
      [...Object.values(TYPE_LABELS).flatMap((t) => [t.one, t.many]), ...Object.values(ENUM_LABELS), ...['event', 'victim', 'type', 'methods', 'start', 'end', 'place', 'statedReason', 'consequences', 'victimStatus'].map((f) => [fieldLabel(type, f)!.en, fieldLabel(type, f)!.be])]
        .filter(([e, b]) => e !== b && e!.length >= 5)
        .map(([e]) => e!)
        .filter((e) => !['Resisting arrest', 'Night at Akrestsina'].some((mine) => mine.includes(e)));
    const noEnglish = async () => {
      // the page's own part (the header is the shell's), without what the documenter typed in English
      const text = ['Night at Akrestsina', 'Witness 7', 'Officer K.', 'Resisting arrest', 'minsk-2020'].reduce((t, mine) => t.split(mine).join(' '), await main(page).innerText());
      expect(englishLeft(text)).toEqual([]);
      expect(englishLabels('acts').filter((l) => new RegExp(`\\b${l.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(text))).toEqual([]);
    };
    await page.goto(actUrl);
    await page.getByRole('heading', { name: be.history.title }).waitFor();
    await page.locator('td[data-field="methods"]').getByText('Удары дубінкамі').waitFor();
    // Chromium has no Belarusian dates: digits only (web/src/i18n/format.ts)
    await expect.poll(() => page.locator('td[data-field="start"]').innerText()).toBe(be.date.about.replace('{{date}}', '11.08.2020'));
    await noEnglish();
    await page.goto(`${actUrl}/edit`);
    await page.getByRole('button', { name: be.form.save }).waitFor();
    await noEnglish();
    await page.goto(`${server.url}/records/acts`);
    await page.getByRole('table', { name: TYPE_LABELS.acts.many[1] }).waitFor();
    await noEnglish();
  });

  it('gives every record type of the catalog a list and a form, labelled and accessible', async () => {
    const page = await session.newPage();
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel(core.signIn.username).fill('maryia');
    await page.getByLabel(new RegExp(`^${core.signIn.password}`)).fill(PASSWORD);
    await page.getByRole('button', { name: core.signIn.submit }).click();
    await page.getByRole('heading', { name: 'Welcome, Maryia Documenter' }).waitFor();
    for (const type of RECORD_TYPE_NAMES) {
      await page.goto(`${server.url}/records/${type}/new`);
      await page.getByRole('heading', { name: en.form.newTitle.replace('{{type}}', one(type)) }).waitFor();
      await page.getByRole('button', { name: en.form.create }).waitFor();
      expect(await accessibilityViolations(page), `form of ${type}`).toEqual([]);
      await page.goto(`${server.url}/records/${type}`);
      await page.getByRole('heading', { name: many(type), level: 1 }).waitFor();
      await page.getByText(en.list.none.replace('{{type}}', many(type))).or(page.getByRole('table', { name: many(type) })).first().waitFor();
      expect(await accessibilityViolations(page), `list of ${type}`).toEqual([]);
    }
    // a person's form leaves the identity to its own panel: the pseudonym only
    await page.goto(`${server.url}/records/persons/new`);
    await page.getByText(en.identity.formNote).waitFor();
    // an empty required field, said by the server at the field
    await page.getByRole('button', { name: en.form.create }).click();
    await page.getByText(en.problem.required).first().waitFor();
    await screenshot(page, 'records-person-form-required');
  });
});

