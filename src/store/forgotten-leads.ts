import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { CrmName } from '../../connectors/types.js';
import type { Database } from './schema.js';
import { nowIso } from './iso-time.js';
import { chunks } from './transaction.js';

/**
 * The suppression list (migration 003): every lead erased by forgetLeads, by id only.
 *
 * The check lives here, in the store, and is made by the repositories that write per-lead rows
 * (records, outcomes, staged outcomes, snapshots, scores) rather than by the jobs that call them: a privacy deletion
 * arrives through a webhook that does not wait for the cycle lock, so a running sync, score or
 * real-time rescore may hold a lead that is erased a moment later, and one check where the rows are
 * written covers every caller, those of today and those added later, inside the very transaction
 * that writes. The push re-checks before each CRM call too (jobs/push.ts): sending is not a write
 * to the store.
 */

// 1 bound value per id, plus the CRM: far below both back ends' bound-parameter limits, and one
// look-up covers a whole sync page or scoring batch.
const IDS_PER_LOOKUP = 2000;

// PostgreSQL advisory lock space of the suppression guard (first key); the second key is the CRM
// and schema. Tests use the single-bigint key space, which never meets this two-key one.
export const GUARD_LOCK = 0x1ead1f7;

export function forgottenLeadsRepository(db: Kysely<Database>) {
  return {
    /** The ids among `ids` that were forgotten in this CRM: one primary-key look-up per 2,000 ids. */
    async among(crm: CrmName, ids: readonly string[]): Promise<Set<string>> {
      return forgottenAmong(db, crm, ids);
    },

    /** When the lead was put on the list (its first forget), or null when it is not on it. */
    async forgottenAt(crm: CrmName, leadId: string): Promise<string | null> {
      const row = await db.selectFrom('forgotten_leads').select('forgotten_at').where('crm', '=', crm).where('lead_id', '=', leadId).executeTakeFirst();
      return row?.forgotten_at ?? null;
    },

    /** How many leads of this CRM are on the list. */
    async count(crm: CrmName): Promise<number> {
      const row = await db
        .selectFrom('forgotten_leads')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('crm', '=', crm)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}

export type ForgottenLeadsRepository = ReturnType<typeof forgottenLeadsRepository>;

async function forgottenAmong(db: Kysely<Database>, crm: CrmName, ids: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const batch of chunks([...new Set(ids)], IDS_PER_LOOKUP)) {
    const rows = await db.selectFrom('forgotten_leads').select('lead_id').where('crm', '=', crm).where('lead_id', 'in', batch).execute();
    for (const row of rows) found.add(row.lead_id);
  }
  return found;
}

/** Puts leads on the list inside forgetLeads' transaction; a lead forgotten again keeps its first date. */
export async function addForgotten(trx: Kysely<Database>, crm: CrmName, ids: readonly string[]): Promise<void> {
  const forgottenAt = nowIso();
  for (const batch of chunks(ids, IDS_PER_LOOKUP / 2)) {
    await trx
      .insertInto('forgotten_leads')
      .values(batch.map((lead_id) => ({ crm, lead_id, forgotten_at: forgottenAt })))
      .onConflict((oc) => oc.columns(['crm', 'lead_id']).doNothing())
      .execute();
  }
}

/**
 * How each per-lead write runs inside its transaction: `write` stores the rows of `leadIds`, then
 * what it wrote for forgotten leads is deleted again and their ids returned. Nothing uncommitted is
 * seen by anyone, so a forgotten lead's values never reach a committed row, and callers need not
 * filter what they write.
 *
 * Against a forget committed at the same moment:
 * - PostgreSQL (read committed): the writer takes the guard's shared lock before its first row and
 *   forgetLeads takes it exclusively before anything else, both holding it to their commit. Either
 *   the forget waits, and its deletes (later statements) find the writer's committed rows, or the
 *   writer waits, and its check finds the list. Neither holds a row lock the other waits for:
 *   taking the guard after the insert deadlocked (40P01), since an upsert of a stored lead locks
 *   its row and the forget, holding the guard, waits on that row in its DELETE. So within one
 *   transaction no row of this CRM's per-lead tables may be locked before this runs.
 * - SQLite: every write transaction begins IMMEDIATE (sqlite-dialect.ts) and so holds the file's
 *   write lock from its start to its commit; no other process's forget commits in between.
 */
export type PerLeadTarget = { table: 'records'; column: 'id' } | { table: 'outcomes' | 'staged_outcomes' | 'snapshots' | 'scores'; column: 'lead_id' };

export async function writeExceptForgotten(
  trx: Kysely<Database>,
  crm: CrmName,
  target: PerLeadTarget,
  leadIds: readonly string[],
  write: () => Promise<void>,
): Promise<Set<string>> {
  if (leadIds.length === 0) return new Set();
  await holdGuard(trx, crm, 'shared');
  await write();
  const forgotten = await forgottenAmong(trx, crm, leadIds);
  for (const batch of chunks([...forgotten], IDS_PER_LOOKUP)) {
    await trx
      .deleteFrom(target.table)
      .where('crm', '=', crm)
      .where(target.column as 'lead_id', 'in', batch)
      .execute();
  }
  return forgotten;
}

/**
 * A writer's side of the guard, for a write that cannot name its leads up front (the swap of staged
 * outcomes, one INSERT … SELECT that leaves out the listed leads itself): the same shared lock
 * writeExceptForgotten takes, before any row of this CRM's per-lead tables is touched.
 */
export async function holdWriteGuard(trx: Kysely<Database>, crm: CrmName): Promise<void> {
  await holdGuard(trx, crm, 'shared');
}

/**
 * forgetLeads' side of the guard: taken before it lists the leads and deletes their rows, held to
 * its commit. A no-op on SQLite, where a write transaction holds the file's write lock from BEGIN
 * (IMMEDIATE), so one write transaction at a time is the rule already.
 */
export async function holdForgetGuard(trx: Kysely<Database>, crm: CrmName): Promise<void> {
  await holdGuard(trx, crm, 'exclusive');
}

/**
 * The guard's second advisory-lock key for `crm`, as SQL evaluated on the connection that runs it.
 * Per schema too: two stores in one database (pgSchema) never wait for each other.
 */
export function guardLockKey(crm: CrmName) {
  return sql<number>`hashtext(current_schema() || ':' || ${crm})`;
}

async function holdGuard(trx: Kysely<Database>, crm: CrmName, mode: 'shared' | 'exclusive'): Promise<void> {
  if (!isPostgres(trx)) return;
  const key = guardLockKey(crm);
  if (mode === 'shared') await sql`select pg_advisory_xact_lock_shared(${GUARD_LOCK}, ${key})`.execute(trx);
  else await sql`select pg_advisory_xact_lock(${GUARD_LOCK}, ${key})`.execute(trx);
}

// Kysely marks getExecutor internal, but inside a transaction it is the only handle on the back end.
// (statement-timeout.ts asks it too.)
export function isPostgres(db: Kysely<Database>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
