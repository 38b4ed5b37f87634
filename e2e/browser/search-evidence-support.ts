import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** Helpers of the search and evidence browser tests: media made by code, file hashes (API sessions and sign-in: harness.ts). */

/** A three-second test-pattern video (MPEG-4, 320 × 240, 10 fps), made by ffmpeg. */
export function makeVideo(path: string): void {
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', '-f', 'lavfi', '-i', 'testsrc=duration=3:size=320x240:rate=10', '-pix_fmt', 'yuv420p', path], { timeout: 60_000 });
}

export const sha256Of = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
