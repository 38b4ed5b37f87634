import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The web app's message catalogs as the browser tests read them: every area file of a language
 * (web/src/i18n/<lang>/*.json) merged, as web/src/i18n/index.ts merges them in the app. Tests
 * that need typed access to one area import its file directly (`…/i18n/en/core.json`).
 */
const DIR = join(import.meta.dirname, '..', '..', 'web', 'src', 'i18n');

export function catalog(lang: 'en' | 'be' | 'ru'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of readdirSync(join(DIR, lang)).filter((n) => n.endsWith('.json')).sort()) Object.assign(out, JSON.parse(readFileSync(join(DIR, lang, f), 'utf8')));
  return out;
}

const flat = (o: object, p = ''): [string, string][] =>
  Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' && v !== null ? flat(v, `${p}${k}.`) : [[`${p}${k}`, String(v)] as [string, string]]));

/**
 * English UI strings visible in a page meant to be in Belarusian (or `lang`): the English
 * catalogs' texts (between placeholders) that differ from that language's, searched for in the page's text.
 */
export function englishLeft(pageText: string, lang: 'be' | 'ru' = 'be'): string[] {
  const beValues = new Map(flat(catalog(lang)));
  const found = new Set<string>();
  for (const [key, text] of flat(catalog('en'))) {
    if (beValues.get(key) === text) continue;
    // "English" names the language in itself in the language switcher, on every page in every language
    if (text === 'English') continue;
    for (const piece of text.split(/\{\{[^}]*\}\}/).map((s) => s.trim().replace(/^[.,:;!?]+|[.,:;!?]+$/g, '').trim())) {
      if (piece.length >= 3 && /[a-z]/i.test(piece) && pageText.includes(piece)) found.add(`${key}: "${piece}"`);
    }
  }
  return [...found];
}
