// The en catalog: every area file of en/, merged into one chunk (see index.ts).
const files = import.meta.glob<Record<string, unknown>>('./en/*.json', { eager: true, import: 'default' });
export default Object.assign({}, ...Object.values(files)) as Record<string, unknown>;
