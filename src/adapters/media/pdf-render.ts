import { open } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { runIsolatedNode } from './child-process.js';
import { formatBytes, inspectInput } from './input-file.js';
import { cleanText } from './json-value.js';
import { DEFAULT_TIMEOUTS, limitsOf, type LimitOptions } from './limits.js';
import { asMediaError, MediaError } from './media-error.js';
import { writeBufferAtomically } from './output-file.js';
import { packageDir } from './versions.js';

/** pdf.js draws one page on its Node canvas (@napi-rs/canvas) in the sandbox and sends it as PNG. */
const RENDER_CHILD = String.raw`
const input = JSON.parse(process.argv[1]);
const send = (m) => new Promise((resolve) => process.send(m, resolve));
const fs = await import('node:fs');
const str = (e) => String((e && e.message) || e).slice(0, 400);
try {
  const chunks = []; let total = 0; const buf = Buffer.alloc(1 << 20); let n;
  while ((n = fs.readSync(4, buf, 0, buf.length, null)) > 0) {
    total += n;
    if (total > input.maxBytes) { await send({ type: 'error', name: 'limit', message: 'file grew past the size limit' }); process.exit(0); }
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  const pdfjs = await import(input.pdfjsUrl);
  const doc = await pdfjs.getDocument({
    data: new Uint8Array(Buffer.concat(chunks)), isEvalSupported: false, disableFontFace: true, useSystemFonts: false,
    useWorkerFetch: false, enableXfa: false, verbosity: 0, stopAtErrors: false, isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false, cMapUrl: input.cMapDir, cMapPacked: true, standardFontDataUrl: input.fontDir,
  }).promise;
  if (input.page < 1 || input.page > doc.numPages) { await send({ type: 'error', name: 'range', message: 'the PDF has ' + doc.numPages + ' pages' }); process.exit(0); }
  const page = await doc.getPage(input.page);
  const base = page.getViewport({ scale: 1 });
  let scale = input.dpi / 72;
  const area = base.width * base.height * scale * scale;
  if (!(area > 0)) { await send({ type: 'error', name: 'malformed', message: 'the page has no size' }); process.exit(0); }
  if (area > input.maxPixels) scale = Math.sqrt(input.maxPixels / (base.width * base.height));
  const viewport = page.getViewport({ scale });
  const cc = doc.canvasFactory.create(Math.max(1, Math.floor(viewport.width)), Math.max(1, Math.floor(viewport.height)));
  cc.context.fillStyle = '#ffffff';
  cc.context.fillRect(0, 0, cc.canvas.width, cc.canvas.height);
  await page.render({ canvasContext: cc.context, viewport, canvas: cc.canvas }).promise;
  const png = cc.canvas.toBuffer('image/png');
  await send({ type: 'page', width: cc.canvas.width, height: cc.canvas.height, dpi: scale * 72, png: png.toString('base64') });
  process.exit(0);
} catch (e) {
  await send({ type: 'error', name: (e && e.name) || 'Error', message: str(e) });
  process.exit(0);
}
`;

export interface PdfPageImage {
  path: string;
  mime: 'image/png';
  width: number;
  height: number;
  /** Resolution drawn at: lower than asked when the page would exceed the pixel cap. */
  dpi: number;
  bytes: number;
}

export interface RenderPdfPageOptions extends LimitOptions {
  /** 1-based page number. */
  page: number;
  /** Default 200: enough for OCR of ordinary print. */
  dpi?: number;
  /** Pixel cap of the drawn page; default 40 million (A4 at 600 dpi is 35 million). */
  maxPixels?: number;
}

/**
 * One page of a PDF as a PNG image, for OCR of scanned pages (those `extractMetadata` lists in
 * `text.pagesWithoutText`). pdf.js draws it in the sandboxed child; this needs the canvas that
 * pdfjs-dist installs as an optional package (`unsupported` without it).
 *
 * @example
 * for (const n of meta.text.pagesWithoutText) {
 *   await renderPdfPage(tmp, `${work}/p${n}.png`, { page: n });
 *   texts[n] = (await ocrImage(`${work}/p${n}.png`)).text;
 * }
 */
export async function renderPdfPage(src: string, dest: string, opts: RenderPdfPageOptions): Promise<PdfPageImage> {
  return asMediaError('PDF page image', [src, dest], async () => {
    const limits = limitsOf(opts);
    await inspectInput(src, 'PDF page image', limits.maxPdfBytes);
    const pdfjs = packageDir('pdfjs-dist');
    const maxPixels = Math.min(opts.maxPixels ?? 40_000_000, limits.maxImagePixels);
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUTS.pdfPage * 2;
    const fh = await open(src, 'r');
    let result;
    try {
      result = await runIsolatedNode(
        RENDER_CHILD,
        {
          pdfjsUrl: pathToFileURL(`${pdfjs.dir}/legacy/build/pdf.mjs`).href,
          cMapDir: `${pdfjs.dir}/cmaps/`,
          fontDir: `${pdfjs.dir}/standard_fonts/`,
          maxBytes: limits.maxPdfBytes,
          page: opts.page,
          dpi: opts.dpi ?? 200,
          maxPixels,
        },
        { what: 'PDF renderer', timeoutMs, maxMemoryBytes: limits.maxChildMemoryBytes, readableDirs: [`${pdfjs.nodeModules}/*`], inputFd: fh.fd, allowAddons: true, hidePaths: [src] },
      );
    } finally {
      await fh.close();
    }
    const messages = result.messages as ({ type: 'page'; width: number; height: number; dpi: number; png: string } | { type: 'error'; name: string; message: string })[];
    const page = messages.find((m) => m.type === 'page');
    if (!page || page.type !== 'page') {
      const error = messages.find((m) => m.type === 'error');
      if (error && error.type === 'error') {
        if (error.name === 'PasswordException') throw new MediaError('unsupported', 'the PDF is encrypted with a password');
        if (error.name === 'range') throw new MediaError('malformed', `no page ${opts.page}: ${error.message}`);
        if (error.name === 'limit') throw new MediaError('limit', `PDF: ${error.message}`);
        if (/canvas/i.test(error.message)) throw new MediaError('unsupported', 'PDF pages cannot be drawn here: the canvas package pdfjs-dist uses is not installed');
        throw new MediaError('malformed', `page ${opts.page} cannot be drawn: ${cleanText(error.message, 300)}`);
      }
      if (result.outcome === 'timeout') throw new MediaError('timeout', `the PDF renderer did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped`);
      if (result.outcome === 'memory') throw new MediaError('limit', `the PDF renderer needed more than ${formatBytes(limits.maxChildMemoryBytes)} of memory and was stopped`);
      throw new MediaError('malformed', 'the PDF renderer crashed');
    }
    // re-encoded by sharp: checks the PNG, and the output carries nothing but pixels
    const png = await sharp(Buffer.from(page.png, 'base64'), { limitInputPixels: maxPixels + 1 }).png().toBuffer();
    await writeBufferAtomically(dest, png);
    return { path: dest, mime: 'image/png', width: page.width, height: page.height, dpi: Math.round(page.dpi), bytes: png.length };
  });
}
