import { stat } from 'node:fs/promises';
import { AV_INPUT_GUARDS, firstLines, probeAv } from './av-metadata.js';
import { runTool } from './child-process.js';
import { imageError, openImage, type ImageDerivative, type ImageOutputFormat } from './image-derivatives.js';
import { formatBytes, inspectInput } from './input-file.js';
import { optNumber } from './json-value.js';
import { DEFAULT_TIMEOUTS, limitsOf, type LimitOptions, type MediaLimits } from './limits.js';
import { asMediaError, MediaError } from './media-error.js';
import { writeAtomically, writeBufferAtomically } from './output-file.js';
import { requireTool } from './tools.js';

/** ffmpeg's common arguments: quiet, no keyboard, one input and nothing it names. */
export const FFMPEG_BASE = ['-nostdin', '-hide_banner', '-v', 'error'] as const;

export interface VideoFacts {
  durationSeconds?: number;
  hasVideo: boolean;
  hasAudio: boolean;
}

/** Duration and streams, by ffprobe (a truncated or broken file fails here with ffprobe's reason). */
export async function videoFacts(src: string, timeoutMs?: number): Promise<VideoFacts> {
  const probe = await probeAv(src, timeoutMs ? { timeoutMs } : {});
  const streams = probe.streams ?? [];
  const video = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  const duration = optNumber(probe.format?.duration) ?? optNumber(video?.duration);
  return { durationSeconds: duration, hasVideo: video !== undefined, hasAudio: streams.some((s) => s.codec_type === 'audio') };
}

/**
 * One frame at `atSeconds` as PNG bytes, scaled to fit `maxSide` (ffmpeg turns it upright by
 * the display matrix). Empty when there is no frame there.
 */
export async function grabFrame(src: string, atSeconds: number, maxSide: number, limits: MediaLimits, timeoutMs: number): Promise<Buffer> {
  const ffmpeg = await requireTool('ffmpeg');
  const r = await runTool(
    ffmpeg,
    [
      ...FFMPEG_BASE,
      ...AV_INPUT_GUARDS,
      '-ss', atSeconds.toFixed(3),
      '-i', `file:${src}`,
      '-frames:v', '1', '-an', '-sn', '-dn',
      '-vf', `scale=w='min(${maxSide},iw)':h='min(${maxSide},ih)':force_original_aspect_ratio=decrease`,
      '-f', 'image2pipe', '-c:v', 'png', 'pipe:1',
    ],
    { what: 'ffmpeg', timeoutMs, maxStdoutBytes: 64 * 1024 * 1024, maxMemoryBytes: limits.maxChildMemoryBytes, hidePaths: [src] },
  );
  if (r.code !== 0) throw new MediaError('malformed', `ffmpeg cannot read a frame: ${firstLines(r.stderr) || `exit ${r.code ?? r.signal}`}`);
  return r.stdout;
}

export interface VideoPosterOptions extends LimitOptions {
  /** Time of the frame; default a tenth into the video, at most 10 s in. */
  atSeconds?: number;
  size?: number;
  format?: ImageOutputFormat;
}

/**
 * A poster frame for a video, upright, without metadata.
 *
 * @example
 * await videoPoster('/tmp/x/clip', '/tmp/x/poster.jpg') // { mime: 'image/jpeg', width: 1280, … }
 */
export async function videoPoster(src: string, dest: string, opts: VideoPosterOptions = {}): Promise<ImageDerivative> {
  return asMediaError('poster', [src, dest], async () => {
    const limits = limitsOf(opts);
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUTS.poster;
    await requireTool('ffmpeg');
    await inspectInput(src, 'poster');
    const facts = await videoFacts(src);
    if (!facts.hasVideo) throw new MediaError('unsupported', 'poster: the file has no video stream');
    const size = opts.size ?? 1280;
    let at = opts.atSeconds ?? (facts.durationSeconds ? Math.min(facts.durationSeconds * 0.1, 10) : 0);
    let png = await grabFrame(src, at, size, limits, timeoutMs);
    if (png.length === 0 && at > 0) {
      at = 0;
      png = await grabFrame(src, 0, size, limits, timeoutMs);
    }
    if (png.length === 0) throw new MediaError('malformed', 'poster: no frame could be decoded');
    try {
      const format = opts.format ?? 'jpeg';
      const img = openImage(png, limits, timeoutMs);
      const out = format === 'webp' ? img.webp({ quality: 80 }) : img.jpeg({ quality: 82 });
      const { data, info } = await out.toBuffer({ resolveWithObject: true });
      await writeBufferAtomically(dest, data);
      return { path: dest, mime: format === 'webp' ? 'image/webp' : 'image/jpeg', width: info.width, height: info.height, bytes: data.length };
    } catch (e) {
      throw imageError(e, 'poster', [src, dest]);
    }
  });
}

