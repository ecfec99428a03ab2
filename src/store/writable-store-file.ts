import { accessSync, constants, existsSync } from 'node:fs';
import { StoreConnectionError } from './errors.js';

/** What an errno from access(W_OK) means to the admin who has to fix it. */
const WHY: Record<string, string> = {
  EACCES: 'its owner or mode does not let this user write it',
  EPERM: 'the system forbids writing it (an immutable file, or a security policy)',
  EROFS: 'it is on a read-only file system',
};

/**
 * Refuses a store file (or its -wal/-shm) that this process cannot write. SQLite opens such a
 * file read-only without a word (sqlite3_open_v2 falls back from READWRITE to READONLY), so the
 * first write, the cycle lock, failed as "unexpected failure: SqliteError: attempt to write a
 * readonly database" with a stack trace and no file named. Checked before anything is read.
 */
export function assertWritableStoreFile(file: string): void {
  for (const path of [file, `${file}-wal`, `${file}-shm`]) {
    if (!existsSync(path)) continue;
    try {
      accessSync(path, constants.W_OK);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      const why = WHY[code] ?? (err instanceof Error ? err.message : String(err));
      throw new StoreConnectionError(
        `The store file ${path} cannot be written: ${why}. leadlift writes its store on every run: make the ` +
          'file, and any -wal/-shm file beside it, writable by the user leadlift runs as (owner and mode), or point ' +
          'LEADLIFT_HOME at another folder (a new store there starts empty). Nothing was read or changed.',
      );
    }
  }
}
