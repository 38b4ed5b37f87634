import { describe, expect, it } from 'vitest';
import { columnKey, guessMapping, mappableFields } from './imports.js';

const persons = [
  { name: 'pseudonym', kind: 'text', label: { en: 'Pseudonym', be: 'Псеўданім', ru: 'Псевдоним' } },
  { name: 'roles', kind: 'vocabList', label: { en: 'Roles', be: 'Ролі', ru: 'Роли' } },
  { name: 'identity', kind: 'identity', label: { en: 'Identity', be: 'Асоба', ru: 'Личность' } },
];

describe('the first mapping of a list', () => {
  it('offers an identity as its parts', () => {
    const names = mappableFields(persons).map((t) => t.name);
    expect(names).toContain('identity.familyName');
    expect(names).toContain('identity.residence-permit');
    expect(names).not.toContain('identity');
  });

  it('matches headers in Belarusian, Russian and English, ignoring case, spaces, punctuation and ё', () => {
    expect(guessMapping(['Псеўданім', 'Прозвішча', 'Імя', 'Імя па бацьку', 'Дата нараджэння', 'Ролі'], persons)).toEqual({
      'Псеўданім': 'pseudonym',
      'Прозвішча': 'identity.familyName',
      'Імя': 'identity.givenName',
      'Імя па бацьку': 'identity.patronymic',
      'Дата нараджэння': 'identity.birthDate',
      'Ролі': 'roles',
    });
    expect(guessMapping(['ФАМИЛИЯ', ' Отчество ', 'Дата рождения:', 'роли'], persons)).toEqual({ 'ФАМИЛИЯ': 'identity.familyName', ' Отчество ': 'identity.patronymic', 'Дата рождения:': 'identity.birthDate', 'роли': 'roles' });
    expect(guessMapping(['Surname', 'First name', 'Pseudonym', 'Comment'], persons)).toEqual({ Surname: 'identity.familyName', 'First name': 'identity.givenName', Pseudonym: 'pseudonym' });
  });

  it('gives a field to one column only, and names empty or repeated headers by position', () => {
    expect(guessMapping(['Прозвішча', 'Фамилия'], persons)).toEqual({ 'Прозвішча': 'identity.familyName' });
    expect(guessMapping(['', 'Ролі', 'Ролі'], persons)).toEqual({ '#2': 'roles' });
    expect(columnKey(['', 'Ролі', 'Ролі', 'Імя'], 0)).toBe('#1');
    expect(columnKey(['', 'Ролі', 'Ролі', 'Імя'], 2)).toBe('#3');
    expect(columnKey(['', 'Ролі', 'Ролі', 'Імя'], 3)).toBe('Імя');
  });
});
