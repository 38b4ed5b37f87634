import { totpCode } from '../../src/modules/users/users.test-support.js';
import { addUser, cli, freshInstallation, PASSWORD } from './harness.js';

/** Helpers of the dashboard and views browser test: an installation with the demo data, an API session (sign-in with a code: harness.ts). */

/** A fresh installation where `vera` (coordinator, second factor required) has loaded the demo data into compartment "demo". */
export function demoInstallation(): ReturnType<typeof freshInstallation> {
  const install = freshInstallation();
  addUser(install.env, 'chief', 'administrator');
  addUser(install.env, 'vera', 'coordinator', 'Vera Analyst');
  addUser(install.env, 'nadia', 'analyst', 'Nadia Outsider'); // in no compartment: sees nothing
  for (const args of [
    ['compartment', 'create', 'demo', '--description', 'The invented demo data'],
    ['compartment', 'add-member', 'demo', 'vera', '--role', 'coordinator'],
    ['demo', '--as', 'vera', '--compartment', 'demo'],
  ]) {
    const r = cli(install.env, args);
    if (r.code !== 0) throw new Error(`letapis ${args.join(' ')}: ${r.err}${r.out}`);
  }
  return install;
}

export interface ApiSession {
  get<T>(path: string): Promise<T>;
  secret: string;
}

/** Signs in over the API and enrols a second factor, as the account's phone app would; the session then reads the API. */
export async function apiSession(url: string, username: string): Promise<ApiSession> {
  const signIn = await fetch(`${url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
  if (signIn.status !== 200) throw new Error(`sign-in of ${username}: ${signIn.status} ${await signIn.text()}`);
  const cookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const csrf = ((await signIn.json()) as { csrfToken: string }).csrfToken;
  const post = async (path: string, body: unknown) =>
    fetch(`${url}${path}`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const { secret } = (await (await post('/api/v1/account/totp', {})).json()) as { secret: string };
  const confirmed = await post('/api/v1/account/totp/confirm', { code: totpCode(secret, 0) });
  if (confirmed.status !== 200) throw new Error(`TOTP enrolment: ${confirmed.status}`);
  return {
    secret,
    async get<T>(path: string) {
      const res = await fetch(`${url}${path}`, { headers: { cookie, accept: 'application/json' } });
      if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    },
  };
}
