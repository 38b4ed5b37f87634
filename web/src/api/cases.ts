import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from './client';
import type { LinkedEvidenceItem, StoredRecord } from './records';

/**
 * The case workspace (src/modules/records, src/modules/evidence links, src/modules/bundles):
 * a case's qualifications (GET /api/v1/qualifications?case=) and their elements
 * (GET /api/v1/qualification-elements?qualification=), evidence linked to records
 * (GET /api/v1/linked-evidence), and case bundles: POST /api/v1/cases/:id/exports starts a
 * `case.export` job, followed at /api/v1/jobs/:jobId and /api/v1/exports/:exportId, then downloaded.
 */

export interface CaseExport {
  id: string;
  caseId: string;
  jobId: string;
  state: 'queued' | 'done' | 'failed';
  size: number | null;
  sha256: string | null;
  checkpointSize: number | null;
  summary: Record<string, number> | null;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface Job {
  id: string;
  state: 'queued' | 'running' | 'done' | 'failed' | 'dead';
  progress: number;
  progressMessage: string | null;
  lastError: string | null;
}

/** Records of a type that refer to any of `ids` by `field` (at most 500). */
export function useReferring(type: string, field: string, ids: string[]) {
  const key = [...ids].sort().join(',');
  return useQuery({
    queryKey: ['records', type, 'list', { [field]: key }, 'all'],
    queryFn: async () => (await api<{ items: StoredRecord[] }>('GET', `/api/v1/${type}?${new URLSearchParams({ [field]: key, limit: '500', sort: 'createdAt' })}`)).items,
    enabled: ids.length > 0,
  });
}

/**
 * The case's exports, newest first, or `allowed: false` when the API refuses the caller
 * (case.export: coordinators and lawyers of the case's compartment).
 */
export function useCaseExports(caseId: string) {
  return useQuery({
    queryKey: ['cases', caseId, 'exports'],
    queryFn: async (): Promise<{ allowed: boolean; items: CaseExport[] }> => {
      try {
        return { allowed: true, items: (await api<{ items: CaseExport[] }>('GET', `/api/v1/cases/${caseId}/exports`)).items };
      } catch (e) {
        if (e instanceof ApiError && (e.status === 403 || e.status === 404)) return { allowed: false, items: [] };
        throw e;
      }
    },
    retry: false,
  });
}

export function useStartExport(caseId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api<CaseExport>('POST', `/api/v1/cases/${caseId}/exports`, {}),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['cases', caseId, 'exports'] }),
  });
}

/** One export, polled every second while it is queued. */
export function useExport(exportId: string | undefined) {
  return useQuery({
    queryKey: ['exports', exportId],
    queryFn: () => api<CaseExport>('GET', `/api/v1/exports/${exportId}`),
    enabled: Boolean(exportId),
    refetchInterval: (q) => (q.state.data?.state === 'queued' || !q.state.data ? 1000 : false),
    retry: false,
  });
}

/** The export's job (progress and its message), polled while it is not finished. */
export function useJob(jobId: string | undefined, running: boolean) {
  return useQuery({
    queryKey: ['jobs', jobId],
    queryFn: () => api<Job>('GET', `/api/v1/jobs/${jobId}`),
    enabled: Boolean(jobId),
    refetchInterval: running ? 1000 : false,
    retry: false,
  });
}

export const downloadUrl = (exportId: string) => `/api/v1/exports/${exportId}/download`;

/** Links an evidence item to a record (the case, or an element of a crime it proves). */
export function useLinkToRecord() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { itemId: string; targetType: string; targetId: string }) =>
      api('POST', `/api/v1/evidence/${v.itemId}/links`, { targetType: v.targetType, targetId: v.targetId }),
    onSuccess: (_d, v) => {
      void qc.invalidateQueries({ queryKey: ['records', v.targetType, 'evidence', v.targetId] });
      void qc.invalidateQueries({ queryKey: ['evidence', v.itemId] });
    },
  });
}

/** Evidence linked to each of several records of one type (cached like useLinkedEvidence), by record id. */
export function useLinkedEvidenceOf(type: string, ids: string[]): { byId: Map<string, LinkedEvidenceItem[]>; loading: boolean } {
  const results = useQueries({
    queries: ids.map((id) => ({
      queryKey: ['records', type, 'evidence', id],
      queryFn: async () => (await api<{ items: LinkedEvidenceItem[] }>('GET', `/api/v1/linked-evidence?${new URLSearchParams({ type, id })}`)).items,
    })),
  });
  const byId = new Map<string, LinkedEvidenceItem[]>();
  ids.forEach((id, i) => byId.set(id, results[i]?.data ?? []));
  return { byId, loading: results.some((r) => r.isLoading) };
}
