import { runTool } from './child-process.js';
import { isoCaptureTime } from './capture-time.js';
import type { DetectedType } from './detect-type.js';
import { inspectInput } from './input-file.js';
import { parseIso6709 } from './iso6709.js';
import { cleanText, optNumber, optString } from './json-value.js';
import { DEFAULT_LIMITS, DEFAULT_TIMEOUTS, type LimitOptions } from './limits.js';
import { MediaError } from './media-error.js';
import { METADATA_SCHEMA_VERSION, type AvMetadata, type AvStream, type CaptureTime, type DeviceInfo, type GeoPoint } from './metadata.types.js';
import { requireTool, toolAvailability } from './tools.js';

/**
 * Demuxers ffprobe and ffmpeg may use on evidence. Playlists (HLS, DASH), concat lists and the
 * like are left out: they make ffmpeg open other files or URLs named inside the input.
 */
export const AV_FORMAT_WHITELIST = [
  'mov', 'matroska', 'webm', 'avi', 'flv', 'mpegts', 'mpeg', 'mpegvideo', 'asf', 'ogg', 'mp3', 'wav', 'w64', 'aac', 'flac',
  'amr', 'amrnb', 'amrwb', 'aiff', 'caf', 'ac3', 'eac3', 'dts', 'wv', 'ape', 'tta', 'au', 'h264', 'hevc', 'm4v', 'ivf',
  'obu', 'dv', 'mxf', 'nut', 'gif', 'rm', 'oma', 'mpc', 'mpc8', 'voc', 'smjpeg', 'mjpeg', 'yuv4mpegpipe', '3gp', 'mp4', 'm4a',
].join(',');

/** Options that keep ffprobe/ffmpeg to the one input file. */
export const AV_INPUT_GUARDS = ['-protocol_whitelist', 'file', '-format_whitelist', AV_FORMAT_WHITELIST] as const;

export interface FfprobeStream {
  index?: number;
  codec_type?: string;
  codec_name?: string;
  codec_long_name?: string;
  profile?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  pix_fmt?: string;
  sample_rate?: string;
  channels?: number;
  channel_layout?: string;
  bit_rate?: string;
  duration?: string;
  tags?: Record<string, unknown>;
  side_data_list?: { side_data_type?: string; rotation?: number }[];
  disposition?: Record<string, number>;
}

export interface FfprobeOutput {
  streams?: FfprobeStream[];
  format?: {
    format_name?: string;
    format_long_name?: string;
    duration?: string;
    bit_rate?: string;
    tags?: Record<string, unknown>;
  };
}

/**
 * Runs ffprobe on one file (JSON output, time limit, no other file or URL opened) and returns
 * its answer. A file ffprobe cannot read is a `malformed` error with ffprobe's reason.
 */
export async function probeAv(path: string, opts: { timeoutMs?: number } = {}): Promise<FfprobeOutput> {
  const ffprobe = await requireTool('ffprobe');
  const r = await runTool(
    ffprobe,
    ['-v', 'error', '-hide_banner', ...AV_INPUT_GUARDS, '-print_format', 'json', '-show_format', '-show_streams', `file:${path}`],
    { what: 'ffprobe', timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUTS.avMetadata, maxStdoutBytes: 8 * 1024 * 1024, maxMemoryBytes: DEFAULT_LIMITS.maxChildMemoryBytes, hidePaths: [path] },
  );
  if (r.code !== 0) {
    throw new MediaError('malformed', `ffprobe cannot read the file: ${firstLines(r.stderr) || `exit ${r.code ?? r.signal}`}`);
  }
  let parsed: FfprobeOutput;
  try {
    parsed = JSON.parse(r.stdout.toString('utf8')) as FfprobeOutput;
  } catch {
    throw new MediaError('malformed', 'ffprobe gave an answer that is not JSON');
  }
  if (!parsed.format && !parsed.streams?.length) throw new MediaError('malformed', `ffprobe found no streams: ${firstLines(r.stderr)}`);
  return parsed;
}

export function firstLines(stderr: string): string {
  return cleanText(stderr.replace(/\s+/g, ' ').trim(), 300);
}

/** Video and audio metadata: container, duration, streams and codecs, creation time, location, device. */
export async function extractAvMetadata(path: string, type: DetectedType, opts: LimitOptions = {}): Promise<AvMetadata> {
  const { size } = await inspectInput(path, 'video/audio metadata');
  const probe = await probeAv(path, opts);
  const ffprobe = (await toolAvailability()).ffprobe;
  const warnings: string[] = [];
  const format = probe.format ?? {};
  const tags = stringTags(format.tags);
  const streams = (probe.streams ?? []).slice(0, 64).map(toStream);
  const coverArt = new Set((probe.streams ?? []).filter((s) => s.disposition?.attached_pic).map((s) => s.index));
  const video = streams.find((s) => s.type === 'video' && !coverArt.has(s.index));
  const out: AvMetadata = {
    schemaVersion: METADATA_SCHEMA_VERSION,
    kind: 'av',
    mime: type.mime,
    category: type.category,
    fileSize: size,
    extractedWith: [ffprobe.version ?? 'ffprobe'],
    warnings,
    container: optString(format.format_name) ?? 'unknown',
    containerLong: optString(format.format_long_name),
    durationSeconds: optNumber(format.duration),
    bitRate: optNumber(format.bit_rate),
    hasVideo: video !== undefined,
    hasAudio: streams.some((s) => s.type === 'audio'),
    width: video?.width,
    height: video?.height,
    captureTime: captureTimeOf(tags, streams),
    location: locationOf(tags, warnings),
    device: deviceOf(tags),
    streams,
    tags,
  };
  if (out.durationSeconds === undefined) warnings.push('the duration is not recorded in the file (it may be cut short)');
  return out;
}

