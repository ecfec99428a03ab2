import { sql } from 'kysely';
import type { Store } from '../../src/store/store.js';

/**
 * Makes every insert into `table` fail inside the database, the way a full disk or a lost
 * connection would fail a statement half-way through a transaction.
 */
const injected = new WeakMap<Store, Set<string>>();

export async function failInsertsInto(store: Store, table: string): Promise<void> {
  injected.set(store, (injected.get(store) ?? new Set()).add(table));
  if (store.kind === 'sqlite') {
    await sql.raw(`create trigger fail_${table} before insert on ${table} begin select raise(abort, 'injected failure'); end`).execute(store.db);
  } else {
    await sql.raw(`create or replace function fail_${table}() returns trigger language plpgsql as $$ begin raise exception 'injected failure'; end $$`).execute(store.db);
    await sql.raw(`create trigger fail_${table} before insert on ${table} for each row execute function fail_${table}()`).execute(store.db);
  }
}

export async function stopFailingInsertsInto(store: Store, table: string): Promise<void> {
  injected.get(store)?.delete(table);
  await sql.raw(store.kind === 'sqlite' ? `drop trigger fail_${table}` : `drop trigger fail_${table} on ${table}`).execute(store.db);
}

/** Removes every fault injected into `store`, so the next test starts with a healthy database. */
export async function stopAllInjectedFailures(store: Store): Promise<void> {
  for (const table of [...(injected.get(store) ?? [])]) await stopFailingInsertsInto(store, table);
}
