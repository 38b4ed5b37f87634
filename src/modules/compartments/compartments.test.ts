import { afterAll, beforeAll, expect, it } from 'vitest';
import { depsOf, describeEachDialect, openTestContainer } from '../../test-support/dialects.js';
import { joinCompartment, makeActor } from '../../test-support/actors.js';
import type { Container } from '../../app/container.js';
import type { Actor } from '../../domain/policies.js';
import { ForbiddenError, NotFoundError, ReferencedError, ValidationError } from '../../domain/errors.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import { createCompartment, listCompartments, listMembers, removeMembership, setMembership, subjectOf } from './compartments.usecases.js';
import { createRecord, deleteRecord, getRecord, listRecords, recordHistory, updateRecord } from '../records/records.usecases.js';

/**
 * Compartments keep records apart: a member of one never sees, counts, links to or learns of the
 * records of another.
 */
describeEachDialect('compartments', (dialect) => {
  let c: Container;
  let admin: Actor;
  let alice: Actor; // documenter in "okrestina"
  let boris: Actor; // coordinator in "zhodino"
  let okrestina: string;
  let zhodino: string;
  const deps = () => ({ db: c.db, audit: appendAuditEvent });

  beforeAll(async () => {
    c = await openTestContainer(dialect);
    admin = await makeActor(c.db, 'administrator', 'root', null);
    alice = await makeActor(c.db, 'documenter', 'alice', null);
    boris = await makeActor(c.db, 'coordinator', 'boris', null);
    okrestina = (await createCompartment(deps(), admin, { name: 'okrestina', description: 'Okrestina, August 2020' })).id;
    zhodino = (await createCompartment(deps(), admin, { name: 'zhodino' })).id;
    await setMembership(deps(), admin, { compartment: 'okrestina', user: 'alice', role: 'documenter' });
    await setMembership(deps(), admin, { compartment: 'zhodino', user: 'boris', role: 'coordinator' });
  });
  afterAll(async () => c?.close());

  const auditActions = async () => (await c.db.selectFrom('audit_events').select('action').orderBy('id').execute()).map((r) => r.action);

  it('lets only administrators create compartments, with valid unique names', async () => {
    await expect(createCompartment(deps(), alice, { name: 'mine' })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(createCompartment(deps(), admin, { name: 'Bad Name!' })).rejects.toBeInstanceOf(ValidationError);
    await expect(createCompartment(deps(), admin, { name: 'okrestina' })).rejects.toThrow(/already exists/);
    expect(await auditActions()).toEqual(expect.arrayContaining(['compartment.create', 'membership.grant']));
  });

  it('shows members only their compartments; administrators all', async () => {
    expect((await listCompartments(c.db, alice)).map((x) => [x.name, x.myRole])).toEqual([['okrestina', 'documenter']]);
    expect((await listCompartments(c.db, admin)).map((x) => x.name)).toEqual(expect.arrayContaining(['default', 'okrestina', 'zhodino']));
    await expect(listMembers(c.db, alice, 'zhodino')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('lets a coordinator manage their own compartment’s members, and nobody else’s; audits each change', async () => {
    await expect(setMembership(deps(), boris, { compartment: 'okrestina', user: 'boris', role: 'coordinator' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(setMembership(deps(), alice, { compartment: 'okrestina', user: 'boris', role: 'viewer' })).rejects.toBeInstanceOf(ForbiddenError);
    const before = (await auditActions()).length;
    const r = await setMembership(deps(), boris, { compartment: 'zhodino', user: 'alice', role: 'viewer' });
    expect(r.previousRole).toBeNull();
    const changed = await setMembership(deps(), boris, { compartment: 'zhodino', user: 'alice', role: 'analyst' });
    expect(changed.previousRole).toBe('viewer');
    await removeMembership(deps(), boris, { compartment: 'zhodino', user: 'alice' });
    expect((await auditActions()).slice(before)).toEqual(['membership.grant', 'membership.change', 'membership.revoke']);
    expect((await listMembers(c.db, boris, 'zhodino')).members.map((m) => m.username)).toEqual(['boris']);
    await expect(setMembership(deps(), admin, { compartment: 'zhodino', user: 'alice', role: 'emperor' })).rejects.toBeInstanceOf(ValidationError);
  });

  it('keeps records, links, references and history inside their compartment', async () => {
    const d = depsOf(c);
    const placeA = await createRecord(d, alice, 'places', { nameEn: 'Okrestina street' });
    expect(placeA.compartment).toBe(okrestina);
    const eventA = await createRecord(d, alice, 'events', { title: 'Abuse at Okrestina', status: 'alleged', place: placeA.id });
    const eventB = await createRecord(d, boris, 'events', { title: 'Transfer to Zhodino', status: 'alleged' });
    expect(eventB.compartment).toBe(zhodino);

    // not visible, not listed, not countable
    await expect(getRecord(d, boris, 'events', eventA.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(recordHistory(d, boris, 'events', eventA.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(updateRecord(d, boris, 'events', eventA.id, 1, { title: 'x' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(deleteRecord(d, boris, 'events', eventA.id, 1)).rejects.toBeInstanceOf(NotFoundError);
    expect((await listRecords(d, boris, 'events', {})).items.map((e) => e.id)).toEqual([eventB.id]);
    expect((await listRecords(d, alice, 'events', {})).items.map((e) => e.id)).toEqual([eventA.id]);

    // a reference into a compartment one cannot see is reported exactly like one to nothing
    const err = await createRecord(d, boris, 'events', { title: 'Linked', status: 'alleged', place: placeA.id }).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).problems).toEqual([{ field: 'place', message: `no place has id ${placeA.id}` }]);

    // creating in a compartment one does not belong to is refused without saying whether it exists
    const wrong = await createRecord(d, alice, 'events', { title: 'Elsewhere', status: 'alleged', compartment: zhodino }).catch((e) => e);
    expect((wrong as ValidationError).problems[0]).toEqual({ field: 'compartment', message: `no compartment you belong to has id ${zhodino}` });
  });

  it('asks which compartment when the actor may create in several, and moves records between them', async () => {
    const d = depsOf(c);
    await joinCompartment(c.db, alice.userId, 'zhodino', 'documenter');
    const ambiguous = await createRecord(d, alice, 'events', { title: 'Where?', status: 'alleged' }).catch((e) => e);
    expect((ambiguous as ValidationError).problems[0]!.field).toBe('compartment');
    const ev = await createRecord(d, alice, 'events', { title: 'Moving', status: 'alleged', compartment: okrestina });
    const moved = await updateRecord(d, alice, 'events', ev.id, 1, { compartment: zhodino });
    expect(moved.compartment).toBe(zhodino);
    const hist = await recordHistory(d, boris, 'events', ev.id);
    expect(hist[1]!.changes.compartment).toEqual({ from: okrestina, to: zhodino });
    await removeMembership(deps(), admin, { compartment: 'zhodino', user: 'alice' });
    await expect(getRecord(d, alice, 'events', ev.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses to delete a record referred to from a hidden compartment without describing the referrer', async () => {
    const d = depsOf(c);
    await joinCompartment(c.db, boris.userId, 'okrestina', 'coordinator');
    const unit = await createRecord(d, boris, 'units', { nameEn: 'OMON of Minsk', compartment: okrestina });
    const sub = await createRecord(d, boris, 'units', { nameEn: 'OMON platoon', parent: unit.id, compartment: zhodino });
    await joinCompartment(c.db, alice.userId, 'okrestina', 'coordinator');
    const err = await deleteRecord(d, alice, 'units', unit.id, 1).catch((e) => e);
    expect(err).toBeInstanceOf(ReferencedError);
    expect((err as ReferencedError).referrers).toEqual([]);
    expect((err as Error).message).toMatch(/1 record\(s\) in compartments you do not belong to/);
    expect((err as Error).message).not.toContain(sub.id);
    // the outsider's view of the unit lists no incoming link either
    const seen = await getRecord(d, alice, 'units', unit.id);
    expect(seen.links.incoming).toEqual([]);
  });

  it('answers each record with what the caller may do with it', async () => {
    const d = depsOf(c);
    const viewer = await makeActor(c.db, 'viewer', 'vera', 'okrestina', 'viewer');
    const ev = await createRecord(d, alice, 'events', { title: 'Permissions', status: 'alleged', compartment: okrestina });
    expect((await getRecord(d, viewer, 'events', ev.id)).permissions).toEqual({ update: false, delete: false, revealIdentity: false });
    expect((await getRecord(d, alice, 'events', ev.id)).permissions).toEqual({ update: true, delete: true, revealIdentity: true });
    const page = await listRecords(d, viewer, 'events', {});
    expect(page.items.every((i) => i.permissions.update === false)).toBe(true);
    expect((await subjectOf(c.db, viewer)).memberships.get(okrestina)).toBe('viewer');
  });
});
