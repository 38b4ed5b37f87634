import { randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { can, type Actor } from '../../domain/policies.js';
import { subjectOf } from '../compartments/compartments.usecases.js';
import { openEvidenceContent, type EvidenceDeps } from '../evidence/evidence.usecases.js';
import { REDACTED_KIND } from '../redaction/redaction.usecases.js';
import { getStory, publishable, type StoriesDeps, type StoryView } from './stories.usecases.js';

/**
 * `letapis publish --out DIR` (docs/PUBLICATION.md): a static multilingual site of the stories that
 * may be published — per language an index, the story pages and an Atom feed, a language switch,
 * one style sheet; plain HTML and CSS, no script, no asset or link to another origin; media copied
 * from the chosen redacted derivatives only. The site is built whole beside DIR and put in its
 * place, so a story left out (its consent withdrawn) leaves no file behind. DIR must be absent,
 * empty or a site built before (it holds the marker file).
 */

export type PublishDeps = StoriesDeps & Pick<EvidenceDeps, 'blobs' | 'vault' | 'audit'>;

export interface PublishReport {
  published: { id: string; languages: string[] }[];
  refused: { id: string; reasons: string[] }[];
  /** Stories published before and now taken down (consent withdrawn, or no longer publishable). */
  removed: string[];
  /** Stories in compartments the acting account may not read: left out, neither built nor refused. */
  unreadable: number;
  files: number;
}

/** The file marking a folder as a site this command built (it holds the site's feed id). */
export const SITE_MARKER = '.letapis-site.json';

const MEDIA_EXT: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'audio/mpeg': 'mp3',
  'audio/ogg': 'ogg',
  'audio/wav': 'wav',
  'audio/mp4': 'm4a',
  'video/mp4': 'mp4',
  'video/webm': 'webm',
  'text/plain': 'txt',
};

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

function languageName(lang: string): string {
  try {
    return new Intl.DisplayNames([lang], { type: 'language' }).of(lang) ?? lang;
  } catch {
    return lang;
  }
}

const CSS = `body{font:1.05rem/1.6 Georgia,serif;max-width:42rem;margin:0 auto;padding:1rem;color:#1b1b1b;background:#fdfcf8}
nav{font-family:system-ui,sans-serif;font-size:.9rem;border-bottom:1px solid #ccc;padding-bottom:.5rem;margin-bottom:1rem}
nav a{margin-right:.8rem}a{color:#0b4f8a}h1{line-height:1.2}img,video{max-width:100%;height:auto}audio{width:100%}
ul.stories{list-style:none;padding:0}ul.stories li{margin:.6rem 0}footer{margin-top:2rem;font-size:.8rem;color:#555}
`;

