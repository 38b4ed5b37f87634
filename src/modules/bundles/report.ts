/**
 * The human-readable report of a case bundle, as one self-contained HTML document and as a PDF.
 * Both show the same content, drawn only from the manifest: the case, the export, the log and its
 * checkpoint, the case records, every item with its files, acquisitions, links and custody events,
 * the withheld material, and the verification instructions of VERIFY.txt.
 *
 * Both are deterministic (the same manifest gives the same bytes): nothing depends on the time of
 * rendering, the locale or the time zone. The HTML loads nothing (a Content-Security-Policy of
 * `default-src 'none'` and no URL anywhere); the PDF embeds subsets of the DejaVu fonts so that
 * Cyrillic renders, and its dates and file ID are derived from the manifest.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import PDFDocument from 'pdfkit';
import type { BundleEvent, BundleManifest } from './manifest.js';
import { hexToBase64, printable, verifyInstructions } from './verify-text.js';

// ---------------------------------------------------------------------------------------------
// Shared formatting

/** `1234567 bytes (1.2 MiB)`: the exact count first, a binary-prefixed approximation after it. */
export function formatSize(n: number): string {
  const exact = `${n} ${n === 1 ? 'byte' : 'bytes'}`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = -1;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u < 0 ? exact : `${exact} (${v.toFixed(1)} ${units[u]})`;
}

/** A field value as text: strings as they are, arrays of scalars joined, anything else as JSON. */
function formatValue(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v) && v.every((x) => x === null || ['string', 'number', 'boolean'].includes(typeof x))) {
    return v.length === 0 ? '—' : v.map((x) => (x === null ? '—' : String(x))).join(', ');
  }
  return JSON.stringify(v) ?? String(v);
}

function orDash(s: string | null | undefined): string {
  return s === null || s === undefined || s === '' ? '—' : s;
}

function actorName(m: BundleManifest, id: string | null): string {
  if (id === null) return 'system';
  const name = Object.prototype.hasOwnProperty.call(m.actors, id) ? m.actors[id] : undefined;
  return typeof name === 'string' && name !== '' ? name : id;
}

/** `Name (id)` when the id has a name, the id alone otherwise; `system` for null. */
function actorLabel(m: BundleManifest, id: string | null): string {
  const name = actorName(m, id);
  return id !== null && name !== id ? `${name} (${id})` : name;
}

function targetLabel(t: { type: string; id: string } | null): string {
  return t === null ? '—' : `${t.type} ${t.id}`;
}

function recordLabel(m: BundleManifest, type: string, id: string): string | null {
  const r = m.records.find((x) => x.type === type && x.id === id);
  return r ? r.label : null;
}

interface NoteParts {
  body: string[];
  signatures: Array<{ line: string; signer: string; role: string }>;
}

/** Splits the signed note into its body lines and its signature lines, naming each signer's role. */
function parseNote(m: BundleManifest): NoteParts {
  const note = m.checkpoint.note;
  const cut = note.indexOf('\n\n');
  const body = (cut < 0 ? note : note.slice(0, cut)).split('\n').filter((l, i, a) => !(i === a.length - 1 && l === ''));
  const sigText = cut < 0 ? '' : note.slice(cut + 2);
  const keyName = (k: string): string => k.split('+')[0] ?? k;
  const logName = keyName(m.log.publicKey);
  const witnessNames = new Set(m.log.witnessKeys.map(keyName));
  const signatures = sigText
    .split('\n')
    .filter((l) => l !== '')
    .map((line) => {
      const parts = line.replace(/^\u2014 /, '').split(' ');
      const signer = parts.length >= 2 ? parts.slice(0, -1).join(' ') : '';
      const role = !line.startsWith('\u2014 ')
        ? 'not a signature line'
        : signer === logName
          ? 'log signature'
          : witnessNames.has(signer)
            ? 'witness cosignature'
            : 'signature by a key not named in the manifest';
      return { line, signer, role };
    });
  return { body, signatures };
}

