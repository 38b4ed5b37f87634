import { afterAll, beforeAll, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import sharp from 'sharp';
import { describeEachDialect, openTestContainer } from '../../test-support/dialects.js';
import { makeActor } from '../../test-support/actors.js';
import type { Container } from '../../app/container.js';
import type { Actor } from '../../domain/policies.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import { pictureSvg } from '../../adapters/media/media.test-support.js';
import { getEvidence, ingestEvidence, type EvidenceDeps } from './evidence.usecases.js';
import { processItem } from './evidence.jobs.js';

/** Near-duplicates: a re-encoded, resized repost of a photo shows as a possible copy; another photo does not. */
describeEachDialect('possible copies of evidence', (dialect) => {
  let c: Container;
  let actor: Actor;
  let deps: EvidenceDeps & { tmpDir: string };
  beforeAll(async () => {
    c = await openTestContainer(dialect);
    actor = await makeActor(c.db, 'documenter');
    deps = { db: c.db, vault: c.vault, blobs: c.blobs, audit: appendAuditEvent, tmpDir: join(c.config.dataDir, 'tmp') };
  });
  afterAll(async () => c?.close());

  const ctx = { jobId: 'test', attempt: 1, progress: async () => {}, signal: new AbortController().signal } as never;
  const ingest = async (bytes: Buffer, name: string) => {
    const r = await ingestEvidence(deps, actor, Readable.from([bytes]), { filename: name, method: 'upload' });
    await processItem(deps, r.item.id, ctx);
    return r.item.id;
  };

  it('lists a re-encoded, smaller copy of a photo with a small distance, and not a different photo', async () => {
    const original = await sharp(pictureSvg(7, 800, 600)).jpeg({ quality: 92 }).toBuffer();
    const repost = await sharp(original).resize(400).jpeg({ quality: 55 }).toBuffer();
    const other = await sharp(pictureSvg(99, 800, 600)).jpeg({ quality: 92 }).toBuffer();
    const a = await ingest(original, 'original.jpg');
    const b = await ingest(repost, 'telegram-repost.jpg');
    const o = await ingest(other, 'other.jpg');
    const detail = await getEvidence(deps, actor, a);
    const ids = detail.possibleCopies.map((p) => p.id);
    expect(ids).toContain(b);
    expect(ids).not.toContain(o);
    expect(detail.possibleCopies.find((p) => p.id === b)!.distance).toBeLessThanOrEqual(12);
    // each keeps its own hash: they are different bytes
    expect((await getEvidence(deps, actor, b)).sha256).not.toBe(detail.sha256);
  });
});
