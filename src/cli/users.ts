import type { Command } from 'commander';
import { ROLES } from '../domain/policies.js';
import {
  addUser,
  createToken,
  disableUser,
  enableUser,
  listTokens,
  listUsers,
  resetPassword,
  resetTotp,
  revokeToken,
  TOKEN_SCOPES,
  DEFAULT_TOKEN_SCOPE,
} from '../modules/users/users.usecases.js';
import { readStdin, reportError, withContainer } from './context.js';

/**
 * `letapis user add|list|disable|enable|reset-password|totp-reset` and
 * `letapis token create|list|revoke`. They act as the operator at the server (audited with no
 * actor), who already holds the data directory.
 */
export function registerUserCommands(program: Command): void {
  const user = program.command('user').description('manage accounts');

  /** The password from standard input; refuses to run without --password-stdin. */
  const passwordFromStdin = async (flag: boolean | undefined, example: string) => {
    if (!flag) throw new Error(`give the password on standard input with --password-stdin, e.g.: ${example}`);
    return (await readStdin()).replace(/\r?\n$/, '');
  };

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
        const password = await passwordFromStdin(opts.passwordStdin, 'printf %s "$PW" | letapis user add NAME --role documenter --password-stdin');
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
        else
          for (const u of users)
            console.log(`${u.username.padEnd(24)} ${u.role.padEnd(14)} ${u.disabled ? 'disabled' : 'active  '} ${u.totpEnabled ? 'totp   ' : 'no-totp'} ${u.createdAt}`);
      } catch (e) {
        reportError(e);
      }
    });

  user
    .command('disable')
    .argument('<name>', 'the account')
    .option('--json', 'print JSON')
    .description('disable an account: it can no longer sign in, its sessions end and its API tokens are revoked')
    .action(async (name: string, opts: { json?: boolean }) => {
      try {
        const u = await withContainer((c) => disableUser(c.db, null, { username: name }));
        console.log(opts.json ? JSON.stringify(u) : `disabled "${u.username}": ${u.sessionsEnded} session(s) ended, ${u.tokensRevoked} token(s) revoked`);
      } catch (e) {
        reportError(e);
      }
    });

  user
    .command('enable')
    .argument('<name>', 'the account')
    .option('--json', 'print JSON')
    .description('enable a disabled account (its old API tokens stay revoked)')
    .action(async (name: string, opts: { json?: boolean }) => {
      try {
        const u = await withContainer((c) => enableUser(c.db, null, { username: name }));
        console.log(opts.json ? JSON.stringify(u) : `enabled "${u.username}"`);
      } catch (e) {
        reportError(e);
      }
    });

  user
    .command('reset-password')
    .argument('<name>', 'the account')
    .option('--password-stdin', 'read the new password from standard input (required)')
    .option('--json', 'print JSON')
    .description("set a new password for an account; its sessions end and its lockout is lifted")
    .action(async (name: string, opts: { passwordStdin?: boolean; json?: boolean }) => {
      try {
        const password = await passwordFromStdin(opts.passwordStdin, 'printf %s "$PW" | letapis user reset-password NAME --password-stdin');
        const r = await withContainer((c) => resetPassword(c.db, null, { username: name }, password));
        console.log(opts.json ? JSON.stringify(r) : `new password set for "${name}": ${r.sessionsEnded} session(s) ended`);
      } catch (e) {
        reportError(e);
      }
    });

  user
    .command('totp-reset')
    .argument('<name>', 'the account')
    .option('--json', 'print JSON')
    .description('remove the second factor of an account (a lost phone); its sessions end and it enrols again at its next sign-in')
    .action(async (name: string, opts: { json?: boolean }) => {
      try {
        const r = await withContainer((c) => resetTotp(c.db, null, { username: name }));
        console.log(opts.json ? JSON.stringify(r) : `second factor of "${name}" removed: ${r.sessionsEnded} session(s) ended`);
      } catch (e) {
        reportError(e);
      }
    });

  const token = program.command('token').description('manage API tokens');
  token
    .command('create')
    .argument('<user>', 'the account the token acts as')
    .option('--name <label>', 'what the token is for', 'cli')
    .option('--scope <scope>', `${TOKEN_SCOPES.join(', ')}: read makes no changes, admin also administers`, DEFAULT_TOKEN_SCOPE)
    .option('--expires-days <n>', 'expire after this many days (default: never)')
    .option('--json', 'print JSON')
    .description('create an API token and print it once (send it as "Authorization: Bearer <token>")')
    .action(async (username: string, opts: { name: string; scope: string; expiresDays?: string; json?: boolean }) => {
      try {
        const days = opts.expiresDays ? Number(opts.expiresDays) : undefined;
        if (days !== undefined && !(Number.isInteger(days) && days > 0)) throw new Error('--expires-days must be a whole number of days');
        const t = await withContainer((c) => createToken(c.db, username, { name: opts.name, expiresInDays: days, scope: opts.scope }));
        console.log(opts.json ? JSON.stringify(t) : t.token);
      } catch (e) {
        reportError(e);
      }
    });

  token
    .command('list')
    .argument('[user]', 'only this account’s tokens')
    .option('--json', 'print JSON')
    .description('list API tokens (never their secrets)')
    .action(async (username: string | undefined, opts: { json?: boolean }) => {
      try {
        const tokens = await withContainer((c) => listTokens(c.db, username));
        if (opts.json) console.log(JSON.stringify(tokens, null, 2));
        else if (!tokens.length) console.log('no API tokens');
        else
          for (const t of tokens)
            console.log(
              `${t.id}  ${t.username.padEnd(20)} ${t.scope.padEnd(5)} ${t.state.padEnd(7)} ${t.name.padEnd(16)} expires ${t.expiresAt ?? 'never'}  last used ${t.lastUsedAt ?? 'never'}`,
            );
      } catch (e) {
        reportError(e);
      }
    });

  token
    .command('revoke')
    .argument('<id>', 'the token id (see: letapis token list)')
    .option('--json', 'print JSON')
    .description('revoke an API token')
    .action(async (id: string, opts: { json?: boolean }) => {
      try {
        const t = await withContainer((c) => revokeToken(c.db, null, id));
        console.log(opts.json ? JSON.stringify(t) : `revoked token "${t.name}" of "${t.username}"`);
      } catch (e) {
        reportError(e);
      }
    });
}
