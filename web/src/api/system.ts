import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';

/**
 * The custody ledger (GET /api/ledger/checkpoints, GET /api/ledger/keys, POST /api/ledger/checkpoints;
 * src/modules/ledger/ledger.routes.ts) and background jobs (GET /api/v1/jobs, GET /api/v1/jobs/:id,
 * POST /api/v1/jobs/:id/retry; src/modules/jobs/jobs.schemas.ts), typed by hand after their Zod schemas.
 */

export interface Cosignature {
  /** The witness key's name. */
  witness: string;
  /** Seconds since 1970 (the cosignature's own timestamp). */
  signedAt: number;
  /** One of the witnesses this log is configured to trust (LETAPIS_WITNESSES). */
  trusted: boolean;
}

export interface Checkpoint {
  size: number;
  rootHash: string;
  body: string;
  note: string;
  createdAt: string;
  /** events | interval | export | manual */
  reason: string;
  cosignatures: Cosignature[];
  witnessed: boolean;
  timestamps: { tsa: string; genTime: string; token: string }[];
}

export interface CheckpointPage {
  head: { size: number; rootHash: string };
  items: Checkpoint[];
}

export interface LedgerKeys {
  /** The log's verifier key (name+keyid+base64), null before the first checkpoint. */
  log: string | null;
  witnesses: string[];
  witnessQuorum: number;
}

export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'dead';
export const JOB_STATES: readonly JobState[] = ['queued', 'running', 'done', 'failed', 'dead'];

export interface Job {
  id: string;
  name: string;
  state: JobState;
  attempts: number;
  maxAttempts: number;
  runAt: string;
  lockedBy: string | null;
  lockedUntil: string | null;
  progress: number;
  progressMessage: string | null;
  result: Record<string, unknown> | null;
  lastError: string | null;
  compartmentId: string | null;
  dedupeKey: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export interface JobPage {
  items: Job[];
  nextCursor: string | null;
}

/** The job list's filters, under GET /api/v1/jobs's parameter names (and the page's URL's). */
export interface JobFilters {
  state?: JobState;
  name?: string;
}

const JOB_NAME = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/;

/**
 * Reads the filters from a URL's parameters, dropping values the API would refuse.
 *
 * @example jobFiltersFrom(new URLSearchParams('state=dead')) // { state: 'dead' }
 */
export function jobFiltersFrom(params: URLSearchParams): JobFilters {
  const state = params.get('state');
  const name = params.get('name');
  return {
    ...(state && (JOB_STATES as readonly string[]).includes(state) ? { state: state as JobState } : {}),
    ...(name && name.length <= 100 && JOB_NAME.test(name) ? { name } : {}),
  };
}

/** The query string of one page of jobs: the filters, then the cursor. */
export function jobsQueryString(filters: JobFilters, cursor?: string | null, limit = 25): string {
  const p = new URLSearchParams();
  if (filters.state) p.set('state', filters.state);
  if (filters.name) p.set('name', filters.name);
  p.set('limit', String(limit));
  if (cursor) p.set('cursor', cursor);
  return p.toString();
}

/** A job a worker has not finished with: the list keeps refreshing while one is shown. */
export const isUnfinished = (j: Pick<Job, 'state'>) => j.state === 'queued' || j.state === 'running';

/** The parts of a C2SP verifier key "name+keyid+base64": the name and the 8-hex-digit key id (its fingerprint). */
export function verifierKeyParts(key: string): { name: string; keyId: string } | null {
  const m = /^([^+\s]+)\+([0-9a-f]{8})\+[A-Za-z0-9+/=]+$/.exec(key);
  return m ? { name: m[1]!, keyId: m[2]! } : null;
}

/**
 * Each witness's newest cosignature among the checkpoints given (newest first), with the size it
 * covered; a witness that cosigned none of them maps to null.
 */
export function lastCosignatures(witnesses: readonly string[], checkpoints: readonly Checkpoint[]): { witness: string; keyId: string | null; last: { size: number; signedAt: number } | null }[] {
  return witnesses.map((key) => {
    const parts = verifierKeyParts(key);
    const name = parts?.name ?? key;
    let last: { size: number; signedAt: number } | null = null;
    for (const cp of checkpoints)
      for (const c of cp.cosignatures) if (c.witness === name && (!last || cp.size > last.size)) last = { size: cp.size, signedAt: c.signedAt };
    return { witness: name, keyId: parts?.keyId ?? null, last };
  });
}

const LEDGER = ['ledger'] as const;
const JOBS = ['jobs'] as const;
export const CHECKPOINTS_PER_PAGE = 10;

/** Checkpoints, newest first, a page at a time (`before` the smallest size shown). */
export function useCheckpoints() {
  return useInfiniteQuery({
    queryKey: [...LEDGER, 'checkpoints'],
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam }) => api<CheckpointPage>('GET', `/api/ledger/checkpoints?limit=${CHECKPOINTS_PER_PAGE}${pageParam === undefined ? '' : `&before=${pageParam}`}`),
    getNextPageParam: (last) => (last.items.length < CHECKPOINTS_PER_PAGE ? undefined : last.items[last.items.length - 1]!.size),
  });
}

export function useLedgerKeys() {
  return useQuery({ queryKey: [...LEDGER, 'keys'], queryFn: () => api<LedgerKeys>('GET', '/api/ledger/keys') });
}

/** Signs (and timestamps, when authorities are configured) a checkpoint now. */
export function useSignCheckpoint() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api<Checkpoint>('POST', '/api/ledger/checkpoints', {}),
    onSuccess: () => qc.invalidateQueries({ queryKey: LEDGER }),
  });
}

/** How often the job list and a job's detail are asked again while a job is unfinished. */
export const JOB_REFRESH_MS = 3000;

/** Jobs newest first under the filters, page after page with the cursor; refreshed while any shown job is unfinished. */
export function useJobs(filters: JobFilters) {
  return useInfiniteQuery({
    queryKey: [...JOBS, 'list', filters],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => api<JobPage>('GET', `/api/v1/jobs?${jobsQueryString(filters, pageParam)}`),
    getNextPageParam: (last) => last.nextCursor,
    // the list stays while another filter's loads (then it is replaced at once)
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.data?.pages.some((p) => p.items.some(isUnfinished)) ? JOB_REFRESH_MS : false),
  });
}

export function useJob(id: string | null) {
  return useQuery({
    queryKey: [...JOBS, 'one', id],
    queryFn: () => api<Job>('GET', `/api/v1/jobs/${encodeURIComponent(id!)}`),
    enabled: id !== null,
    refetchInterval: (q) => (q.state.data && isUnfinished(q.state.data) ? JOB_REFRESH_MS : false),
  });
}

/** Queues a dead job again with all its tries (administrators); 409 when it is not dead or another job does the same work. */
export function useRetryJob() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<Job>('POST', `/api/v1/jobs/${encodeURIComponent(id)}/retry`),
    onSuccess: () => qc.invalidateQueries({ queryKey: JOBS }),
  });
}
