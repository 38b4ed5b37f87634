import { z } from 'zod';
import { RECORD_TYPES } from '../../domain/records/catalog.js';
import {
  DATE_PRECISIONS,
  fuzzyDateProblem,
  isSortable,
  type FieldDef,
  type RecordTypeDef,
  type RecordTypeName,
} from '../../domain/records/fields.js';
import { TERM_CODE_PATTERN } from '../../domain/vocabularies/vocabulary.js';

/**
 * zod schemas derived from the record catalog, shared by routes (validation and OpenAPI), the CLI
 * and tests. A schema per record type for create, update, and the record as answered.
 */

export const recordId = z.uuid({ message: 'must be a record id (UUID)' });

export const fuzzyDateSchema = z
  .object({
    value: z.string().max(40).nullable(),
    precision: z.enum(DATE_PRECISIONS),
  })
  .strict()
  .superRefine((d, ctx) => {
    const problem = fuzzyDateProblem(d);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['value'] });
  })
  .describe('A date that may be approximate: value in the form its precision requires');

/** A person's identity: every part optional; stored encrypted as a whole. */
export const identitySchema = z
  .object({
    fullName: z.string().max(300).optional(),
    givenName: z.string().max(200).optional(),
    familyName: z.string().max(200).optional(),
    patronymic: z.string().max(200).optional(),
    birthName: z.string().max(200).optional(),
    otherNames: z.array(z.string().max(300)).max(50).optional(),
    birthDate: fuzzyDateSchema.optional(),
    birthPlace: z.string().max(300).optional(),
    contacts: z
      .array(
        z
          .object({
            kind: z.enum(['phone', 'email', 'telegram', 'signal', 'whatsapp', 'viber', 'other']),
            value: z.string().min(1).max(300),
            note: z.string().max(300).optional(),
          })
          .strict(),
      )
      .max(50)
      .optional(),
    addresses: z.array(z.string().min(1).max(500)).max(20).optional(),
    documents: z
      .array(
        z
          .object({
            kind: z.enum(['passport', 'id-card', 'residence-permit', 'other']),
            number: z.string().min(1).max(100),
            issuedBy: z.string().max(300).optional(),
            issuedOn: z.iso.date().optional(),
          })
          .strict(),
      )
      .max(20)
      .optional(),
  })
  .strict();

const termCode = z.string().regex(TERM_CODE_PATTERN, 'must be a vocabulary code like "beating"');

function fieldSchema(def: FieldDef): z.ZodType {
  let s: z.ZodType;
  switch (def.kind) {
    case 'text': {
      let t = z.string().max(def.maxLength ?? 500);
      if (def.required) t = t.trim().min(1, 'must not be empty');
      s = t;
      break;
    }
    case 'int': {
      let n = z.number().int();
      if (def.min !== undefined) n = n.min(def.min);
      if (def.max !== undefined) n = n.max(def.max);
      s = n;
      break;
    }
    case 'number': {
      let n = z.number();
      if (def.min !== undefined) n = n.min(def.min);
      if (def.max !== undefined) n = n.max(def.max);
      s = n;
      break;
    }
    case 'bool':
      s = z.boolean();
      break;
    case 'enum':
      s = z.enum(def.values as [string, ...string[]]);
      break;
    case 'vocab':
      s = termCode.describe(`A code of the "${def.vocabulary}" vocabulary`);
      break;
    case 'vocabList':
      s = z
        .array(termCode)
        .max(200)
        .refine((a) => new Set(a).size === a.length, 'lists each code once')
        .describe(`Codes of the "${def.vocabulary}" vocabulary`);
      break;
    case 'ref':
      s = recordId.describe(`Id of a record of type ${def.target}`);
      break;
    case 'refList':
      s = z
        .array(recordId)
        .max(5000)
        .refine((a) => new Set(a).size === a.length, 'lists each id once')
        .describe(`Ids of records of type ${def.target}`);
      break;
    case 'fuzzyDate':
      s = fuzzyDateSchema;
      break;
    case 'date':
      s = z.iso.date();
      break;
    case 'datetime':
      s = z.iso.datetime({ offset: true });
      break;
    case 'identity':
      s = identitySchema;
      break;
  }
  return s.describe(def.description);
}

/** Body of `POST /api/v1/<type>`: required fields present, others optional or null. */
export function createSchema(def: RecordTypeDef) {
  const shape: Record<string, z.ZodType> = {
    compartment: recordId.optional().describe('Compartment to create it in; may be left out when you can create in only one'),
  };
  for (const [name, f] of Object.entries(def.fields)) {
    const s = fieldSchema(f);
    shape[name] = f.required ? s : s.nullable().optional();
  }
  return z.object(shape).strict();
}

/** Body of `PATCH /api/v1/<type>/{id}`: any subset of fields; required ones cannot be nulled. */
export function updateSchema(def: RecordTypeDef) {
  const shape: Record<string, z.ZodType> = {
    compartment: recordId.optional().describe('Move the record to this compartment'),
  };
  for (const [name, f] of Object.entries(def.fields)) {
    const s = fieldSchema(f);
    shape[name] = f.required ? s.optional() : s.nullable().optional();
  }
  return z.object(shape).strict();
}

const responseField = (f: FieldDef): z.ZodType => {
  // identity values never appear in ordinary answers: only `hidden` says one exists
  if (f.sensitive === 'identity') return z.null();
  switch (f.kind) {
    case 'vocabList':
    case 'refList':
      return z.array(z.string());
    case 'fuzzyDate':
      return z.object({ value: z.string().nullable(), precision: z.enum(DATE_PRECISIONS) }).nullable();
    case 'int':
    case 'number':
      return z.number().nullable();
    case 'bool':
      return z.boolean().nullable();
    default:
      return z.string().nullable();
  }
};

