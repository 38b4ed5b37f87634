import { pathToFileURL } from 'node:url';
import { isolatedFailure, isolatedScript, runIsolatedNode } from './child-process.js';
import type { DetectedType } from './detect-type.js';
import { decodeEntities } from './html-text.js';
import { inspectInput } from './input-file.js';
import { cleanText } from './json-value.js';
import { DEFAULT_TIMEOUTS, limitsOf, type LimitOptions } from './limits.js';
import { MediaError } from './media-error.js';
import { METADATA_SCHEMA_VERSION, type DocumentMetadata } from './metadata.types.js';
import { packageDir, packageVersion } from './versions.js';
import { checkZipBomb, readZipDirectory, readZipEntry } from './zip-directory.js';

export const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** mammoth in the sandboxed child: reads the DOCX from file descriptor 4, sends its raw text. */
const DOCX_CHILD = isolatedScript(String.raw`
  const mammoth = (await import(input.mammothUrl)).default;
  const r = await mammoth.extractRawText({ buffer: readInput() });
  const text = String(r.value || '');
  await send({ type: 'text', text: text.slice(0, input.maxChars), truncated: text.length > input.maxChars,
    messages: (r.messages || []).slice(0, 10).map((m) => String(m.message).slice(0, 300)) });
`);

type ChildMessage = { type: 'text'; text: string; truncated: boolean; messages: string[] } | { type: 'error'; name: string; message: string };

/** DOCX: properties (author, last modified by, dates, application) and text, zip bombs refused first. */
export async function extractDocxMetadata(path: string, type: DetectedType, opts: LimitOptions = {}): Promise<DocumentMetadata> {
  const limits = limitsOf(opts);
  const { size } = await inspectInput(path, 'document', limits.maxDocumentBytes);
  const dir = await readZipDirectory(path, { maxEntries: limits.maxZipEntries + 1 });
  checkZipBomb(dir, limits);
  const warnings: string[] = [];
  const properties: Record<string, string> = {};
  for (const part of ['docProps/core.xml', 'docProps/app.xml']) {
    const entry = dir.entries.find((e) => e.name === part);
    if (!entry) continue;
    try {
      Object.assign(properties, xmlProperties((await readZipEntry(path, entry, 1024 * 1024)).toString('utf8')));
    } catch (e) {
      warnings.push(`${part} could not be read: ${e instanceof MediaError ? e.message : 'damaged'}`);
    }
  }
  const mammoth = packageDir('mammoth');
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUTS.document;
  const result = await runIsolatedNode(
    DOCX_CHILD,
    { mammothUrl: pathToFileURL(`${mammoth.dir}/lib/index.js`).href, maxBytes: limits.maxDocumentBytes, maxChars: limits.maxTextChars },
    { what: 'DOCX reader', timeoutMs, maxMemoryBytes: limits.maxChildMemoryBytes, readableDirs: [`${mammoth.nodeModules}/*`], inputPath: path, hidePaths: [path] },
  );
  const messages = result.messages as ChildMessage[];
  const text = messages.find((m): m is Extract<ChildMessage, { type: 'text' }> => m.type === 'text');
  const error = messages.find((m): m is Extract<ChildMessage, { type: 'error' }> => m.type === 'error');
  if (!text) {
    const why = error
      ? new MediaError(error.name === 'limit' ? 'limit' : 'malformed', `the DOCX cannot be read: ${cleanText(error.message, 300)}`)
      : isolatedFailure(result, 'DOCX reader', { timeoutMs, maxMemoryBytes: limits.maxChildMemoryBytes });
    // properties already read are worth keeping
    if (Object.keys(properties).length === 0) throw why;
    warnings.push(why.message);
  }
  for (const m of text?.messages ?? []) warnings.push(cleanText(m, 300));
  if (text?.truncated) warnings.push(`text capped at ${limits.maxTextChars} characters`);
  return {
    schemaVersion: METADATA_SCHEMA_VERSION,
    kind: 'document',
    mime: type.mime,
    category: type.category,
    fileSize: size,
    extractedWith: [`mammoth ${packageVersion('mammoth')}`],
    warnings,
    properties,
    text: cleanText(text?.text ?? '', limits.maxTextChars),
    textTruncated: text?.truncated ?? true,
  };
}

const PROPERTY_TAGS = [
  'title', 'subject', 'creator', 'keywords', 'description', 'lastModifiedBy', 'revision', 'created', 'modified', 'lastPrinted',
  'category', 'contentStatus', 'language', 'identifier', 'Application', 'AppVersion', 'Company', 'Manager', 'Template',
  'Pages', 'Words', 'Characters', 'Lines', 'Paragraphs', 'TotalTime',
];

/** Simple-valued elements of docProps/core.xml and app.xml (one level, no nesting). */
export function xmlProperties(xml: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const tag of PROPERTY_TAGS) {
    const m = new RegExp(`<(?:[A-Za-z]+:)?${tag}(?:\\s[^>]*)?>([^<]{0,4000})</(?:[A-Za-z]+:)?${tag}>`).exec(xml);
    const v = m?.[1] !== undefined ? decodeEntities(m[1]).trim() : '';
    if (v) out[tag] = cleanText(v, 2000);
  }
  return out;
}
