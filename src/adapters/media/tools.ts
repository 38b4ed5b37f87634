import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import { runTool } from './child-process.js';
import { MediaError } from './media-error.js';
import { DEFAULT_TIMEOUTS } from './limits.js';

/**
 * The external programs media processing uses, and whether this machine has them. ffprobe is
 * always there (`ffprobe-static` ships it), but the operating system's own ffprobe is preferred
 * when installed: it gets security updates, while the shipped build dates from 2018 and is fed
 * hostile files. ffmpeg and tesseract come from the operating system only.
 */

export type ToolName = 'ffmpeg' | 'ffprobe' | 'tesseract';

export interface ToolStatus {
  available: boolean;
  /** Command or absolute path run. */
  command: string;
  /** First line of `-version`, e.g. `ffmpeg version 5.1.9-0+deb12u1`. */
  version?: string;
  /** Why it is not available. */
  reason?: string;
}

export interface ToolAvailability {
  ffmpeg: ToolStatus;
  ffprobe: ToolStatus;
  tesseract: ToolStatus & { langs: string[] };
  /** One line per missing tool or language, to report once at start (and in jobs that skip). */
  notices: string[];
}

export interface ToolPaths {
  ffmpeg: string;
  /** Empty: the OS `ffprobe` if it runs, else the one `ffprobe-static` ships. */
  ffprobe: string;
  tesseract: string;
}

/** The OCR languages Letapis wants: Belarusian, Russian, English. */
export const WANTED_OCR_LANGS = ['bel', 'rus', 'eng'] as const;

let paths: ToolPaths = { ffmpeg: 'ffmpeg', ffprobe: '', tesseract: 'tesseract' };
let cached: Promise<ToolAvailability> | undefined;

/** Sets where the tools are (the composition root's configuration; tests). Forgets the last check. */
export function setMediaToolPaths(p: Partial<ToolPaths>): void {
  paths = { ...paths, ...p };
  cached = undefined;
}

/** The path of the ffprobe binary that `ffprobe-static` ships for this platform, if it is there. */
export function shippedFfprobePath(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    const p = (require('ffprobe-static') as { path?: string }).path;
    if (!p) return undefined;
    accessSync(p, constants.X_OK);
    return p;
  } catch {
    return undefined;
  }
}

/**
 * Which tools (and tesseract languages) are present, checked once and remembered; `refresh`
 * checks again.
 *
 * @example
 * const tools = await toolAvailability();
 * for (const line of tools.notices) log.warn(line); // "ffmpeg not installed: …"
 */
export function toolAvailability(opts: { refresh?: boolean } = {}): Promise<ToolAvailability> {
  if (!cached || opts.refresh) cached = checkTools();
  return cached;
}

/** Command to run `name`, or `MediaError('tool-missing', 'ffmpeg not installed')`. */
export async function requireTool(name: ToolName): Promise<string> {
  const status = (await toolAvailability())[name];
  if (!status.available) throw new MediaError('tool-missing', `${name} not installed`);
  return status.command;
}

async function checkTools(): Promise<ToolAvailability> {
  const ffmpeg = await versionOf('ffmpeg', paths.ffmpeg, ['-version']);
  let ffprobe: ToolStatus;
  if (paths.ffprobe) {
    ffprobe = await versionOf('ffprobe', paths.ffprobe, ['-version']);
  } else {
    ffprobe = await versionOf('ffprobe', 'ffprobe', ['-version']);
    const shipped = shippedFfprobePath();
    if (!ffprobe.available && shipped) ffprobe = await versionOf('ffprobe', shipped, ['-version']);
  }
  const tessStatus = await versionOf('tesseract', paths.tesseract, ['--version']);
  let langs: string[] = [];
  if (tessStatus.available) {
    try {
      const r = await runTool(paths.tesseract, ['--list-langs'], { what: 'tesseract', timeoutMs: DEFAULT_TIMEOUTS.toolCheck });
      // v5 lists on stdout, v4 on stderr; the first line is a header
      langs = `${r.stdout.toString('utf8')}\n${r.stderr}`
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => /^[A-Za-z_]+$/.test(l));
    } catch {
      langs = [];
    }
  }
  const tesseract = { ...tessStatus, langs };
  const notices: string[] = [];
  if (!ffmpeg.available) notices.push('ffmpeg not installed: video posters, video previews and video keyframe hashes are skipped (install the ffmpeg package)');
  if (!ffprobe.available) notices.push('ffprobe not available: video and audio metadata are skipped');
  if (!tesseract.available) notices.push('tesseract not installed: OCR is skipped (install tesseract-ocr, tesseract-ocr-bel, tesseract-ocr-rus)');
  else {
    const missing = WANTED_OCR_LANGS.filter((l) => !langs.includes(l));
    if (missing.length) notices.push(`tesseract has no language data for ${missing.join(', ')}: OCR reads only ${langs.filter((l) => l !== 'osd').join(', ') || 'nothing'} (install ${missing.map((l) => `tesseract-ocr-${l}`).join(', ')})`);
  }
  return { ffmpeg, ffprobe, tesseract, notices };
}

async function versionOf(name: ToolName, command: string, args: string[]): Promise<ToolStatus> {
  try {
    const r = await runTool(command, args, { what: name, timeoutMs: DEFAULT_TIMEOUTS.toolCheck });
    const first = `${r.stdout.toString('utf8')}\n${r.stderr}`.split('\n').map((l) => l.trim()).find((l) => l.length > 0);
    if (r.code !== 0) return { available: false, command, reason: `${name} -version exited with ${r.code ?? r.signal}` };
    return { available: true, command, version: first?.replace(/\s+Copyright.*$/, '') };
  } catch (e) {
    return { available: false, command, reason: e instanceof MediaError ? e.message : `${name} not installed` };
  }
}
