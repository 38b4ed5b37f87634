/**
 * Media adapters: pure functions over a file on local disk (the evidence module decrypts the
 * evidentiary copy to a private temp file and passes its path). No database, no blob store.
 * Every function works within limits (size, time, pixels, decompression ratio, memory) and
 * throws nothing but `MediaError { kind, message }`.
 */
export { MediaError, isMediaError, type MediaErrorKind } from './media-error.js';
export { DEFAULT_LIMITS, DEFAULT_TIMEOUTS, type LimitOptions, type MediaLimits } from './limits.js';
export { toolAvailability, requireTool, setMediaToolPaths, WANTED_OCR_LANGS, type ToolAvailability, type ToolName, type ToolPaths, type ToolStatus } from './tools.js';
export { detectType, categoryOf, type DetectedType, type MediaCategory } from './detect-type.js';
export { extractMetadata } from './extract-metadata.js';
export type * from './metadata.types.js';
export { METADATA_SCHEMA_VERSION } from './metadata.types.js';
export { makeImageThumbnail, makeImagePreview, type ImageDerivative, type ImageDerivativeOptions, type ImageOutputFormat } from './image-derivatives.js';
export { videoPoster, videoPreview, type VideoPosterOptions, type VideoPreview, type VideoPreviewOptions } from './video-derivatives.js';
export { ocrImage, type OcrOptions, type OcrResult } from './ocr.js';
export { imagePHash, hammingDistance, videoKeyframeHashes, videoHashDistance, type KeyframeHash, type VideoHashes } from './perceptual-hash.js';
export { parseIso6709 } from './iso6709.js';
export { renderPdfPage, type PdfPageImage, type RenderPdfPageOptions } from './pdf-render.js';
export { extractWebCaptureMedia, extractWebCaptureMetadata } from './warc-capture.js';
export { WACZ_MIME, WARC_MIME } from './warc-detect.js';
export type { EmbeddedMedia } from './warc-read.js';
export { redactImage, regionToPixels, type ImageRedactionOptions, type RedactedImage, type RedactionRegion, type RegionStyle } from './redact-image.js';
export { redactAv, type AudioRedaction, type AvRedactionOptions, type RedactedAv, type TimeRange, type VideoRegionRedaction } from './redact-av.js';
