import Database from 'better-sqlite3';
import { SqliteDialect } from 'kysely';

/**
 * The embedded SQLite engine: WAL for concurrent readers, foreign keys enforced, a busy timeout so
 * a second process (the CLI beside a running server) waits instead of failing, and a page cache
 * sized for a large database.
 */
export function createSqliteDialect(file: string): SqliteDialect {
  return new SqliteDialect({
    database: async () => {
      const db = new Database(file);
      db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 10000');
      db.pragma('synchronous = NORMAL');
      // 64 MiB of page cache (the default is 2 MiB): a search at a million records reads thousands
      // of rows of search_docs and the FTS5 index; with the default most reads went back to the OS
      db.pragma('cache_size = -65536');
      // keep the planner's statistics fresh (SQLite's advice for long-lived connections)
      db.pragma('optimize = 0x10002');
      return db;
    },
  });
}
