import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobContext, JobHandlers } from '../../adapters/queue/queue.port.js';
import { PermanentJobError } from '../../adapters/queue/queue.port.js';
import { isMediaError, redactAv, redactImage } from '../../adapters/media/index.js';
import { can } from '../../domain/policies.js';
import { subjectOf } from '../compartments/compartments.usecases.js';
import { decryptToFile, storeDerivative, type ProcessDeps } from '../evidence/evidence.jobs.js';
import * as repo from '../evidence/evidence.repository.js';
import { storeItemMetadata } from '../evidence/evidence.usecases.js';
import { jobRequester, refusalEndsJob } from '../jobs/requester.js';
import { applySpans, itemText, REDACTED_KIND, type RedactionSpec } from './redaction.usecases.js';

/**
 * The `evidence.redact` job: the item decrypted to a private temporary folder, the redaction made
 * there by the media adapters (or on the text), the output stored encrypted as a `redacted`
 * derivative with two custody events of the item in one transaction — `evidence.derive` (the bytes
 * made) and `evidence.redact` (who asked, the spec's hash, the derivative's SHA-256). The spec is
 * kept with the derivative, encrypted, so the same redaction can be made again.
 */

export interface RedactionResult extends Record<string, unknown> {
  derivativeId: string;
  sha256: string;
  size: number;
  mime: string;
  specSha256: string;
}

/** Time limit of one attempt: recordings are encoded anew (5 minutes of 1080p took 197 s on two busy cores: docs/BENCHMARKS.md). */
export const REDACTION_JOB_TIMEOUT_MS = 6 * 60 * 60_000;

export function redactionJobHandlers(deps: ProcessDeps): JobHandlers {
  return {
    'evidence.redact': { run: async (payload, ctx) => redactItem(deps, payload, ctx), timeoutMs: REDACTION_JOB_TIMEOUT_MS },
  };
}

async function redactItem(deps: ProcessDeps, payload: { itemId: string; spec: RedactionSpec; specSha256: string; requestedBy: string }, ctx: JobContext): Promise<RedactionResult> {
  const actor = await jobRequester(deps.db, payload.requestedBy, 'redaction');
  const item = await repo.findItem(deps.db, payload.itemId);
  if (!item) throw new PermanentJobError('the item no longer exists');
  const subject = await subjectOf(deps.db, actor);
  if (!can(subject, 'evidence.redact', { compartmentId: item.compartment })) throw new PermanentJobError('the account that asked may no longer redact evidence in this compartment');
  const spec = payload.spec;
  await mkdir(deps.tmpDir, { recursive: true, mode: 0o700 });
  const dir = await mkdtemp(join(deps.tmpDir, 'redact-'));
  try {
    let out: { path: string; mime: string; tool: string };
    if (spec.kind === 'text') {
      const { text, source } = await refusalEndsJob(() => itemText(deps, item));
      const redacted = await refusalEndsJob(async () => applySpans(text, spec.spans, spec.mark));
      const path = join(dir, 'redacted.txt');
      await writeFile(path, redacted.text, { mode: 0o600 });
      out = { path, mime: 'text/plain', tool: `letapis text redaction (from ${source.id === item.id ? 'the item' : `its ${source.derivativeKind}`})` };
    } else {
      const original = join(dir, 'original');
      await decryptToFile(deps, item, original);
      await ctx.progress(10, 'decrypted');
      try {
        if (spec.kind === 'image') {
          const r = await redactImage(original, join(dir, 'redacted'), { regions: spec.regions, style: spec.style, colour: spec.colour, format: spec.format });
          out = { path: r.path, mime: r.mime, tool: 'sharp' };
        } else {
          const audio = spec.kind === 'audio' ? spec : spec.audio;
          const r = await redactAv(original, join(dir, 'redacted'), {
            audio: audio ? { ranges: audio.ranges, cover: audio.cover, pitchSemitones: audio.pitchSemitones } : undefined,
            regions: spec.kind === 'video' ? spec.regions : [],
            style: spec.kind === 'video' ? spec.style : undefined,
            colour: spec.kind === 'video' ? spec.colour : undefined,
          });
          out = { path: r.path, mime: r.mime, tool: `ffmpeg${r.pitchShift ? ` (${r.pitchShift})` : ''}` };
        }
      } catch (e) {
        // a file the tools cannot read, a region outside the picture: trying again cannot help
        if (isMediaError(e) && e.kind !== 'timeout') throw new PermanentJobError(`redaction failed: ${e.message}`);
        throw e;
      }
    }
    await ctx.progress(90, 'redacted');
    let stored: { id: string; sha256: string; size: number } | undefined;
    const derivativeId = await storeDerivative(deps, item, out.path, REDACTED_KIND, out.mime, out.tool, {
      actorId: actor.userId,
      also: async (trx, d) => {
        stored = d;
        await storeItemMetadata(trx, deps.vault, d.id, { kind: REDACTED_KIND, spec, specSha256: payload.specSha256 });
        await deps.audit(trx, {
          action: 'evidence.redact',
          actorId: actor.userId,
          targetType: 'evidence',
          targetId: item.id,
          details: { derivativeId: d.id, kind: spec.kind, specSha256: payload.specSha256, sha256: d.sha256, size: d.size, mime: out.mime, tool: out.tool },
        });
      },
    });
    return { derivativeId, sha256: stored!.sha256, size: stored!.size, mime: out.mime, specSha256: payload.specSha256 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
