import { grabFrame, videoFacts } from './video-derivatives.js';
import { imageError, openImage } from './image-derivatives.js';
import { inspectInput } from './input-file.js';
import { DEFAULT_TIMEOUTS, limitsOf, type LimitOptions, type MediaLimits } from './limits.js';
import { asMediaError, MediaError } from './media-error.js';
import { requireTool } from './tools.js';

/**
 * Perceptual hashes for near-duplicates (a photo re-saved smaller, a video re-encoded for another
 * Telegram channel). pHash: the picture upright, in grey, squeezed to 32 × 32; its 2-D DCT; the
 * 8 × 8 lowest frequencies; one bit per coefficient, set when it is above their median. 64 bits as
 * 16 hex digits. Hamming distance ≤ 10 or so means "probably the same picture".
 */

const N = 32;
const K = 8;
const COS: Float64Array[] = Array.from({ length: K }, (_, u) => Float64Array.from({ length: N }, (_, x) => Math.cos(((2 * x + 1) * u * Math.PI) / (2 * N))));

/** pHash of a 32 × 32 greyscale raster (1024 bytes, row by row). */
export function pHashOfGrey32(pixels: Uint8Array): string {
  if (pixels.length !== N * N) throw new MediaError('malformed', 'perceptual hash: expected a 32 × 32 raster');
  // rows first: rowCoef[y][u]
  const rowCoef = new Float64Array(N * K);
  for (let y = 0; y < N; y++) {
    for (let u = 0; u < K; u++) {
      let s = 0;
      const c = COS[u]!;
      for (let x = 0; x < N; x++) s += pixels[y * N + x]! * c[x]!;
      rowCoef[y * K + u] = s;
    }
  }
  const coef = new Float64Array(K * K);
  for (let v = 0; v < K; v++) {
    const c = COS[v]!;
    for (let u = 0; u < K; u++) {
      let s = 0;
      for (let y = 0; y < N; y++) s += rowCoef[y * K + u]! * c[y]!;
      coef[v * K + u] = s;
    }
  }
  // the median leaves out the DC term (overall brightness)
  const sorted = Array.from(coef.subarray(1)).sort((a, b) => a - b);
  const median = (sorted[31]! + sorted[32]!) / 2;
  let hex = '';
  for (let nibble = 0; nibble < 16; nibble++) {
    let v = 0;
    for (let b = 0; b < 4; b++) v = (v << 1) | (coef[nibble * 4 + b]! > median ? 1 : 0);
    hex += v.toString(16);
  }
  return hex;
}

interface Grey32 {
  pixels: Uint8Array;
  /** Standard deviation of the grey levels: near 0 for a blank frame, whose hash means nothing. */
  spread: number;
}

