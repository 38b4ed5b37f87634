import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BUNDLE_FORMAT, type BundleEvent, type BundleItem, type BundleManifest, type LedgerEventBody } from './manifest.js';
import { renderReportHtml, renderReportPdf } from './report.js';
import { verifyInstructions } from './verify-text.js';

// ------------------------------------------------------------------------------------------------
// Fixture: an invented case with three items and their custody events.

const sha = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');

/** Sorted-key JSON: the RFC 8785 form for the strings, integers and nulls used here. */
function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
    .join(',')}}`;
}

const leafHash = (body: LedgerEventBody): string => sha(Buffer.concat([Buffer.from([0]), Buffer.from(canonical(body))]));

const ACTORS = {
  '0192a000-0000-7000-8000-000000000001': 'Алесь Карпянкоў',
  '0192a000-0000-7000-8000-000000000002': 'Ирина Смирнова',
  '0192a000-0000-7000-8000-000000000003': 'Jane Doyle',
};
const [ALES, IRINA, JANE] = Object.keys(ACTORS) as [string, string, string];
const ITEM_IDS = ['0192b000-0000-7000-8000-00000000000a', '0192b000-0000-7000-8000-00000000000b', '0192b000-0000-7000-8000-00000000000c'] as const;

const PUBLIC_KEY = 'letapis.example/log+3f2a9c1d+AT7s1m8U3yJ0y1hX3kYJgkpQ0Mk8G9Qk1x6S3nT9bJkV';
const WITNESS_KEY = 'witness.example/w1+8c11f0e2+BKk7mE6O5cQ3uYqV4p2d0VJxkq1jzv3oAz4WqfF7dP3a';

function makeEvents(
  itemId: string,
  startIndex: number,
  specs: Array<{ action: string; actor: string | null; reason?: string; details?: Record<string, unknown>; at: string }>,
): BundleEvent[] {
  const out: BundleEvent[] = [];
  let prev: string | null = null;
  specs.forEach((s, i) => {
    const body: LedgerEventBody = {
      v: 1,
      index: startIndex + i * 7,
      id: `0192c000-0000-7000-8000-${String(startIndex + i).padStart(12, '0')}`,
      at: s.at,
      action: s.action,
      actor: s.actor,
      target: { type: 'evidence', id: itemId },
      reason: s.reason ?? null,
      details: s.details ?? null,
      prev,
    };
    const leaf = leafHash(body);
    out.push({ body, leafHash: leaf, proof: [sha(`p1-${leaf}`), sha(`p2-${leaf}`)] });
    prev = leaf;
  });
  return out;
}

function item(id: string, content: string, mime: string, events: BundleEvent[], parentId: string | null = null): BundleItem {
  return {
    id,
    parentId,
    sha256: sha(content),
    size: content.length * 1000 + 17,
    mime,
    category: 'photo',
    acquisitions: [
      {
        id: `acq-${id}`,
        method: 'upload',
        acquiredAt: '2024-03-01T08:00:00Z',
        acquiredBy: ALES,
        toolVersion: 'letapis 0.1.0',
        note: 'Атрымана ад сведкі праз Signal',
      },
    ],
    links: [{ targetType: 'incident', targetId: 'rec-1', span: { start: 12.5, end: 40 }, note: 'Затрыманне каля вакзала' }],
    events,
  };
}

function fixture(title = 'Затрыманні ў Гомелі, сакавік 2024'): BundleManifest {
  const items = [
    item(ITEM_IDS[0], 'video-1', 'video/mp4', [
      ...makeEvents(ITEM_IDS[0], 3, [
        { action: 'evidence.ingest', actor: ALES, at: '2024-03-01T08:00:05Z' },
        { action: 'evidence.view', actor: IRINA, reason: 'Праверка асобы', at: '2024-03-02T10:11:12Z' },
        { action: 'evidence.download', actor: JANE, reason: 'Legal review for the submission', at: '2024-03-03T09:00:00Z' },
        { action: 'evidence.derive', actor: null, details: { kind: 'blurred', job: 'j-17' }, at: '2024-03-03T09:05:00Z' },
      ]),
    ]),
    item(ITEM_IDS[1], 'video-1-blurred', 'video/mp4', [
      ...makeEvents(ITEM_IDS[1], 30, [
        { action: 'evidence.ingest', actor: null, at: '2024-03-03T09:05:01Z' },
        { action: 'evidence.view', actor: IRINA, at: '2024-03-04T12:00:00Z' },
        { action: 'evidence.view', actor: 'deleted-account', at: '2024-03-05T12:00:00Z' },
      ]),
    ], ITEM_IDS[0]),
    item(ITEM_IDS[2], 'photo-2', 'image/jpeg', [
      ...makeEvents(ITEM_IDS[2], 50, [
        { action: 'evidence.ingest', actor: ALES, at: '2024-03-06T07:30:00Z' },
        { action: 'evidence.view', actor: JANE, reason: 'Opisanie / описание', at: '2024-03-07T07:30:00Z' },
        { action: 'evidence.download', actor: IRINA, at: '2024-03-08T16:45:59Z' },
      ]),
    ]),
  ];
  const files = items.map((it, i) => ({
    path: `evidence/${it.id}/${i === 1 ? 'derivative-blurred.mp4' : 'original'}`,
    itemId: it.id,
    role: (i === 1 ? 'derivative' : 'original') as 'original' | 'derivative',
    derivativeKind: i === 1 ? 'blurred' : null,
    sha256: it.sha256,
    size: it.size,
    mime: it.mime,
  }));
  const rootHash = sha('root');
  const body = `letapis.example/log\n120\n${Buffer.from(rootHash, 'hex').toString('base64')}\n`;
  return {
    format: BUNDLE_FORMAT,
    generator: { name: 'letapis', version: '0.1.0' },
    case: { id: '0192d000-0000-7000-8000-000000000099', title, status: 'open' },
    export: { by: IRINA, reason: 'Перадача ў пракуратуру', recipient: 'Office of the Prosecutor, Unit 4' },
    log: { origin: 'letapis.example/log', publicKey: PUBLIC_KEY, witnessKeys: [WITNESS_KEY], witnessQuorum: 1 },
    checkpoint: {
      note: `${body}\n\u2014 letapis.example/log PyqcHeRrK9nB3pQn0PmzY1m8mO3i2l9Zb4t8m1q2rM3c4u5v6w7x8y9z0A1B2C3D4E5F6G7H8I9J0K1L2M3N4O5P6Q==\n\u2014 witness.example/w1 jBHw4gAAAABmBj1yZ3h4c2R0eXVpb3BsbWtuamJodmdjZnh6YXNkZnFxd2VydHl1aW9wbG1rbmpiaHZnY2Z4emFzZGZxcXdlcnR5dQ==\n`,
      size: 120,
      rootHash,
      timestamps: [{ tsa: 'Example Time-Stamping Authority', token: Buffer.alloc(1500, 7).toString('base64'), genTime: '2024-03-08T17:00:00Z' }],
    },
    actors: ACTORS,
    records: [
      {
        type: 'incident',
        id: 'rec-1',
        label: 'Затрыманне на вакзале, 1 сакавіка',
        data: { date: '2024-03-01', place: 'Гомель, чыгуначны вакзал', detainees: ['Пётр Іваноў', 'Olga K.'], count: 2, verified: true, geo: { lat: 52.43, lon: 30.99 } },
      },
      { type: 'person', id: 'rec-2', label: 'Ирина Смирнова (свидетель)', data: { role: 'witness', contact: null } },
    ],
    items,
    files,
    withheld: [
      { type: 'evidence', id: '0192b000-0000-7000-8000-00000000000f', reason: 'Consent does not cover prosecutors (згода толькі для ААН)' },
    ],
  };
}

function allEvents(m: BundleManifest): BundleEvent[] {
  return m.items.flatMap((it) => it.events);
}

async function pdfBuffer(m: BundleManifest): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk);
      cb();
    },
  });
  await renderReportPdf(m, sink);
  return Buffer.concat(chunks);
}

async function pdfText(data: Buffer): Promise<{ pages: number; text: string }> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(data), useSystemFonts: false, disableFontFace: true, verbosity: 0 }).promise;
  const parts: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const content = await page.getTextContent();
    for (const it of content.items) if ('str' in it) parts.push(it.str);
  }
  const pages = doc.numPages;
  await doc.destroy();
  return { pages, text: parts.join('') };
}

const squash = (s: string): string => s.replace(/\s+/g, '');

// ------------------------------------------------------------------------------------------------

describe('renderReportHtml', () => {
  it('is one self-contained document with the case, every item hash and every leaf hash in order', () => {
    const m = fixture();
    const html = renderReportHtml(m);
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
    expect(html).toContain('<title>Case bundle — Затрыманні ў Гомелі, сакавік 2024</title>');
    expect(html).toContain(m.case.id);
    for (const it of m.items) expect(html).toContain(it.sha256);
    for (const f of m.files) expect(html).toContain(f.path);
    let from = 0;
    for (const ev of allEvents(m)) {
      const at = html.indexOf(ev.leafHash, from);
      expect(at, `leaf ${ev.body.index}`).toBeGreaterThan(from);
      from = at;
    }
    expect(html).toContain('Алесь Карпянкоў');
    expect(html).toContain('deleted-account'); // an actor without a name shows its id
    expect(html).toContain('Consent does not cover prosecutors');
    expect(html).toContain(PUBLIC_KEY);
    expect(html).toContain(verifyInstructions(m).split('\n')[0]);
    expect(html).toContain('15017 bytes (14.7 KiB)');
  });

  it('loads nothing and runs nothing', () => {
    const html = renderReportHtml(fixture());
    expect(html.toLowerCase()).not.toContain('<script');
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/\b(?:src|href|action|srcset|poster)\s*=/i);
    expect(html).not.toMatch(/url\(|@import|<link|<img|<iframe|<object|<embed|<base/i);
  });

  it('escapes every manifest string', () => {
    const m = fixture(`<script>alert("x")</script> 'quoted' & "double"`);
    m.records[0]!.data.note = '<img src=x onerror=alert(1)>';
    m.items[0]!.events[1]!.body.reason = '</td><script>bad()</script>';
    m.export.recipient = 'Visit https://evil.example/x'; // a URL in the data is text, never a link
    const html = renderReportHtml(m);
    expect(html.toLowerCase()).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &#39;quoted&#39; &amp; &quot;double&quot;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toMatch(/href\s*=/i);
  });

  it('is deterministic', () => {
    expect(renderReportHtml(fixture())).toBe(renderReportHtml(fixture()));
  });
});

describe('renderReportPdf', () => {
  it('renders the case with embedded DejaVu fonts, and its text can be extracted', async () => {
    const m = fixture();
    const pdf = await pdfBuffer(m);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const raw = pdf.toString('latin1');
    expect(raw).toContain('/FontFile2');
    expect(raw).toMatch(/\/FontName \/[A-Z]{6}\+DejaVuSans\b/);
    expect(raw).toMatch(/\/FontName \/[A-Z]{6}\+DejaVuSansMono\b/);
    expect(raw).toContain('/MediaBox [0 0 595.28 841.89]'); // A4

    const { text } = await pdfText(pdf);
    expect(text).toContain('Алесь Карпянкоў');
    expect(text).toContain('Ирина Смирнова');
    expect(text).toContain(m.case.title);
    const flat = squash(text);
    for (const it of m.items) expect(flat).toContain(it.sha256);
    for (const ev of allEvents(m)) expect(flat).toContain(ev.leafHash);
    expect(flat).toContain(squash(PUBLIC_KEY));
    expect(text).toContain('Consent does not cover prosecutors');
  });

  it('gives byte-identical output for the same manifest', async () => {
    const a = await pdfBuffer(fixture());
    const b = await pdfBuffer(fixture());
    expect(a.equals(b)).toBe(true);
    // The dates are the latest event time, not the time of rendering.
    expect(a.toString('latin1')).toContain('(D:20240308164559Z)');
  });

  it('renders a manifest with 2,000 events across many pages, numbered n / N', async () => {
    const m = fixture();
    const specs = Array.from({ length: 2000 }, (_, i) => ({
      action: i === 0 ? 'evidence.ingest' : 'evidence.view',
      actor: [ALES, IRINA, JANE][i % 3]!,
      reason: i % 5 === 0 ? `Праверка № ${i}` : undefined,
      at: new Date(Date.UTC(2024, 3, 1) + i * 60_000).toISOString(),
    }));
    m.items[2]!.events = makeEvents(ITEM_IDS[2], 100, specs);
    const pdf = await pdfBuffer(m);
    const { pages, text } = await pdfText(pdf);
    expect(pages).toBeGreaterThan(50);
    expect(text).toContain(`1 / ${pages}`);
    expect(text).toContain(`${pages} / ${pages}`);
    expect(squash(text)).toContain(m.items[2]!.events[1999]!.leafHash);
  }, 120_000);

  it('rejects when the output fails', async () => {
    const failing = new Writable({
      write(_c, _e, cb) {
        cb(new Error('disk full'));
      },
    });
    await expect(renderReportPdf(fixture(), failing)).rejects.toThrow('disk full');
  });
});

describe('verifyInstructions', () => {
  it('names the key, the checkpoint and every file, and says how to check by hand', () => {
    const m = fixture();
    const t = verifyInstructions(m);
    expect(t).toContain(PUBLIC_KEY);
    expect(t).toContain(WITNESS_KEY);
    expect(t).toContain(m.checkpoint.rootHash);
    expect(t).toContain(Buffer.from(m.checkpoint.rootHash, 'hex').toString('base64'));
    expect(t).toContain('Checkpoint size:    120');
    expect(t).toContain('letapis.example/log');
    expect(t).toContain(`letapis verify bundle.zip --trust '${PUBLIC_KEY}' \\\n      --trust '${WITNESS_KEY}'`);
    expect(t).toMatch(/exit code 0/i);
    expect(t).toContain('SHA-256( 0x00 || JCS(body) )');
    expect(t).toContain('SHA-256( 0x01 || left || right )');
    expect(t).toContain('RFC 9162');
    expect(t).toMatch(/separate channel/i);
    for (const f of m.files) expect(t).toContain(`${f.sha256}  ${f.path}\n`);
    expect(t).not.toMatch(/https?:\/\//);
  });

  it('is deterministic and neutralises control characters', () => {
    expect(verifyInstructions(fixture())).toBe(verifyInstructions(fixture()));
    const t = verifyInstructions(fixture('Title\u001b[2J\u202eevil'));
    expect(t).not.toMatch(/[\u001b\u202e]/);
  });
});
