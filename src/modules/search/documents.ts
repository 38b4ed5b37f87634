import type { Kysely } from 'kysely';
import type { RecordTypeDef } from '../../domain/records/fields.js';
import { fuzzyDateLowerBound, type FuzzyDate } from '../../domain/records/fields.js';
import { detectLanguage } from '../../domain/text/language.js';
import { textLexemes, type Lang, type Sealer } from './lexemes.js';

/**
 * What the index holds of one record: the text every reader of its compartment may read, made into
 * lexemes (encrypted prose sealed), its filter values and its facets.
 */
export interface SearchDoc {
  docId: string;
  docType: string;
  compartment: string;
  label: string;
  language: Lang | null;
  /** ISO day the record is about (its first date field), for the date filter and sorting. */
  date: string | null;
  status: string | null;
  words: string[];
  keys: string[];
  /** Text not encrypted at rest, for snippets and fuzzy matching. */
  content: string;
  hasSealedText: boolean;
  facets: Array<{ field: string; value: string }>;
}

/** Fields whose value feeds a facet, by field name (the catalog uses these names throughout). */
const REF_FACETS: Record<string, string> = { place: 'place', facility: 'facility', unit: 'unit', event: 'event', person: 'person', victim: 'person' };
const DATE_FIELDS = ['start', 'date', 'startDate', 'obtainedAt', 'issuedAt', 'decidedAt'];

/** Vocabulary term labels in the three languages, by `vocabulary/code`, read once and cached briefly. */
let labelCache: { at: number; map: Map<string, string[]> } | undefined;
export async function vocabularyLabels(db: Kysely<any>): Promise<Map<string, string[]>> {
  if (labelCache && Date.now() - labelCache.at < 60_000) return labelCache.map;
  const rows = await db.selectFrom('vocabulary_terms').select(['vocabulary', 'code', 'label_be', 'label_ru', 'label_en']).execute();
  const map = new Map<string, string[]>();
  for (const r of rows) map.set(`${r.vocabulary}/${r.code}`, [r.label_be, r.label_ru, r.label_en].filter(Boolean) as string[]);
  labelCache = { at: Date.now(), map };
  return map;
}

/** Drops the cached labels (after a vocabulary change), so the next document reads them afresh. */
export function forgetVocabularyLabels(): void {
  labelCache = undefined;
}

const isFuzzy = (v: unknown): v is FuzzyDate => typeof v === 'object' && v !== null && 'value' in v && 'precision' in v;
function dayOf(v: unknown): string | null {
  if (isFuzzy(v)) return fuzzyDateLowerBound(v);
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v)) return v.slice(0, 10);
  return null;
}

/**
 * Builds the document of a record as read by the use cases (prose secrets decrypted, identity
 * fields absent). Identity fields never reach the index; prose marked sensitive is sealed.
 */
export function recordDocument(def: RecordTypeDef, record: Record<string, unknown>, labels: Map<string, string[]>, seal: Sealer | undefined): SearchDoc {
  const plain: string[] = [];
  const sealed: string[] = [];
  const facets: SearchDoc['facets'] = [];
  let date: string | null = null;
  for (const [name, f] of Object.entries(def.fields)) {
    const v = record[name];
    if (v === null || v === undefined) continue;
    switch (f.kind) {
      case 'text':
        // identity fields (a person's spellings) never reach this index: names are found through the blind name index
        if (typeof v === 'string' && f.sensitive !== 'identity') (f.sensitive === 'prose' ? sealed : plain).push(v);
        break;
      case 'enum':
        if (name === 'status' && typeof v === 'string') facets.push({ field: 'status', value: v });
        if (name === 'language' && typeof v === 'string') facets.push({ field: 'language', value: v });
        break;
      case 'vocab':
      case 'vocabList': {
        const codes = Array.isArray(v) ? (v as string[]) : [v as string];
        for (const code of codes) {
          plain.push(...(labels.get(`${f.vocabulary}/${code}`) ?? []));
          if (def.name === 'acts' && name === 'type') facets.push({ field: 'actType', value: code });
          if (name === 'methods' || name === 'allegedCause') facets.push({ field: 'method', value: code });
        }
        break;
      }
      case 'ref':
        if (REF_FACETS[name] && typeof v === 'string') facets.push({ field: REF_FACETS[name]!, value: v });
        break;
      case 'refList':
        if (name === 'units' || name === 'places' || name === 'events')
          for (const id of v as string[]) facets.push({ field: name.slice(0, -1), value: id });
        break;
      case 'fuzzyDate':
      case 'date':
      case 'datetime':
        if (!date && DATE_FIELDS.includes(name)) date = dayOf(v);
        break;
      default:
        break; // numbers, booleans: not text; identity: never indexed
    }
  }
  if (!date) for (const [name, f] of Object.entries(def.fields)) if (!date && (f.kind === 'fuzzyDate' || f.kind === 'date') && record[name]) date = dayOf(record[name]);
  const content = plain.join('\n');
  const given = typeof record.language === 'string' && ['be', 'ru', 'en'].includes(record.language) ? (record.language as Lang) : null;
  const language = given ?? detectLanguage([content, ...sealed].join(' '));
  const open = textLexemes(content, language);
  const closed = sealed.length && seal ? textLexemes(sealed.join('\n'), language, seal) : { words: [], keys: [] };
  if (sealed.length && !seal) throw new Error(`indexing ${def.name} ${String(record.id)}: its encrypted text needs the vault unsealed`);
  const label = def.labelFields.map((f) => record[f]).find((x) => typeof x === 'string' && x) as string | undefined;
  return {
    docId: String(record.id),
    docType: def.name,
    compartment: String(record.compartment),
    label: (label ?? def.singular).slice(0, 300),
    language,
    date,
    status: typeof record.status === 'string' ? record.status : null,
    words: [...open.words, ...closed.words],
    keys: [...open.keys, ...closed.keys],
    content,
    hasSealedText: closed.words.length > 0,
    facets: dedupe([...facets, ...(language ? [{ field: 'language', value: language }] : [])]),
  };
}

function dedupe(f: SearchDoc['facets']): SearchDoc['facets'] {
  const seen = new Set<string>();
  return f.filter((x) => {
    const k = `${x.field}\u0000${x.value}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
