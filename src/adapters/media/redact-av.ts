import { rm, stat } from 'node:fs/promises';
import { AV_INPUT_GUARDS, firstLines, probeAv, type FfprobeStream } from './av-metadata.js';
import { runTool } from './child-process.js';
import { inspectInput } from './input-file.js';
import { DEFAULT_TIMEOUTS, limitsOf, type LimitOptions } from './limits.js';
import { asMediaError, MediaError } from './media-error.js';
import { writeAtomically } from './output-file.js';
import { blurBlock, regionToPixels, type PixelRect, type RedactionRegion, type RegionStyle } from './redact-image.js';
import { requireTool } from './tools.js';
import { FFMPEG_BASE } from './video-derivatives.js';

/**
 * Redacting recordings with ffmpeg: ranges of the sound silenced or covered by a tone, the voice
 * disguised by a pitch shift, regions of the picture covered by a box or an irreversible blur
 * over time ranges. The output is always encoded anew (H.264/AAC in MP4, or AAC in M4A for sound
 * alone) and then rewritten once more without any metadata: no global or stream tags (title,
 * location, creation_time, device), no chapters, no subtitle or data streams, no encoder strings
 * (bitexact muxing, the x264 information SEI dropped, no `encoder` tag).
 */

/** Nothing of the original's metadata, chapters or encoder identity reaches an output. */
const STRIP = ['-map_metadata', '-1', '-map_metadata:s:v', '-1', '-map_metadata:s:a', '-1', '-map_chapters', '-1', '-fflags', '+bitexact', '-flags:v', '+bitexact', '-flags:a', '+bitexact'] as const;

/** A stretch of time in seconds from the start. */
export interface TimeRange {
  from: number;
  to: number;
}

export interface AudioRedaction {
  /** Ranges to hide. */
  ranges?: readonly TimeRange[];
  /** `silence` (default) or `tone` (a 1 kHz beep, so a listener hears that something was cut). */
  cover?: 'silence' | 'tone';
  /** Voice disguise: semitones up (positive) or down (negative), e.g. -4. 0 or absent: none. */
  pitchSemitones?: number;
}

export interface VideoRegionRedaction extends RedactionRegion {
  /** When the region is hidden; absent: the whole recording. */
  ranges?: readonly TimeRange[];
}

export interface AvRedactionOptions extends LimitOptions {
  audio?: AudioRedaction;
  /** Regions of the picture (ignored for sound alone). */
  regions?: readonly VideoRegionRedaction[];
  style?: RegionStyle;
  /** Box colour, `#rrggbb`; default black. */
  colour?: string;
}

export interface RedactedAv {
  path: string;
  mime: string;
  bytes: number;
  durationSeconds?: number;
  hasVideo: boolean;
  hasAudio: boolean;
  /** How pitch was shifted, if it was: `rubberband` or `asetrate`. */
  pitchShift?: string;
}

let rubberband: Promise<boolean> | undefined;

/** Whether this ffmpeg has the rubberband filter (better voice disguise that keeps the tempo). */
export function hasRubberband(ffmpeg: string): Promise<boolean> {
  rubberband ??= runTool(ffmpeg, ['-hide_banner', '-filters'], { what: 'ffmpeg', timeoutMs: DEFAULT_TIMEOUTS.toolCheck })
    .then((r) => /\srubberband\s/.test(r.stdout.toString('utf8')))
    .catch(() => false);
  return rubberband;
}

const num = (n: number): string => (Math.round(n * 1000) / 1000).toString();
const during = (ranges: readonly TimeRange[]): string => ranges.map((r) => `between(t,${num(r.from)},${num(r.to)})`).join('+');

function checkRanges(ranges: readonly TimeRange[] | undefined, what: string): void {
  for (const r of ranges ?? []) {
    if (!(Number.isFinite(r.from) && Number.isFinite(r.to) && r.from >= 0 && r.to > r.from))
      throw new MediaError('unsupported', `${what}: the range ${r.from}–${r.to} s is not a time range (from ≥ 0, to after from)`);
  }
}

