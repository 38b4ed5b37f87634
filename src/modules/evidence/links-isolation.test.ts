import { afterAll, beforeAll, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { describeEachDialect, depsOf, openTestContainer } from '../../test-support/dialects.js';
import { joinCompartment, makeActor } from '../../test-support/actors.js';
import type { Container } from '../../app/container.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import { createCompartment } from '../compartments/compartments.usecases.js';
import { createRecord } from '../records/records.usecases.js';
import { getEvidence, ingestEvidence, linkEvidence, type EvidenceDeps } from './evidence.usecases.js';

/** An item's links and sources that point into another compartment stay hidden from those outside it. */
describeEachDialect('evidence links across compartments', (dialect) => {
  let c: Container;
  beforeAll(async () => {
    c = await openTestContainer(dialect);
  });
  afterAll(async () => c?.close());

  it('shows a link or a source person only to readers of the record it points to', async () => {
    const admin = await makeActor(c.db, 'administrator', 'root', null);
    const a = (await createCompartment({ db: c.db, audit: appendAuditEvent }, admin, { name: 'a' })).id;
    const b = (await createCompartment({ db: c.db, audit: appendAuditEvent }, admin, { name: 'b' })).id;
    const both = await makeActor(c.db, 'documenter', 'both', 'a', 'documenter');
    await joinCompartment(c.db, both.userId, 'b', 'documenter');
    const onlyA = await makeActor(c.db, 'viewer', 'only-a', 'a', 'viewer');
    const deps: EvidenceDeps = { db: c.db, vault: c.vault, blobs: c.blobs, audit: appendAuditEvent };

    const eventB = await createRecord(depsOf(c), both, 'events', { title: 'Event kept in B', status: 'alleged', compartment: b });
    const sourceB = await createRecord(depsOf(c), both, 'persons', { pseudonym: 'Source kept in B', compartment: b });
    const item = await ingestEvidence(deps, both, Readable.from([Buffer.from('a statement')]), { compartment: a, sourcePerson: sourceB.id, method: 'upload' });
    await linkEvidence(deps, both, item.item.id, { targetType: 'events', targetId: eventB.id, span: { kind: 'time', from: 1, to: 2 }, note: 'about B' });

    const seenByBoth = await getEvidence(deps, both, item.item.id);
    expect(seenByBoth.links.map((l) => l.targetId)).toEqual([eventB.id]);
    expect(seenByBoth.acquisitions[0]!.sourcePersonId).toBe(sourceB.id);

    const seenByA = await getEvidence(deps, onlyA, item.item.id);
    expect(seenByA.links).toEqual([]);
    expect(seenByA.acquisitions[0]!.sourcePersonId).toBeNull();
  });
});
