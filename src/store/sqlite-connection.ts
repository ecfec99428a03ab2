import { join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely } from 'kysely';
import type { Database } from './schema.js';
import { StoreConnectionError } from './errors.js';
import { ImmediateSqliteDialect } from './sqlite-dialect.js';
import { createPrivateFolder, preparePrivateStoreFile } from './private-files.js';
import { assertWritableStoreFile } from './writable-store-file.js';

export const SQLITE_FILE = 'leadlift.db';

export interface SqliteConnection {
  db: Kysely<Database>;
  file: string;
}

/** Opens (creating if needed) LEADLIFT_HOME/leadlift.db, readable by its owner only (private-files.ts). */
export function connectSqlite(home: string): SqliteConnection {
  const dir = resolve(home);
  const file = join(dir, SQLITE_FILE);
  let database: SQLite.Database;
  // Outside the catch below: its "check that the folder … is writable" would blur a message that
  // already names the file and what to do.
  assertWritableStoreFile(file);
  try {
    createPrivateFolder(dir);
    preparePrivateStoreFile(file);
    database = new SQLite(file);
    // WAL lets the admin page read while a sync writes; NORMAL is durable enough under WAL (a
    // power cut can lose the last commit, never corrupt the file) and much faster than FULL.
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    // `serve` and a manual `run` may share the file: wait for the other's write instead of failing.
    database.pragma('busy_timeout = 5000');
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new StoreConnectionError(
      `Cannot open the store at ${file} (LEADLIFT_HOME=${home}): ${why}. Check that the folder exists or can be created and is writable.`,
    );
  }
  return { db: new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database }) }), file };
}
