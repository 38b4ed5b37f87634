import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real RFC 3161 time-stamping authority for tests: `openssl ts -reply` behind a small HTTP
 * server on 127.0.0.1. Each call makes a fresh CA and TSA certificate in a fresh temporary folder
 * (removed by `close()`), so tokens from one test never verify against another test's CA.
 *
 * Requires the `openssl` command (1.1.1 or 3.x). Without it `startLocalTsa` throws: the tests that
 * use it are not skipped silently (CI installs openssl).
 */

export interface LocalTsa {
  /** POST DER TimeStampReq here; the answer is a DER TimeStampResp. */
  url: string;
  /** The self-signed CA that issued the TSA certificate (PEM). */
  caCertPem: string;
  /** The TSA's signing certificate (PEM): extendedKeyUsage critical timeStamping. */
  tsaCertPem: string;
  /** The temporary folder (certificates, keys, `openssl ts` config, requests and replies). */
  dir: string;
  /** `ca.pem` in `dir`, for `openssl ts -verify -CAfile`. */
  caCertPath: string;
  /** How many requests have been answered so far. */
  requests(): number;
  /** Stops the server and removes `dir`. */
  close(): Promise<void>;
}

export interface LocalTsaOptions {
  /** Parent folder for the fresh temporary folder. Default: the system temp folder. */
  dir?: string;
  /** Key type of the CA and the TSA. Default `rsa` (2048 bits). */
  keyType?: 'rsa' | 'ec';
  /** Policy OID the TSA stamps under. Default `1.3.6.1.4.1.99999.3161.1` (a test arc). */
  policy?: string;
}

const MAX_REQUEST_BYTES = 64 * 1024;
const OPENSSL_TIMEOUT_MS = 20_000;

function run(args: string[], cwd: string): Promise<{ stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      'openssl',
      args,
      { cwd, encoding: 'buffer', timeout: OPENSSL_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' } },
      (err, stdout, stderr) => {
        if (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
            reject(new Error('startLocalTsa needs the `openssl` command, and it is not on PATH: install OpenSSL (e.g. `apt-get install openssl`)'));
            return;
          }
          reject(new Error(`openssl ${args[0]} failed: ${err.message}\n${stderr.toString('utf8')}`));
          return;
        }
        resolve({ stdout, stderr: stderr.toString('utf8') });
      },
    );
  });
}

/** The `req` config: no prompts, and only the extensions we name (nothing from the system openssl.cnf). */
const REQ_CNF = `[ req ]
distinguished_name = dn
prompt = no
utf8 = yes

[ dn ]
CN = unused

[ v3_ca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ v3_tsa ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = critical, timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid, issuer
`;

function tsaCnf(dir: string, policy: string): string {
  return `[ tsa ]
default_tsa = letapis_tsa

[ letapis_tsa ]
dir = ${dir}
serial = $dir/tsaserial
crypto_device = builtin
signer_cert = $dir/tsa.pem
certs = $dir/ca.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = ${policy}
other_policies = 1.3.6.1.4.1.99999.3161.2
digests = sha256, sha384, sha512
accuracy = secs:1, millisecs:500, microsecs:100
clock_precision_digits = 0
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
`;
}

function keyArgs(keyType: 'rsa' | 'ec'): string[] {
  return keyType === 'ec' ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'] : ['-newkey', 'rsa:2048'];
}

/**
 * Starts a local TSA. Requests are answered one at a time, in order of arrival (`openssl ts`
 * increments a serial file, which must not be raced).
 *
 * @example const tsa = await startLocalTsa(); try { await requestTimestamp(tsa.url, digest) } finally { await tsa.close() }
 */
export async function startLocalTsa(opts: LocalTsaOptions = {}): Promise<LocalTsa> {
  const parent = opts.dir ?? tmpdir();
  await mkdir(parent, { recursive: true });
  const dir = await mkdtemp(join(parent, 'letapis-tsa-'));
  try {
    return await start(dir, opts);
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}

async function start(dir: string, opts: LocalTsaOptions): Promise<LocalTsa> {
  const keyType = opts.keyType ?? 'rsa';
  const policy = opts.policy ?? '1.3.6.1.4.1.99999.3161.1';
  if (!/^\d+(\.\d+)+$/.test(policy)) throw new Error(`startLocalTsa: policy must be a dotted OID, not ${JSON.stringify(policy)}`);

  await run(['version'], dir); // a clear error before anything else when openssl is missing

  const reqCnf = join(dir, 'req.cnf');
  await writeFile(reqCnf, REQ_CNF);
  await writeFile(join(dir, 'tsa.cnf'), tsaCnf(dir, policy));
  await writeFile(join(dir, 'tsaserial'), '01\n');

  // The CA: self-signed, backdated by nothing (openssl starts validity "now").
  await run(['req', '-config', reqCnf, '-x509', ...keyArgs(keyType), '-nodes', '-sha256', '-days', '3650', '-subj', '/O=Letapis tests/CN=Letapis Test CA', '-extensions', 'v3_ca', '-keyout', 'ca.key', '-out', 'ca.pem'], dir);
  // The TSA: a request, then a certificate from the CA with the one critical extendedKeyUsage RFC 3161 requires.
  await run(['req', '-config', reqCnf, '-new', ...keyArgs(keyType), '-nodes', '-subj', '/O=Letapis tests/CN=Letapis Test TSA', '-keyout', 'tsa.key', '-out', 'tsa.csr'], dir);
  await run(['x509', '-req', '-in', 'tsa.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', '0x1001', '-sha256', '-days', '3650', '-extfile', reqCnf, '-extensions', 'v3_tsa', '-out', 'tsa.pem'], dir);

  const caCertPem = await readFile(join(dir, 'ca.pem'), 'utf8');
  const tsaCertPem = await readFile(join(dir, 'tsa.pem'), 'utf8');

  let count = 0;
  let queue: Promise<unknown> = Promise.resolve();

  async function answer(body: Buffer): Promise<Buffer> {
    const n = ++count;
    const query = join(dir, `req-${n}.tsq`);
    const reply = join(dir, `resp-${n}.tsr`);
    await writeFile(query, body);
    // A malformed query still gets a DER reply from openssl (status rejection, badDataFormat).
    await run(['ts', '-reply', '-queryfile', query, '-config', join(dir, 'tsa.cnf'), '-section', 'letapis_tsa', '-out', reply], dir);
    return readFile(reply);
  }

  function readBody(req: IncomingMessage): Promise<Buffer | null> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_REQUEST_BYTES) {
          resolve(null);
          req.destroy();
          return;
        }
        chunks.push(c);
      });
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') {
      res.writeHead(405, { Allow: 'POST', 'Content-Type': 'text/plain' }).end('POST a DER TimeStampReq\n');
      return;
    }
    const body = await readBody(req);
    if (body === null) {
      res.writeHead(413, { 'Content-Type': 'text/plain' }).end('request too large\n');
      return;
    }
    const job = queue.then(() => answer(body));
    queue = job.catch(() => {});
    const der = await job;
    res.writeHead(200, { 'Content-Type': 'application/timestamp-reply', 'Content-Length': String(der.length) }).end(der);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(`local TSA failed: ${(e as Error).message}\n`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  let closed: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}/tsa`,
    caCertPem,
    tsaCertPem,
    dir,
    caCertPath: join(dir, 'ca.pem'),
    requests: () => count,
    close() {
      closed ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await queue;
        await rm(dir, { recursive: true, force: true });
      })();
      return closed;
    },
  };
}
