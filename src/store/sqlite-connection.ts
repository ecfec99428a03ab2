import { join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely } from 'kysely';
import type { Database } from './schema.js';
import { StoreConnectionError } from './errors.js';
import { ImmediateSqliteDialect } from './sqlite-dialect.js';
import { createPrivateFolder, preparePrivateStoreFile } from './private-files.js';
import { assertWritableStoreFile } from './writable-store-file.js';

export const SQLITE_FILE = 'leadlift.db';
/** The WAL file's size kept after a checkpoint: the default auto-checkpoint's 1000 pages, twice over. */
export const WAL_SIZE_LIMIT_BYTES = 8 * 1024 * 1024;

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
    // Before any table exists (a new store), this makes freed pages returnable to the disk after a
    // prune (sqlite-free-space.ts). On an existing store it changes nothing until a VACUUM: SQLite
    // fixes the mode when the first table is created (https://sqlite.org/pragma.html#pragma_auto_vacuum).
    database.pragma('auto_vacuum = INCREMENTAL');
    // WAL lets the admin page read while a sync writes; NORMAL is durable enough under WAL (a
    // power cut can lose the last commit, never corrupt the file) and much faster than FULL.
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    // A checkpoint resets the WAL but keeps the file at its largest size unless told otherwise: a
    // model's write or a prune's batch would leave a WAL that big for good. Truncated to this after each checkpoint.
    database.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
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
