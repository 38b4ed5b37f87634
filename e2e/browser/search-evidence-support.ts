import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { totpCode } from '../../src/modules/users/users.test-support.js';
import { PASSWORD } from './harness.js';

/** Helpers of the search and evidence browser tests: an API client for set-up, sign-in with a code, media made by code. */

export interface ApiClient {
  call<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
}

/** Signs in over the API and enrols a second factor, as the account's phone app would; returns the secret too. */
export async function apiSession(url: string, username: string): Promise<ApiClient & { secret: string }> {
  const signIn = await fetch(`${url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
  if (signIn.status !== 200) throw new Error(`sign-in of ${username}: ${signIn.status} ${await signIn.text()}`);
  const cookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const csrf = ((await signIn.json()) as { csrfToken: string }).csrfToken;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, { method, headers: { cookie, 'x-csrf-token': csrf, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const begun = await call('POST', '/api/v1/account/totp', {});
  const secret = (begun.body as { secret: string }).secret;
  const confirmed = await call('POST', '/api/v1/account/totp/confirm', { code: totpCode(secret, 0) });
  if (confirmed.status !== 200) throw new Error(`TOTP enrolment: ${confirmed.status}`);
  return { call, secret };
}

/** A three-second test-pattern video (MPEG-4, 320 × 240, 10 fps), made by ffmpeg. */
export function makeVideo(path: string): void {
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', '-f', 'lavfi', '-i', 'testsrc=duration=3:size=320x240:rate=10', '-pix_fmt', 'yuv420p', path], { timeout: 60_000 });
}

export const sha256Of = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
