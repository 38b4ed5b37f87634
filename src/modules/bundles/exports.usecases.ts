import type { Readable } from 'node:stream';
import { uuidv7 } from 'uuidv7';
import { z } from 'zod';
import { enqueue } from '../../adapters/queue/enqueue.js';
import { EncryptedBlobStore } from '../../adapters/blobs/encrypted/encrypted.store.js';
import { PermanentJobError, type JobContext, type JobHandlers } from '../../adapters/queue/queue.port.js';
import { can, type Actor } from '../../domain/policies.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../domain/errors.js';
import { subjectOf } from '../compartments/compartments.usecases.js';
import { getRecord, parseBody } from '../records/records.usecases.js';
import { jobRequester } from '../jobs/requester.js';
import { onwardProgress } from '../jobs/progress.js';
import { exportCaseToStore, type CaseExportDeps } from './case-export.js';

/**
 * Case bundles through the API: asking for one queues a job (progress in `GET /api/v1/jobs/:id`);
 * the job writes the ZIP encrypted into the blob store; downloading it decrypts on the fly and is
 * a custody event. Those who may export the case may see and download its exports.
 */

declare module '../../adapters/queue/queue.port.js' {
  interface JobPayloads {
    'case.export': { exportId: string };
  }
}

export const exportRequestSchema = z
  .object({
    reason: z.string().trim().min(1).max(2000).optional(),
    recipient: z.string().trim().min(1).max(500).optional(),
    derivatives: z.array(z.string().regex(/^[a-z-]{1,40}$/)).max(20).optional(),
  })
  .strict();

