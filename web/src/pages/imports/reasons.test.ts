import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import beImports from '../../i18n/be/imports.json';
import beSearch from '../../i18n/be/search.json';
import enImports from '../../i18n/en/imports.json';
import enSearch from '../../i18n/en/search.json';
import { problemText, whereText } from './reasons';

/** The codes the server gives (src/modules/imports/problem-codes.ts), read from its source. */
const SERVER_CODES = [...readFileSync(join(import.meta.dirname, '..', '..', '..', '..', 'src', 'modules', 'imports', 'problem-codes.ts'), 'utf8').matchAll(/^ {2}'([a-z0-9-]+)',$/gm)].map((m) => m[1]!);

const labels = { vocabulary: (n: string) => (n === 'person-roles' ? 'Ролі асобы' : n), field: (n: string) => (n === 'kind' ? 'Від' : n) };

describe('an importer’s problem in the reader’s language', () => {
  let be: TFunction;
  let en: TFunction;
  beforeAll(async () => {
    const make = async (lng: string, resources: object[]) => {
      const i = i18next.createInstance();
      await i.init({ lng, resources: { [lng]: { translation: Object.assign({}, ...resources) } }, interpolation: { escapeValue: false } });
      return i.t;
    };
    be = await make('be', [beImports, beSearch]);
    en = await make('en', [enImports, enSearch]);
  });

  it('has a Belarusian sentence for every code the server gives, none of them the English one', () => {
    expect(SERVER_CODES.length).toBeGreaterThan(50);
    for (const code of SERVER_CODES) {
      const text = problemText(be, { reason: 'the server’s English', code, params: { vocabulary: 'person-roles', type: 'persons', max: 5, size: 9, min: 0, row: 3, message: 7, column: 2, values: 'a', fields: 'kind', end: 'kind', start: 'kind', key: 'note', action: 'pin_message', error: 'EACCES' } }, labels);
      expect(text, code).not.toBe('the server’s English');
      expect(text, code).not.toMatch(/\{\{|imports\./);
      expect(text, code).not.toBe(problemText(en, { reason: '', code, params: { vocabulary: 'person-roles' } }, labels));
    }
  });

  it('says vocabularies, record types, fields and numbers in the UI’s language, and the metadata.csv row', () => {
    expect(problemText(be, { reason: 'x', code: 'unknown-term', params: { vocabulary: 'person-roles' } }, labels)).toMatch(/^Няма такога тэрміна ў слоўніку «Ролі асобы»/);
    expect(problemText(be, { reason: 'x', code: 'unknown-term', params: { vocabulary: 'person-roles', position: 2, count: 3 } }, labels)).toMatch(/^Значэнне 2 з 3 — не тэрмін слоўніка «Ролі асобы»/);
    expect(problemText(be, { reason: 'x', code: 'record-not-found', params: { type: 'persons', row: 7 } }, labels)).toBe(
      `Няма запісу ў «${beSearch.search.types.persons}» з такім ідэнтыфікатарам, або вам нельга яго чытаць. (metadata.csv, радок 7)`,
    );
    expect(problemText(be, { reason: 'x', code: 'too-long', params: { max: 100000, field: 'kind' } }, labels)).toMatch(/^Від: Задоўгі тэкст \(ліміт знакаў: 100\s000\)\.$/);
    expect(problemText(be, { reason: 'x', code: 'service-message', params: { action: 'pin_message' } }, labels)).toMatch(/^Службовае паведамленне \(замацаванне паведамлення\)/);
    expect(problemText(be, { reason: 'x', code: 'described-twice', params: { row: 4 } }, labels)).toBe('Радок 4 ужо апісвае гэты файл: гэты радок не чытаецца.');
    const sexes = { female: 'жаночы', male: 'мужчынскі' } as Record<string, string>;
    const withValues = { ...labels, value: (field: string, v: string) => (field === 'sex' ? (sexes[v] ?? v) : v) };
    expect(problemText(be, { reason: 'x', code: 'not-an-allowed-value', field: 'sex', params: { values: 'female, male' } }, withValues)).toBe('Няма сярод дазволеных значэнняў: жаночы, мужчынскі.');
  });

  it('falls back to the server’s reason when the code is absent or unknown', () => {
    expect(problemText(be, { reason: 'date: the disk is full' }, labels)).toBe('date: the disk is full');
    expect(problemText(be, { reason: 'something new', code: 'a-code-of-a-newer-server' }, labels)).toBe('something new');
  });

  it('says where: messages, chats, rows and columns of metadata.csv; a path as it is', () => {
    expect(whereText(be, 'message 12')).toBe('паведамленне 12');
    expect(whereText(be, 'message 12 in chat 34')).toBe('паведамленне 12 у чаце 34');
    expect(whereText(be, 'chat 34')).toBe('чат 34');
    expect(whereText(be, 'metadata.csv row 4')).toBe('metadata.csv, радок 4');
    expect(whereText(be, 'metadata.csv column 7')).toBe('metadata.csv, слупок 7');
    expect(whereText(be, 'фота/…')).toBe('фота/…');
  });
});