/** The upright size of a video stream (a phone's rotation turns 1920 × 1080 into 1080 × 1920). */
export function displaySize(video: FfprobeStream): { width: number; height: number } {
  const w = video.width ?? 0;
  const h = video.height ?? 0;
  const rotation = video.side_data_list?.find((s) => typeof s.rotation === 'number')?.rotation ?? Number(video.tags?.rotate ?? 0);
  return Math.abs(rotation) % 180 === 90 ? { width: h, height: w } : { width: w, height: h };
}

/** The audio filter chain: ranges hidden, then the pitch shifted. Empty when nothing is asked. */
async function audioChain(ffmpeg: string, audio: AudioRedaction | undefined, sampleRate: number): Promise<{ chain: string[]; pitchShift?: string }> {
  const chain: string[] = [];
  if (audio?.ranges?.length) {
    const cond = during(audio.ranges);
    if (audio.cover === 'tone') chain.push(`aeval=exprs='if(${cond},0.25*sin(2*PI*1000*t),val(ch))':channel_layout=same`);
    else chain.push(`volume=volume=0:enable='${cond}'`);
  }
  let pitchShift: string | undefined;
  const st = audio?.pitchSemitones ?? 0;
  if (st !== 0) {
    const ratio = 2 ** (st / 12);
    if (await hasRubberband(ffmpeg)) {
      chain.push(`rubberband=pitch=${ratio.toFixed(5)}:formant=shifted`);
      pitchShift = 'rubberband';
    } else {
      // play faster (higher) at the same rate, then stretch back to the original length
      chain.push(`asetrate=${Math.round(sampleRate * ratio)}`, `aresample=${sampleRate}`, `atempo=${(1 / ratio).toFixed(5)}`);
      pitchShift = 'asetrate';
    }
  }
  return { chain, pitchShift };
}

/** The video filter graph from `[0:v]` to `[vout]`: each region boxed or blurred in its time ranges. */
function videoGraph(regions: readonly VideoRegionRedaction[], size: { width: number; height: number }, style: RegionStyle, colour: string): { graph: string[]; rects: PixelRect[] } {
  const graph: string[] = [];
  const rects: PixelRect[] = [];
  let last = '0:v';
  regions.forEach((region, i) => {
    const rect = regionToPixels(region, size.width, size.height);
    rects.push(rect);
    const enable = region.ranges?.length ? `:enable='${during(region.ranges)}'` : '';
    const out = `v${i}`;
    if ((region.style ?? style) === 'box') {
      graph.push(`[${last}]drawbox=x=${rect.left}:y=${rect.top}:w=${rect.width}:h=${rect.height}:color=${colour}@1:t=fill${enable}[${out}]`);
    } else {
      const block = blurBlock(rect);
      const sw = Math.max(1, Math.ceil(rect.width / block));
      const sh = Math.max(1, Math.ceil(rect.height / block));
      const radius = Math.max(1, Math.min(Math.floor(Math.min(rect.width, rect.height) / 2) - 1, Math.round(block / 2)));
      graph.push(
        `[${last}]split=2[b${i}][c${i}]`,
        `[c${i}]crop=${rect.width}:${rect.height}:${rect.left}:${rect.top},scale=${sw}:${sh}:flags=area,scale=${rect.width}:${rect.height}:flags=neighbor,boxblur=${radius}:2[p${i}]`,
        `[b${i}][p${i}]overlay=${rect.left}:${rect.top}${enable}[${out}]`,
      );
    }
    last = out;
  });
  graph.push(`[${last}]format=yuv420p[vout]`);
  return { graph, rects };
}

/**
 * Writes `dest`: the recording with its audio ranges hidden, the voice disguised and the regions of
 * the picture hidden as asked, re-encoded, without any metadata. The original is only read.
 *
 * @example
 * await redactAv('/tmp/x/clip', '/tmp/x/redacted.mp4', { regions: [{ x: 0.3, y: 0.2, width: 0.2, height: 0.3, unit: 'relative', style: 'blur', ranges: [{ from: 2, to: 9 }] }], audio: { pitchSemitones: -4 } })
 */
