import type { MediaCategory } from './detect-type.js';

/**
 * What `extractMetadata` returns: plain JSON (no Date, no Buffer, no NUL characters, which
 * PostgreSQL's jsonb refuses), versioned so stored metadata can be migrated when this changes.
 */
export const METADATA_SCHEMA_VERSION = 1 as const;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface MetadataBase {
  schemaVersion: typeof METADATA_SCHEMA_VERSION;
  mime: string;
  category: MediaCategory;
  fileSize: number;
  /** Readers and their versions, e.g. `exifr 7.1.3`, for the custody record. */
  extractedWith: string[];
  /** What could not be read while the rest could (partial data), in plain words. */
  warnings: string[];
}

/** When a picture or recording was made, as the device recorded it. */
export interface CaptureTime {
  /** Wall-clock time on the device, `2020-08-09T23:15:00` (no zone); null when only UTC was recorded. */
  local: string | null;
  /** UTC offset the device recorded (`+03:00`), or null when it recorded none. */
  offset: string | null;
  /** The instant in UTC, when the offset is known (or the source is UTC by definition). */
  utc: string | null;
  /** Tag it came from, e.g. `DateTimeOriginal`, `com.apple.quicktime.creationdate`, `creation_time`. */
  source: string;
}

export interface GeoPoint {
  lat: number;
  lon: number;
  /** Metres above sea level. */
  alt?: number;
  /** Horizontal error in metres, when recorded. */
  accuracyM?: number;
  /** Direction the camera faced, degrees. */
  direction?: number;
  /** UTC time of the fix (EXIF GPS time), when recorded. */
  time?: string;
  /** Tag it came from, and its text for ISO 6709 strings. */
  source: string;
  raw?: string;
}

export interface DeviceInfo {
  make?: string;
  model?: string;
  software?: string;
  lens?: string;
  serial?: string;
}

export interface ImageMetadata extends MetadataBase {
  kind: 'image';
  format?: string;
  width?: number;
  height?: number;
  /** EXIF orientation 1–8 (the stored pixels are turned by derivatives, never in the original). */
  orientation?: number;
  pages?: number;
  hasAlpha?: boolean;
  colourSpace?: string;
  captureTime: CaptureTime | null;
  gps: GeoPoint | null;
  device: DeviceInfo;
  /** Every tag read, by block (`ifd0`, `exif`, `gps`, `iptc`, `xmp`, …), binary values as base64. */
  tags: Record<string, JsonValue>;
}

export interface AvStream {
  index: number;
  type: string;
  codec?: string;
  codecLong?: string;
  profile?: string;
  width?: number;
  height?: number;
  frameRate?: number;
  pixelFormat?: string;
  sampleRate?: number;
  channels?: number;
  channelLayout?: string;
  bitRate?: number;
  durationSeconds?: number;
  /** Degrees the player turns the picture (display matrix or `rotate` tag). */
  rotation?: number;
  language?: string;
  tags: Record<string, string>;
}

export interface AvMetadata extends MetadataBase {
  kind: 'av';
  container: string;
  containerLong?: string;
  durationSeconds?: number;
  bitRate?: number;
  hasVideo: boolean;
  hasAudio: boolean;
  /** Of the first video stream. */
  width?: number;
  height?: number;
  captureTime: CaptureTime | null;
  location: GeoPoint | null;
  device: DeviceInfo;
  streams: AvStream[];
  /** Container tags as the file has them. */
  tags: Record<string, string>;
}

export interface PdfDate {
  raw: string;
  /** ISO 8601 with the offset the PDF gave, or null if the date is not readable. */
  iso: string | null;
}

