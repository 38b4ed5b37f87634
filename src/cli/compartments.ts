import type { Command } from 'commander';
import { MEMBERSHIP_ROLES } from '../domain/policies.js';
import * as uc from '../modules/compartments/compartments.usecases.js';
import { appendAuditEvent } from '../modules/audit/audit.repository.js';
import { cliActor, reportError, withContainer } from './context.js';

/** `letapis compartment create|list|members|add-member|remove-member`. */
export function registerCompartmentCommands(program: Command): void {
  const cmd = program.command('compartment').description('manage compartments and their members');
  const asOption = '--as <user>';
  const asHelp = 'act as this account (default: the first administrator)';

  cmd
    .command('create')
    .argument('<name>', 'lower-case name, e.g. okrestina-2020')
    .option('--description <text>', 'what the compartment holds')
    .option(asOption, asHelp)
    .option('--json', 'print JSON')
    .description('create a compartment')
    .action(async (name: string, opts: { description?: string; as?: string; json?: boolean }) => {
      try {
        const c = await withContainer(async (ct) => uc.createCompartment({ db: ct.db, audit: appendAuditEvent }, await cliActor(ct, opts.as), { name, description: opts.description }));
        console.log(opts.json ? JSON.stringify(c) : `created compartment "${c.name}" (${c.id})`);
      } catch (e) {
        reportError(e);
      }
    });

  cmd
    .command('list')
    .option(asOption, asHelp)
    .option('--json', 'print JSON')
    .description('list compartments')
    .action(async (opts: { as?: string; json?: boolean }) => {
      try {
        const items = await withContainer(async (ct) => uc.listCompartments(ct.db, await cliActor(ct, opts.as)));
        if (opts.json) console.log(JSON.stringify(items, null, 2));
        else if (!items.length) console.log('no compartments');
        else for (const c of items) console.log(`${c.name.padEnd(28)} ${String(c.memberCount).padStart(3)} member(s)  ${c.myRole ? `you: ${c.myRole}` : ''}`);
      } catch (e) {
        reportError(e);
      }
    });

  cmd
    .command('members')
    .argument('<compartment>', 'name or id')
    .option(asOption, asHelp)
    .option('--json', 'print JSON')
    .description('list the members of a compartment')
    .action(async (compartment: string, opts: { as?: string; json?: boolean }) => {
      try {
        const res = await withContainer(async (ct) => uc.listMembers(ct.db, await cliActor(ct, opts.as), compartment));
        if (opts.json) console.log(JSON.stringify(res, null, 2));
        else for (const m of res.members) console.log(`${m.username.padEnd(24)} ${m.role}`);
      } catch (e) {
        reportError(e);
      }
    });

  cmd
    .command('add-member')
    .argument('<compartment>', 'name or id')
    .argument('<user>', 'user name')
    .requiredOption('--role <role>', MEMBERSHIP_ROLES.join(', '))
    .option(asOption, asHelp)
    .description('add a user to a compartment, or change their role there')
    .action(async (compartment: string, user: string, opts: { role: string; as?: string }) => {
      try {
        const res = await withContainer(async (ct) => uc.setMembership({ db: ct.db, audit: appendAuditEvent }, await cliActor(ct, opts.as), { compartment, user, role: opts.role }));
        console.log(res.previousRole ? `${res.username} is now ${res.role} in "${res.compartment.name}" (was ${res.previousRole})` : `${res.username} joined "${res.compartment.name}" as ${res.role}`);
      } catch (e) {
        reportError(e);
      }
    });

  cmd
    .command('remove-member')
    .argument('<compartment>', 'name or id')
    .argument('<user>', 'user name')
    .option(asOption, asHelp)
    .description('remove a user from a compartment')
    .action(async (compartment: string, user: string, opts: { as?: string }) => {
      try {
        await withContainer(async (ct) => uc.removeMembership({ db: ct.db, audit: appendAuditEvent }, await cliActor(ct, opts.as), { compartment, user }));
        console.log(`${user} left "${compartment}"`);
      } catch (e) {
        reportError(e);
      }
    });
}
