import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/** What a prune left in the SQLite file, and what of it went back to the disk. */
export interface SqliteFileSpace {
  /** 'incremental': free pages can be given back (stores created since this release); 'none': only a VACUUM shrinks the file. */
  autoVacuum: 'none' | 'full' | 'incremental';
  /** Bytes given back to the disk (the file shrank by that much). */
  releasedBytes: number;
  /** Free bytes left inside the file, which new rows reuse before the file grows. */
  freeBytes: number;
  /** The file's size in pages times the page size, after the release. */
  fileBytes: number;
}

/**
 * Free pages kept for the rows the next day writes: the nightly prune frees about one day of
 * history and the next day's scores and snapshots fill it again, so handing those pages back
 * only to grow the file again by the same amount is wasted work (and churn on the file).
 * Measured on the bank seed (41k leads): a day's history is 1-2% of the file; 10% leaves room
 * for a few days, while a prune that frees far more (a first prune of months of history, a
 * lowered retention) gives the rest back.
 */
const KEEP_FRACTION = 0.1;
/** Pages per incremental_vacuum statement (8 MB at 4 KB pages): each holds the write lock only briefly. */
const PAGES_PER_STATEMENT = 2048;

/**
 * After a prune on SQLite: gives free pages beyond the headroom back to the disk, when the file
 * is in auto_vacuum=INCREMENTAL mode (new stores, sqlite-connection.ts). Deleting rows only puts
 * their pages on SQLite's freelist; incremental_vacuum moves pages from the end of the file into
 * them and truncates it (https://sqlite.org/pragma.html#pragma_incremental_vacuum). It runs in
 * steps, with a turn of the event loop between them (as prune.ts's deletes do), so a webhook's
 * rescore is not held up; a stop request stops it between steps, and what is left stays free inside
 * the file for new rows. A store created before (auto_vacuum none) releases nothing here: only a
 * VACUUM can switch its mode, which rewrites the whole file (see the prune command's note).
 */
export async function releaseFreePages(db: Kysely<Database>, signal?: AbortSignal): Promise<SqliteFileSpace> {
  const pageSize = await pragma(db, 'page_size');
  const mode = (['none', 'full', 'incremental'] as const)[await pragma(db, 'auto_vacuum')] ?? 'none';
  const startPages = await pragma(db, 'page_count');
  let free = await pragma(db, 'freelist_count');
  if (mode === 'incremental') {
    const keep = Math.floor(startPages * KEEP_FRACTION);
    let excess = free - keep;
    while (excess > 0) {
      await new Promise((resolve) => setImmediate(resolve));
      if (signal?.aborted) break;
      await sql.raw(`pragma incremental_vacuum(${Math.min(excess, PAGES_PER_STATEMENT)})`).execute(db);
      const now = await pragma(db, 'freelist_count');
      // Another writer may have taken free pages meanwhile; stop once nothing more moves.
      if (now >= free) break;
      excess -= free - now;
      free = now;
    }
  }
  const pages = await pragma(db, 'page_count');
  return { autoVacuum: mode, releasedBytes: Math.max(0, startPages - pages) * pageSize, freeBytes: (await pragma(db, 'freelist_count')) * pageSize, fileBytes: pages * pageSize };
}

async function pragma(db: Kysely<Database>, name: 'page_size' | 'page_count' | 'freelist_count' | 'auto_vacuum'): Promise<number> {
  const { rows } = await sql.raw<Record<string, number>>(`pragma ${name}`).execute(db);
  return Number(rows[0]?.[name] ?? 0);
}
