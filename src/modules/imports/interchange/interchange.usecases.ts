import { RECORD_TYPE_NAMES, type RecordTypeName } from '../../../domain/records/fields.js';

/**
 * What `letapis export uwazi` exports when no type is named: every record type but person names,
 * whose one field that matters (the spelling) is an identity, kept encrypted and never exported.
 */
export const INTERCHANGE_DEFAULT_TYPES: RecordTypeName[] = RECORD_TYPE_NAMES.filter((t) => t !== 'person-names');
