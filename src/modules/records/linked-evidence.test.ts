import { afterAll, beforeAll, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { describeEachDialect, depsOf, openTestContainer } from '../../test-support/dialects.js';
import { joinCompartment, makeActor } from '../../test-support/actors.js';
import type { Container } from '../../app/container.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import { createCompartment } from '../compartments/compartments.usecases.js';
import { ingestEvidence, linkEvidence, type EvidenceDeps } from '../evidence/evidence.usecases.js';
import { createRecord } from './records.usecases.js';
import { linkedEvidence } from './linked-evidence.js';

/** GET /api/v1/linked-evidence: the items linked to a record, only those the caller may read, and nothing about a record it cannot read. */
describeEachDialect('evidence linked to a record', (dialect) => {
  let c: Container;
  beforeAll(async () => {
    c = await openTestContainer(dialect);
  });
  afterAll(async () => c?.close());

  it('lists the readable items with hash, size, type, note and span; 404 for a record the caller cannot read', async () => {
    const admin = await makeActor(c.db, 'administrator', 'root', null);
    const a = (await createCompartment({ db: c.db, audit: appendAuditEvent }, admin, { name: 'a' })).id;
    const b = (await createCompartment({ db: c.db, audit: appendAuditEvent }, admin, { name: 'b' })).id;
    const both = await makeActor(c.db, 'documenter', 'both', 'a', 'documenter');
    await joinCompartment(c.db, both.userId, 'b', 'documenter');
    const onlyA = await makeActor(c.db, 'viewer', 'only-a', 'a', 'viewer');
    const onlyB = await makeActor(c.db, 'documenter', 'only-b', 'b', 'documenter');
    const deps: EvidenceDeps = { db: c.db, vault: c.vault, blobs: c.blobs, audit: appendAuditEvent };

    const event = await createRecord(depsOf(c), both, 'events', { title: 'Event in A', status: 'alleged', compartment: a });
    const other = await createRecord(depsOf(c), both, 'events', { title: 'Another event', status: 'alleged', compartment: a });
    const inA = await ingestEvidence(deps, both, Readable.from([Buffer.from('a photo kept in A')]), { compartment: a, method: 'upload' });
    const inB = await ingestEvidence(deps, both, Readable.from([Buffer.from('a statement kept in B')]), { compartment: b, method: 'upload' });
    await linkEvidence(deps, both, inA.item.id, { targetType: 'events', targetId: event.id, span: { kind: 'time', from: 1, to: 2 }, note: 'the courtyard' });
    await linkEvidence(deps, both, inB.item.id, { targetType: 'events', targetId: event.id });
    await linkEvidence(deps, both, inA.item.id, { targetType: 'events', targetId: other.id });

    const seenByBoth = await linkedEvidence(c.db, both, 'events', event.id);
    expect(seenByBoth.map((i) => i.id).sort()).toEqual([inA.item.id, inB.item.id].sort());
    const first = seenByBoth.find((i) => i.id === inA.item.id)!;
    expect(first).toMatchObject({ sha256: inA.item.sha256, size: Buffer.from('a photo kept in A').length, note: 'the courtyard', span: { kind: 'time', from: 1, to: 2 } });

    // a reader of A alone sees the record but not the item kept in B
    expect((await linkedEvidence(c.db, onlyA, 'events', event.id)).map((i) => i.id)).toEqual([inA.item.id]);
    // a record the caller cannot read is as absent as one that does not exist
    await expect(linkedEvidence(c.db, onlyB, 'events', event.id)).rejects.toMatchObject({ status: 404 });
    await expect(linkedEvidence(c.db, both, 'acts', event.id)).rejects.toMatchObject({ status: 404 });
  });
});