function paragraphs(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${esc(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}

function page(lang: string, title: string, langs: string[], hrefOf: (l: string) => string, body: string, feedHref: string): string {
  const nav = langs.map((l) => (l === lang ? `<strong lang="${esc(l)}">${esc(languageName(l))}</strong>` : `<a lang="${esc(l)}" hreflang="${esc(l)}" href="${esc(hrefOf(l))}">${esc(languageName(l))}</a>`)).join(' ');
  return `<!doctype html>
<html lang="${esc(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${esc(title)}</title>
<link rel="stylesheet" href="${feedHref.replace(/feed\.atom$/, '')}../style.css">
<link rel="alternate" type="application/atom+xml" href="${esc(feedHref)}">
</head>
<body>
<nav aria-label="Languages">${nav}</nav>
<main>
${body}
</main>
</body>
</html>
`;
}

function atom(lang: string, feedId: string, stories: { story: StoryView; text: StoryView['texts'][number] }[], updated: string): string {
  const entries = stories
    .map(
      ({ story, text }) => `<entry>
<id>urn:uuid:${story.id}</id>
<title>${esc(text.title)}</title>
<updated>${esc(story.publishedAt ?? updated)}</updated>
<link rel="alternate" type="text/html" href="stories/${story.id}.html"/>
<content type="text">${esc(text.text)}</content>
</entry>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${esc(lang)}">
<id>urn:uuid:${feedId}</id>
<title>${esc(languageName(lang))}</title>
<updated>${updated}</updated>
<author><name>Letapis</name></author>
${entries}
</feed>
`;
}

function siteState(out: string): { feedIds: Record<string, string> } {
  if (!existsSync(out)) return { feedIds: {} };
  const entries = readdirSync(out);
  if (entries.length === 0) return { feedIds: {} };
  if (!entries.includes(SITE_MARKER)) throw new Error(`${out} is not empty and was not built by letapis publish: choose an empty or new folder`);
  const parsed = JSON.parse(readFileSync(join(out, SITE_MARKER), 'utf8')) as { feedIds?: Record<string, string> };
  return { feedIds: parsed.feedIds ?? {} };
}

/** Builds the site into `outDir`, replacing the site built there before. */
export async function publishSite(deps: PublishDeps, actor: Actor, outDir: string, now: Date = new Date()): Promise<PublishReport> {
  const out = resolve(outDir);
  const state = siteState(out);
  const subject = await subjectOf(deps.db, actor);
  const rows = await deps.db.selectFrom('stories').selectAll().orderBy('created_at').execute();
  const report: PublishReport = { published: [], refused: [], removed: [], unreadable: 0, files: 0 };
  const chosen: StoryView[] = [];
  const at = now.toISOString();
  for (const row of rows) {
    if (!can(subject, 'record.read', { compartmentId: row.compartment_id })) {
      report.unreadable++;
      continue;
    }
    const p = await publishable(deps, actor, row.id);
    if (p.ok) {
      chosen.push(await getStory(deps, actor, row.id));
      continue;
    }
    report.refused.push({ id: row.id, reasons: p.reasons });
    if (row.state === 'published') report.removed.push(row.id);
  }

  const staging = join(dirname(out), `.${randomUUID()}.publishing`);
  mkdirSync(staging, { recursive: true, mode: 0o755 });
  try {
    const write = (rel: string, text: string) => {
      const f = join(staging, rel);
      mkdirSync(dirname(f), { recursive: true });
      writeFileSync(f, text);
      report.files++;
    };
    const langs = [...new Set(chosen.flatMap((s) => s.texts.map((t) => t.language)))].sort();
    const feedIds: Record<string, string> = {};
    for (const l of langs) feedIds[l] = state.feedIds[l] ?? randomUUID();
    write('style.css', CSS);

    // media: the redacted derivatives chosen, checked again, under their own id
    const mediaOf = new Map<string, { file: string; mime: string }[]>();
    for (const s of chosen) {
      const list: { file: string; mime: string }[] = [];
      for (const m of s.media) {
        const { item, stream } = await openEvidenceContent(deps as EvidenceDeps, actor, m);
        if (item.derivativeKind !== REDACTED_KIND) {
          stream.destroy();
          throw new Error(`story ${s.id}: ${m} is not a redacted copy`);
        }
        const ext = MEDIA_EXT[item.mime ?? ''] ?? 'bin';
        const file = `media/${item.id}.${ext}`;
        mkdirSync(join(staging, 'media'), { recursive: true });
        await pipeline(stream, createWriteStream(join(staging, file)));
        report.files++;
        list.push({ file, mime: item.mime ?? 'application/octet-stream' });
      }
      mediaOf.set(s.id, list);
    }

    const mediaHtml = (m: { file: string; mime: string }) => {
      const src = `../../${m.file}`;
      if (m.mime.startsWith('image/')) return `<figure><img src="${esc(src)}" alt=""></figure>`;
      if (m.mime.startsWith('audio/')) return `<audio controls preload="none" src="${esc(src)}"></audio>`;
      if (m.mime.startsWith('video/')) return `<video controls preload="none" src="${esc(src)}"></video>`;
      return `<p><a href="${esc(src)}">${esc(m.file.slice(6))}</a></p>`;
    };

    const langsLinks = langs.map((l) => `<li><a lang="${esc(l)}" hreflang="${esc(l)}" href="${esc(l)}/index.html">${esc(languageName(l))}</a></li>`).join('\n');
    write(
      'index.html',
      `<!doctype html>
<html lang="${esc(langs[0] ?? 'en')}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Letapis</title>
<link rel="stylesheet" href="style.css">
</head>
<body>
<main>
<ul class="stories">
${langsLinks}
</ul>
</main>
</body>
</html>
`,
    );
    for (const l of langs) {
      const inLang = chosen.flatMap((s) => s.texts.filter((t) => t.language === l).map((text) => ({ story: { ...s, publishedAt: s.publishedAt ?? at }, text })));
      const list = inLang.map(({ story, text }) => `<li><a href="stories/${story.id}.html">${esc(text.title)}</a></li>`).join('\n');
      write(`${l}/index.html`, page(l, languageName(l), langs, (o) => `../${o}/index.html`, `<h1>${esc(languageName(l))}</h1>\n<ul class="stories">\n${list}\n</ul>\n<footer><a href="feed.atom">Atom</a></footer>`, 'feed.atom'));
      write(`${l}/feed.atom`, atom(l, feedIds[l]!, inLang, at));
      for (const { story, text } of inLang) {
        const others = story.texts.map((t) => t.language);
        const body = `<article>\n<h1>${esc(text.title)}</h1>\n${(mediaOf.get(story.id) ?? []).map(mediaHtml).join('\n')}\n${paragraphs(text.text)}\n</article>\n<footer><a href="../index.html">${esc(languageName(l))}</a></footer>`;
        write(`${l}/stories/${story.id}.html`, page(l, text.title, others, (o) => `../../${o}/stories/${story.id}.html`, body, '../feed.atom'));
      }
    }
    writeFileSync(join(staging, SITE_MARKER), `${JSON.stringify({ builtAt: at, feedIds }, null, 2)}\n`);

    // put the new site in place of the old one
    const old = join(dirname(out), `.${randomUUID()}.old`);
    if (existsSync(out)) renameSync(out, old);
    renameSync(staging, out);
    rmSync(old, { recursive: true, force: true });
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }

  // record what is published now, and what was taken down
  const ids = new Set(chosen.map((s) => s.id));
  for (const s of chosen) {
    const row = rows.find((r) => r.id === s.id)!;
    if (row.state !== 'published') {
      await deps.db.updateTable('stories').set({ state: 'published', published_at: row.published_at ?? at }).where('id', '=', s.id).execute();
      await deps.audit?.(deps.db, { action: 'story.publish', actorId: actor.userId, targetType: 'testimonies', targetId: row.testimony_id, details: { story: s.id, version: s.version, languages: s.texts.map((t) => t.language) } });
    }
    report.published.push({ id: s.id, languages: s.texts.map((t) => t.language) });
  }
  for (const id of report.removed) {
    if (ids.has(id)) continue;
    const row = rows.find((r) => r.id === id)!;
    const withdrawn = report.refused.find((r) => r.id === id)!.reasons.some((r) => r.includes('withdrew'));
    await deps.db.updateTable('stories').set({ state: withdrawn ? 'withdrawn' : 'draft' }).where('id', '=', id).execute();
    await deps.audit?.(deps.db, { action: 'story.unpublish', actorId: actor.userId, targetType: 'testimonies', targetId: row.testimony_id, details: { story: id, consentWithdrawn: withdrawn } });
  }
  return report;
}
