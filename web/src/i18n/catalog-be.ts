// The be catalog: every area file of be/, merged into one chunk (see index.ts).
const files = import.meta.glob<Record<string, unknown>>('./be/*.json', { eager: true, import: 'default' });
export default Object.assign({}, ...Object.values(files)) as Record<string, unknown>;
