import cliProgress from 'cli-progress';
import type { Container } from '../app/container.js';
import type { Actor } from '../domain/policies.js';
import type { JobDefinition, JobHandler, JobName, JobPayloads } from '../adapters/queue/queue.port.js';
import { appendAuditEvent } from '../modules/audit/audit.repository.js';
import { findCompartment } from '../modules/compartments/compartments.repository.js';
import { runJobHere } from '../modules/imports/run-here.js';
import { cliActor } from './context.js';

/** What every importer needs from the container: the records and evidence use cases' dependencies. */
export function importDeps(c: Container) {
  return { db: c.db, vault: c.vault, blobs: c.blobs, audit: appendAuditEvent, maxBytes: c.config.maxUploadBytes };
}

/** The account an import acts as (`--as`, default the first administrator) and its target compartment, by name. */
export async function importTarget(c: Container, opts: { as?: string; compartment: string }): Promise<{ actor: Actor; compartmentId: string }> {
  const actor = await cliActor(c, opts.as);
  const compartment = await findCompartment(c.db, opts.compartment);
  if (!compartment) throw new Error(`no compartment is named "${opts.compartment}" (see: letapis compartment list)`);
  return { actor, compartmentId: compartment.id };
}

/**
 * Runs an import job in this process (runJobHere) with a progress bar on the terminal — none with
 * `--json` or when standard error is not a terminal. `label` heads the bar, `status` is its first
 * message.
 */
export async function runImportHere<N extends JobName>(
  c: Container,
  show: { json?: boolean; label: string; status: string },
  name: N,
  payload: JobPayloads[N],
  def: JobHandler<N> | JobDefinition<N>,
  compartmentId: string,
): Promise<{ jobId: string; result: Record<string, unknown> | undefined }> {
  const bar =
    !show.json && process.stderr.isTTY
      ? new cliProgress.SingleBar({ format: `${show.label} [{bar}] {percentage}% | {status}`, hideCursor: true, stream: process.stderr }, cliProgress.Presets.shades_classic)
      : null;
  bar?.start(100, 0, { status: show.status });
  try {
    const out = await runJobHere(c.db, name, payload, def, { compartmentId, onProgress: (p, message) => bar?.update(Math.floor(p), { status: message ?? '' }) });
    bar?.update(100, { status: 'done' });
    return out;
  } finally {
    bar?.stop();
  }
}
