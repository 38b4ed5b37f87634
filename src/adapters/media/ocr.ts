import { runTool } from './child-process.js';
import { imageError, openImage } from './image-derivatives.js';
import { inspectInput } from './input-file.js';
import { cleanText } from './json-value.js';
import { DEFAULT_TIMEOUTS, limitsOf, type LimitOptions } from './limits.js';
import { asMediaError, MediaError } from './media-error.js';
import { requireTool, toolAvailability, WANTED_OCR_LANGS } from './tools.js';
import { firstLines } from './av-metadata.js';

export interface OcrOptions extends LimitOptions {
  /** Tesseract languages, in order of preference. Default Belarusian, Russian, English. */
  langs?: readonly string[];
  /** Tesseract page segmentation mode; default 3 (automatic). */
  psm?: number;
}

export interface OcrResult {
  text: string;
  /** Languages used: those asked for that are installed. */
  langs: string[];
  /** Languages asked for that are not installed. */
  missingLangs: string[];
  engine: string;
}

/** Longest side handed to tesseract: enough for a 300 dpi A3 scan, not a 200-megapixel bomb. */
const OCR_MAX_SIDE = 6000;

/**
 * Text in an image by the OS `tesseract`. The image is first decoded by sharp within the pixel
 * limit, turned upright, made grey and capped in size, and handed over on standard input as
 * PNG, so tesseract never parses the original file.
 *
 * @example
 * await ocrImage('/tmp/x/scan') // { text: 'ПРАТАКОЛ …', langs: ['bel', 'rus', 'eng'], missingLangs: [] }
 */
export async function ocrImage(src: string, opts: OcrOptions = {}): Promise<OcrResult> {
  return asMediaError('OCR', [src], async () => {
    const limits = limitsOf(opts);
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUTS.ocr;
    const tesseract = await requireTool('tesseract');
    const tools = await toolAvailability();
    const wanted = [...(opts.langs ?? WANTED_OCR_LANGS)].filter((l) => /^[A-Za-z_]{2,32}$/.test(l));
    const langs = wanted.filter((l) => tools.tesseract.langs.includes(l));
    const missingLangs = wanted.filter((l) => !tools.tesseract.langs.includes(l));
    if (langs.length === 0) throw new MediaError('tool-missing', `tesseract languages not installed: ${wanted.join(', ') || 'none asked for'}`);
    await inspectInput(src, 'OCR', limits.maxImageBytes);
    let png: Buffer;
    try {
      png = await openImage(src, limits, timeoutMs)
        .rotate()
        .flatten({ background: '#ffffff' })
        .greyscale()
        .resize(OCR_MAX_SIDE, OCR_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
        .png({ compressionLevel: 1 })
        .toBuffer();
    } catch (e) {
      throw imageError(e, 'OCR', [src]);
    }
    const psm = opts.psm ?? 3;
    const r = await runTool(tesseract, ['stdin', 'stdout', '-l', langs.join('+'), '--psm', String(psm)], {
      what: 'tesseract',
      timeoutMs,
      stdin: png,
      maxStdoutBytes: 16 * 1024 * 1024,
      maxMemoryBytes: limits.maxChildMemoryBytes,
      // one thread per tesseract: OpenMP over two cores makes parallel jobs slower, not faster
      env: { OMP_THREAD_LIMIT: '1' },
      hidePaths: [src],
    });
    if (r.code !== 0) throw new MediaError('malformed', `tesseract failed: ${firstLines(r.stderr) || `exit ${r.code ?? r.signal}`}`);
    const text = cleanText(r.stdout.toString('utf8').replace(/\f/g, '\n').replace(/[ \t]+\n/g, '\n').trim(), limits.maxTextChars);
    return { text, langs, missingLangs, engine: tools.tesseract.version ?? 'tesseract' };
  });
}
