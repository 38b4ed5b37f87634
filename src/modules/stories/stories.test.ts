import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Container } from '../../app/container.js';
import type { Actor } from '../../domain/policies.js';
import { ConflictError, ForbiddenError, ValidationError } from '../../domain/errors.js';
import { makeActor } from '../../test-support/actors.js';
import { depsOf, describeEachDialect, openTestContainer } from '../../test-support/dialects.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import { createRecord, getRecord, updateRecord } from '../records/records.usecases.js';
import { reviewTranslation, saveTranslation } from '../translations/translations.usecases.js';
import { approveStory, createStory, getStory, publishable, updateStory, type StoriesDeps } from './stories.usecases.js';

/**
 * Stories for publication (issue 9), on both engines: a story refused for each missing condition
 * with its reason (consent for a publication scope, reviewed translations, two different editors),
 * publishable with all three; a change clearing approvals; consent withdrawn refusing it again;
 * its texts stored encrypted.
 */

const BE = 'Сведка Н. расказала пра ноч у пастарунку.';
const EN = 'Witness N. told of a night at the police station.';

describeEachDialect('stories for publication', (dialect) => {
  let c: Container;
  let deps: StoriesDeps;
  const a = {} as Record<'editor1' | 'editor2' | 'documenter' | 'translator' | 'translator2' | 'analyst', Actor>;
  let witness: string;
  let testimony: string;

  beforeAll(async () => {
    c = await openTestContainer(dialect);
    deps = { ...depsOf(c), audit: appendAuditEvent };
    a.editor1 = await makeActor(c.db, 'coordinator', 'st-editor1');
    a.editor2 = await makeActor(c.db, 'coordinator', 'st-editor2');
    a.documenter = await makeActor(c.db, 'documenter', 'st-documenter');
    a.translator = await makeActor(c.db, 'translator', 'st-translator');
    a.translator2 = await makeActor(c.db, 'translator', 'st-translator2');
    a.analyst = await makeActor(c.db, 'analyst', 'st-analyst');
    witness = (await createRecord(deps, a.editor1, 'persons', { pseudonym: 'Witness N-17' })).id;
    testimony = (await createRecord(deps, a.editor1, 'testimonies', { title: 'Interview N-17', interviewee: witness, language: 'be', transcript: `${BE} Поўнае імя: Ганна Выдуманая.` })).id;
  });

  afterAll(async () => {
    await c?.close();
  });

  const input = (extra: Record<string, unknown> = {}) => ({
    testimony,
    texts: [
      { language: 'be', title: 'Ноч у пастарунку', text: BE },
      { language: 'EN', title: 'A night at the station', text: EN },
    ],
    ...extra,
  });

  it('refuses a story for each missing condition with its reason, and allows it with all three', async () => {
    await expect(createStory(deps, a.analyst, input())).rejects.toBeInstanceOf(ForbiddenError);
    await expect(createStory(deps, a.documenter, input({ texts: [] }))).rejects.toBeInstanceOf(ValidationError);
    let story = await createStory(deps, a.documenter, input());
    expect(story.texts.map((t) => t.language)).toEqual(['be', 'en']);
    expect(story.state).toBe('draft');

    // stored encrypted: the text is in no column in clear
    const rows = await c.db.selectFrom('story_texts').selectAll().where('story_id', '=', story.id).execute();
    expect(JSON.stringify(rows)).not.toContain('Witness N.');
    expect(JSON.stringify(rows)).not.toContain('night at the station');

    let p = await publishable(deps, a.editor1, story.id);
    expect(p.ok).toBe(false);
    const reasons = (p as { reasons: string[] }).reasons;
    expect(reasons.some((r) => r.startsWith('consent:') && r.includes('not consented'))).toBe(true);
    expect(reasons).toContain("translation: the transcript's translation into en is missing");
    expect(reasons).toContain('approvals: 0 of 2 different editors have approved this version');
    expect(reasons.some((r) => r.includes(' be '))).toBe(false); // the testimony's own language needs no translation

    // consent for internal use only, or for a named recipient, is not consent to publish
    await createRecord(deps, a.editor1, 'consents', { person: witness, scopes: ['internal-use'], obtainedAt: '2025-01-02T10:00:00Z' });
    await createRecord(deps, a.editor1, 'consents', { person: witness, scopes: ['publish-anonymously'], recipient: 'Newspaper X', obtainedAt: '2025-01-02T10:00:00Z' });
    expect((await publishable(deps, a.editor1, story.id) as { reasons: string[] }).reasons.some((r) => r.startsWith('consent:'))).toBe(true);
    const consent = await createRecord(deps, a.editor1, 'consents', { person: witness, scopes: ['publish-anonymously'], obtainedAt: '2025-01-03T10:00:00Z', method: 'written' });
    p = await publishable(deps, a.editor1, story.id);
    expect((p as { reasons: string[] }).reasons.filter((r) => r.startsWith('consent:'))).toEqual([]);

    // a machine translation is not enough; reviewed by someone else it is
    const t = await saveTranslation(deps, a.translator, 'testimonies', testimony, 'transcript', 'en', undefined, { text: EN, status: 'machine' });
    expect((await publishable(deps, a.editor1, story.id) as { reasons: string[] }).reasons).toContain("translation: the transcript's translation into en is machine, not reviewed");
    await reviewTranslation(deps, a.translator2, 'testimonies', testimony, 'transcript', 'en', t.version);

    // one editor is not enough, and may not approve twice; a documenter is no editor
    await expect(approveStory(deps, a.documenter, story.id, story.version)).rejects.toBeInstanceOf(ForbiddenError);
    story = await approveStory(deps, a.editor1, story.id, story.version);
    await expect(approveStory(deps, a.editor1, story.id, story.version)).rejects.toBeInstanceOf(ConflictError);
    expect(await publishable(deps, a.editor1, story.id)).toEqual({ ok: false, consentWithdrawn: false, reasons: ['approvals: 1 of 2 different editors have approved this version'] });
    story = await approveStory(deps, a.editor2, story.id, story.version);
    expect(story.approvals.map((x) => x.editor)).toEqual(['st-editor1', 'st-editor2']);
    expect(await publishable(deps, a.editor1, story.id)).toEqual({ ok: true });

    // a transcript changed after the translation was reviewed makes the translation outdated
    const tm = await getRecord(deps, a.editor1, 'testimonies', testimony);
    await updateRecord(deps, a.editor1, 'testimonies', testimony, tm.version, { title: tm.title, interviewee: witness, language: 'be', transcript: `${tm.transcript} Дапоўнена.` });
    expect((await publishable(deps, a.editor1, story.id) as { reasons: string[] }).reasons).toEqual([
      'translation: the transcript changed since its translation into en was made: it must be translated and reviewed again',
    ]);
    const t2 = await saveTranslation(deps, a.translator, 'testimonies', testimony, 'transcript', 'en', t.version + 1, { text: `${EN} Added.`, status: 'draft' });
    await reviewTranslation(deps, a.translator2, 'testimonies', testimony, 'transcript', 'en', t2.version);
    expect(await publishable(deps, a.editor1, story.id)).toEqual({ ok: true });

    // a change after approval clears the approvals
    story = await updateStory(deps, a.documenter, story.id, story.version, input({ texts: [{ language: 'be', title: 'Ноч', text: BE }] }));
    expect(story.approvals).toEqual([]);
    expect(story.version).toBe(2);
    expect((await publishable(deps, a.editor1, story.id) as { reasons: string[] }).reasons).toEqual(['approvals: 0 of 2 different editors have approved this version']);
    await approveStory(deps, a.editor1, story.id, story.version);
    story = await approveStory(deps, a.editor2, story.id, story.version);
    expect(await publishable(deps, a.editor1, story.id)).toEqual({ ok: true });

    // withdrawing consent makes it unpublishable again, saying so
    const cur = await getRecord(deps, a.editor1, 'consents', consent.id);
    await updateRecord(deps, a.editor1, 'consents', consent.id, cur.version, { ...stripped(cur), withdrawnAt: '2025-06-01T09:00:00Z' });
    p = await publishable(deps, a.editor1, story.id);
    expect(p).toEqual({ ok: false, consentWithdrawn: true, reasons: ['consent: the witness withdrew consent to publication'] });
    expect((await getStory(deps, a.documenter, story.id)).texts[0]!.text).toBe(BE);
  });

  it('takes only redacted copies as media', async () => {
    await expect(createStory(deps, a.documenter, input({ media: ['0190f0f0-0000-7000-8000-000000000000'] }))).rejects.toThrow(/only redacted derivatives/);
  });

  void dialect;
});

function stripped(r: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ['person', 'scopes', 'recipient', 'obtainedAt', 'obtainedBy', 'method', 'notes']) if (r[k] !== undefined && r[k] !== null) out[k] = r[k];
  return out;
}
