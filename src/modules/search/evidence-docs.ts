import type { Kysely } from 'kysely';
import type { KeyVault } from '../../adapters/keys/vault.js';
import type { BlobStore } from '../../adapters/blobs/blob-store.port.js';
import { EncryptedBlobStore } from '../../adapters/blobs/encrypted/encrypted.store.js';
import { detectLanguage } from '../../domain/text/language.js';
import * as evidence from '../evidence/evidence.repository.js';
import { ACQUISITION_TYPE, ITEM_TYPE, readSecretTexts } from '../evidence/evidence.usecases.js';
import type { SearchDoc } from './documents.js';
import { textLexemes } from './lexemes.js';
import { sealerOf } from './sealer.js';
import { deleteSearchDoc, upsertSearchDoc } from './search.repository.js';

/**
 * Evidence items in the search index (`type: evidence`). What identifies people or places is
 * encrypted at rest — file names, sources, extracted metadata (GPS, device, document text), the
 * text of documents and OCR — so it is indexed as sealed words only; acquisition notes are plain.
 */

export interface EvidenceIndexDeps {
  db: Kysely<any>;
  vault: KeyVault;
  blobs: BlobStore;
}

/** Text read from a derivative at most (a very long document is indexed by its beginning). */
const MAX_TEXT_BYTES = 2 * 1024 * 1024;
const TEXT_KINDS = ['text', 'ocr-text'];
const LINK_FACETS: Record<string, string> = { events: 'event', acts: 'act', persons: 'person', places: 'place', facilities: 'facility', units: 'unit' };

function stringsOf(value: unknown, out: string[], budget: { left: number }): void {
  if (budget.left <= 0 || value === null || value === undefined) return;
  if (typeof value === 'string') {
    out.push(value);
    budget.left -= value.length;
  } else if (Array.isArray(value)) for (const v of value) stringsOf(v, out, budget);
  else if (typeof value === 'object') for (const v of Object.values(value as Record<string, unknown>)) stringsOf(v, out, budget);
}

async function readText(store: EncryptedBlobStore, blobName: string): Promise<string> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of (await store.get(blobName)) as AsyncIterable<Buffer>) {
    chunks.push(c);
    n += c.length;
    if (n >= MAX_TEXT_BYTES) break;
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** (Re)indexes one evidence item (an original; a derivative indexes its original). */
export async function indexEvidenceItem(deps: EvidenceIndexDeps, itemId: string): Promise<void> {
  const found = await evidence.findItem(deps.db, itemId);
  if (!found) return void (await deleteSearchDoc(deps.db, itemId));
  const item = found.parentId ? await evidence.findItem(deps.db, found.parentId) : found;
  if (!item) return;
  const seal = sealerOf(deps.vault);
  const acquisitions = await evidence.listAcquisitions(deps.db, item.id);
  const plain = acquisitions.flatMap((a) => [a.note, a.sourceNote]).filter((x): x is string => Boolean(x));
  const sealed: string[] = [];
  if (seal) {
    for (const f of (await readSecretTexts(deps.db, deps.vault, ACQUISITION_TYPE, acquisitions.map((a) => a.id))).values()) sealed.push(...Object.values(f));
    const meta = (await readSecretTexts(deps.db, deps.vault, ITEM_TYPE, [item.id])).get(item.id)?.metadata;
    if (meta) {
      try {
        stringsOf(JSON.parse(meta), sealed, { left: MAX_TEXT_BYTES });
      } catch {
        /* not JSON: nothing to index */
      }
    }
    const derived = await deps.db.selectFrom('evidence_items').select(['blob_name']).where('parent_id', '=', item.id).where('derivative_kind', 'in', TEXT_KINDS).execute();
    const store = new EncryptedBlobStore(deps.blobs, { db: deps.db, vault: deps.vault });
    for (const d of derived) sealed.push(await readText(store, d.blob_name as string).catch(() => ''));
  }
  const links = await deps.db.selectFrom('evidence_links').select(['target_type', 'target_id']).where('item_id', '=', item.id).execute();
  const content = plain.join('\n');
  const language = detectLanguage([content, ...sealed].join(' ').slice(0, 20000));
  const open = textLexemes(content, language);
  const closed = seal && sealed.length ? textLexemes(sealed.join('\n'), language, seal) : { words: [], keys: [] };
  const first = acquisitions.map((a) => a.acquiredAt).sort()[0] ?? item.createdAt;
  const doc: SearchDoc = {
    docId: item.id,
    docType: 'evidence',
    compartment: item.compartment,
    label: `${item.category ?? 'file'} · ${item.mime ?? 'unknown type'} · ${item.sha256.slice(0, 12)}`,
    language,
    date: first.slice(0, 10),
    status: item.state,
    words: [...open.words, ...closed.words],
    keys: [...open.keys, ...closed.keys],
    content,
    hasSealedText: closed.words.length > 0,
    facets: [
      ...links.filter((l) => LINK_FACETS[l.target_type as string]).map((l) => ({ field: LINK_FACETS[l.target_type as string]!, value: l.target_id as string })),
      ...(language ? [{ field: 'language', value: language }] : []),
    ].filter((f, i, all) => all.findIndex((x) => x.field === f.field && x.value === f.value) === i),
  };
  await upsertSearchDoc(deps.db, doc);
}

/** Every original item, for a rebuild. */
export async function evidenceIds(db: Kysely<any>): Promise<string[]> {
  return (await db.selectFrom('evidence_items').select('id').where('parent_id', 'is', null).orderBy('id').execute()).map((r) => r.id as string);
}
