import { pathToFileURL } from 'node:url';
import { MediaError } from './media-error.js';
import { cleanText } from './json-value.js';
import { packageDir } from './versions.js';

/**
 * What the sandboxed pdf.js children share: where pdf.js is, and how a document is opened —
 * never with eval, fonts from the system, XFA forms or fetches; errors tolerated page by page.
 */

/** Input fields `PDFJS_OPEN` reads, and the directory the child must be allowed to read. */
export function pdfjsLocation(): { input: { pdfjsUrl: string; cMapDir: string; fontDir: string }; readableDirs: string[] } {
  const pdfjs = packageDir('pdfjs-dist');
  return {
    input: {
      pdfjsUrl: pathToFileURL(`${pdfjs.dir}/legacy/build/pdf.mjs`).href,
      cMapDir: `${pdfjs.dir}/cmaps/`,
      fontDir: `${pdfjs.dir}/standard_fonts/`,
    },
    readableDirs: [`${pdfjs.nodeModules}/*`],
  };
}

/**
 * Child source defining `openPdf(bytes)`. With `withoutCanvas`, pdf.js's display layer gets inert
 * stand-ins for DOMMatrix, ImageData and Path2D instead of loading its native canvas: enough to
 * read structure and text, and no native code in the child.
 */
export function pdfjsOpen(opts: { withoutCanvas: boolean }): string {
  const stubs = opts.withoutCanvas
    ? String.raw`
  class Stub { constructor() { this.a = 1; this.b = 0; this.c = 0; this.d = 1; this.e = 0; this.f = 0; } }
  globalThis.DOMMatrix ??= Stub; globalThis.ImageData ??= Stub; globalThis.Path2D ??= Stub;`
    : '';
  return String.raw`${stubs}
  async function openPdf(bytes) {
    const pdfjs = await import(input.pdfjsUrl);
    return pdfjs.getDocument({
      data: new Uint8Array(bytes), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, useWorkerFetch: false,
      enableXfa: false, verbosity: 0, stopAtErrors: false, disableAutoFetch: true, disableStream: true,
      isOffscreenCanvasSupported: false, isImageDecoderSupported: false,
      cMapUrl: input.cMapDir, cMapPacked: true, standardFontDataUrl: input.fontDir,
    }).promise;
  }`;
}

/** The MediaError for an error a pdf.js child reported before it could answer. */
export function pdfjsError(error: { name: string; message: string }, what: string): MediaError {
  if (error.name === 'PasswordException') return new MediaError('unsupported', 'the PDF is encrypted with a password: it cannot be read');
  if (error.name === 'limit') return new MediaError('limit', `PDF: ${error.message}`);
  return new MediaError('malformed', `${what}: ${cleanText(error.message, 300)}`);
}
