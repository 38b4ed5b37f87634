/**
 * Text of an HTML (or XML/SVG) page without running or loading anything: one linear pass over
 * the markup, script/style/template content dropped, entities decoded, block elements as line
 * breaks. The result is plain text; whoever shows it still escapes it.
 */

export interface HtmlText {
  text: string;
  title?: string;
  /** `<meta name|property|http-equiv=… content=…>`, first 50. */
  meta: Record<string, string>;
  /** Number of `<a href>`. */
  links: number;
}

const DROPPED = new Set(['script', 'style', 'noscript', 'template', 'iframe', 'object', 'embed', 'head-script']);
const BLOCK = new Set([
  'p', 'div', 'br', 'li', 'tr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'section', 'article', 'header', 'footer',
  'blockquote', 'pre', 'hr', 'ul', 'ol', 'dt', 'dd', 'dl', 'main', 'nav', 'aside', 'figure', 'figcaption', 'form',
  'fieldset', 'address', 'caption', 'tbody', 'thead', 'tfoot', 'body', 'html', 'title',
]);
const CELL = new Set(['td', 'th']);

const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', laquo: '«', raquo: '»', mdash: '—', ndash: '–',
  hellip: '…', copy: '©', reg: '®', trade: '™', bull: '•', middot: '·', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”',
  bdquo: '„', shy: '', deg: '°', euro: '€', times: '×', numero: '№', sect: '§',
};

export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});/g, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      if (!Number.isFinite(code) || code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\uFFFD';
      return String.fromCodePoint(code);
    }
    return NAMED[body] ?? NAMED[body.toLowerCase()] ?? whole;
  });
}

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/g;
  let m: RegExpExecArray | null;
  let n = 0;
  while ((m = re.exec(tag.slice(0, 8192))) && n++ < 64) out[m[1]!.toLowerCase()] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
  return out;
}

/** End of a tag starting at `lt`: the `>` outside quoted attribute values, or -1. */
function tagEnd(html: string, lt: number): number {
  let quote = '';
  for (let i = lt + 1; i < html.length; i++) {
    const c = html[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i;
  }
  return -1;
}

export function htmlToText(html: string, maxChars: number): HtmlText {
  const lower = html.toLowerCase();
  const parts: string[] = [];
  let length = 0;
  const push = (s: string): void => {
    if (length < maxChars * 2) {
      parts.push(s);
      length += s.length;
    }
  };
  const meta: Record<string, string> = {};
  let title: string | undefined;
  let links = 0;
  const nameRe = /<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)/y;
  let i = 0;
  while (i < html.length && length < maxChars * 2) {
    const lt = html.indexOf('<', i);
    if (lt < 0) {
      push(decodeEntities(html.slice(i)));
      break;
    }
    if (lt > i) push(decodeEntities(html.slice(i, lt)));
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      i = end < 0 ? html.length : end + 3;
      continue;
    }
    if (html.startsWith('<![CDATA[', lt)) {
      const end = html.indexOf(']]>', lt + 9);
      push(html.slice(lt + 9, end < 0 ? html.length : end));
      i = end < 0 ? html.length : end + 3;
      continue;
    }
    if (html[lt + 1] === '!' || html[lt + 1] === '?') {
      const end = html.indexOf('>', lt);
      i = end < 0 ? html.length : end + 1;
      continue;
    }
    nameRe.lastIndex = lt;
    const m = nameRe.exec(html);
    if (!m) {
      push('<');
      i = lt + 1;
      continue;
    }
    const end = tagEnd(html, lt);
    if (end < 0) break; // an unclosed tag at the end: the rest is markup
    const closing = m[1] === '/';
    const name = m[2]!.toLowerCase().replace(/^.*:/, '');
    i = end + 1;
    if (closing) {
      if (BLOCK.has(name)) push('\n');
      else if (CELL.has(name)) push('\t');
      continue;
    }
    const selfClosing = html[end - 1] === '/';
    if (DROPPED.has(name) && !selfClosing) {
      const close = lower.indexOf(`</${m[2]!.toLowerCase()}`, i);
      if (close < 0) break;
      const closeEnd = html.indexOf('>', close);
      i = closeEnd < 0 ? html.length : closeEnd + 1;
      continue;
    }
    if (name === 'title' && title === undefined && !selfClosing) {
      const close = lower.indexOf('</title', i);
      if (close >= 0) title = collapse(decodeEntities(html.slice(i, close))).slice(0, 1000);
      i = close < 0 ? html.length : Math.max(i, html.indexOf('>', close) + 1);
      continue;
    }
    if (name === 'meta' || name === 'a') {
      const attrs = attributes(html.slice(lt, end + 1));
      if (name === 'a' && attrs.href !== undefined) links++;
      if (name === 'meta') {
        const key = attrs.name ?? attrs.property ?? attrs['http-equiv'] ?? (attrs.charset !== undefined ? 'charset' : undefined);
        const value = attrs.content ?? attrs.charset;
        if (key && value !== undefined && Object.keys(meta).length < 50) meta[key.slice(0, 100)] = value.slice(0, 2000);
      }
    }
    if (BLOCK.has(name)) push('\n');
    else if (CELL.has(name)) push('\t');
    else if (name === 'img') {
      const alt = attributes(html.slice(lt, end + 1)).alt;
      if (alt) push(` ${alt} `);
    }
  }
  const text = collapse(parts.join('')).slice(0, maxChars);
  const out: HtmlText = { text, meta, links };
  if (title) out.title = title;
  return out;
}

/** Spaces collapsed within lines, at most one empty line between paragraphs. */
export function collapse(s: string): string {
  return s
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/[ \t\u00a0\f\v]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
