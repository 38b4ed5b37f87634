import type { Kysely } from 'kysely';

/**
 * Queries over the encrypted fields of records (record_secrets) and the blind name index
 * (name_index). Ciphertexts are stored base64, so both engines hold them as plain text.
 */

export interface SecretRow {
  recordId: string;
  field: string;
  dataKeyId: string;
  ciphertext: Buffer;
}

/** The encrypted fields of many records of one type. */
export async function loadSecrets(db: Kysely<any>, recordType: string, ids: string[]): Promise<SecretRow[]> {
  if (ids.length === 0) return [];
  const out: SecretRow[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('record_secrets')
      .select(['record_id', 'field', 'data_key_id', 'ciphertext'])
      .where('record_type', '=', recordType)
      .where('record_id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const r of rows) out.push({ recordId: r.record_id, field: r.field, dataKeyId: r.data_key_id, ciphertext: Buffer.from(r.ciphertext, 'base64') });
  }
  return out;
}

/** The data key a record's secrets are encrypted under, if it has any. */
export async function recordDataKeyId(db: Kysely<any>, recordType: string, id: string): Promise<string | undefined> {
  const r = await db.selectFrom('record_secrets').select('data_key_id').where('record_type', '=', recordType).where('record_id', '=', id).limit(1).executeTakeFirst();
  return r?.data_key_id;
}

/** Stores one encrypted field (replacing any; `fresh`: the record was just created, there is none). */
export async function putSecret(db: Kysely<any>, recordType: string, id: string, field: string, dataKeyId: string, ciphertext: Buffer, fresh = false): Promise<void> {
  if (!fresh) await deleteSecret(db, recordType, id, field);
  await db
    .insertInto('record_secrets')
    .values({ record_type: recordType, record_id: id, field, data_key_id: dataKeyId, ciphertext: ciphertext.toString('base64') })
    .execute();
}

export async function deleteSecret(db: Kysely<any>, recordType: string, id: string, field: string): Promise<void> {
  await db.deleteFrom('record_secrets').where('record_type', '=', recordType).where('record_id', '=', id).where('field', '=', field).execute();
}

export async function deleteRecordSecrets(db: Kysely<any>, recordType: string, id: string): Promise<void> {
  await db.deleteFrom('record_secrets').where('record_type', '=', recordType).where('record_id', '=', id).execute();
}

/** Replaces the blind-index hashes one source (a person's identity, or one person-name) contributes. */
export async function replaceNameIndex(db: Kysely<any>, sourceType: string, sourceId: string, personId: string, hashes: string[], fresh = false): Promise<void> {
  if (!fresh) await db.deleteFrom('name_index').where('source_type', '=', sourceType).where('source_id', '=', sourceId).execute();
  const unique = [...new Set(hashes)];
  if (unique.length)
    await db
      .insertInto('name_index')
      .values(unique.map((hash) => ({ person_id: personId, source_type: sourceType, source_id: sourceId, hash })))
      .execute();
}

export async function deleteNameIndex(db: Kysely<any>, sourceType: string, sourceId: string): Promise<void> {
  await db.deleteFrom('name_index').where('source_type', '=', sourceType).where('source_id', '=', sourceId).execute();
}

/** Persons having every one of the given hashes among the hashes of their names. */
export async function personsWithAllHashes(db: Kysely<any>, hashes: string[]): Promise<string[]> {
  const unique = [...new Set(hashes)];
  if (unique.length === 0) return [];
  const rows = await db
    .selectFrom(db.selectFrom('name_index').select(['person_id', 'hash']).distinct().where('hash', 'in', unique).as('d'))
    .select('person_id')
    .groupBy('person_id')
    .having((eb) => eb.fn.countAll(), '=', unique.length)
    .execute();
  return rows.map((r) => r.person_id as string);
}

/** A person-name moved to another person: its index entries follow it. */
export async function repointNameIndex(db: Kysely<any>, sourceType: string, sourceId: string, personId: string): Promise<void> {
  await db.updateTable('name_index').set({ person_id: personId }).where('source_type', '=', sourceType).where('source_id', '=', sourceId).execute();
}
