import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Container } from '../../app/container.js';
import type { Actor } from '../../domain/policies.js';
import { makeActor } from '../../test-support/actors.js';
import { depsOf, describeEachDialect, openTestContainer } from '../../test-support/dialects.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import { createRecord, getRecord, updateRecord } from '../records/records.usecases.js';
import { reviewTranslation, saveTranslation } from '../translations/translations.usecases.js';
import { publishSite, SITE_MARKER, type PublishDeps } from './publish.js';
import { approveStory, createStory, getStory, updateStory } from './stories.usecases.js';
import { evidenceDeps } from '../../cli/ingest.js';
import { ingestEvidence } from '../evidence/evidence.usecases.js';
import { requestRedaction } from '../redaction/redaction.usecases.js';
import { runJobsUntilIdle } from '../../test-support/jobs.js';

/**
 * `letapis publish` (issue 9), on both engines: a story without consent, without a reviewed
 * translation or with one editor's approval is refused with its reason; one with all three is
 * built into a static site (per language an index, its page, an Atom feed that parses as XML; no
 * script, no reference to another origin); withdrawing consent removes it at the next build.
 */

function filesOf(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(dir, f)).isFile())
    .map((f) => relative(dir, join(dir, f)))
    .sort();
}

describeEachDialect('publish', (dialect) => {
  let c: Container;
  let deps: PublishDeps;
  let root: string;
  const a = {} as Record<'editor1' | 'editor2' | 'documenter' | 'translator' | 'translator2', Actor>;

  beforeAll(async () => {
    c = await openTestContainer(dialect);
    deps = { ...depsOf(c), blobs: c.blobs, vault: c.vault, audit: appendAuditEvent };
    root = mkdtempSync(join(tmpdir(), 'letapis-publish-'));
    a.editor1 = await makeActor(c.db, 'coordinator', 'pb-editor1');
    a.editor2 = await makeActor(c.db, 'coordinator', 'pb-editor2');
    a.documenter = await makeActor(c.db, 'documenter', 'pb-documenter');
    a.translator = await makeActor(c.db, 'translator', 'pb-translator');
    a.translator2 = await makeActor(c.db, 'translator', 'pb-translator2');
  });

  afterAll(async () => {
    await c?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  /** A witness, their testimony and a story in be and en; each condition given on request. */
  async function story(name: string, give: { consent?: boolean; reviewed?: boolean; editors?: number }) {
    const witness = (await createRecord(deps, a.editor1, 'persons', { pseudonym: `Witness ${name}` })).id;
    const testimony = (await createRecord(deps, a.editor1, 'testimonies', { title: `Interview ${name}`, interviewee: witness, language: 'be', transcript: `Расповед ${name}.` })).id;
    const consent = give.consent ? (await createRecord(deps, a.editor1, 'consents', { person: witness, scopes: ['publish-anonymously'], obtainedAt: '2025-02-01T10:00:00Z' })).id : null;
    const t = await saveTranslation(deps, a.translator, 'testimonies', testimony, 'transcript', 'en', undefined, { text: `Account ${name}.`, status: 'machine' });
    if (give.reviewed) await reviewTranslation(deps, a.translator2, 'testimonies', testimony, 'transcript', 'en', t.version);
    let s = await createStory(deps, a.documenter, {
      testimony,
      texts: [
        { language: 'be', title: `Гісторыя ${name}`, text: `Першы абзац ${name} <b>не тэг</b>.\n\nДругі абзац.` },
        { language: 'en', title: `Story ${name}`, text: `First paragraph of ${name} & more.` },
      ],
    });
    for (const e of [a.editor1, a.editor2].slice(0, give.editors ?? 0)) s = await approveStory(deps, e, s.id, s.version);
    return { id: s.id, consent };
  }

  it('refuses each unpublishable story with its reason, builds the others, and takes a story down when consent is withdrawn', async () => {
    const noConsent = await story('A', { reviewed: true, editors: 2 });
    const notReviewed = await story('B', { consent: true, editors: 2 });
    const oneEditor = await story('C', { consent: true, reviewed: true, editors: 1 });
    const ok = await story('D', { consent: true, reviewed: true, editors: 2 });
    const out = join(root, 'site');

    const r1 = await publishSite(deps, a.editor1, out);
    expect(r1.published).toEqual([{ id: ok.id, languages: ['be', 'en'] }]);
    const refused = new Map(r1.refused.map((x) => [x.id, x.reasons]));
    expect(refused.get(noConsent.id)).toEqual([expect.stringMatching(/^consent: the witness has not consented/)]);
    expect(refused.get(notReviewed.id)).toEqual(["translation: the transcript's translation into en is machine, not reviewed"]);
    expect(refused.get(oneEditor.id)).toEqual(['approvals: 1 of 2 different editors have approved this version']);

    const files = filesOf(out);
    expect(files).toEqual(
      [SITE_MARKER, 'index.html', 'style.css', 'be/index.html', 'be/feed.atom', `be/stories/${ok.id}.html`, 'en/index.html', 'en/feed.atom', `en/stories/${ok.id}.html`].sort(),
    );
    const be = readFileSync(join(out, `be/stories/${ok.id}.html`), 'utf8');
    expect(be).toContain('<h1>Гісторыя D</h1>');
    expect(be).toContain('&lt;b&gt;не тэг&lt;/b&gt;'); // text is escaped, never markup
    expect(be).toContain(`href="../../en/stories/${ok.id}.html"`); // the language switch
    expect(readFileSync(join(out, 'en/index.html'), 'utf8')).toContain(`<a href="stories/${ok.id}.html">Story D</a>`);
    for (const f of files) {
      const text = readFileSync(join(out, f), 'utf8');
      expect(text.toLowerCase(), f).not.toContain('<script');
      // the only absolute URL is the Atom namespace name, which is no reference to fetch
      expect(text.replace('xmlns="http://www.w3.org/2005/Atom"', '').match(/https?:\/\/|\/\/[a-z0-9]/i), f).toBeNull();
    }
    for (const l of ['be', 'en']) {
      const errors: string[] = [];
      const { DOMParser } = await loadXmlDom();
      const doc = new DOMParser({ onError: (level: string, msg: string) => void errors.push(`${level}: ${msg}`) } as any).parseFromString(readFileSync(join(out, `${l}/feed.atom`), 'utf8'), 'application/xml');
      expect(errors).toEqual([]);
      expect(doc.documentElement!.namespaceURI).toBe('http://www.w3.org/2005/Atom');
      const entries = doc.getElementsByTagName('entry');
      expect(entries.length).toBe(1);
      expect(entries[0]!.getElementsByTagName('id')[0]!.textContent).toBe(`urn:uuid:${ok.id}`);
    }
    expect((await c.db.selectFrom('stories').select('state').where('id', '=', ok.id).executeTakeFirstOrThrow()).state).toBe('published');
    expect(r1.unreadable).toBe(0);

    // an account that is no member of the compartment publishes none of its stories, and is told so
    const outsider = await makeActor(c.db, 'administrator', 'pb-outsider', null);
    const r0 = await publishSite(deps, outsider, join(root, 'outsider'));
    expect(r0).toMatchObject({ published: [], refused: [], removed: [], unreadable: 4 });
    rmSync(join(root, 'outsider'), { recursive: true });

    // the witness withdraws consent: the next build leaves the story out, and its files are gone
    const consent = await getRecord(deps, a.editor1, 'consents', ok.consent!);
    await updateRecord(deps, a.editor1, 'consents', ok.consent!, consent.version, { person: consent.person, scopes: consent.scopes, obtainedAt: consent.obtainedAt, withdrawnAt: '2025-07-01T00:00:00Z' });
    const r2 = await publishSite(deps, a.editor1, out);
    expect(r2.published).toEqual([]);
    expect(r2.removed).toEqual([ok.id]);
    expect(r2.refused.find((x) => x.id === ok.id)!.reasons).toEqual(['consent: the witness withdrew consent to publication']);
    expect(filesOf(out)).toEqual([SITE_MARKER, 'index.html', 'style.css']);
    expect(existsSync(join(out, 'be'))).toBe(false);
    expect((await c.db.selectFrom('stories').select('state').where('id', '=', ok.id).executeTakeFirstOrThrow()).state).toBe('withdrawn');
    expect(readdirSync(root)).toEqual(['site']); // no staging folder left
  });

  it('copies a story\'s redacted copy into the site, never the original', async () => {
    const ed = a.editor1;
    const original = (await ingestEvidence(evidenceDeps(c), ed, Readable.from([Buffer.from('Statement of Witness E: Ганна Выдуманая saw the van.\n', 'utf8')]), { filename: 'statement.txt' })).item.id;
    await runJobsUntilIdle(c);
    const req = await requestRedaction(evidenceDeps(c), a.documenter, original, { kind: 'text', spans: [{ start: 24, end: 39 }] });
    await runJobsUntilIdle(c);
    const job = await c.db.selectFrom('jobs').selectAll().where('id', '=', req.jobId).executeTakeFirstOrThrow();
    expect(job.state, String(job.last_error ?? '')).toBe('done');
    const derivative = JSON.parse(job.result).derivativeId as string;

    const s = await story('E', { consent: true, reviewed: true });
    // an original is refused as media
    await expect(updateStoryMedia(s.id, [original])).rejects.toThrow(/only redacted derivatives/);
    await updateStoryMedia(s.id, [derivative]);
    const out = join(root, 'with-media');
    const r = await publishSite(deps, ed, out);
    expect(r.published.map((p) => p.id)).toContain(s.id);
    const copied = readFileSync(join(out, `media/${derivative}.txt`), 'utf8');
    expect(copied).not.toContain('Ганна Выдуманая');
    expect(copied).toMatch(/^Statement of Witness E: \S.* saw the van\.\n$/);
    expect(existsSync(join(out, `media/${original}.txt`))).toBe(false);
    expect(readFileSync(join(out, `en/stories/${s.id}.html`), 'utf8')).toContain(`href="../../media/${derivative}.txt"`);
  }, 120_000);

  /** Sets a story's media, then has both editors approve it again. */
  async function updateStoryMedia(id: string, media: string[]) {
    const cur = await getStory(deps, a.documenter, id);
    let s = await updateStory(deps, a.documenter, id, cur.version, { testimony: cur.testimony, texts: cur.texts, media });
    for (const e of [a.editor1, a.editor2]) s = await approveStory(deps, e, s.id, s.version);
  }

  it('will not build into a folder it did not build', async () => {
    const dir = mkdtempSync(join(root, 'other-'));
    writeFileSync(join(dir, 'keep.txt'), 'mine');
    await expect(publishSite(deps, a.editor1, dir)).rejects.toThrow(/not built by letapis publish/);
    expect(readFileSync(join(dir, 'keep.txt'), 'utf8')).toBe('mine');
  });

  void dialect;
});

/**
 * @xmldom/xmldom, loaded untyped: its type declarations pull the DOM library into the whole Node
 * program (tsconfig.json's lib is ES2023 only), which breaks unrelated files' types.
 */
async function loadXmlDom(): Promise<{ DOMParser: new (opts?: unknown) => { parseFromString(text: string, type: string): any } }> {
  const specifier: string = '@xmldom/xmldom';
  return import(specifier);
}
