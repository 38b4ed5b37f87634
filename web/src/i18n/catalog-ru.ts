// The ru catalog: every area file of ru/, merged into one chunk (see index.ts).
const files = import.meta.glob<Record<string, unknown>>('./ru/*.json', { eager: true, import: 'default' });
export default Object.assign({}, ...Object.values(files)) as Record<string, unknown>;
