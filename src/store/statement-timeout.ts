import { sql, type Kysely } from 'kysely';
import { isPostgres } from './forgotten-leads.js';
import type { Database } from './schema.js';

/**
 * Runs `fn` in a transaction whose statements PostgreSQL itself cancels after `ms`
 * (SET LOCAL statement_timeout, which covers waiting on a lock too), so a caller that stops
 * waiting on its side does not also leave a statement queued behind a lock, holding one of the
 * pool's connections until the lock goes. The setting ends with the transaction: the pool's
 * connection goes back with the server's default.
 *
 * SQLite has no such setting (its waits are busy_timeout, sqlite-connection.ts), and inside a
 * caller's transaction SET LOCAL would bind the rest of that transaction too: both run `fn` as is.
 */
export async function withStatementTimeout<T>(db: Kysely<Database>, ms: number, fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction || !isPostgres(db)) return fn(db);
  return db.transaction().execute(async (trx) => {
    // SET takes no bound parameter; the number is ours, never input.
    await sql.raw(`set local statement_timeout = ${Math.max(1, Math.round(ms))}`).execute(trx);
    return fn(trx);
  });
}
