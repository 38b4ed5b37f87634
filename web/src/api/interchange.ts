import { useMutation } from '@tanstack/react-query';
import { api } from './client';

/**
 * Interchange with Uwazi and the HURIDOCS Events Standard Formats
 * (src/modules/imports/interchange/interchange.routes.ts): an import of Uwazi CSVs (a ZIP with
 * their files, or one CSV, uploaded first as an evidence item) and an export (Uwazi ZIP or ESF
 * JSON), each a job followed with useJob (api/system.ts); the export's file is downloaded once,
 * by the one who asked, from exportDownloadUrl.
 */

export interface UwaziImportRequest {
  itemId: string;
  compartment: string;
  type?: string;
  dryRun: boolean;
}

export interface InterchangeProblem {
  file: string;
  row: number;
  column: string | null;
  field: string | null;
  reason: string;
  suggestions?: { code: string; label: string }[];
}

/** The import job's result (UwaziImportReport). */
export interface UwaziImportReport {
  itemId: string;
  compartment: string;
  dryRun: boolean;
  files: { name: string; type: string; rows: number }[];
  written: Record<string, number>;
  alreadyImported: number;
  notWritten: string | null;
  problems: InterchangeProblem[];
  problemsTotal: number;
  attachments: number;
  records: { file: string; row: number; type: string; id: string }[];
}

export const EXPORT_FORMATS = ['uwazi', 'esf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface InterchangeExportRequest {
  compartment: string;
  format: ExportFormat;
  types?: string[];
  withFiles?: boolean;
  withIdentities?: boolean;
}

/** The export job's result (InterchangeExportResult). */
export interface InterchangeExportResult {
  format: ExportFormat;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  contents: { name: string; rows: number }[];
  files: number;
  withheld: number;
  withIdentities: boolean;
  expiresAt: string;
}

/** Queues a dry run or an import; follow the job with useJob. */
export function useRequestUwaziImport() {
  return useMutation({ mutationFn: (req: UwaziImportRequest) => api<{ jobId: string; created: boolean }>('POST', '/api/v1/interchange/uwazi/import', req) });
}

/** Queues an export; follow the job with useJob, then download from exportDownloadUrl. */
export function useRequestInterchangeExport() {
  return useMutation({ mutationFn: (req: InterchangeExportRequest) => api<{ jobId: string; created: boolean }>('POST', '/api/v1/interchange/export', req) });
}

/** Where a finished export is downloaded (once: the server removes it then). */
export const exportDownloadUrl = (jobId: string) => `/api/v1/interchange/exports/${encodeURIComponent(jobId)}/download`;