async function grey32(input: string | Buffer, limits: MediaLimits, timeoutMs: number): Promise<Grey32> {
  const { data } = await openImage(input, limits, timeoutMs)
    .rotate()
    .flatten({ background: '#ffffff' })
    .greyscale()
    .resize(N, N, { fit: 'fill', kernel: 'cubic' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const pixels = new Uint8Array(data.buffer, data.byteOffset, N * N);
  let sum = 0;
  for (const p of pixels) sum += p;
  const mean = sum / pixels.length;
  let sq = 0;
  for (const p of pixels) sq += (p - mean) ** 2;
  return { pixels, spread: Math.sqrt(sq / pixels.length) };
}

/**
 * 64-bit perceptual hash of an image, as 16 hex digits.
 *
 * @example
 * hammingDistance(await imagePHash(original), await imagePHash(reposted)) // 2: the same picture
 */
export async function imagePHash(path: string, opts: LimitOptions = {}): Promise<string> {
  const limits = limitsOf(opts);
  try {
    await inspectInput(path, 'perceptual hash', limits.maxImageBytes);
    return pHashOfGrey32((await grey32(path, limits, opts.timeoutMs ?? DEFAULT_TIMEOUTS.image)).pixels);
  } catch (e) {
    throw imageError(e, 'perceptual hash', [path]);
  }
}

const POPCOUNT = Array.from({ length: 16 }, (_, i) => (i & 1) + ((i >> 1) & 1) + ((i >> 2) & 1) + ((i >> 3) & 1));

/** Number of differing bits between two hex hashes of the same length (0 … 64 for pHash). */
export function hammingDistance(a: string, b: string): number {
  if (a.length !== b.length || !/^[0-9a-f]*$/i.test(a) || !/^[0-9a-f]*$/i.test(b)) {
    throw new MediaError('malformed', 'hamming distance: the hashes are not hex strings of one length');
  }
  let d = 0;
  for (let i = 0; i < a.length; i++) d += POPCOUNT[parseInt(a[i]!, 16) ^ parseInt(b[i]!, 16)]!;
  return d;
}

export interface KeyframeHash {
  atSeconds: number;
  hash: string;
  /** A (nearly) uniform frame — black, a fade — whose hash matches any other blank frame. */
  blank: boolean;
}

export interface VideoHashes {
  durationSeconds: number;
  frames: KeyframeHash[];
  /** Hashes of the frames that are not blank: what to compare. */
  hashes: string[];
}

/**
 * pHashes of `count` frames spread evenly over a video (at (i + ½) / count of its duration).
 *
 * @example
 * const a = await videoKeyframeHashes(original); const b = await videoKeyframeHashes(repost);
 * videoHashDistance(a.hashes, b.hashes) // small: a copy
 */
export async function videoKeyframeHashes(path: string, opts: LimitOptions & { count?: number } = {}): Promise<VideoHashes> {
  return asMediaError('video hashes', [path], async () => {
    const limits = limitsOf(opts);
    const count = Math.max(1, Math.min(opts.count ?? 8, 64));
    const deadline = Date.now() + (opts.timeoutMs ?? DEFAULT_TIMEOUTS.keyframes);
    await requireTool('ffmpeg');
    await inspectInput(path, 'video hashes');
    const facts = await videoFacts(path);
    if (!facts.hasVideo) throw new MediaError('unsupported', 'video hashes: the file has no video stream');
    if (!facts.durationSeconds || facts.durationSeconds <= 0) throw new MediaError('malformed', 'video hashes: the duration is unknown');
    const frames: KeyframeHash[] = [];
    for (let i = 0; i < count; i++) {
      const left = deadline - Date.now();
      if (left <= 0) throw new MediaError('timeout', `video hashes: ${frames.length} of ${count} frames within the time limit`);
      const at = Math.round(((facts.durationSeconds * (i + 0.5)) / count) * 1000) / 1000;
      const png = await grabFrame(path, at, 256, limits, left);
      if (png.length === 0) continue; // no frame there (a damaged stretch)
      try {
        const g = await grey32(png, limits, left);
        frames.push({ atSeconds: at, hash: pHashOfGrey32(g.pixels), blank: g.spread < 2 });
      } catch (e) {
        throw imageError(e, 'video hashes', [path]);
      }
    }
    if (frames.length === 0) throw new MediaError('malformed', 'video hashes: no frame could be decoded');
    return { durationSeconds: facts.durationSeconds, frames, hashes: frames.filter((f) => !f.blank).map((f) => f.hash) };
  });
}

/**
 * Distance between two videos' frame hashes: for each frame of one, the nearest frame of the
 * other; the mean of those, both ways, averaged. 0 is identical, 64 nothing alike (also the
 * answer when either list is empty). A re-encode scores a few bits; another video 25 or more.
 */
export function videoHashDistance(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 64;
  const oneWay = (x: readonly string[], y: readonly string[]): number =>
    x.reduce((sum, h) => sum + Math.min(...y.map((g) => hammingDistance(h, g))), 0) / x.length;
  return (oneWay(a, b) + oneWay(b, a)) / 2;
}
