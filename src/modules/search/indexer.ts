import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../../adapters/db/dialect-of.js';
import type { KeyVault } from '../../adapters/keys/vault.js';
import { RECORD_TYPES } from '../../domain/records/catalog.js';
import type { RecordTypeDef } from '../../domain/records/fields.js';
import * as repo from '../records/records.repository.js';
import { attachSecrets } from '../records/secrets.js';
import { recordDocument, vocabularyLabels } from './documents.js';
import { deleteSearchDoc, upsertSearchDoc } from './search.repository.js';
import { sealerOf } from './sealer.js';
import { evidenceIds, indexEvidenceItem } from './evidence-docs.js';
import type { BlobStore } from '../../adapters/blobs/blob-store.port.js';

/**
 * Keeping the index in step: the record use cases call `indexRecord`/`unindexRecord` in the
 * transaction of the change (so the index commits or rolls back with it), and `rebuildIndex`
 * rebuilds everything (`letapis reindex`, or on start when the index format changed).
 */

/** Bump when what is indexed or how lexemes are made changes: the server then rebuilds the index. */
export const SEARCH_INDEX_VERSION = 1;

export async function indexRecord(db: Kysely<any>, vault: KeyVault | undefined, def: RecordTypeDef, record: Record<string, unknown>): Promise<void> {
  const labels = await vocabularyLabels(db);
  await upsertSearchDoc(db, recordDocument(def, record, labels, sealerOf(vault)));
}

export async function unindexRecord(db: Kysely<any>, id: string): Promise<void> {
  await deleteSearchDoc(db, id);
}

export interface RebuildProgress {
  type: string;
  done: number;
  total: number;
}

/**
 * Rebuilds the whole index, type by type, in pages (each page one transaction), then records the
 * index version. Needs the vault for encrypted prose. Returns the number of documents.
 */
export async function rebuildIndex(db: Kysely<any>, vault: KeyVault, onProgress?: (p: RebuildProgress) => void | Promise<void>, blobs?: BlobStore): Promise<number> {
  const defs = [...RECORD_TYPES.values()];
  const counts = new Map<string, number>();
  let total = 0;
  for (const def of defs) {
    const n = Number((await db.selectFrom(def.table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    counts.set(def.name, n);
    total += n;
  }
  let done = 0;
  const seal = sealerOf(vault);
  const labels = await vocabularyLabels(db);
  for (const def of defs) {
    let after = '';
    for (;;) {
      const rows = await db.selectFrom(def.table).selectAll().where('id', '>', after).orderBy('id').limit(500).execute();
      if (rows.length === 0) break;
      after = rows.at(-1)!.id as string;
      const ids = rows.map((r) => r.id as string);
      const lists = await repo.loadLists(db, def, ids);
      const records = await attachSecrets(db, { vault }, def, rows.map((r) => repo.fromRow(def, r, lists.get(r.id as string))));
      await db.transaction().execute(async (trx) => {
        for (const r of records) await upsertSearchDoc(trx, recordDocument(def, r as unknown as Record<string, unknown>, labels, seal));
      });
      done += rows.length;
      await onProgress?.({ type: def.name, done, total });
    }
  }
  // evidence items (their encrypted texts need the blob store)
  if (blobs) {
    const ids = await evidenceIds(db);
    total += ids.length;
    for (const id of ids) {
      await indexEvidenceItem({ db, vault, blobs }, id);
      done++;
      if (done % 100 === 0 || done === total) await onProgress?.({ type: 'evidence', done, total });
    }
  }
  // documents of records that no longer exist (e.g. an index restored from elsewhere)
  for (const def of defs) {
    const stale = await db
      .selectFrom('search_docs as d')
      .leftJoin(`${def.table} as t`, 't.id', 'd.doc_id')
      .select('d.doc_id')
      .where('d.doc_type', '=', def.name)
      .where('t.id', 'is', null)
      .execute();
    for (const s of stale) await deleteSearchDoc(db, s.doc_id as string);
  }
  // fresh planner statistics: without them SQLite starts facet joins from the wrong side
  await analyzeSearchTables(db);
  await db.updateTable('search_state').set({ version: SEARCH_INDEX_VERSION, rebuilt_at: new Date().toISOString() }).where('id', '=', 1).execute();
  return total;
}

/** Whether the stored index was built by an older version of the indexer (or never). */
export async function indexOutdated(db: Kysely<any>): Promise<boolean> {
  const r = await db.selectFrom('search_state').select('version').where('id', '=', 1).executeTakeFirst();
  return !r || Number(r.version) < SEARCH_INDEX_VERSION;
}

/** Refreshes the planner's statistics of the search tables (after a rebuild, and now and then). */
export async function analyzeSearchTables(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) await sql`analyze search_docs, search_facets`.execute(db);
  else {
    await sql`analyze search_docs`.execute(db);
    await sql`analyze search_facets`.execute(db);
  }
}
