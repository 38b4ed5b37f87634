import type { Kysely } from 'kysely';
import type { KeyVault } from '../../adapters/keys/vault.js';
import { VaultSealedError } from '../../adapters/keys/vault.port.js';
import { createDataKey, loadDataKey } from '../../adapters/keys/data-keys.js';
import { decryptField, encryptField, FieldDecryptionError } from '../../adapters/keys/field-cipher.js';
import { isSecretField, type RecordTypeDef } from '../../domain/records/fields.js';
import { deletionKeys, nameMatchKeys } from '../../domain/names/match-key.js';
import { recordType } from '../../domain/records/catalog.js';
import { DomainError } from '../../domain/errors.js';
import type { AppendAuditEvent } from '../audit/audit.port.js';
import * as repo from './secrets.repository.js';

/**
 * Sensitive fields of records: encrypted on write under the record's own data key (wrapped by the
 * vault's master key), with "<type>/<id>/<field>" bound in so a ciphertext cannot be moved to
 * another row or field; decrypted on read for prose, revealed on request for identities. Person
 * names also feed the blind index.
 */

/** What history and snapshots show instead of a sensitive value. */
export const PROTECTED = '[protected]';

/** The blind-index context for person names. */
const NAME_CONTEXT = 'person-name';

export interface SecretsDeps {
  vault?: KeyVault;
  /** Where integrity failures and reveals are recorded. */
  audit?: AppendAuditEvent;
}

/** Raised when a stored ciphertext fails its integrity check: never wrong data, always this. */
export class IntegrityError extends DomainError {
  readonly status = 500;
  readonly title = 'Stored data failed its integrity check';
  constructor(
    readonly recordType: string,
    readonly recordId: string,
    readonly field: string,
    singular: string,
  ) {
    super(`the encrypted ${field} of ${singular} ${recordId} failed its integrity check: it was altered or moved. Nothing was shown; the failure is in the audit log.`);
  }
}

/**
 * Runs a read or write, and when a ciphertext fails its integrity check records that in the audit
 * log (outside the failed transaction, so the record of it survives) before passing the error on.
 */
export async function auditingIntegrity<T>(db: Kysely<any>, deps: SecretsDeps, actorId: string | null, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof IntegrityError && deps.audit)
      await deps.audit(db, { action: 'integrity.decryption-failed', actorId, targetType: e.recordType, targetId: e.recordId, details: { field: e.field } });
    throw e;
  }
}

const aad = (def: RecordTypeDef, id: string, field: string) => `${def.name}/${id}/${field}`;

export function secretFields(def: RecordTypeDef): [string, RecordTypeDef['fields'][string]][] {
  return Object.entries(def.fields).filter(([, f]) => isSecretField(f));
}

function requireVault(deps: SecretsDeps): KeyVault {
  if (!deps.vault) throw new VaultSealedError('no key vault is configured for this operation');
  if (deps.vault.isSealed()) throw new VaultSealedError();
  return deps.vault;
}

/**
 * Writes the sensitive fields present in `data` (null removes one) and refreshes the blind name
 * index they feed. Runs in the caller's transaction.
 */
export async function writeSecrets(
  db: Kysely<any>,
  deps: SecretsDeps,
  def: RecordTypeDef,
  id: string,
  data: Record<string, unknown>,
  opts: { fresh?: boolean } = {},
): Promise<void> {
  const present = secretFields(def).filter(([name]) => name in data);
  if (present.length === 0) return;
  let key: Buffer | undefined;
  let keyId: string | undefined;
  try {
    for (const [name] of present) {
      const value = data[name];
      if (value === null || value === undefined) {
        if (!opts.fresh) await repo.deleteSecret(db, def.name, id, name);
        continue;
      }
      if (!key) {
        const vault = requireVault(deps);
        // a record just created has no key yet: no need to look
        keyId = opts.fresh ? undefined : await repo.recordDataKeyId(db, def.name, id);
        if (keyId) key = await loadDataKey(db, vault, keyId);
        else ({ id: keyId, key } = await createDataKey(db, vault));
      }
      const plaintext = typeof value === 'string' ? value : JSON.stringify(value);
      await repo.putSecret(db, def.name, id, name, keyId!, encryptField(key, plaintext, aad(def, id, name)), opts.fresh);
    }
    await indexNames(db, deps, def, id, data, opts.fresh);
  } finally {
    key?.fill(0);
  }
}

