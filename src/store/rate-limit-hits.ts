import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';
import { withStatementTimeout } from './statement-timeout.js';

/**
 * How long PostgreSQL may take over one of these statements before it cancels it: a login waits
 * on them (shared-rate-limit-store.ts gives up after the same second and counts in memory), and a
 * statement left waiting on a lock would hold a pool connection the syncs need.
 */
export const RATE_LIMIT_STATEMENT_TIMEOUT_MS = 1_000;

/** A client's count in its current window, and when that window ends. */
export interface WindowHits {
  hits: number;
  resetAt: Date;
}

/**
 * Fixed-window hit counts per (limit, client address), shared by every instance on the store, so
 * that the login and metrics-token limits hold for the load balancer as a whole rather than per
 * instance. A count is bumped in one statement (INSERT … ON CONFLICT DO UPDATE … RETURNING, on
 * both back ends): two instances counting the same address at once each get their own number, and
 * a window that has ended restarts at 1 in that same statement. When a window starts, the rows
 * whose window ended are deleted (by the reset_at index), so the table holds about the addresses
 * seen in one window, and costs nothing on the hits in between.
 */
export function rateLimitHitsRepository(store: Kysely<Database>, timeoutMs = RATE_LIMIT_STATEMENT_TIMEOUT_MS) {
  const bounded = <T>(fn: (db: Kysely<Database>) => Promise<T>) => withStatementTimeout(store, timeoutMs, fn);
  return {
    hit: (limiter: string, clientKey: string, windowMs: number, now = new Date()): Promise<WindowHits> =>
      bounded(async (db) => {
        const at = now.toISOString();
        const row = await db
          .insertInto('rate_limit_hits')
          .values({ limiter, client_key: clientKey, hits: 1, reset_at: new Date(now.getTime() + windowMs).toISOString() })
          .onConflict((oc) =>
            oc.columns(['limiter', 'client_key']).doUpdateSet((eb) => {
              const ended = eb('rate_limit_hits.reset_at', '<=', at);
              return {
                hits: eb.case().when(ended).then(1).else(sql<number>`rate_limit_hits.hits + 1`).end(),
                reset_at: eb.case().when(ended).then(eb.ref('excluded.reset_at')).else(eb.ref('rate_limit_hits.reset_at')).end(),
              };
            }),
          )
          .returning(['hits', 'reset_at'])
          .executeTakeFirstOrThrow();
        const hits = Number(row.hits);
        if (hits === 1) await db.deleteFrom('rate_limit_hits').where('reset_at', '<=', at).execute();
        return { hits, resetAt: new Date(row.reset_at) };
      }),

    /** Takes one hit back (a login that succeeded); never below 0, never in a window that has ended. */
    unhit: (limiter: string, clientKey: string, now = new Date()): Promise<void> =>
      bounded(async (db) => {
        await db
          .updateTable('rate_limit_hits')
          .set((eb) => ({ hits: eb('hits', '-', 1) }))
          .where('limiter', '=', limiter)
          .where('client_key', '=', clientKey)
          .where('hits', '>', 0)
          .where('reset_at', '>', now.toISOString())
          .execute();
      }),

    /** The count in the current window, or null when there is none (never counted, or the window ended). */
    get: (limiter: string, clientKey: string, now = new Date()): Promise<WindowHits | null> =>
      bounded(async (db) => {
        const row = await db
          .selectFrom('rate_limit_hits')
          .select(['hits', 'reset_at'])
          .where('limiter', '=', limiter)
          .where('client_key', '=', clientKey)
          .where('reset_at', '>', now.toISOString())
          .executeTakeFirst();
        return row ? { hits: Number(row.hits), resetAt: new Date(row.reset_at) } : null;
      }),

    reset: (limiter: string, clientKey: string): Promise<void> =>
      bounded(async (db) => {
        await db.deleteFrom('rate_limit_hits').where('limiter', '=', limiter).where('client_key', '=', clientKey).execute();
      }),
  };
}

export type RateLimitHitsRepository = ReturnType<typeof rateLimitHitsRepository>;
