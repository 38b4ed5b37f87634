import { addUser, cli, freshInstallation } from './harness.js';

/** Helpers of the dashboard and views browser test: an installation with the demo data (API sessions and sign-in: harness.ts). */

/** A fresh installation where `vera` (coordinator, second factor required) has loaded the demo data into compartment "demo". */
export function demoInstallation(): ReturnType<typeof freshInstallation> {
  const install = freshInstallation();
  addUser(install.env, 'chief', 'administrator');
  addUser(install.env, 'vera', 'coordinator', 'Vera Analyst');
  addUser(install.env, 'nadia', 'analyst', 'Nadia Outsider'); // in no compartment: sees nothing
  for (const args of [
    ['compartment', 'create', 'demo', '--description', 'The invented demo data'],
    ['compartment', 'add-member', 'demo', 'vera', '--role', 'coordinator'],
    ['demo', '--as', 'vera', '--compartment', 'demo'],
  ]) {
    const r = cli(install.env, args);
    if (r.code !== 0) throw new Error(`letapis ${args.join(' ')}: ${r.err}${r.out}`);
  }
  return install;
}
