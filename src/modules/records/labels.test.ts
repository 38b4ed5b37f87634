import { describe, expect, it } from 'vitest';
import { RECORD_TYPES } from '../../domain/records/catalog.js';
import { ENUM_LABELS, TYPE_LABELS, fieldLabel } from './labels.js';

/** Every type, field and enum value of the record catalog has a name in en, be and ru (served by GET /api/v1/record-types). */
describe('record labels', () => {
  it('name every type, field and enum value in three languages, Belarusian and Russian not copied from English', () => {
    const missing: string[] = [];
    const copied: string[] = [];
    const check = (what: string, l: { en: string; be: string; ru: string } | readonly string[] | undefined) => {
      if (!l) return void missing.push(what);
      const [en, be, ru] = Array.isArray(l) ? l : [(l as any).en, (l as any).be, (l as any).ru];
      if (![en, be, ru].every((s) => typeof s === 'string' && s.trim())) missing.push(what);
      // a code like "A: …" or "BGN/PCGN" may share Latin letters; a word of English may not
      if (/[a-z]{3}/.test(String(be)) && be === en) copied.push(`${what} (be)`);
      if (/[a-z]{3}/.test(String(ru)) && ru === en) copied.push(`${what} (ru)`);
    };
    for (const def of RECORD_TYPES.values()) {
      check(`type ${def.name}`, TYPE_LABELS[def.name]?.one);
      check(`type ${def.name} (plural)`, TYPE_LABELS[def.name]?.many);
      for (const [name, f] of Object.entries(def.fields)) {
        check(`${def.name}.${name}`, fieldLabel(def.name, name));
        if ('values' in f) for (const v of f.values) check(`${def.name}.${name}=${v}`, ENUM_LABELS[v]);
      }
    }
    expect(missing).toEqual([]);
    expect(copied).toEqual([]);
  });
});
