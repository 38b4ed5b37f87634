/**
 * The one error the media adapters throw. Evidence that fails to parse is still evidence: the
 * caller stores it as received and records `kind` and `message` as the reason (SECURITY.md,
 * "Hostile input"), so messages say what was wrong in words a defender can read, never a stack
 * trace and never the private temp path.
 */
export type MediaErrorKind = 'unsupported' | 'malformed' | 'limit' | 'timeout' | 'tool-missing';

export class MediaError extends Error {
  constructor(
    readonly kind: MediaErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MediaError';
  }

  /** What a job records: `{ kind: 'tool-missing', message: 'ffmpeg not installed' }`. */
  toJSON(): { kind: MediaErrorKind; message: string } {
    return { kind: this.kind, message: this.message };
  }
}

export function isMediaError(e: unknown): e is MediaError {
  return e instanceof MediaError;
}

/** Message of any thrown value, one line, without the given private paths. */
export function describeError(e: unknown, hidePaths: readonly string[] = []): string {
  const raw = e instanceof Error ? e.message : typeof e === 'string' ? e : 'unknown error';
  return scrubPaths(raw, hidePaths).replace(/\s+/g, ' ').trim().slice(0, 500) || 'unknown error';
}

/** Replaces each private path (and its `file:` form) by `<input>` so temp names never reach a record. */
export function scrubPaths(text: string, paths: readonly string[]): string {
  let out = text;
  for (const p of paths) {
    if (p) out = out.split(p).join('<input>');
  }
  return out.replace(/file:<input>/g, '<input>');
}

/**
 * Runs `work` and turns anything it throws that is not already a MediaError into one, so every
 * public function keeps its promise of throwing nothing else. `context` starts the message.
 */
export async function asMediaError<T>(
  context: string,
  hidePaths: readonly string[],
  work: () => Promise<T>,
  kind: MediaErrorKind = 'malformed',
): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof MediaError) throw e;
    throw new MediaError(kind, `${context}: ${describeError(e, hidePaths)}`, { cause: e });
  }
}
