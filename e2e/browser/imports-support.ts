import type { Page } from 'playwright-core';
import { cp1251 } from '../../src/modules/imports/lists/lists.test-support.js';
import { addUser, apiSession, cli, freshInstallation, launchBrowser, signInWithCode, startServer, type ApiClient, type AppServer, type BrowserSession } from './harness.js';

/** The list's columns, as a Belarusian coordinator's spreadsheet heads them. */
export const HEADER = ['Псеўданім', 'Прозвішча', 'Імя', 'Імя па бацьку', 'Дата нараджэння', 'Ролі'];

const FAMILY = ['Кавалёва', 'Ўсціновіч', 'Шыманская', 'Лапцевіч', 'Дзямідзенка', 'Гарбачэўская', 'Жураўлёў', 'Мікульчык', 'Пазнякевіч', 'Сцяпура'];
const GIVEN = ['Алена', 'Ігнат', 'Ядвіга', 'Зміцер', 'Марыля', 'Уладзіслаў', 'Францішка', 'Лявон', 'Агата', 'Язэп'];
const PATRONYMIC = ['Сяргееўна', 'Мікалаевіч', 'Антонаўна', 'Пятровіч', 'Іванаўна', 'Усеваладавіч', 'Пракопаўна', 'Адамавіч', 'Рыгораўна', 'Казіміравіч'];

/** Data rows (the header is row 1) with a problem: a role that is no term, a date that is none. */
export const BAD_ROLE_ROW = 7;
export const BAD_DATE_ROW = 16;

/**
 * 20 invented detainees as Excel saves "CSV" in a Belarusian locale: Windows-1251, semicolons,
 * CRLF. Two rows are wrong: row 7's role "Сведак" (no such term; "Сведка" is), row 16's birth date
 * 45.13.1990.
 */
export function detaineesCsv(): { bytes: Buffer; pseudonyms: string[] } {
  const lines = [HEADER.join(';')];
  const pseudonyms: string[] = [];
  for (let i = 0; i < 20; i++) {
    const row = i + 2;
    const pseudonym = `Затрыманы Н-${String(i + 1).padStart(2, '0')}`;
    pseudonyms.push(pseudonym);
    const born = row === BAD_DATE_ROW ? '45.13.1990' : `${String((i % 27) + 1).padStart(2, '0')}.${String((i % 12) + 1).padStart(2, '0')}.${1970 + i}`;
    const role = row === BAD_ROLE_ROW ? 'Сведак' : i % 3 === 0 ? 'Сведка' : 'Пацярпелы';
    lines.push([pseudonym, FAMILY[i % 10], GIVEN[(i * 3) % 10], PATRONYMIC[(i * 7) % 10], born, role].join(';'));
  }
  return { bytes: cp1251(lines.join('\r\n') + '\r\n'), pseudonyms };
}

/**
 * A fresh installation with one compartment (minsk-2020) and its coordinator Hanna, the server
 * running, and Hanna signed in in Chromium: what every import wizard's test starts from.
 */
export async function coordinatorSignedIn(): Promise<{ server: AppServer; session: BrowserSession; page: Page; api: ApiClient }> {
  const install = freshInstallation();
  addUser(install.env, 'chief', 'administrator', 'Старшыня Адміністратар');
  addUser(install.env, 'hanna', 'coordinator', 'Ганна Лявончык');
  for (const args of [
    ['compartment', 'create', 'minsk-2020'],
    ['compartment', 'add-member', 'minsk-2020', 'hanna', '--role', 'coordinator'],
  ]) {
    const r = cli(install.env, args);
    if (r.code !== 0) throw new Error(`letapis ${args.join(' ')}: ${r.err}`);
  }
  const server = await startServer(install);
  const api = await apiSession(server.url, 'hanna');
  const session = await launchBrowser(server.url);
  const page = await session.newPage();
  // the machine running the tests is shared and often loaded
  page.setDefaultTimeout(30_000);
  await signInWithCode(page, server.url, 'hanna', api.secret, 1);
  return { server, session, page, api };
}