/** The date the PDF carries: the latest event time in the manifest, or 2000-01-01 if there is none. */
export function reportDate(m: BundleManifest): Date {
  let best = Number.NEGATIVE_INFINITY;
  for (const it of m.items) {
    for (const e of it.events) {
      const t = Date.parse(e.body.at);
      if (Number.isFinite(t) && t > best) best = t;
    }
  }
  // Whole seconds: the PDF date format has no fractions, and the file ID hashes the exact time.
  return new Date(Number.isFinite(best) ? Math.floor(best / 1000) * 1000 : Date.UTC(2000, 0, 1));
}

function reportTitle(m: BundleManifest): string {
  return `Case bundle — ${m.case.title}`;
}

// ---------------------------------------------------------------------------------------------
// HTML

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** HTML-escapes a manifest string (text and attribute safe) after neutralising control characters. */
export function escapeHtml(s: string, multiline = false): string {
  return printable(s, multiline).replace(/[&<>"']/g, (c) => ESC[c] ?? c);
}

const CSS = `
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; font-size: 14px; line-height: 1.45; color: #111; margin: 2em auto; max-width: 60em; padding: 0 1em; }
h1 { font-size: 1.6em; border-bottom: 2px solid #333; padding-bottom: .2em; }
h2 { font-size: 1.3em; margin-top: 2em; border-bottom: 1px solid #999; }
h3 { font-size: 1.1em; margin-top: 1.6em; }
h4 { font-size: 1em; margin: 1.2em 0 .4em; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .15em 1em; margin: .5em 0; }
dt { font-weight: bold; color: #333; }
dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; margin: .5em 0; font-size: .9em; }
th, td { border: 1px solid #bbb; padding: .25em .4em; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: #eee; }
.hash, code, pre { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: .85em; }
.hash { word-break: break-all; }
.muted { color: #666; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f6f6; border: 1px solid #ddd; padding: .6em; }
section.item { border-top: 1px dashed #999; }
@media print { body { margin: 0; max-width: none; } section.item { break-before: auto; } tr { break-inside: avoid; } }
@page { size: A4; margin: 15mm; }
`;

/** The report as one self-contained HTML5 document. */
export function renderReportHtml(m: BundleManifest): string {
  const e = (s: string): string => escapeHtml(s);
  const hash = (s: string | null): string => (s === null ? '—' : `<span class="hash">${e(s)}</span>`);
  const dl = (rows: Array<[string, string]>): string =>
    `<dl>\n${rows.map(([k, v]) => `<dt>${e(k)}</dt><dd>${v}</dd>`).join('\n')}\n</dl>`;
  const table = (head: string[], rows: string[][]): string =>
    rows.length === 0
      ? '<p class="muted">None.</p>'
      : `<table>\n<thead><tr>${head.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead>\n<tbody>\n${rows
          .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
          .join('\n')}\n</tbody>\n</table>`;

  const out: string[] = [];
  const title = reportTitle(m);
  out.push(
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="${e(`${m.generator.name} ${m.generator.version}`)}">`,
    `<title>${e(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    `<h1>${e(title)}</h1>`,
    `<p class="muted">Report of a ${e(m.format)} bundle. Everything below is taken from the bundle's manifest.json; how to check it is described at the end and in VERIFY.txt.</p>`,
  );

  out.push(
    '<section id="case"><h2>Case</h2>',
    dl([
      ['Case id', `<code>${e(m.case.id)}</code>`],
      ['Title', e(m.case.title)],
      ['Status', e(m.case.status)],
    ]),
    '</section>',
    '<section id="export"><h2>Export</h2>',
    dl([
      ['Exported by', e(m.export.by === null ? '—' : actorLabel(m, m.export.by))],
      ['Reason', e(orDash(m.export.reason))],
      ['Recipient', e(orDash(m.export.recipient))],
      ['Generator', e(`${m.generator.name} ${m.generator.version}`)],
    ]),
    '</section>',
  );

  const note = parseNote(m);
  out.push(
    '<section id="log"><h2>Log and checkpoint</h2>',
    dl([
      ['Log origin', e(m.log.origin)],
      ['Log public key', hash(m.log.publicKey)],
      [
        'Witness keys',
        m.log.witnessKeys.length === 0 ? 'none' : m.log.witnessKeys.map((k) => hash(k)).join('<br>'),
      ],
      ['Witness quorum', e(`${m.log.witnessQuorum} of ${m.log.witnessKeys.length}`)],
      ['Checkpoint size', e(`${m.checkpoint.size} leaves`)],
      ['Root hash (hex)', hash(m.checkpoint.rootHash)],
      ['Root hash (base64)', hash(hexToBase64(m.checkpoint.rootHash) || '—')],
    ]),
    '<h4>Checkpoint body</h4>',
    `<pre>${note.body.map((l) => e(l)).join('\n')}</pre>`,
    '<h4>Signatures and cosignatures</h4>',
    table(
      ['Signer', 'Kind', 'Signature line'],
      note.signatures.map((s) => [e(orDash(s.signer)), e(s.role), hash(s.line)]),
    ),
    '<h4>RFC 3161 timestamps of the checkpoint</h4>',
    table(
      ['Time-stamping authority', 'genTime', 'Token size'],
      m.checkpoint.timestamps.map((t) => [
        e(t.tsa),
        `<code>${e(t.genTime)}</code>`,
        e(formatSize(Math.floor((t.token.replace(/[^A-Za-z0-9+/]/g, '').length * 3) / 4))),
      ]),
    ),
    '</section>',
  );

  out.push('<section id="records"><h2>Records</h2>');
  if (m.records.length === 0) out.push('<p class="muted">None.</p>');
  for (const r of m.records) {
    out.push(
      `<h3>${e(r.label)}</h3>`,
      dl([
        ['Type', e(r.type)],
        ['Id', `<code>${e(r.id)}</code>`],
      ]),
      dl(Object.entries(r.data).map(([k, v]) => [k, e(formatValue(v))])),
    );
  }
  out.push('</section>');

  out.push('<section id="items"><h2>Evidence items</h2>');
  if (m.items.length === 0) out.push('<p class="muted">None.</p>');
  m.items.forEach((it, i) => {
    const files = m.files.filter((f) => f.itemId === it.id);
    out.push(
      `<section class="item" id="item-${i + 1}">`,
      `<h3>Item ${i + 1} of ${m.items.length}</h3>`,
      dl([
        ['Id', `<code>${e(it.id)}</code>`],
        ['Derived from', it.parentId === null ? '—' : `<code>${e(it.parentId)}</code>`],
        ['MIME type', e(orDash(it.mime))],
        ['Category', e(orDash(it.category))],
        ['Size', e(formatSize(it.size))],
        ['SHA-256', hash(it.sha256)],
      ]),
      '<h4>Files in the bundle</h4>',
      table(
        ['Path', 'Role', 'MIME type', 'Size', 'SHA-256'],
        files.map((f) => [
          `<code>${e(f.path)}</code>`,
          e(f.role + (f.derivativeKind ? ` (${f.derivativeKind})` : '')),
          e(orDash(f.mime)),
          e(formatSize(f.size)),
          hash(f.sha256),
        ]),
      ),
      '<h4>Acquisition</h4>',
      table(
        ['Method', 'Acquired at', 'Acquired by', 'Tool version', 'Note'],
        it.acquisitions.map((a) => [
          e(a.method),
          `<code>${e(a.acquiredAt)}</code>`,
          e(a.acquiredBy === null ? '—' : actorLabel(m, a.acquiredBy)),
          e(a.toolVersion),
          e(orDash(a.note)),
        ]),
      ),
      '<h4>Links to records</h4>',
      table(
        ['Record', 'Span', 'Note'],
        it.links.map((l) => {
          const label = recordLabel(m, l.targetType, l.targetId);
          return [
            `${label === null ? '' : `${e(label)}<br>`}<span class="muted">${e(l.targetType)} <code>${e(l.targetId)}</code></span>`,
            e(l.span === null || l.span === undefined ? '—' : formatValue(l.span)),
            e(orDash(l.note)),
          ];
        }),
      ),
      `<h4>Chain of custody (${it.events.length} event${it.events.length === 1 ? '' : 's'})</h4>`,
      table(
        ['#', 'Time', 'Action', 'Actor', 'Target', 'Reason', 'Details', 'Leaf hash', 'Previous'],
        it.events.map((ev) => [
          e(String(ev.body.index)),
          `<code>${e(ev.body.at)}</code>`,
          e(ev.body.action),
          e(actorLabel(m, ev.body.actor)),
          e(targetLabel(ev.body.target)),
          e(orDash(ev.body.reason)),
          e(ev.body.details === null ? '—' : formatValue(ev.body.details)),
          hash(ev.leafHash),
          hash(ev.body.prev),
        ]),
      ),
      '</section>',
    );
  });
  out.push('</section>');

  out.push(
    '<section id="withheld"><h2>Withheld material</h2>',
    '<p>Material of the case that is not in this bundle, and why.</p>',
    table(
      ['Type', 'Id', 'Reason'],
      m.withheld.map((w) => [e(w.type), `<code>${e(w.id)}</code>`, e(w.reason)]),
    ),
    '</section>',
    '<section id="verify"><h2>How to verify</h2>',
    '<p>The same text is in VERIFY.txt.</p>',
    `<pre>${escapeHtml(verifyInstructions(m), true)}</pre>`,
    '</section>',
    '</body>',
    '</html>',
    '',
  );
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// PDF

const requireFromHere = createRequire(import.meta.url);
const FONT_FILES = {
  sans: 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf',
  bold: 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf',
  mono: 'dejavu-fonts-ttf/ttf/DejaVuSansMono.ttf',
} as const;
type FontName = keyof typeof FONT_FILES;
let fontCache: Record<FontName, Buffer> | null = null;

function fonts(): Record<FontName, Buffer> {
  if (fontCache === null) {
    fontCache = {
      sans: readFileSync(requireFromHere.resolve(FONT_FILES.sans)),
      bold: readFileSync(requireFromHere.resolve(FONT_FILES.bold)),
      mono: readFileSync(requireFromHere.resolve(FONT_FILES.mono)),
    };
  }
  return fontCache;
}

/** Output buffered inside pdfkit before layout pauses to let `out` drain. */
const HIGH_WATER = 1 << 20;

const MARGIN = 50;
const LABEL_W = 105;
const SIZE = { body: 9, small: 7.5, hash: 7, h1: 16, h2: 13, h3: 11 } as const;

type Doc = PDFKit.PDFDocument;

/** A thin layer over pdfkit that keeps track of the current font and moves the cursor predictably. */
class Writer {
  private font: FontName = 'sans';
  private size: number = SIZE.body;
  private color = '#000000';
  pages = 1;

  constructor(
    readonly doc: Doc,
    private readonly totalPages: number | null,
    private readonly pause: () => Promise<void>,
  ) {
    this.doc.on('pageAdded', () => {
      this.pages++;
      this.footer();
    });
    this.footer();
  }

  get width(): number {
    return this.doc.page.width - MARGIN * 2;
  }

  private get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  setFont(font: FontName, size: number, color = '#000000'): void {
    this.font = font;
    this.size = size;
    this.color = color;
    this.doc.font(font).fontSize(size).fillColor(color);
  }

  /** The page number at the foot of the current page; restores the font and cursor. */
  private footer(): void {
    const { doc } = this;
    const x = doc.x;
    const y = doc.y;
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const label = this.totalPages === null ? `${this.pages}` : `${this.pages} / ${this.totalPages}`;
    doc
      .font('sans')
      .fontSize(SIZE.small)
      .fillColor('#666666')
      .text(label, MARGIN, doc.page.height - MARGIN / 2 - SIZE.small, { width: this.width, align: 'center', lineBreak: false });
    doc.page.margins.bottom = bottom;
    doc.font(this.font).fontSize(this.size).fillColor(this.color);
    doc.x = x;
    doc.y = y;
  }

  /** Starts a new page unless `height` points fit below the cursor. */
  ensure(height: number): void {
    if (this.doc.y + height > this.bottom && this.doc.y > this.doc.page.margins.top) this.doc.addPage();
  }

  async yieldIfFull(): Promise<void> {
    await this.pause();
  }

  gap(h: number): void {
    this.doc.y += h;
  }

  heading(text: string, level: 1 | 2 | 3): void {
    const size = level === 1 ? SIZE.h1 : level === 2 ? SIZE.h2 : SIZE.h3;
    this.gap(level === 1 ? 0 : level === 2 ? 10 : 6);
    this.setFont('bold', size);
    this.ensure(this.doc.heightOfString(text, { width: this.width }) + 30);
    this.doc.text(text, MARGIN, this.doc.y, { width: this.width });
    if (level <= 2) {
      const y = this.doc.y + 1;
      this.doc.moveTo(MARGIN, y).lineTo(MARGIN + this.width, y).lineWidth(level === 1 ? 1 : 0.5).strokeColor('#888888').stroke();
    }
    this.gap(4);
    this.setFont('sans', SIZE.body);
  }

  paragraph(text: string, font: FontName = 'sans', size: number = SIZE.body, color = '#000000'): void {
    this.setFont(font, size, color);
    this.doc.text(printable(text, true), MARGIN, this.doc.y, { width: this.width });
    this.setFont('sans', SIZE.body);
    this.gap(2);
  }

  /** One `label  value` row; a value in `mono` is set small so that a SHA-256 fits on a line. */
  kv(label: string, value: string, mono = false, indent = 0): void {
    const { doc } = this;
    const lx = MARGIN + indent;
    const vx = MARGIN + indent + LABEL_W;
    const vw = this.width - indent - LABEL_W;
    const v = printable(value, true);
    label = printable(label);
    this.setFont('bold', SIZE.small, '#333333');
    const lh = doc.heightOfString(label, { width: LABEL_W - 6 });
    this.setFont(mono ? 'mono' : 'sans', mono ? SIZE.hash : SIZE.body);
    const vh = doc.heightOfString(v, { width: vw });
    this.ensure(Math.min(Math.max(lh, vh), 200));
    const y = doc.y;
    this.setFont('bold', SIZE.small, '#333333');
    doc.text(label, lx, y + (mono ? 0 : 1), { width: LABEL_W - 6 });
    const afterLabel = doc.y;
    this.setFont(mono ? 'mono' : 'sans', mono ? SIZE.hash : SIZE.body);
    doc.text(v, vx, y, { width: vw });
    // A value that flowed onto a new page leaves the cursor there; otherwise take the lower of both.
    if (doc.y >= y) doc.y = Math.max(doc.y, afterLabel);
    this.gap(1.5);
    this.setFont('sans', SIZE.body);
  }

  subheading(text: string): void {
    this.gap(4);
    this.setFont('bold', SIZE.body);
    this.ensure(40);
    this.doc.text(printable(text), MARGIN, this.doc.y, { width: this.width });
    this.gap(2);
    this.setFont('sans', SIZE.body);
  }

  rule(): void {
    const y = this.doc.y + 2;
    this.doc.moveTo(MARGIN, y).lineTo(MARGIN + this.width, y).lineWidth(0.3).strokeColor('#bbbbbb').stroke();
    this.gap(5);
  }
}

function newDoc(m: BundleManifest): Doc {
  const date = reportDate(m);
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    bufferPages: false,
    compress: true,
    lang: 'en',
    displayTitle: true,
    info: {
      Title: printable(reportTitle(m)),
      Subject: `Case ${printable(m.case.id)}`,
      Creator: `${printable(m.generator.name)} ${printable(m.generator.version)}`,
      Producer: 'PDFKit',
      // pdfkit would otherwise stamp the time of rendering; the file ID is an MD5 of these entries,
      // so fixing the dates also fixes the ID.
      CreationDate: date,
      ModDate: date,
    },
  });
  const f = fonts();
  doc.registerFont('sans', f.sans);
  doc.registerFont('bold', f.bold);
  doc.registerFont('mono', f.mono);
  doc.font('sans').fontSize(SIZE.body);
  return doc;
}

function eventBlock(w: Writer, m: BundleManifest, ev: BundleEvent): void {
  const b = ev.body;
  w.setFont('bold', SIZE.body);
  w.ensure(70);
  w.doc.text(printable(`#${b.index}   ${b.at}   ${b.action}`), MARGIN, w.doc.y, { width: w.width });
  w.setFont('sans', SIZE.body);
  w.kv('Actor', actorLabel(m, b.actor), false, 10);
  w.kv('Target', targetLabel(b.target), false, 10);
  if (b.reason !== null) w.kv('Reason', b.reason, false, 10);
  if (b.details !== null) w.kv('Details', formatValue(b.details), false, 10);
  w.kv('Event id', b.id, true, 10);
  w.kv('Leaf hash', ev.leafHash, true, 10);
  w.kv('Previous', b.prev ?? '— (first event of this target)', b.prev !== null, 10);
  w.rule();
}

async function layout(w: Writer, m: BundleManifest): Promise<void> {
  w.heading(printable(reportTitle(m)), 1);
  w.paragraph(
    `Report of a ${m.format} bundle. Everything below is taken from the bundle's manifest.json; how to check it is described at the end and in VERIFY.txt.`,
    'sans',
    SIZE.small,
    '#555555',
  );

  w.heading('Case', 2);
  w.kv('Case id', m.case.id, true);
  w.kv('Title', m.case.title);
  w.kv('Status', m.case.status);

  w.heading('Export', 2);
  w.kv('Exported by', m.export.by === null ? '—' : actorLabel(m, m.export.by));
  w.kv('Reason', orDash(m.export.reason));
  w.kv('Recipient', orDash(m.export.recipient));
  w.kv('Generator', `${m.generator.name} ${m.generator.version}`);

  const note = parseNote(m);
  w.heading('Log and checkpoint', 2);
  w.kv('Log origin', m.log.origin);
  w.kv('Log public key', m.log.publicKey, true);
  if (m.log.witnessKeys.length === 0) w.kv('Witness keys', 'none');
  m.log.witnessKeys.forEach((k, i) => w.kv(i === 0 ? 'Witness keys' : '', k, true));
  w.kv('Witness quorum', `${m.log.witnessQuorum} of ${m.log.witnessKeys.length}`);
  w.kv('Checkpoint size', `${m.checkpoint.size} leaves`);
  w.kv('Root hash (hex)', m.checkpoint.rootHash, true);
  w.kv('Root hash (base64)', hexToBase64(m.checkpoint.rootHash) || '—', true);
  w.kv('Checkpoint body', note.body.join('\n'), true);
  for (const s of note.signatures) w.kv(s.role, s.line, true);
  if (m.checkpoint.timestamps.length === 0) w.kv('RFC 3161', 'no timestamps');
  for (const t of m.checkpoint.timestamps) w.kv('RFC 3161 timestamp', `${t.genTime} — ${t.tsa}`);

  w.heading('Records', 2);
  if (m.records.length === 0) w.paragraph('None.');
  for (const r of m.records) {
    w.heading(printable(r.label), 3);
    w.kv('Type', r.type);
    w.kv('Id', r.id, true);
    for (const [k, v] of Object.entries(r.data)) w.kv(k, formatValue(v));
    await w.yieldIfFull();
  }

  w.heading('Evidence items', 2);
  if (m.items.length === 0) w.paragraph('None.');
  for (const [i, it] of m.items.entries()) {
    w.heading(`Item ${i + 1} of ${m.items.length}`, 3);
    w.kv('Id', it.id, true);
    w.kv('Derived from', it.parentId ?? '—', it.parentId !== null);
    w.kv('MIME type', orDash(it.mime));
    w.kv('Category', orDash(it.category));
    w.kv('Size', formatSize(it.size));
    w.kv('SHA-256', it.sha256, true);

    const files = m.files.filter((f) => f.itemId === it.id);
    w.subheading(`Files in the bundle (${files.length})`);
    for (const f of files) {
      w.kv('Path', f.path, true, 10);
      w.kv('Role', f.role + (f.derivativeKind ? ` (${f.derivativeKind})` : ''), false, 10);
      w.kv('MIME type', orDash(f.mime), false, 10);
      w.kv('Size', formatSize(f.size), false, 10);
      w.kv('SHA-256', f.sha256, true, 10);
      w.rule();
    }

    w.subheading(`Acquisition (${it.acquisitions.length})`);
    for (const a of it.acquisitions) {
      w.kv('Method', a.method, false, 10);
      w.kv('Acquired at', a.acquiredAt, false, 10);
      w.kv('Acquired by', a.acquiredBy === null ? '—' : actorLabel(m, a.acquiredBy), false, 10);
      w.kv('Tool version', a.toolVersion, false, 10);
      if (a.note !== null) w.kv('Note', a.note, false, 10);
      w.rule();
    }

    w.subheading(`Links to records (${it.links.length})`);
    for (const l of it.links) {
      const label = recordLabel(m, l.targetType, l.targetId);
      w.kv('Record', `${label === null ? '' : `${label} — `}${l.targetType} ${l.targetId}`, false, 10);
      if (l.span !== null && l.span !== undefined) w.kv('Span', formatValue(l.span), false, 10);
      if (l.note !== null) w.kv('Note', l.note, false, 10);
      w.rule();
    }

    w.subheading(`Chain of custody (${it.events.length} event${it.events.length === 1 ? '' : 's'})`);
    for (const ev of it.events) {
      eventBlock(w, m, ev);
      await w.yieldIfFull();
    }
  }

  w.heading('Withheld material', 2);
  if (m.withheld.length === 0) w.paragraph('None.');
  for (const x of m.withheld) {
    w.kv('Type', x.type);
    w.kv('Id', x.id, true);
    w.kv('Reason', x.reason);
    w.rule();
  }

  w.heading('How to verify', 2);
  w.paragraph('The same text is in VERIFY.txt.', 'sans', SIZE.small, '#555555');
  w.paragraph(verifyInstructions(m), 'mono', SIZE.hash);
}

function pauser(doc: Doc, failed: () => unknown): () => Promise<void> {
  return async () => {
    let waits = 0;
    while (doc.readableLength > HIGH_WATER) {
      const err = failed();
      if (err) throw err;
      await new Promise<void>((r) => (waits++ < 10 ? setImmediate(r) : setTimeout(r, 5)));
    }
    const err = failed();
    if (err) throw err;
  };
}

/** Lays the report out once without keeping the output, to learn the number of pages. */
async function countPages(m: BundleManifest): Promise<number> {
  const doc = newDoc(m);
  doc.resume();
  const w = new Writer(doc, null, pauser(doc, () => null));
  await layout(w, m);
  const pages = w.pages;
  doc.removeAllListeners('pageAdded');
  return pages;
}

/** The report as an A4 PDF, streamed to `out`; resolves when `out` has taken all of it. */
export async function renderReportPdf(m: BundleManifest, out: NodeJS.WritableStream): Promise<void> {
  const total = await countPages(m);
  const doc = newDoc(m);
  let failure: unknown = null;
  const done = pipeline(doc, out);
  done.catch((e: unknown) => {
    failure = e ?? new Error('PDF output failed');
  });
  try {
    const w = new Writer(doc, total, pauser(doc, () => failure));
    await layout(w, m);
    doc.end();
  } catch (e) {
    doc.destroy(e instanceof Error ? e : new Error(String(e)));
  }
  await done;
}