function stringTags(raw: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!raw) return out;
  let n = 0;
  for (const [k, v] of Object.entries(raw)) {
    if (n++ >= 200) break;
    if (typeof v === 'string' || typeof v === 'number') out[cleanText(k, 200)] = cleanText(String(v), 2048);
  }
  return out;
}

function rate(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const [n, d] = s.split('/').map(Number);
  if (n === undefined || !Number.isFinite(n)) return undefined;
  if (d === undefined) return n;
  return d > 0 && n > 0 ? Math.round((n / d) * 1000) / 1000 : undefined;
}

function toStream(s: FfprobeStream, i: number): AvStream {
  const tags = stringTags(s.tags);
  const st: AvStream = { index: s.index ?? i, type: optString(s.codec_type) ?? 'unknown', tags };
  const set = <K extends keyof AvStream>(k: K, v: AvStream[K] | undefined): void => {
    if (v !== undefined) st[k] = v;
  };
  set('codec', optString(s.codec_name));
  set('codecLong', optString(s.codec_long_name));
  set('profile', optString(s.profile));
  set('width', optNumber(s.width));
  set('height', optNumber(s.height));
  set('frameRate', rate(s.avg_frame_rate) ?? rate(s.r_frame_rate));
  set('pixelFormat', optString(s.pix_fmt));
  set('sampleRate', optNumber(s.sample_rate));
  set('channels', optNumber(s.channels));
  set('channelLayout', optString(s.channel_layout));
  set('bitRate', optNumber(s.bit_rate));
  set('durationSeconds', optNumber(s.duration));
  const matrix = s.side_data_list?.find((d) => typeof d.rotation === 'number');
  set('rotation', matrix?.rotation !== undefined ? normaliseRotation(matrix.rotation) : tags.rotate !== undefined ? normaliseRotation(Number(tags.rotate)) : undefined);
  set('language', tags.language && tags.language !== 'und' ? tags.language : undefined);
  return st;
}

function normaliseRotation(deg: number): number | undefined {
  if (!Number.isFinite(deg)) return undefined;
  return ((Math.round(deg) % 360) + 360) % 360;
}

function captureTimeOf(tags: Record<string, string>, streams: AvStream[]): CaptureTime | null {
  // Apple's creationdate keeps the local time and offset; creation_time is UTC (and often the encoder's)
  return (
    isoCaptureTime(tags['com.apple.quicktime.creationdate'], 'com.apple.quicktime.creationdate') ??
    isoCaptureTime(tags.date, 'date') ??
    isoCaptureTime(tags.creation_time, 'creation_time') ??
    streams.map((s) => isoCaptureTime(s.tags.creation_time, `stream ${s.index} creation_time`)).find((t) => t !== null) ??
    null
  );
}

const LOCATION_TAGS = ['com.apple.quicktime.location.ISO6709', 'location', 'location-eng', 'com.android.location'];

function locationOf(tags: Record<string, string>, warnings: string[]): GeoPoint | null {
  for (const key of LOCATION_TAGS) {
    const raw = tags[key];
    if (!raw) continue;
    const p = parseIso6709(raw);
    if (!p) {
      warnings.push(`location tag ${key} is not an ISO 6709 point: ${cleanText(raw, 80)}`);
      continue;
    }
    const point: GeoPoint = { lat: p.lat, lon: p.lon, source: key, raw };
    if (p.alt !== undefined) point.alt = p.alt;
    const acc = optNumber(tags['com.apple.quicktime.location.accuracy.horizontal']);
    if (acc !== undefined) point.accuracyM = acc;
    return point;
  }
  return null;
}

function deviceOf(tags: Record<string, string>): DeviceInfo {
  const d: DeviceInfo = {};
  const pick = (...keys: string[]): string | undefined => {
    for (const k of keys) {
      const v = optString(tags[k], 256);
      if (v) return v;
    }
    return undefined;
  };
  const make = pick('com.apple.quicktime.make', 'com.android.manufacturer', 'make', 'manufacturer');
  const model = pick('com.apple.quicktime.model', 'com.android.model', 'model');
  const software = pick('com.apple.quicktime.software', 'com.android.version', 'software', 'encoder');
  if (make) d.make = make;
  if (model) d.model = model;
  if (software) d.software = software;
  return d;
}
