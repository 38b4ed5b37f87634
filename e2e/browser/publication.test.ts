import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Container } from '../../src/app/container.js';
import { makeActor } from '../../src/test-support/actors.js';
import { depsOf, openTestContainer } from '../../src/test-support/dialects.js';
import { appendAuditEvent } from '../../src/modules/audit/audit.repository.js';
import { createRecord } from '../../src/modules/records/records.usecases.js';
import { reviewTranslation, saveTranslation } from '../../src/modules/translations/translations.usecases.js';
import { publishSite } from '../../src/modules/stories/publish.js';
import { approveStory, createStory } from '../../src/modules/stories/stories.usecases.js';
import { accessibilityViolations, CHROMIUM, CHROMIUM_ARGS, describeInBrowser } from './harness.js';

/**
 * The published site (issue 9, Voices) opened from its folder in Chromium: it reads without
 * script, switches language by its links, and asks for nothing outside the folder.
 */
describeInBrowser('the published site in a browser', () => {
  let c: Container;
  let browser: Browser;
  let root: string;
  let out: string;
  let storyId: string;

  beforeAll(async () => {
    c = await openTestContainer('sqlite');
    const deps = { ...depsOf(c), blobs: c.blobs, vault: c.vault, audit: appendAuditEvent };
    const [ed1, ed2, doc, tr1, tr2] = [
      await makeActor(c.db, 'coordinator', 'web-ed1'),
      await makeActor(c.db, 'coordinator', 'web-ed2'),
      await makeActor(c.db, 'documenter', 'web-doc'),
      await makeActor(c.db, 'translator', 'web-tr1'),
      await makeActor(c.db, 'translator', 'web-tr2'),
    ];
    const witness = (await createRecord(deps, ed1, 'persons', { pseudonym: 'Witness P-3' })).id;
    const testimony = (await createRecord(deps, ed1, 'testimonies', { title: 'Interview P-3', interviewee: witness, language: 'be', transcript: 'Расповед P-3.' })).id;
    await createRecord(deps, ed1, 'consents', { person: witness, scopes: ['publish-anonymously'], obtainedAt: '2025-02-01T10:00:00Z' });
    for (const lang of ['ru', 'en']) {
      const t = await saveTranslation(deps, tr1, 'testimonies', testimony, 'transcript', lang, undefined, { text: `Text P-3 (${lang}).` });
      await reviewTranslation(deps, tr2, 'testimonies', testimony, 'transcript', lang, t.version);
    }
    let s = await createStory(deps, doc, {
      testimony,
      texts: [
        { language: 'be', title: 'Ноч на Акрэсціна', text: 'Нас прывезлі ўначы.\n\nРаніцай адпусцілі.' },
        { language: 'ru', title: 'Ночь на Окрестина', text: 'Нас привезли ночью.' },
        { language: 'en', title: 'A night at Akrestsina', text: 'We were brought in at night.' },
      ],
    });
    s = await approveStory(deps, ed1, s.id, s.version);
    s = await approveStory(deps, ed2, s.id, s.version);
    storyId = s.id;
    root = mkdtempSync(join(tmpdir(), 'letapis-site-'));
    out = join(root, 'site');
    const report = await publishSite(deps, ed1, out);
    expect(report.published).toEqual([{ id: storyId, languages: ['be', 'en', 'ru'] }]);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    await c?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('reads from the folder without script, switches language, and requests nothing outside it', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const requests: string[] = [];
    context.on('request', (r) => void requests.push(r.url()));
    const page = await context.newPage();
    const base = pathToFileURL(out).href;

    await page.goto(`${base}/index.html`);
    await page.getByRole('link', { name: 'беларуская' }).click();
    await expect.poll(() => page.url()).toBe(`${base}/be/index.html`);
    await page.getByRole('link', { name: 'Ноч на Акрэсціна' }).click();
    expect(await page.locator('h1').textContent()).toBe('Ноч на Акрэсціна');
    expect(await page.locator('article p').count()).toBe(2);
    await page.getByRole('link', { name: 'English' }).click();
    await expect.poll(() => page.url()).toBe(`${base}/en/stories/${storyId}.html`);
    expect(await page.locator('h1').textContent()).toBe('A night at Akrestsina');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    // the style sheet applies (read from the folder)
    expect(await page.locator('body').evaluate((b) => (b.ownerDocument.defaultView as unknown as { getComputedStyle(e: unknown): { maxWidth: string } }).getComputedStyle(b).maxWidth)).not.toBe('none');
    await page.getByRole('link', { name: 'русский' }).click();
    expect(await page.locator('h1').textContent()).toBe('Ночь на Окрестина');

    expect(requests.length).toBeGreaterThan(4);
    expect(requests.filter((u) => !u.startsWith(`${base}/`))).toEqual([]);
    await context.close();

    // accessible (axe needs script: checked in a context of its own)
    const withScript = await browser.newContext();
    const p2 = await withScript.newPage();
    await p2.goto(`${base}/be/stories/${storyId}.html`);
    expect(await accessibilityViolations(p2)).toEqual([]);
    await withScript.close();
  });
});
