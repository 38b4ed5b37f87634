import { recordType } from '../../../domain/records/catalog.js';
import type { RecordTypeName } from '../../../domain/records/fields.js';
import { can, type Actor } from '../../../domain/policies.js';
import { ValidationError } from '../../../domain/errors.js';
import { subjectOf } from '../../compartments/compartments.usecases.js';
import { listRecords, type RecordsDeps } from '../../records/records.usecases.js';
import type { StoredRecord } from '../../records/records.repository.js';
import { listTerms } from '../../vocabularies/vocabularies.repository.js';
import { titleKind, VocabPaths } from './uwazi-format.js';

/**
 * The records of one compartment as the actor may read them (through the records use case: the
 * same permission, the same decryption), loaded a type at a time, oldest first, and their titles:
 * the record's title field, its name, or a title composed of its label fields and the titles of
 * the records it must refer to (an act: "arrest — <event> — <victim>"), or, for a type that must
 * refer to none, of every record it refers to.
 */
export class CompartmentRecords {
  private readonly byType = new Map<RecordTypeName, StoredRecord[]>();
  private readonly byId = new Map<string, StoredRecord>();
  private readonly titles = new Map<string, string>();
  private readonly vocabs = new Map<string, VocabPaths>();

  constructor(
    private readonly deps: RecordsDeps,
    private readonly actor: Actor,
    readonly compartment: string,
  ) {}

  /** Every record of a type in the compartment, oldest first (creation time, then id). */
  async all(type: RecordTypeName): Promise<StoredRecord[]> {
    const have = this.byType.get(type);
    if (have) return have;
    const out: StoredRecord[] = [];
    let cursor: string | undefined;
    do {
      const page = await listRecords(this.deps, this.actor, type, { compartment: this.compartment, sort: 'createdAt', limit: 500, ...(cursor ? { cursor } : {}) });
      out.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    this.byType.set(type, out);
    for (const r of out) this.byId.set(r.id, r);
    return out;
  }

  async vocabulary(name: string): Promise<VocabPaths> {
    let v = this.vocabs.get(name);
    if (!v) this.vocabs.set(name, (v = new VocabPaths(name, await listTerms(this.deps.db, name))));
    return v;
  }

  /** The title of a record of the compartment; the id itself when it is not one the actor can read there. */
  async titleOf(type: RecordTypeName, id: string): Promise<string> {
    const known = this.titles.get(id);
    if (known !== undefined) return known;
    await this.all(type);
    const r = this.byId.get(id);
    const title = r ? await this.composeTitle(type, r) : id;
    this.titles.set(id, title);
    return title;
  }

  private async composeTitle(type: RecordTypeName, r: StoredRecord): Promise<string> {
    const def = recordType(type);
    const t = titleKind(def);
    if (t.kind === 'field') return String(r[t.field] ?? '');
    if (t.kind === 'names') return String(def.labelFields.map((f) => r[f]).find((v) => typeof v === 'string' && v !== '') ?? '');
    // composed: label fields (terms by English label), then the titles of required references
    const parts: string[] = [];
    for (const name of def.labelFields) {
      const f = def.fields[name]!;
      const v = r[name];
      if (v === null || v === undefined || v === '') continue;
      if (f.kind === 'vocab') parts.push((await this.vocabulary(f.vocabulary)).labelOf(String(v)));
      else if (f.kind === 'fuzzyDate') parts.push(String((v as { value?: string }).value ?? '?'));
      else parts.push(String(v));
    }
    // the references it must have; a type with none (qualifications) is told by every reference it has
    const refs = Object.entries(def.fields).filter(([, f]) => f.kind === 'ref');
    const required = refs.filter(([, f]) => f.required);
    for (const [name, f] of required.length ? required : refs) {
      if (f.kind !== 'ref' || !r[name]) continue;
      parts.push(await this.titleOf(f.target, String(r[name])));
    }
    return parts.join(' — ');
  }

  /** Titles of a type's records → their ids (several when titles repeat). */
  async titleIndex(type: RecordTypeName): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (const r of await this.all(type)) {
      const t = await this.titleOf(type, r.id);
      out.set(t, [...(out.get(t) ?? []), r.id]);
    }
    return out;
  }
}

/** Refuses a compartment the actor cannot read (said as for one that does not exist), rather than exporting nothing. */
export async function assertReadable(deps: RecordsDeps, actor: Actor, compartment: string): Promise<void> {
  const subject = await subjectOf(deps.db, actor);
  if (!can(subject, 'record.read', { compartmentId: compartment })) throw new ValidationError([{ field: 'compartment', message: `no compartment you belong to has id ${compartment}` }]);
}
