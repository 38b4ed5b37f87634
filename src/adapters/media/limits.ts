/**
 * Limits every media adapter works within. Each public function takes `limits` (merged over
 * these) and `timeoutMs`. Over a limit the function throws `MediaError('limit')`, or returns
 * what it could read with a warning where partial data is still worth keeping.
 */
export interface MediaLimits {
  /** Width × height above which no image is decoded (a decompression bomb is refused from its header). */
  maxImagePixels: number;
  /** Largest image file decoded or parsed for EXIF. */
  maxImageBytes: number;
  /** Largest PDF loaded (pdf.js holds the whole file in memory). */
  maxPdfBytes: number;
  /** Pages whose text is read; the page count is reported whatever it is. */
  maxPdfPages: number;
  /** Characters kept from one page / from the whole document. */
  maxPdfPageChars: number;
  maxPdfTotalChars: number;
  /** Largest DOCX (or other zip container) opened. */
  maxDocumentBytes: number;
  /** Declared uncompressed size of all entries of a zip container, and compressed:uncompressed ratio. */
  maxZipUncompressedBytes: number;
  maxZipRatio: number;
  maxZipEntries: number;
  /** Bytes of a text/HTML/CSV file read for its text, and characters kept. */
  maxTextBytes: number;
  maxTextChars: number;
  /** Resident memory of a parser child process (pdf.js, mammoth, ffmpeg, tesseract) before it is killed. */
  maxChildMemoryBytes: number;
  /** Length and size of a video preview. */
  maxPreviewSeconds: number;
  maxPreviewBytes: number;
  /** Web captures (WARC, WACZ): bytes of one HTML page read for its text, and pages read. */
  maxWarcPageBytes: number;
  maxWarcPages: number;
  /** Embedded pictures, video and audio taken out of a web capture as derivatives, and the size of each. */
  maxEmbeddedMedia: number;
  maxEmbeddedMediaBytes: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_LIMITS: Readonly<MediaLimits> = Object.freeze({
  // A 200-megapixel phone sensor (16320 × 12240) fits; a 20000 × 20000 bomb does not.
  maxImagePixels: 200_000_000,
  maxImageBytes: 512 * MiB,
  maxPdfBytes: 256 * MiB,
  maxPdfPages: 5_000,
  maxPdfPageChars: 100_000,
  maxPdfTotalChars: 5_000_000,
  maxDocumentBytes: 128 * MiB,
  maxZipUncompressedBytes: 512 * MiB,
  maxZipRatio: 200,
  maxZipEntries: 20_000,
  maxTextBytes: 32 * MiB,
  maxTextChars: 5_000_000,
  maxChildMemoryBytes: 1536 * MiB,
  maxPreviewSeconds: 600,
  maxPreviewBytes: 512 * MiB,
  maxWarcPageBytes: 8 * MiB,
  maxWarcPages: 10_000,
  maxEmbeddedMedia: 200,
  maxEmbeddedMediaBytes: 64 * MiB,
});

/** Time limits in milliseconds, per call. */
export const DEFAULT_TIMEOUTS = Object.freeze({
  detect: 10_000,
  imageMetadata: 20_000,
  avMetadata: 30_000,
  pdf: 120_000,
  /** No progress from pdf.js for this long (one page) and it is stopped. */
  pdfPage: 30_000,
  document: 60_000,
  text: 20_000,
  image: 60_000,
  poster: 60_000,
  preview: 15 * 60_000,
  ocr: 180_000,
  keyframes: 120_000,
  toolCheck: 10_000,
  /** One pass over a web capture (text and metadata, or its embedded media); what was read by then is kept. */
  webCapture: 5 * 60_000,
});

export interface LimitOptions {
  limits?: Partial<MediaLimits>;
  timeoutMs?: number;
}

export function limitsOf(opts?: LimitOptions): MediaLimits {
  return { ...DEFAULT_LIMITS, ...(opts?.limits ?? {}) };
}
