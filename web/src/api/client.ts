/**
 * The one way the UI talks to the server: same-origin fetch to /api, JSON in and out, the session
 * cookie sent by the browser, and the CSRF token (from sign-in or GET /api/v1/session) on every
 * change. Errors are RFC 9457 problems, thrown as ApiError for the pages to turn into messages.
 */

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  errors?: { field: string; message: string }[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
    /** Seconds from Retry-After (429), if the server said. */
    readonly retryAfter: number | null,
  ) {
    super(problem.detail ?? `HTTP ${status}`);
  }
  /** The vault is sealed: nothing sensitive (second factors included) works until it is unsealed. */
  get sealed(): boolean {
    return this.status === 503 && this.problem.title === 'Vault sealed';
  }
}

/** The server could not be reached at all. */
export class NetworkError extends Error {}

let csrfToken: string | null = null;
const sealedListeners = new Set<() => void>();

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called whenever an answer says the vault is sealed (the app then offers the unseal screen). */
export function onVaultSealed(listener: () => void): () => void {
  sealedListeners.add(listener);
  return () => sealedListeners.delete(listener);
}

export async function api<T>(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin', cache: 'no-store' });
  } catch (e) {
    throw new NetworkError(String(e));
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const data: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const problem = (data && typeof data === 'object' ? data : { status: res.status }) as Problem;
    const retry = Number(res.headers.get('retry-after'));
    const err = new ApiError(res.status, problem, Number.isFinite(retry) && retry > 0 ? retry : null);
    if (err.sealed) sealedListeners.forEach((l) => l());
    throw err;
  }
  return data as T;
}
