import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The message catalogs of the web application: the same keys in be, ru and en, every key the code
 * uses present in each, no key left unused, plural forms as each language needs them, the same
 * placeholders in every translation, and no Belarusian or Russian text that is just the English.
 * Keys are found in the code as literals: t('a.b'), t("a.b"), i18nKey="a.b".
 */
const SRC = join(import.meta.dirname, '..');
const LANGS = ['en', 'be', 'ru'] as const;
const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

type Catalog = Record<string, string>;
function flatten(obj: Record<string, unknown>, prefix = '', out: Catalog = {}): Catalog {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object') flatten(v as Record<string, unknown>, key, out);
    else out[key] = String(v);
  }
  return out;
}
/** Each language's area files (i18n/<lang>/<area>.json), parsed. */
const areaFiles = Object.fromEntries(
  LANGS.map((l) => {
    const dir = join(SRC, 'i18n', l);
    const names = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
    return [l, Object.fromEntries(names.map((f) => [f, JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown>]))];
  }),
) as Record<(typeof LANGS)[number], Record<string, Record<string, unknown>>>;
const catalogs = Object.fromEntries(LANGS.map((l) => [l, flatten(Object.assign({}, ...Object.values(areaFiles[l])))])) as Record<(typeof LANGS)[number], Catalog>;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}
/** Code without its comments: a key named in a comment is not a use. */
const uncommented = (code: string) => code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/.*$/gm, '$1');
const sources = sourceFiles(SRC).map((file) => ({ file, code: uncommented(readFileSync(file, 'utf8')) }));
const used = new Set<string>();
for (const { code } of sources) {
  for (const m of code.matchAll(/\bt\(\s*(['"])([^'"]+)\1/g)) used.add(m[2]!);
  for (const m of code.matchAll(/\bi18nKey=\{?\s*(['"])([^'"]+)\1/g)) used.add(m[2]!);
}

/** Base keys of a catalog: `a.b_one`, `a.b_other` → `a.b`. */
const baseKeys = (c: Catalog) => new Set(Object.keys(c).map((k) => k.replace(PLURAL_SUFFIX, '')));
const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]!).sort();

describe('the message catalogs (be, ru, en)', () => {
  it('finds the keys the code uses (a sanity check of the scanner itself)', () => {
    expect(used.size).toBeGreaterThan(40);
    expect(used).toContain('signIn.submit');
    expect(used).toContain('signIn.error.locked');
  });

  it('uses literal keys only, so every use can be checked', () => {
    const dynamic = sources.flatMap(({ file, code }) => [...code.matchAll(/\bt\(\s*(?!['"])([^)\s][^)]{0,40})/g)].map((m) => `${file.slice(SRC.length)}: t(${m[1]}`));
    expect(dynamic).toEqual([]);
  });

  for (const lang of LANGS) {
    it(`${lang}: has every key the code uses, with the plural forms ${lang} needs`, () => {
      const c = catalogs[lang];
      const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
      const missing: string[] = [];
      for (const key of used) {
        if (key in c) continue;
        const forms = categories.map((cat) => `${key}_${cat}`);
        if (forms.some((f) => f in c)) missing.push(...forms.filter((f) => !(f in c)));
        else missing.push(key);
      }
      expect(missing).toEqual([]);
      // no plural form a language does not have (a leftover "few" in English, say)
      const extraForms = Object.keys(c).filter((k) => PLURAL_SUFFIX.test(k) && !categories.includes(PLURAL_SUFFIX.exec(k)![1] as Intl.LDMLPluralRule));
      expect(extraForms).toEqual([]);
      expect(Object.entries(c).filter(([, v]) => v.trim() === '').map(([k]) => k)).toEqual([]);
    });
  }

  it('has the same area files in every language, and each top-level key in one file only', () => {
    const en = Object.keys(areaFiles.en);
    expect(en).toContain('core.json');
    for (const lang of LANGS) {
      expect(Object.keys(areaFiles[lang]), lang).toEqual(en);
      const owner = new Map<string, string>();
      const twice: string[] = [];
      for (const [file, content] of Object.entries(areaFiles[lang]))
        for (const key of Object.keys(content)) {
          if (owner.has(key)) twice.push(`${lang}: "${key}" in ${owner.get(key)} and ${file}`);
          owner.set(key, file);
        }
      expect(twice).toEqual([]);
    }
  });

  it('has the same keys in every catalog', () => {
    const en = [...baseKeys(catalogs.en)].sort();
    for (const lang of LANGS) expect([...baseKeys(catalogs[lang])].sort(), lang).toEqual(en);
  });

  it('has no key the code does not use', () => {
    const unused = [...baseKeys(catalogs.en)].filter((k) => !used.has(k));
    expect(unused).toEqual([]);
  });

  it('keeps the same placeholders in every translation', () => {
    const wrong: string[] = [];
    for (const key of Object.keys(catalogs.en)) {
      const base = key.replace(PLURAL_SUFFIX, '');
      const expected = placeholders(catalogs.en[key]!);
      for (const lang of LANGS)
        for (const [k, v] of Object.entries(catalogs[lang]))
          if (k.replace(PLURAL_SUFFIX, '') === base && JSON.stringify(placeholders(v)) !== JSON.stringify(expected)) wrong.push(`${lang}:${k}`);
    }
    expect([...new Set(wrong)]).toEqual([]);
  });

  it('translates: no Belarusian or Russian text is the English one', () => {
    for (const lang of ['be', 'ru'] as const) {
      const copies = Object.entries(catalogs[lang]).filter(([k, v]) => /[a-z]{3}/i.test(v.replace(/\{\{[^}]*\}\}/g, '').replace(/\b(API|QR)\b/g, '')) && catalogs.en[k] === v);
      expect(copies.map(([k]) => k), lang).toEqual([]);
    }
  });
});