/** The words of a person's identity that name them. */
function identityNames(identity: unknown): string[] {
  if (!identity || typeof identity !== 'object') return [];
  const i = identity as Record<string, unknown>;
  return ['fullName', 'givenName', 'familyName', 'patronymic', 'birthName', 'otherNames']
    .flatMap((k) => (Array.isArray(i[k]) ? (i[k] as unknown[]) : [i[k]]))
    .filter((v): v is string => typeof v === 'string' && v.trim().length > 0);
}

async function indexNames(db: Kysely<any>, deps: SecretsDeps, def: RecordTypeDef, id: string, data: Record<string, unknown>, fresh = false): Promise<void> {
  let personId: string | undefined;
  let names: string[] | undefined;
  if (def.name === 'persons' && 'identity' in data) {
    personId = id;
    names = identityNames(data.identity);
  } else if (def.name === 'person-names' && 'text' in data) {
    personId = data.person as string;
    names = typeof data.text === 'string' ? [data.text] : [];
  }
  if (!personId || !names) return;
  const vault = names.length ? requireVault(deps) : undefined;
  const keys = names.flatMap((n) => nameMatchKeys(n));
  // each key, and its one-deletion neighbourhood (`d:`), so a name one edit off is still found
  const hashes = [...keys.map((k) => vault!.blindIndex(k, NAME_CONTEXT)), ...keys.flatMap((k) => deletionKeys(k)).map((d) => vault!.blindIndex(`d:${d}`, NAME_CONTEXT))];
  await repo.replaceNameIndex(db, def.name, id, personId, hashes, fresh);
}

/** The blind-index hashes a name query must all match. */
export function nameQueryHashes(deps: SecretsDeps, query: string): string[] {
  const keys = nameMatchKeys(query);
  if (keys.length === 0) return [];
  const vault = requireVault(deps);
  return keys.map((k) => vault.blindIndex(k, NAME_CONTEXT));
}

export { personsWithAllHashes } from './secrets.repository.js';

/**
 * For a query with a typo: per word of the query, the hashes of its one-deletion neighbourhood.
 * A person matches when, for every word, one of its hashes is among theirs (edit distance ≤ 1 on
 * the match key, which already absorbs most spelling variation).
 */
export function nameTypoQueryHashes(deps: SecretsDeps, query: string): string[][] {
  const keys = nameMatchKeys(query);
  if (keys.length === 0) return [];
  const vault = requireVault(deps);
  return keys.map((k) => deletionKeys(k).map((d) => vault.blindIndex(`d:${d}`, NAME_CONTEXT)));
}

/**
 * Re-hashes every recorded name into the blind name index with the current match keys (after the
 * keys changed, or to repair the index): decrypts each person-name spelling and each identity's
 * names in turn, never keeping them. Returns the number of sources indexed.
 */
export async function rebuildNameIndex(db: Kysely<any>, vault: KeyVault): Promise<number> {
  let n = 0;
  for (const def of [recordType('person-names'), recordType('persons')]) {
    let after = '';
    for (;;) {
      const rows = await db.selectFrom(def.table).select(['id', ...(def.name === 'person-names' ? ['person_id'] : [])]).where('id', '>', after).orderBy('id').limit(500).execute();
      if (rows.length === 0) break;
      after = rows.at(-1)!.id as string;
      const opened = (await attachSecrets(db, { vault }, def, rows.map((r) => ({ id: r.id as string, person: (r.person_id as string | undefined) ?? null } as { id: string } & Record<string, unknown>)), { reveal: true })) as Array<{ id: string } & Record<string, unknown>>;
      await db.transaction().execute(async (trx) => {
        for (const r of opened) {
          const data = def.name === 'person-names' ? { text: r.text, person: r.person } : { identity: r.identity };
          if (def.name === 'person-names' && typeof r.text !== 'string') continue;
          if (def.name === 'persons' && !r.identity) continue;
          await indexNames(trx, { vault }, def, r.id, data as Record<string, unknown>);
          n++;
        }
      });
    }
  }
  return n;
}