export interface VideoPreviewOptions extends LimitOptions {
  /** `mp4`: H.264/AAC with the index first (plays while loading). `webm`: VP8/Opus. */
  format?: 'mp4' | 'webm';
  /** Longest side of the picture (the shorter one at most 720). */
  maxSide?: number;
}

export interface VideoPreview {
  path: string;
  mime: string;
  bytes: number;
  durationSeconds?: number;
  /** The original is longer than the preview's cap. */
  truncated: boolean;
}

/**
 * A browser-playable preview: at most `maxPreviewSeconds` long and `maxPreviewBytes` large,
 * 1280 px on the longest side, upright, with no metadata, chapters or subtitles of the original.
 */
export async function videoPreview(src: string, dest: string, opts: VideoPreviewOptions = {}): Promise<VideoPreview> {
  return asMediaError('preview', [src, dest], async () => {
    const limits = limitsOf(opts);
    const ffmpeg = await requireTool('ffmpeg');
    await inspectInput(src, 'preview');
    const facts = await videoFacts(src);
    if (!facts.hasVideo) throw new MediaError('unsupported', 'preview: the file has no video stream');
    const format = opts.format ?? 'mp4';
    const long = opts.maxSide ?? 1280;
    const short = Math.min(720, long);
    const scale =
      `scale=w='if(gte(iw,ih),min(${long},iw),min(${short},iw))':h='if(gte(iw,ih),min(${short},ih),min(${long},ih))'` +
      ':force_original_aspect_ratio=decrease:force_divisible_by=2,format=yuv420p';
    const codecs =
      format === 'webm'
        ? ['-c:v', 'libvpx', '-b:v', '1M', '-crf', '30', '-deadline', 'realtime', '-cpu-used', '8', '-c:a', 'libopus', '-b:a', '96k', '-f', 'webm']
        : ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '28', '-profile:v', 'main', '-c:a', 'aac', '-b:a', '96k', '-movflags', '+faststart', '-f', 'mp4'];
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUTS.preview;
    const bytes = await writeAtomically(dest, async (tmp) => {
      const r = await runTool(
        ffmpeg,
        [
          ...FFMPEG_BASE,
          ...AV_INPUT_GUARDS,
          '-i', `file:${src}`,
          '-t', String(limits.maxPreviewSeconds),
          '-map', '0:v:0', '-map', '0:a:0?', '-sn', '-dn',
          '-map_metadata', '-1', '-map_chapters', '-1',
          '-fflags', '+bitexact', '-flags:v', '+bitexact', '-flags:a', '+bitexact',
          '-vf', scale, '-ac', '2', '-threads', '2',
          '-fs', String(limits.maxPreviewBytes),
          ...codecs,
          '-y', `file:${tmp}`,
        ],
        { what: 'ffmpeg', timeoutMs, maxStdoutBytes: 1024 * 1024, maxMemoryBytes: limits.maxChildMemoryBytes, hidePaths: [src, tmp] },
      );
      if (r.code !== 0) throw new MediaError('malformed', `ffmpeg cannot make a preview: ${firstLines(r.stderr) || `exit ${r.code ?? r.signal}`}`);
      const st = await stat(tmp);
      if (st.size === 0) throw new MediaError('malformed', 'ffmpeg made an empty preview');
      if (st.size > limits.maxPreviewBytes * 1.05) throw new MediaError('limit', `the preview grew past ${formatBytes(limits.maxPreviewBytes)}`);
      return st.size;
    });
    const truncated = facts.durationSeconds !== undefined && facts.durationSeconds > limits.maxPreviewSeconds;
    const durationSeconds = facts.durationSeconds === undefined ? undefined : Math.min(facts.durationSeconds, limits.maxPreviewSeconds);
    return { path: dest, mime: format === 'webm' ? 'video/webm' : 'video/mp4', bytes, durationSeconds, truncated };
  });
}
