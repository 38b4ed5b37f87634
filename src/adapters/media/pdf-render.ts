import sharp from 'sharp';
import { isolatedFailure, isolatedScript, runIsolatedNode } from './child-process.js';
import { inspectInput } from './input-file.js';
import { DEFAULT_TIMEOUTS, limitsOf, type LimitOptions } from './limits.js';
import { asMediaError, MediaError } from './media-error.js';
import { writeBufferAtomically } from './output-file.js';
import { pdfjsError, pdfjsLocation, pdfjsOpen } from './pdfjs-child.js';

/** pdf.js draws one page on its Node canvas (@napi-rs/canvas) in the sandbox and sends it as PNG. */
const RENDER_CHILD = isolatedScript(String.raw`
  ${pdfjsOpen({ withoutCanvas: false })}
  const doc = await openPdf(readInput());
  if (input.page < 1 || input.page > doc.numPages) throw Object.assign(new Error('the PDF has ' + doc.numPages + ' pages'), { name: 'range' });
  const page = await doc.getPage(input.page);
  const base = page.getViewport({ scale: 1 });
  let scale = input.dpi / 72;
  const area = base.width * base.height * scale * scale;
  if (!(area > 0)) throw new Error('the page has no size');
  if (area > input.maxPixels) scale = Math.sqrt(input.maxPixels / (base.width * base.height));
  const viewport = page.getViewport({ scale });
  const cc = doc.canvasFactory.create(Math.max(1, Math.floor(viewport.width)), Math.max(1, Math.floor(viewport.height)));
  cc.context.fillStyle = '#ffffff';
  cc.context.fillRect(0, 0, cc.canvas.width, cc.canvas.height);
  await page.render({ canvasContext: cc.context, viewport, canvas: cc.canvas }).promise;
  const png = cc.canvas.toBuffer('image/png');
  await send({ type: 'page', width: cc.canvas.width, height: cc.canvas.height, dpi: scale * 72, png: png.toString('base64') });
`);

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
    const pdfjs = pdfjsLocation();
    const maxPixels = Math.min(opts.maxPixels ?? 40_000_000, limits.maxImagePixels);
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUTS.pdfPage * 2;
    const result = await runIsolatedNode(
      RENDER_CHILD,
      { ...pdfjs.input, maxBytes: limits.maxPdfBytes, page: opts.page, dpi: opts.dpi ?? 200, maxPixels },
      { what: 'PDF renderer', timeoutMs, maxMemoryBytes: limits.maxChildMemoryBytes, readableDirs: pdfjs.readableDirs, inputPath: src, allowAddons: true, hidePaths: [src] },
    );
    const messages = result.messages as ({ type: 'page'; width: number; height: number; dpi: number; png: string } | { type: 'error'; name: string; message: string })[];
    const page = messages.find((m) => m.type === 'page');
    if (!page || page.type !== 'page') {
      const error = messages.find((m) => m.type === 'error');
      if (!error || error.type !== 'error') throw isolatedFailure(result, 'PDF renderer', { timeoutMs, maxMemoryBytes: limits.maxChildMemoryBytes });
      if (error.name === 'range') throw new MediaError('malformed', `no page ${opts.page}: ${error.message}`);
      if (/canvas|DOMMatrix|Path2D|ImageData/i.test(error.message)) throw new MediaError('unsupported', 'PDF pages cannot be drawn here: the canvas package pdfjs-dist uses is not installed');
      throw pdfjsError(error, `page ${opts.page} cannot be drawn`);
    }
    // re-encoded by sharp: checks the PNG, and the output carries nothing but pixels
    const png = await sharp(Buffer.from(page.png, 'base64'), { limitInputPixels: maxPixels + 1 }).png().toBuffer();
    await writeBufferAtomically(dest, png);
    return { path: dest, mime: 'image/png', width: page.width, height: page.height, dpi: Math.round(page.dpi), bytes: png.length };
  });
}
