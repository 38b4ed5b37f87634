import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import _sodium from 'libsodium-wrappers-sumo';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Container } from './container.js';
import { buildDropServer } from './drop-server.js';
import { buildServer } from './server.js';
import { generateCodename } from '../domain/drop/codename.js';
import { sourceKeyPair, sourceToken, type DropSodium } from '../domain/drop/source-keys.js';
import { makeActor } from '../test-support/actors.js';
import { describeEachDialect, openTestContainer } from '../test-support/dialects.js';
import { createToken } from '../modules/users/users.usecases.js';

const CLIENT = '203.0.113.77'; // TEST-NET-3: the address the drop must never write down
const AGENT = 'Mozilla/5.0 (Letapis drop test; ZX-agent-55)';

function multipart(fields: Record<string, string>, files: { name: string; data: Uint8Array }[]) {
  const boundary = `----drop${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const f of files)
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.name}"; filename="blob"\r\nContent-Type: application/octet-stream\r\n\r\n`), Buffer.from(f.data), Buffer.from('\r\n'));
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describeEachDialect('drop listener', (dialect) => {
  let c: Container;
  let drop: FastifyInstance;
  let staff: FastifyInstance;
  let log = '';
  let coordinatorToken: string;

  beforeAll(async () => {
    await _sodium.ready;
    c = await openTestContainer(dialect);
    const sink = new Writable({ write: (chunk, _enc, done) => ((log += String(chunk)), done()) });
    drop = await buildDropServer(c, { logger: { level: 'trace' }, logStream: sink });
    staff = await buildServer(c);
    const coordinator = await makeActor(c.db, 'coordinator', 'dl-olga');
    coordinatorToken = (await createToken(c.db, coordinator.username)).token;
  }, 60_000);

  afterAll(async () => {
    await drop?.close();
    await staff?.close();
    await c?.close();
  });

  const ask = (opts: { method: 'GET' | 'POST'; url: string; payload?: any; headers?: Record<string, string> }) =>
    drop.inject({ ...opts, remoteAddress: CLIENT, headers: { 'user-agent': AGENT, 'x-forwarded-for': '198.51.100.9', cookie: 'letapis_session=x', ...opts.headers } });

  it('serves the drop: a source submits, staff reply, the source reads the reply — and no address, agent or cookie is kept', async () => {
    const web = _sodium as unknown as DropSodium;
    const info = await ask({ method: 'GET', url: '/drop/api/info' });
    expect(info.statusCode, info.body).toBe(200);
    expect(info.headers['set-cookie']).toBeUndefined();
    expect(info.headers['cache-control']).toBe('no-store');
    const { publicKey, salt, lists } = info.json();
    expect(lists).toEqual(['en', 'latin']);
    const org = Buffer.from(publicKey, 'base64');
    const s = Buffer.from(salt, 'base64');
    const codename = generateCodename('en', (n) => _sodium.randombytes_buf(n));
    const kp = sourceKeyPair(web, codename, s);
    const token = Buffer.from(sourceToken(web, codename, s)).toString('base64');
    const body = multipart({ token, publicKey: Buffer.from(kp.publicKey).toString('base64') }, [
      { name: 'message', data: _sodium.crypto_box_seal(new TextEncoder().encode(JSON.stringify({ v: 1, text: 'see the file', files: [{ name: 'a.txt' }] })), org) },
      { name: 'file', data: _sodium.crypto_box_seal(new TextEncoder().encode('an invented list of names'), org) },
      { name: 'file', data: _sodium.crypto_box_seal(new TextEncoder().encode('a second invented file'), org) },
    ]);
    const sub = await ask({ method: 'POST', url: '/drop/api/submissions', ...body, headers: body.headers });
    expect(sub.statusCode, sub.body).toBe(201);
    expect(Object.keys(sub.json())).toEqual(['day']);

    const auth = { authorization: `Bearer ${coordinatorToken}` };
    const queue = await staff.inject({ method: 'GET', url: '/api/v1/drop/queue', headers: auth });
    expect(queue.statusCode, queue.body).toBe(200);
    expect(queue.json().submissions[0].files).toHaveLength(2);
    const id = queue.json().submissions[0].id;
    const opened = await staff.inject({ method: 'POST', url: `/api/v1/drop/submissions/${id}/open`, headers: auth });
    expect(opened.json().message.text).toBe('see the file');
    const rep = await staff.inject({ method: 'POST', url: `/api/v1/drop/submissions/${id}/replies`, headers: auth, payload: { text: 'Received, thank you.' } });
    expect(rep.statusCode, rep.body).toBe(201);

    const back = await ask({ method: 'POST', url: '/drop/api/come-back', payload: { token } });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json().submissions).toEqual([{ day: sub.json().day, files: 2 }]);
    const reply = _sodium.crypto_box_seal_open(Buffer.from(back.json().replies[0].ciphertext, 'base64'), kp.publicKey, kp.privateKey);
    expect(new TextDecoder().decode(reply)).toBe('Received, thank you.');

    const wrong = await ask({ method: 'POST', url: '/drop/api/come-back', payload: { token: randomBytes(32).toString('base64') } });
    expect(wrong.statusCode).toBe(404);

    // a fault is logged (the log is on and works), without the caller
    await ask({ method: 'POST', url: '/drop/api/submissions', payload: 'not multipart', headers: { 'content-type': 'text/plain' } });
    expect(log.length).toBeGreaterThan(0);
    for (const needle of [CLIENT, '198.51.100.9', 'ZX-agent-55', 'remoteAddress', 'letapis_session', token]) expect(log.includes(needle), needle).toBe(false);
    for (const table of ['drop_sources', 'drop_submissions', 'drop_parts', 'drop_replies']) {
      const rows = JSON.stringify(await c.db.selectFrom(table).selectAll().execute());
      for (const needle of [CLIENT, '198.51.100.9', 'ZX-agent-55']) expect(rows.includes(needle), `${table} ${needle}`).toBe(false);
    }
  });

  it('serves nothing but the drop: no staff route, no sign-in', async () => {
    for (const url of ['/api/v1/drop/queue', '/api/v1/session', '/api/health', '/sign-in', '/assets/index.js', '/drop/assets/..%2Fpackage.json', '/drop/assets/.env'])
      expect((await ask({ method: 'GET', url })).statusCode, url).toBe(404);
    // the root leads to the source's page
    const root = await ask({ method: 'GET', url: '/' });
    expect(root.statusCode).toBe(302);
    expect(root.headers.location).toBe('/drop/');
  });
});