/** Removes a record's encrypted fields and its name-index entries (the record is being deleted). */
export async function deleteSecrets(db: Kysely<any>, def: RecordTypeDef, id: string): Promise<void> {
  if (secretFields(def).length === 0) return;
  await repo.deleteRecordSecrets(db, def.name, id);
  await repo.deleteNameIndex(db, def.name, id);
}

/**
 * Fills in the sensitive fields of records being read: prose fields are decrypted; identity fields
 * stay null and are listed in `hidden` when a value exists. With `reveal`, identity fields are
 * decrypted too (the caller has checked the permission and audited the reveal).
 */
export async function attachSecrets<T extends { id: string } & Record<string, unknown>>(
  db: Kysely<any>,
  deps: SecretsDeps,
  def: RecordTypeDef,
  records: T[],
  opts: { reveal?: boolean } = {},
): Promise<(T & { hidden: string[] })[]> {
  const fields = secretFields(def);
  if (fields.length === 0) return records.map((r) => ({ ...r, hidden: [] }));
  const rows = await repo.loadSecrets(
    db,
    def.name,
    records.map((r) => r.id),
  );
  const byRecord = new Map<string, repo.SecretRow[]>();
  for (const row of rows) {
    let a = byRecord.get(row.recordId);
    if (!a) byRecord.set(row.recordId, (a = []));
    a.push(row);
  }
  const out: (T & { hidden: string[] })[] = [];
  for (const r of records) {
    const rec: Record<string, unknown> = { ...r, hidden: [] as string[] };
    for (const [name] of fields) rec[name] = null;
    const mine = byRecord.get(r.id) ?? [];
    const toOpen = mine.filter((s) => opts.reveal || def.fields[s.field]?.sensitive === 'prose');
    for (const s of mine) if (!toOpen.includes(s)) (rec.hidden as string[]).push(s.field);
    if (toOpen.length) {
      const vault = requireVault(deps);
      let key: Buffer;
      try {
        key = await loadDataKey(db, vault, toOpen[0]!.dataKeyId);
      } catch (e) {
        if (e instanceof FieldDecryptionError) throw new IntegrityError(def.name, r.id, 'data key', def.singular);
        throw e;
      }
      try {
        for (const s of toOpen) {
          let plaintext: string;
          try {
            const k = s.dataKeyId === toOpen[0]!.dataKeyId ? key : await loadDataKey(db, vault, s.dataKeyId);
            plaintext = decryptField(k, s.ciphertext, aad(def, r.id, s.field));
          } catch (e) {
            if (e instanceof FieldDecryptionError) throw new IntegrityError(def.name, r.id, s.field, def.singular);
            throw e;
          }
          rec[s.field] = def.fields[s.field]!.kind === 'identity' ? JSON.parse(plaintext) : plaintext;
        }
      } finally {
        key.fill(0);
      }
    }
    out.push(rec as T & { hidden: string[] });
  }
  return out;
}

/** A copy of a record with every sensitive value replaced by a marker (for history and snapshots). */
export function maskSecrets<T extends Record<string, unknown>>(def: RecordTypeDef, record: T): T {
  const copy: Record<string, unknown> = { ...record };
  for (const [name] of secretFields(def)) {
    const hidden = Array.isArray(record.hidden) && (record.hidden as string[]).includes(name);
    copy[name] = copy[name] !== null && copy[name] !== undefined ? PROTECTED : hidden ? PROTECTED : null;
  }
  return copy as T;
}