export async function redactAv(src: string, dest: string, opts: AvRedactionOptions = {}): Promise<RedactedAv> {
  return asMediaError('redaction', [src, dest], async () => {
    const limits = limitsOf(opts);
    const ffmpeg = await requireTool('ffmpeg');
    await inspectInput(src, 'redaction');
    checkRanges(opts.audio?.ranges, 'redaction');
    for (const r of opts.regions ?? []) checkRanges(r.ranges, 'redaction');
    const colour = opts.colour ?? '#000000';
    if (!/^#[0-9a-f]{6}$/i.test(colour)) throw new MediaError('unsupported', `redaction: the colour ${colour.slice(0, 20)} is not #rrggbb`);
    const probe = await probeAv(src);
    const streams = probe.streams ?? [];
    const video = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
    const audio = streams.find((s) => s.codec_type === 'audio');
    if (!video && !audio) throw new MediaError('unsupported', 'redaction: the file has neither picture nor sound');
    if (!video && opts.regions?.length) throw new MediaError('unsupported', 'redaction: regions were given but the file has no picture');
    const durationSeconds = Number(probe.format?.duration ?? video?.duration ?? audio?.duration) || undefined;
    const sampleRate = Number(audio?.sample_rate) || 48_000;

    const graph: string[] = [];
    if (video) graph.push(...videoGraph(opts.regions ?? [], displaySize(video), opts.style ?? 'box', colour.replace('#', '0x')).graph);
    const { chain, pitchShift } = audio ? await audioChain(ffmpeg, opts.audio, sampleRate) : { chain: [] as string[], pitchShift: undefined };
    if (audio) graph.push(`[0:a:0]${chain.length ? chain.join(',') : 'anull'}[aout]`);
    const maps = [...(video ? ['-map', '[vout]'] : []), ...(audio ? ['-map', '[aout]'] : [])];
    const codecs = [
      ...(video ? ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-bsf:v', 'filter_units=remove_types=6'] : []),
      ...(audio ? ['-c:a', 'aac', '-b:a', '128k'] : []),
    ];
    const timeoutMs = opts.timeoutMs ?? Math.max(DEFAULT_TIMEOUTS.preview, (durationSeconds ?? 0) * 4_000);
    const mime = video ? 'video/mp4' : 'audio/mp4';
    const bytes = await writeAtomically(dest, async (tmp) => {
      const encoded = `${tmp}.enc`;
      try {
        const r = await runTool(
          ffmpeg,
          [...FFMPEG_BASE, ...AV_INPUT_GUARDS, '-i', `file:${src}`, '-filter_complex', graph.join(';'), ...maps, '-sn', '-dn', ...STRIP, ...codecs, '-threads', '2', '-movflags', '+faststart', '-f', 'mp4', '-y', `file:${encoded}`],
          { what: 'ffmpeg', timeoutMs, maxStdoutBytes: 1024 * 1024, maxMemoryBytes: limits.maxChildMemoryBytes, hidePaths: [src, encoded] },
        );
        if (r.code !== 0) throw new MediaError('malformed', `ffmpeg cannot redact the recording: ${firstLines(r.stderr) || `exit ${r.code ?? r.signal}`}`);
        // a second pass, copying the streams: the encoder names the first pass wrote into the
        // streams' tags (`encoder`, the MP4 compressor name) are not carried over
        const c = await runTool(
          ffmpeg,
          [...FFMPEG_BASE, '-i', `file:${encoded}`, '-map', '0', '-c', 'copy', ...STRIP, '-movflags', '+faststart', '-f', 'mp4', '-y', `file:${tmp}`],
          { what: 'ffmpeg', timeoutMs, maxStdoutBytes: 1024 * 1024, maxMemoryBytes: limits.maxChildMemoryBytes, hidePaths: [encoded, tmp] },
        );
        if (c.code !== 0) throw new MediaError('malformed', `ffmpeg cannot write the redacted recording: ${firstLines(c.stderr) || `exit ${c.code ?? c.signal}`}`);
      } finally {
        await rm(encoded, { force: true });
      }
      const st = await stat(tmp);
      if (st.size === 0) throw new MediaError('malformed', 'ffmpeg made an empty redacted recording');
      return st.size;
    });
    return { path: dest, mime, bytes, durationSeconds, hasVideo: Boolean(video), hasAudio: Boolean(audio), ...(pitchShift ? { pitchShift } : {}) };
  });
}
