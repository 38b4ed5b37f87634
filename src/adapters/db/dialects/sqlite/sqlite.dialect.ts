import Database from 'better-sqlite3';
import { SqliteDialect } from 'kysely';

/**
 * The embedded SQLite engine: WAL for concurrent readers, foreign keys enforced, a busy timeout so
 * a second process (the CLI beside a running server) waits instead of failing.
 */
export function createSqliteDialect(file: string): SqliteDialect {
  return new SqliteDialect({
    database: async () => {
      const db = new Database(file);
      db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 10000');
      db.pragma('synchronous = NORMAL');
      // keep the planner's statistics fresh (SQLite's advice for long-lived connections)
      db.pragma('optimize = 0x10002');
      return db;
    },
  });
}
