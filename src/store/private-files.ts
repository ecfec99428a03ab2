import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { PRIVATE_FILE, PRIVATE_FOLDER } from '../domain/private-mode.js';

// The store holds every lead's synced properties and the (encrypted) CRM tokens: a folder
// leadlift creates for it is 0700, a store file it creates 0600 (domain/private-mode.ts).

/**
 * Creates `dir` (and missing parents) 0700. A folder that already exists keeps its mode: the
 * user chose it (it may be their home or a shared data folder), and the store file's own mode
 * is what keeps the data private.
 */
export function createPrivateFolder(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_FOLDER });
}

/**
 * Makes the SQLite file 0600 before SQLite opens it. SQLite creates its -wal and -shm files
 * with the database file's mode, so they follow. A new file is created empty with that mode
 * (SQLite itself would create it 0644). A file an older version created readable by every
 * local user loses only those "other" bits, with its -wal/-shm: a group the admin shares the
 * store with keeps its access.
 */
export function preparePrivateStoreFile(file: string): void {
  if (!existsSync(file)) {
    try {
      closeSync(openSync(file, 'wx', PRIVATE_FILE));
    } catch (err) {
      // Another process created it in between: it is treated as an existing file below.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  for (const path of [file, `${file}-wal`, `${file}-shm`]) {
    if (!existsSync(path)) continue;
    const mode = statSync(path).mode & 0o777;
    if (mode & 0o007) chmodSync(path, mode & ~0o007);
  }
}
