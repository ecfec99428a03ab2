import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface LockHolder {
  owner: string;
  acquiredAt: string;
  expiresAt: string;
}

/**
 * A lock row per name (e.g. "cycle:hubspot") that keeps runs from overlapping, across processes
 * sharing the database. It expires after `ttlMs` unless renewed, so a crashed run cannot block
 * the schedule forever. Runs hold it through withCycleLock (src/jobs/cycle-lock.ts), which renews it
 * and stops the run when a renewal fails.
 */
export function runLockRepository(db: Kysely<Database>) {
  async function acquire(name: string, owner: string, ttlMs: number): Promise<boolean> {
    const now = new Date();
    const row = await db
      .insertInto('run_locks')
      .values({
        name,
        owner,
        acquired_at: now.toISOString(),
        expires_at: new Date(now.getTime() + ttlMs).toISOString(),
      })
      .onConflict((oc) =>
        oc
          .column('name')
          .doUpdateSet((eb) => ({
            owner: eb.ref('excluded.owner'),
            acquired_at: eb.ref('excluded.acquired_at'),
            expires_at: eb.ref('excluded.expires_at'),
          }))
          // Taken over only when stale (or re-taken by its own owner); one statement, so two
          // contenders cannot both win.
          .where((eb) =>
            eb.or([
              eb('run_locks.expires_at', '<', eb.ref('excluded.acquired_at')),
              eb('run_locks.owner', '=', eb.ref('excluded.owner')),
            ]),
          ),
      )
      .returning('owner')
      .executeTakeFirst();
    return row?.owner === owner;
  }

  async function renew(name: string, owner: string, ttlMs: number): Promise<boolean> {
    const result = await db
      .updateTable('run_locks')
      .set({ expires_at: new Date(Date.now() + ttlMs).toISOString() })
      .where('name', '=', name)
      .where('owner', '=', owner)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async function release(name: string, owner: string): Promise<void> {
    await db.deleteFrom('run_locks').where('name', '=', name).where('owner', '=', owner).execute();
  }

  async function holder(name: string): Promise<LockHolder | null> {
    const row = await db.selectFrom('run_locks').selectAll().where('name', '=', name).executeTakeFirst();
    return row ? { owner: row.owner, acquiredAt: row.acquired_at, expiresAt: row.expires_at } : null;
  }

  return {
    acquire,
    renew,
    release,
    holder,
  };
}

export type RunLockRepository = ReturnType<typeof runLockRepository>;