export interface PdfMetadata extends MetadataBase {
  kind: 'pdf';
  pageCount: number;
  pdfVersion?: string;
  title?: string;
  author?: string;
  subject?: string;
  keywords?: string;
  creator?: string;
  producer?: string;
  created?: PdfDate;
  modified?: PdfDate;
  encrypted: boolean;
  /** Other entries of the document information dictionary. */
  info: Record<string, JsonValue>;
  /** The XMP packet as text, capped. */
  xmp?: string;
  text: {
    /** Text of pages 1…n in order (n ≤ the page limit); an empty string for a page without text. */
    pages: string[];
    /** Page numbers (1-based) with no text: scans, candidates for OCR. */
    pagesWithoutText: number[];
    totalChars: number;
    /** False if a cap, the time limit or an error stopped extraction early. */
    complete: boolean;
  };
}

export interface DocumentMetadata extends MetadataBase {
  kind: 'document';
  /** Core properties of an Office Open XML file (docProps/core.xml and app.xml). */
  properties: Record<string, string>;
  text: string;
  textTruncated: boolean;
}

export interface TextMetadata extends MetadataBase {
  kind: 'text';
  charset: string;
  text: string;
  textTruncated: boolean;
  lines: number;
  html?: { title?: string; meta: Record<string, string>; links: number };
  csv?: { delimiter: string; columns: string[]; rows: number };
}

export interface ArchiveEntry {
  name: string;
  size: number;
  compressedSize: number;
  modified?: string;
  directory: boolean;
  /** A path that would leave the folder it is unpacked into (absolute, `..`), or a symlink. */
  unsafe: boolean;
  encrypted: boolean;
}

export interface ArchiveMetadata extends MetadataBase {
  kind: 'archive';
  format: string;
  entryCount: number;
  totalSize: number;
  entries: ArchiveEntry[];
  entriesTruncated: boolean;
}

/** One HTML page captured in a WARC (a `response` record, status 200). */
export interface CapturedPage {
  url: string;
  /** WARC-Date of the record: when the page was captured. */
  date: string | null;
  title?: string;
  charset: string;
  chars: number;
  /** The page was longer than the per-page cap: only its beginning was read. */
  truncated: boolean;
}

/** One check of a WACZ's integrity: a file's digest, the package digest, the signature. */
export interface WaczCheck {
  check: string;
  /** `ok`: verified; `failed`: checked and wrong; `absent`: nothing to check; `not-checked`: present but not verifiable here. */
  result: 'ok' | 'failed' | 'absent' | 'not-checked';
  detail: string;
}

export interface WaczVerification {
  /** Every resource of datapackage.json matched its size and SHA-256. */
  resources: 'ok' | 'failed' | 'absent';
  /** datapackage-digest.json's hash matched datapackage.json. */
  packageDigest: 'ok' | 'failed' | 'absent';
  /** The signature of that hash (anonymous public key or domain certificate). */
  signature: 'ok' | 'failed' | 'absent' | 'not-checked';
  signer?: { kind: 'anonymous' | 'domain'; publicKeySha256?: string; domain?: string; certificateSubject?: string; certificateIssuer?: string };
  checks: WaczCheck[];
  /** The failures in words, one each: each also flags the item. */
  failures: string[];
}

export interface WebCaptureMetadata extends MetadataBase {
  kind: 'web-capture';
  format: 'warc' | 'warc.gz' | 'wacz';
  /** Fields of the first `warcinfo` record (software, format, …). */
  warcInfo: Record<string, string>;
  records: number;
  pageCount: number;
  /** The first pages, in capture order. */
  pages: CapturedPage[];
  captureDates: { first: string | null; last: string | null };
  /** Pictures, video and audio captured with the pages, and the first of them. */
  mediaCount: number;
  media: { url: string; date: string | null; mime: string }[];
  /** Each page's text headed by its URL and capture date. */
  text: string;
  textTruncated: boolean;
  wacz?: {
    title?: string;
    created?: string;
    software?: string;
    waczVersion?: string;
    mainPageUrl?: string;
    /** Lines of pages/pages.jsonl (the pages the capture tool listed). */
    pagesListed: number;
    warcFiles: string[];
    verification: WaczVerification;
  };
}

export type MediaMetadata = ImageMetadata | AvMetadata | PdfMetadata | DocumentMetadata | TextMetadata | ArchiveMetadata | WebCaptureMetadata;