export interface CaseExportView {
  id: string;
  caseId: string;
  jobId: string;
  state: 'queued' | 'done' | 'failed';
  reason: string | null;
  recipient: string | null;
  derivatives: string[];
  size: number | null;
  sha256: string | null;
  checkpointSize: number | null;
  summary: Record<string, number> | null;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

const toView = (r: Record<string, any>): CaseExportView => ({
  id: r.id,
  caseId: r.case_id,
  jobId: r.job_id,
  state: r.state,
  reason: r.reason ?? null,
  recipient: r.recipient ?? null,
  derivatives: JSON.parse(r.derivatives),
  size: r.size === null || r.size === undefined ? null : Number(r.size),
  sha256: r.sha256 ?? null,
  checkpointSize: r.checkpoint_size === null || r.checkpoint_size === undefined ? null : Number(r.checkpoint_size),
  summary: r.summary ? JSON.parse(r.summary) : null,
  error: r.error ?? null,
  createdAt: r.created_at,
  finishedAt: r.finished_at ?? null,
});

async function mayExport(deps: CaseExportDeps, actor: Actor, caseId: string): Promise<string> {
  const theCase = await getRecord({ db: deps.db, vault: deps.vault, audit: deps.audit }, actor, 'cases', caseId);
  const subject = await subjectOf(deps.db, actor);
  if (!can(subject, 'case.export', { compartmentId: theCase.compartment }))
    throw new ForbiddenError('your role in this case’s compartment may not export it (coordinators and lawyers may)');
  return theCase.compartment;
}

/** Queues the export of a case; the job runs as the one who asked. */
export async function requestCaseExport(deps: CaseExportDeps, actor: Actor, caseId: string, input: unknown): Promise<CaseExportView> {
  const body = parseBody(exportRequestSchema, input ?? {});
  const compartment = await mayExport(deps, actor, caseId);
  const id = uuidv7();
  return deps.db.transaction().execute(async (trx) => {
    const job = await enqueue(trx, 'case.export', { exportId: id }, { compartmentId: compartment, maxAttempts: 2 });
    const row = {
      id,
      case_id: caseId,
      compartment_id: compartment,
      requested_by: actor.userId,
      reason: body.reason ?? null,
      recipient: body.recipient ?? null,
      derivatives: JSON.stringify(body.derivatives ?? []),
      job_id: job.id,
      state: 'queued',
      created_at: new Date().toISOString(),
    };
    await trx.insertInto('case_exports').values(row).execute();
    await deps.audit(trx, { action: 'case.export-requested', actorId: actor.userId, targetType: 'case', targetId: caseId, reason: body.reason, details: { exportId: id, jobId: job.id } });
    return toView(row);
  });
}

export async function listCaseExports(deps: CaseExportDeps, actor: Actor, caseId: string): Promise<CaseExportView[]> {
  await mayExport(deps, actor, caseId);
  const rows = await deps.db.selectFrom('case_exports').selectAll().where('case_id', '=', caseId).orderBy('created_at', 'desc').limit(100).execute();
  return rows.map(toView);
}

async function visibleExport(deps: CaseExportDeps, actor: Actor, exportId: string): Promise<Record<string, any>> {
  const row = await deps.db.selectFrom('case_exports').selectAll().where('id', '=', exportId).executeTakeFirst();
  const subject = await subjectOf(deps.db, actor);
  if (!row || !can(subject, 'case.export', { compartmentId: row.compartment_id as string })) throw new NotFoundError(`there is no export ${exportId} you may see`);
  return row;
}

export async function getCaseExport(deps: CaseExportDeps, actor: Actor, exportId: string): Promise<CaseExportView> {
  return toView(await visibleExport(deps, actor, exportId));
}

/** The finished bundle, decrypted as it streams; the download is a custody event. */
export async function openCaseExport(deps: CaseExportDeps, actor: Actor, exportId: string): Promise<{ view: CaseExportView; stream: Readable }> {
  const row = await visibleExport(deps, actor, exportId);
  if (row.state !== 'done') throw new ConflictError(row.state === 'failed' ? `export ${exportId} failed: ${String(row.error)}` : `export ${exportId} is not ready yet (follow job ${String(row.job_id)})`);
  const stream = await new EncryptedBlobStore(deps.blobs, { db: deps.db, vault: deps.vault }).get(row.blob_name as string);
  await deps.audit(deps.db, { action: 'case.export-download', actorId: actor.userId, targetType: 'case', targetId: row.case_id as string, details: { exportId, bundleSha256: row.sha256 } });
  return { view: toView(row), stream };
}

/** The `case.export` job: builds the bundle as the requester, with progress by bytes. */
export function exportJobHandlers(deps: CaseExportDeps): JobHandlers {
  return {
    'case.export': {
      timeoutMs: 6 * 60 * 60 * 1000,
      run: async ({ exportId }, ctx: JobContext) => {
        const row = await deps.db.selectFrom('case_exports').selectAll().where('id', '=', exportId).executeTakeFirst();
        if (!row) throw new PermanentJobError(`export ${exportId} is gone`);
        if (row.state === 'done') return { exportId, already: true };
        const actor = await jobRequester(deps.db, row.requested_by as string, 'export');
        const report = onwardProgress(ctx);
        try {
          const res = await exportCaseToStore(deps, actor, row.case_id as string, {
            reason: (row.reason as string | null) ?? undefined,
            recipient: (row.recipient as string | null) ?? undefined,
            derivatives: JSON.parse(row.derivatives as string),
            onProgress: (done, total) => {
              report(total ? done / total : 0.5, `${done} of ${total} bytes of evidence written`);
            },
          });
          await deps.db
            .updateTable('case_exports')
            .set({
              state: 'done',
              blob_name: res.blobName,
              data_key_id: res.dataKeyId,
              size: res.bytes,
              sha256: res.sha256,
              checkpoint_size: res.checkpointSize,
              summary: JSON.stringify({ records: res.records, items: res.items, files: res.files, events: res.events, withheld: res.withheld }),
              finished_at: new Date().toISOString(),
            })
            .where('id', '=', exportId)
            .execute();
          return { exportId, bytes: res.bytes, items: res.items, events: res.events, withheld: res.withheld };
        } catch (e) {
          if (e instanceof ForbiddenError || e instanceof NotFoundError) {
            await deps.db.updateTable('case_exports').set({ state: 'failed', error: (e as Error).message, finished_at: new Date().toISOString() }).where('id', '=', exportId).execute();
            throw new PermanentJobError((e as Error).message);
          }
          throw e;
        }
      },
    },
  };
}

