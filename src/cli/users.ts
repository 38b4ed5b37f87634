import type { Command } from 'commander';
import { ROLES } from '../domain/policies.js';
import { addUser, createToken, listUsers } from '../modules/users/users.usecases.js';
import { readStdin, reportError, withContainer } from './context.js';

/** `letapis user add|list` and `letapis token create`. */
export function registerUserCommands(program: Command): void {
  const user = program.command('user').description('manage accounts');
  user
    .command('add')
    .argument('<name>', 'user name (lower-case letters, digits, . _ -)')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--password-stdin', 'read the password from standard input (required: passwords never go on the command line)')
    .option('--display-name <text>', 'name shown in the interface')
    .option('--json', 'print the account as JSON')
    .description('create an account')
    .action(async (name: string, opts: { role: string; passwordStdin?: boolean; displayName?: string; json?: boolean }) => {
      try {
        if (!opts.passwordStdin) throw new Error('give the password on standard input with --password-stdin, e.g.: printf %s "$PW" | letapis user add NAME --role documenter --password-stdin');
        const password = (await readStdin()).replace(/\r?\n$/, '');
        const u = await withContainer((c) => addUser(c.db, { username: name, role: opts.role, password, displayName: opts.displayName }));
        console.log(opts.json ? JSON.stringify(u) : `created ${u.role} "${u.username}" (${u.id})`);
      } catch (e) {
        reportError(e);
      }
    });
  user
    .command('list')
    .option('--json', 'print JSON')
    .description('list accounts')
    .action(async (opts: { json?: boolean }) => {
      try {
        const users = await withContainer((c) => listUsers(c.db));
        if (opts.json) console.log(JSON.stringify(users, null, 2));
        else if (!users.length) console.log('no accounts yet');
        else for (const u of users) console.log(`${u.username.padEnd(24)} ${u.role.padEnd(14)} ${u.disabled ? 'disabled' : 'active  '} ${u.createdAt}`);
      } catch (e) {
        reportError(e);
      }
    });

  program
    .command('token')
    .description('manage API tokens')
    .command('create')
    .argument('<user>', 'the account the token acts as')
    .option('--name <label>', 'what the token is for', 'cli')
    .option('--expires-days <n>', 'expire after this many days (default: never)')
    .option('--json', 'print JSON')
    .description('create an API token and print it once (send it as "Authorization: Bearer <token>")')
    .action(async (username: string, opts: { name: string; expiresDays?: string; json?: boolean }) => {
      try {
        const days = opts.expiresDays ? Number(opts.expiresDays) : undefined;
        if (days !== undefined && !(Number.isInteger(days) && days > 0)) throw new Error('--expires-days must be a whole number of days');
        const t = await withContainer((c) => createToken(c.db, username, { name: opts.name, expiresInDays: days }));
        console.log(opts.json ? JSON.stringify(t) : t.token);
      } catch (e) {
        reportError(e);
      }
    });
}
