import { loadConfig, type Config } from '../app/config.js';
import { createContainer, type Container } from '../app/container.js';
import type { Actor } from '../domain/policies.js';
import { listUsers } from '../modules/users/users.usecases.js';
import { DomainError, ValidationError } from '../domain/errors.js';
import { appendAuditEvent } from '../modules/audit/audit.repository.js';
import type { RecordsDeps } from '../modules/records/records.usecases.js';

/** Opens the configured database for one CLI command and closes it afterwards. */
export async function withContainer<T>(fn: (c: Container) => Promise<T>, config: Config = loadConfig()): Promise<T> {
  const c = await createContainer(config);
  try {
    return await fn(c);
  } finally {
    await c.close();
  }
}

/**
 * The account a CLI command acts as: the one named, or else the first administrator. The CLI runs
 * on the server with the operator's access to its data directory, so it acts in their name.
 */
export async function cliActor(c: Container, username?: string): Promise<Actor> {
  const users = await listUsers(c.db);
  const u = username ? users.find((x) => x.username === username) : users.find((x) => x.role === 'administrator' && !x.disabled);
  if (!u) {
    throw new Error(
      username ? `no user is named "${username}" (see: letapis user list)` : 'no administrator exists yet: start the server once (npm start) or run: letapis user add NAME --role administrator --password-stdin',
    );
  }
  return { userId: u.id, username: u.username, role: u.role };
}

/** Prints an error the way a person can act on it, and sets a failing exit code. */
export function reportError(e: unknown): void {
  if (e instanceof ValidationError) {
    console.error(`letapis: ${e.title}`);
    for (const p of e.problems) console.error(`  ${p.field}: ${p.message}`);
  } else if (e instanceof DomainError) {
    console.error(`letapis: ${e.message}`);
  } else {
    console.error(`letapis: ${(e as Error)?.message ?? String(e)}`);
  }
  process.exitCode = 1;
}

/** Reads all of standard input as text. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** What the record use cases need from a container: the database, the vault, the audit log. */
export function recordsDeps(c: Container): RecordsDeps {
  return { db: c.db, vault: c.vault, audit: appendAuditEvent };
}