export const linkSchema = z.object({
  field: z.string(),
  type: z.string(),
  id: z.string(),
  label: z.string().nullable(),
});

/** A record as the API answers it. */
export function recordSchema(def: RecordTypeDef) {
  const shape: Record<string, z.ZodType> = {
    id: z.string(),
    recordType: z.literal(def.name).describe("The record type"),
    compartment: z.string().describe('Compartment the record belongs to'),
    version: z.number().int(),
    createdAt: z.string(),
    createdBy: z.string().nullable(),
    updatedAt: z.string(),
    updatedBy: z.string().nullable(),
    hidden: z.array(z.string()).describe('Fields holding a protected value, shown only by revealing it'),
  };
  for (const [name, f] of Object.entries(def.fields)) shape[name] = responseField(f).describe(f.description);
  return z.object(shape);
}

export const permissionsSchema = z
  .object({ update: z.boolean(), delete: z.boolean(), revealIdentity: z.boolean() })
  .describe('What you may do with this record');

/** A record in a listing, with what the caller may do with it. */
export function listItemSchema(def: RecordTypeDef) {
  return recordSchema(def).extend({ permissions: permissionsSchema });
}

/** A record with the records it links to and those that link to it. */
export function recordWithLinksSchema(def: RecordTypeDef) {
  return recordSchema(def).extend({
    links: z.object({
      outgoing: z.array(linkSchema),
      incoming: z.array(linkSchema),
      incomingTruncated: z.boolean(),
    }),
    permissions: permissionsSchema,
  });
}

export const historyEntrySchema = z.object({
  version: z.number().int(),
  action: z.enum(['create', 'update', 'delete']),
  at: z.string(),
  actor: z.object({ id: z.string(), username: z.string() }).nullable(),
  changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })),
});

/** Orders every list offers: by creation and by last change. */
export const SORTS = ['createdAt', '-createdAt', 'updatedAt', '-updatedAt'] as const;

/**
 * The orders a type's list accepts: the common ones, then each sortable field ascending and
 * descending (`title`, `-title`). Records without a value come last either way.
 */
export function sortsOf(def: RecordTypeDef): string[] {
  const out: string[] = [...SORTS];
  for (const [name, f] of Object.entries(def.fields)) if (isSortable(f)) out.push(name, `-${name}`);
  return out;
}

/** Query of `GET /api/v1/<type>`: paging, sort, and one filter per filterable field. */
export function listQuerySchema(def: RecordTypeDef) {
  const shape: Record<string, z.ZodType> = {
    limit: z.coerce.number().int().min(1).max(500).default(50).describe('Page size (1–500)'),
    cursor: z.string().max(500).optional().describe('Cursor from the previous page’s nextCursor'),
    sort: sortSchema(def),
    compartment: z.string().max(2000).optional().describe('Only records in these compartments (comma-separated ids)'),
  };
  if (def.name === 'persons')
    shape.name = z.string().max(300).optional().describe('Only persons with a name matching every word of this, in any script or common spelling');
  for (const [name, f] of Object.entries(def.fields)) {
    for (const [param, desc] of filterParams(name, f)) {
      shape[param] = z.string().max(2000).optional().describe(desc);
    }
  }
  return z.object(shape).strict();
}

function sortSchema(def: RecordTypeDef) {
  const sorts = sortsOf(def);
  return z
    .enum(sorts as [string, ...string[]], { error: () => `unknown order; one of: ${sorts.join(', ')}` })
    .default('-createdAt')
    .describe('Order: a field name, "-" before it for descending; records without a value come last either way');
}

/** The query parameters a field offers as filters, with their descriptions. */
export function filterParams(name: string, f: FieldDef): [string, string][] {
  if (f.filter === false) return [];
  switch (f.kind) {
    case 'ref':
    case 'refList':
      return [[name, `Only records whose ${name} is this id (comma-separated: any of them)`]];
    case 'vocab':
    case 'enum':
    case 'vocabList':
      return [[name, `Only records with this ${name} code (comma-separated: any of them)`]];
    case 'bool':
      return [[name, `true or false`]];
    case 'fuzzyDate':
    case 'date':
    case 'datetime':
      return [
        [`${name}From`, `Only records whose ${name} is on or after this date (YYYY-MM-DD)`],
        [`${name}To`, `Only records whose ${name} is on or before this date (YYYY-MM-DD)`],
      ];
    default:
      return f.filter ? [[name, `Exact ${name}`]] : [];
  }
}

/** Schemas for every record type, computed once. */
export const RECORD_SCHEMAS = new Map(
  [...RECORD_TYPES.values()].map((def) => [
    def.name,
    {
      create: createSchema(def),
      update: updateSchema(def),
      record: recordSchema(def),
      withLinks: recordWithLinksSchema(def),
      listQuery: listQuerySchema(def),
      listItem: listItemSchema(def),
    },
  ]),
) as ReadonlyMap<RecordTypeName, {
  create: ReturnType<typeof createSchema>;
  update: ReturnType<typeof updateSchema>;
  record: ReturnType<typeof recordSchema>;
  withLinks: ReturnType<typeof recordWithLinksSchema>;
  listQuery: ReturnType<typeof listQuerySchema>;
  listItem: ReturnType<typeof listItemSchema>;
}>;
