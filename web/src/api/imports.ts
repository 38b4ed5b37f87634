import { useMutation } from '@tanstack/react-query';
import { api } from './client';

/**
 * Importing lists (CSV, XLSX) of records: how a list reads (preview), then a dry run or an import
 * queued as a job whose result is the report (src/modules/imports/lists/lists.routes.ts). The list
 * itself is an evidence item, uploaded first (tus, /api/v1/uploads).
 */

export const ENCODINGS = ['utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be', 'windows-1251'] as const;
export type Encoding = (typeof ENCODINGS)[number];
export const DELIMITERS = ['comma', 'semicolon', 'tab', 'pipe'] as const;
export type DelimiterName = (typeof DELIMITERS)[number];
/** The delimiter character the server answers → the name it also takes. */
export const DELIMITER_NAMES: Record<string, DelimiterName> = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' };
export const IMPORT_MODES = ['all-or-nothing', 'valid-only'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

/** How the list was read (listReadSchema's answer: formSchema). */
export interface ListForm {
  format: 'csv' | 'xlsx';
  encoding: string | null;
  delimiter: string | null;
  sheet: string | null;
  sheets: string[];
}

export interface ListReadOptions {
  itemId: string;
  encoding?: Encoding;
  delimiter?: DelimiterName;
  sheet?: string;
}

export interface ListPreview {
  form: ListForm;
  header: string[];
  rows: { row: number; cells: string[] }[];
}

export interface ListImportRequest extends ListReadOptions {
  type: string;
  compartment: string;
  /** Column header (or `#N`) → field (`identity.familyName` for parts of an identity). */
  mapping: Record<string, string>;
  fixed?: Record<string, string>;
  mode: ImportMode;
  dryRun: boolean;
}

/**
 * Values a problem's translation needs (numbers, names of vocabularies, record types, fields),
 * never a cell's content or a file's name.
 */
export type ProblemParams = Record<string, string | number>;

export interface RowProblem {
  row: number;
  column: string | null;
  field: string | null;
  /** The server's English sentence (shown when `code` is absent or unknown). */
  reason: string;
  /** A stable machine code (docs/IMPORTS.md, "Problem codes"), said through `imports.reason.<code>`. */
  code?: string;
  params?: ProblemParams;
  suggestions?: { code: string; label: string }[];
}

/** The job's result (ListImportReport). */
export interface ListImportReport {
  itemId: string;
  type: string;
  compartment: string;
  mode: ImportMode;
  dryRun: boolean;
  form: ListForm;
  rows: number;
  valid: number;
  invalid: number;
  alreadyImported: number;
  written: number;
  notWritten: string | null;
  /** `notWritten` as a code: said in the UI's language (the English `notWritten` when absent). */
  notWrittenCode?: 'rows-have-problems' | 'row-not-written';
  notWrittenParams?: { row: number };
  problems: RowProblem[];
  problemsTotal: number;
  records: { row: number; id: string }[];
}

export function usePreviewList() {
  return useMutation({ mutationFn: (opts: ListReadOptions) => api<ListPreview>('POST', '/api/v1/imports/lists/preview', opts) });
}

/** Queues a dry run or an import; follow the job with useJob (api/system.ts). */
export function useRequestListImport() {
  return useMutation({ mutationFn: (req: ListImportRequest) => api<{ jobId: string; created: boolean }>('POST', '/api/v1/imports/lists', req) });
}

/** Folds a header for matching: lower case, ё as е, only letters and digits. */
export function fold(s: string): string {
  return s.toLowerCase().replace(/ё/g, 'е').replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Names of an identity's parts in be, ru and en, for matching headers (not shown). */
const IDENTITY_NAMES: Record<string, string[]> = {
  fullName: ['full name', 'name', 'ПІБ', 'ФІО', 'ФИО', 'поўнае імя', 'полное имя', 'імя і прозвішча'],
  familyName: ['family name', 'surname', 'last name', 'прозвішча', 'фамилия', 'фамілія'],
  givenName: ['given name', 'first name', 'імя', 'имя'],
  patronymic: ['patronymic', 'імя па бацьку', 'отчество', 'па бацьку'],
  birthName: ['birth name', 'maiden name', 'дзявочае прозвішча', 'девичья фамилия'],
  otherNames: ['other names', 'іншыя імёны', 'другие имена'],
  birthDate: ['birth date', 'date of birth', 'born', 'дата нараджэння', 'дата рождения', 'нарадзіўся', 'год рождения'],
  birthPlace: ['birth place', 'place of birth', 'месца нараджэння', 'место рождения'],
  addresses: ['address', 'addresses', 'адрас', 'адрес'],
  phone: ['phone', 'telephone', 'тэлефон', 'телефон'],
  email: ['email', 'e-mail', 'пошта', 'почта'],
  telegram: ['telegram', 'тэлеграм', 'телеграм'],
  signal: ['signal'],
  whatsapp: ['whatsapp'],
  viber: ['viber'],
  passport: ['passport', 'пашпарт', 'паспорт'],
  'id-card': ['id card', 'ідэнтыфікацыйная картка', 'id-карта'],
  'residence-permit': ['residence permit', 'від на жыхарства', 'вид на жительство'],
};
export const IDENTITY_PARTS = Object.keys(IDENTITY_NAMES);

interface FieldLike {
  name: string;
  kind: string;
  label: { en: string; be: string; ru: string };
}

/** The fields a list's column may feed for a type: its fields, an identity as its parts. */
export function mappableFields(fields: readonly FieldLike[]): { name: string; field: FieldLike; part?: string }[] {
  return fields.flatMap((f) => (f.kind === 'identity' ? IDENTITY_PARTS.map((p) => ({ name: `${f.name}.${p}`, field: f, part: p })) : [{ name: f.name, field: f }]));
}

/**
 * A first mapping by the columns' names: a header equal (ignoring case, spaces and punctuation) to a
 * field's name or its label in any of the three languages, or to a name of an identity part. Each
 * field is taken by one column at most.
 */
export function guessMapping(header: readonly string[], fields: readonly FieldLike[]): Record<string, string> {
  const names = new Map<string, string>();
  for (const t of mappableFields(fields)) {
    const words = t.part ? [t.part, ...(IDENTITY_NAMES[t.part] ?? [])] : [t.field.name, t.field.label.en, t.field.label.be, t.field.label.ru];
    for (const w of words) if (!names.has(fold(w))) names.set(fold(w), t.name);
  }
  const out: Record<string, string> = {};
  const taken = new Set<string>();
  header.forEach((h, i) => {
    const target = names.get(fold(h));
    if (target && !taken.has(target)) {
      out[columnKey(header, i)] = target;
      taken.add(target);
    }
  });
  return out;
}

/** How the mapping names column i: its header, or `#N` when the header is empty or repeated. */
export function columnKey(header: readonly string[], i: number): string {
  const h = header[i] ?? '';
  return h.trim() === '' || header.indexOf(h) !== header.lastIndexOf(h) ? `#${i + 1}` : h;
}

/**
 * Telegram Desktop exports and folders with sidecars, taken from a ZIP uploaded as evidence
 * (src/modules/imports/telegram, src/modules/imports/folder; docs/IMPORTS.md): what the archive
 * holds (preview), then a dry run or an import queued as a job whose result is the report.
 */

/** What was not taken, and why: `where` is `message 123`, a file's path or `metadata.csv row N`. */
export interface WhereProblem {
  where: string;
  reason: string;
  code?: string;
  params?: ProblemParams;
}

export interface ArchiveImportRequest {
  itemId: string;
  compartment: string;
  dryRun?: boolean;
}

export interface TelegramPreview {
  chats: { id: string; name: string; type: string; messages: number }[];
  messages: number;
  mediaFiles: number;
  firstDate: string | null;
  lastDate: string | null;
}

/** The job's result (TelegramImportReport, src/modules/imports/telegram/telegram.usecases.ts). */
export interface TelegramImportReport {
  dryRun: boolean;
  chats: number;
  messages: { seen: number; created: number; alreadyThere: number; updated: number; skipped: number };
  media: { seen: number; stored: number; alreadyHeld: number; linked: number; notTaken: number };
  problems: WhereProblem[];
  problemsTotal: number;
}

export interface FolderPreview {
  files: number;
  metadataCsv: boolean;
  sidecars: number;
  sample: { path: string; hasMetadata: boolean }[];
}

/** The job's result (FolderImportReport, src/modules/imports/folder/folder.usecases.ts). */
export interface FolderImportReport {
  dryRun: boolean;
  metadata: { csv: boolean; sidecars: number; form: ListForm | null };
  files: { seen: number; taken: number; newItems: number; alreadyHeld: number; alreadyImported: number; withoutMetadata: number; notTaken: number };
  links: { added: number; alreadyThere: number };
  problems: WhereProblem[];
  problemsTotal: number;
}

export type ArchiveKind = 'telegram' | 'folder';

/** What an uploaded ZIP holds, for an importer (422 with the reason when it is not what it should be). */
export function usePreviewArchive<P>(kind: ArchiveKind) {
  return useMutation({ mutationFn: (req: { itemId: string }) => api<P>('POST', `/api/v1/imports/${kind}/preview`, req) });
}

/** Queues a dry run or an import of an uploaded ZIP; follow the job with useJob (api/system.ts). */
export function useRequestArchiveImport(kind: ArchiveKind) {
  return useMutation({ mutationFn: (req: ArchiveImportRequest) => api<{ jobId: string; created: boolean }>('POST', `/api/v1/imports/${kind}`, req) });
}
