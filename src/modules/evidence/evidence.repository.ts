import type { Kysely } from 'kysely';

/** Queries over evidence items, their acquisitions and their links to records. */

export interface ItemRow {
  id: string;
  compartment: string;
  sha256: string;
  size: number;
  blobName: string;
  dataKeyId: string | null;
  storedSize: number;
  mime: string | null;
  category: string | null;
  state: 'stored' | 'processing' | 'ready' | 'flagged';
  flags: { kind: string; reason: string }[];
  parentId: string | null;
  derivativeKind: string | null;
  derivedWith: string | null;
  phash: string | null;
  createdAt: string;
  createdBy: string | null;
}

export const toItem = (r: Record<string, any>): ItemRow => ({
  id: r.id,
  compartment: r.compartment_id,
  sha256: r.sha256,
  size: Number(r.size),
  blobName: r.blob_name,
  dataKeyId: r.data_key_id ?? null,
  storedSize: Number(r.stored_size),
  mime: r.mime ?? null,
  category: r.category ?? null,
  state: r.state,
  flags: r.flags ? JSON.parse(r.flags) : [],
  parentId: r.parent_id ?? null,
  derivativeKind: r.derivative_kind ?? null,
  derivedWith: r.derived_with ?? null,
  phash: r.phash ?? null,
  createdAt: r.created_at,
  createdBy: r.created_by ?? null,
});

export async function insertItem(db: Kysely<any>, i: ItemRow): Promise<void> {
  await db
    .insertInto('evidence_items')
    .values({
      id: i.id,
      compartment_id: i.compartment,
      sha256: i.sha256,
      size: i.size,
      blob_name: i.blobName,
      data_key_id: i.dataKeyId,
      stored_size: i.storedSize,
      mime: i.mime,
      category: i.category,
      state: i.state,
      flags: i.flags.length ? JSON.stringify(i.flags) : null,
      parent_id: i.parentId,
      derivative_kind: i.derivativeKind,
      derived_with: i.derivedWith,
      phash: i.phash,
      created_at: i.createdAt,
      created_by: i.createdBy,
    })
    .execute();
}

export async function findItem(db: Kysely<any>, id: string): Promise<ItemRow | undefined> {
  const r = await db.selectFrom('evidence_items').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toItem(r) : undefined;
}

/** The original item (not a derivative) with these bytes in this compartment. */
export async function findOriginalBySha(db: Kysely<any>, compartment: string, sha256: string): Promise<ItemRow | undefined> {
  const r = await db
    .selectFrom('evidence_items')
    .selectAll()
    .where('compartment_id', '=', compartment)
    .where('sha256', '=', sha256)
    .where('parent_id', 'is', null)
    .executeTakeFirst();
  return r ? toItem(r) : undefined;
}

export async function updateItem(
  db: Kysely<any>,
  id: string,
  set: Partial<Pick<ItemRow, 'mime' | 'category' | 'state' | 'flags' | 'phash'>>,
): Promise<void> {
  const values: Record<string, unknown> = {};
  if (set.mime !== undefined) values.mime = set.mime;
  if (set.category !== undefined) values.category = set.category;
  if (set.state !== undefined) values.state = set.state;
  if (set.flags !== undefined) values.flags = set.flags.length ? JSON.stringify(set.flags) : null;
  if (set.phash !== undefined) values.phash = set.phash;
  if (Object.keys(values).length) await db.updateTable('evidence_items').set(values).where('id', '=', id).execute();
}

export interface ListItemsOptions {
  compartments: string[];
  parentId?: string | null;
  category?: string;
  state?: string;
  after?: { createdAt: string; id: string };
  limit: number;
}

export async function listItems(db: Kysely<any>, o: ListItemsOptions): Promise<ItemRow[]> {
  if (o.compartments.length === 0) return [];
  let q = db.selectFrom('evidence_items').selectAll().where('compartment_id', 'in', o.compartments);
  if (o.parentId === null) q = q.where('parent_id', 'is', null);
  else if (o.parentId) q = q.where('parent_id', '=', o.parentId);
  if (o.category) q = q.where('category', '=', o.category);
  if (o.state) q = q.where('state', '=', o.state);
  if (o.after) {
    const { createdAt, id } = o.after;
    q = q.where((eb) => eb.or([eb('created_at', '<', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)])]));
  }
  return (await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(o.limit).execute()).map(toItem);
}

export interface AcquisitionRow {
  id: string;
  itemId: string;
  method: string;
  sourcePersonId: string | null;
  sourceNote: string | null;
  note: string | null;
  acquiredAt: string;
  acquiredBy: string | null;
  toolVersion: string;
}

export async function insertAcquisition(db: Kysely<any>, a: AcquisitionRow): Promise<void> {
  await db
    .insertInto('evidence_acquisitions')
    .values({
      id: a.id,
      item_id: a.itemId,
      method: a.method,
      source_person_id: a.sourcePersonId,
      source_note: a.sourceNote,
      note: a.note,
      acquired_at: a.acquiredAt,
      acquired_by: a.acquiredBy,
      tool_version: a.toolVersion,
    })
    .execute();
}

export async function listAcquisitions(db: Kysely<any>, itemId: string): Promise<AcquisitionRow[]> {
  const rows = await db.selectFrom('evidence_acquisitions').selectAll().where('item_id', '=', itemId).orderBy('acquired_at').orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    itemId: r.item_id,
    method: r.method,
    sourcePersonId: r.source_person_id ?? null,
    sourceNote: r.source_note ?? null,
    note: r.note ?? null,
    acquiredAt: r.acquired_at,
    acquiredBy: r.acquired_by ?? null,
    toolVersion: r.tool_version,
  }));
}

/** Items with a perceptual hash in the given compartments (candidates for near-duplicates). */
export async function itemsWithPhash(db: Kysely<any>, compartments: string[], excludeId: string): Promise<{ id: string; phash: string }[]> {
  if (compartments.length === 0) return [];
  const rows = await db
    .selectFrom('evidence_items')
    .select(['id', 'phash'])
    .where('compartment_id', 'in', compartments)
    .where('phash', 'is not', null)
    .where('parent_id', 'is', null)
    .where('id', '!=', excludeId)
    .execute();
  return rows.map((r) => ({ id: r.id as string, phash: r.phash as string }));
}
