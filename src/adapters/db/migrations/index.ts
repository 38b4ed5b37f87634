import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001-core.js';
import * as m0002 from './0002-accounts.js';
import * as m0003 from './0003-vault.js';
import * as m0004 from './0004-compartments.js';
import * as m0005 from './0005-secrets.js';
import * as m0006 from './0006-jobs.js';
import * as m0007 from './0007-evidence.js';
import * as m0008 from './0008-ledger.js';
import * as m0009 from './0009-search.js';
import * as m0011 from './0011-user-locale.js';
import * as m0012 from './0012-saved-views.js';
import * as m0013 from './0013-messages.js';
import * as m0014 from './0014-import-rows.js';
import * as m0015 from './0015-translations.js';
import * as m0016 from './0016-drop.js';
import * as m0017 from './0017-stories.js';

/** Every migration, in order. Both engines run the same ones. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-core': m0001,
  '0002-accounts': m0002,
  '0003-vault': m0003,
  '0004-compartments': m0004,
  '0005-secrets': m0005,
  '0006-jobs': m0006,
  '0007-evidence': m0007,
  '0008-ledger': m0008,
  '0009-search': m0009,
  // 0010 is reserved for work in progress elsewhere
  '0011-user-locale': m0011,
  '0012-saved-views': m0012,
  '0013-messages': m0013,
  '0014-import-rows': m0014,
  '0015-translations': m0015,
  '0016-drop': m0016,
  '0017-stories': m0017,
};

/** Provides the migrations from code (no file-system scanning, so the build has them all). */
export class StaticMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return MIGRATIONS;
  }
}
