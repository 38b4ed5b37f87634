import { z } from 'zod';
import { JOB_STATES } from '../../adapters/queue/queue.port.js';

/** Zod schemas of the jobs API, shared by routes, CLI and tests. */

export const jobId = z.uuid({ message: 'must be a job id (UUID)' });

export const jobQuerySchema = z
  .object({
    state: z.enum(JOB_STATES as [string, ...string[]]).optional().describe('queued, running, done, failed (waiting to retry) or dead'),
    name: z
      .string()
      .regex(/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/, 'a job name such as "evidence.extract-metadata"')
      .max(100)
      .optional()
      .describe('Job name, e.g. `evidence.extract-metadata`'),
    compartment: z.string().min(1).max(100).optional().describe('Id or name of a compartment: only its jobs'),
    limit: z.coerce.number().int().min(1).max(500).optional().describe('Page size (default 50, at most 500)'),
    cursor: z
      .string()
      .regex(/^[0-9a-f-]{36}$/, 'must be the nextCursor of the previous page')
      .optional()
      .describe('`nextCursor` of the previous page'),
  })
  .strict();
export type JobQueryInput = z.infer<typeof jobQuerySchema>;

export const jobSchema = z.object({
  id: z.string().describe('uuidv7: sorts by creation time'),
  name: z.string(),
  state: z.enum(JOB_STATES as [string, ...string[]]).describe('queued → running → done; failed: waiting for its next try at runAt; dead: no tries left (see lastError)'),
  attempts: z.number().int().describe('Tries started so far'),
  maxAttempts: z.number().int(),
  runAt: z.string().describe('When the job is (or was) due; for a failed job, its next try'),
  lockedBy: z.string().nullable().describe('The worker running it'),
  lockedUntil: z.string().nullable().describe('End of the running worker’s lease; after it another worker takes the job again'),
  progress: z.number().int().min(0).max(100),
  progressMessage: z.string().nullable(),
  result: z.record(z.string(), z.unknown()).nullable().describe('What the job reported when done, e.g. `{ "skipped": "ffmpeg not installed" }`'),
  lastError: z.string().nullable().describe('Error of the last failed try (kept when a later try succeeds)'),
  compartmentId: z.string().nullable(),
  dedupeKey: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
});
