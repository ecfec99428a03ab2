import type { ExpressionBuilder, Kysely } from 'kysely';
import type { CrmName } from '../../connectors/types.js';
import type { Database } from './schema.js';
import { auditRepository } from './audit.js';
import { closedOnScoredAt, type HistoryTable } from './closed-on.js';
import type { SqliteFileSpace } from './sqlite-free-space.js';
import { inTransaction } from './transaction.js';

/** What to keep (config store.retention); null keeps that history for ever. */
export interface RetentionPolicy {
  scoresDays: number | null;
  snapshotsDays: number | null;
  runsDays: number | null;
  /** Earlier active models kept as rollback targets besides the active one and the newest candidate. */
  keepModels: number | null;
}

export type PrunedTable = 'scores' | 'snapshots' | 'models' | 'runs';

export interface PruneResult {
  crm: CrmName;
  dryRun: boolean;
  /** Rows removed per table (with dryRun: rows that would be). */
  removed: Record<PrunedTable, number>;
  /** The cut-off per aged table (null: kept for ever). */
  olderThan: { scores: string | null; snapshots: string | null; runs: string | null };
  keepModels: number | null;
  /** The model versions removed (or that would be), newest first. */
  models: string[];
  /** SQLite only, after a prune that removed rows: the file's free space and what went back to the disk. */
  sqliteFile?: SqliteFileSpace;
}

export const PRUNE_AUDIT_KEY_PREFIX = 'store.prune';

/**
 * Rows per DELETE: on SQLite a delete holds the one write lock, so a first prune of a year of
 * history goes in steps a webhook's rescore can slip between, not in one long statement.
 */
const ROWS_PER_STATEMENT = 5000;
const DAY_MS = 86_400_000;

type Db = Kysely<any>;

/**
 * Removes the history `policy` no longer keeps, for one CRM, and records one audit entry with the
 * counts (never a lead id or value) when it removed anything. What the app reads back always stays, whatever its age:
 * - each lead's latest score and snapshot: the trend compares a new score with the latest, the
 *   push and the CRM-edit check with it, "inputs as last scored" with its snapshot;
 * - each lead's last score that reached the CRM (push_status pushed): what the CRM shows, which
 *   decides whether a new score is worth a write;
 * - for a closed lead (or one a re-derive has staged an outcome for), the score and the snapshot
 *   it closed on, its latest before the outcome date: training learns from that snapshot ("what
 *   was known when it was scored"), the model page's recent conversion and calibration from that
 *   score;
 * - the active model, the `keepModels` models active most recently before it (rollback targets)
 *   and the newest candidate (the most recent training that did not promote, which the model page
 *   shows);
 * - every run still running, and the latest run of each kind and status (when training is due,
 *   the last successful cycle's time for /metrics).
 * The audit trail is never pruned: it is the record of who changed what, prunes included.
 */
export async function pruneStore(
  db: Kysely<Database>,
  crm: CrmName,
  policy: RetentionPolicy,
  options: { actor: string; dryRun?: boolean; now?: number; signal?: AbortSignal },
): Promise<PruneResult> {
  const now = options.now ?? Date.now();
  const dryRun = options.dryRun ?? false;
  const cutoff = (days: number | null) => (days === null ? null : new Date(now - days * DAY_MS).toISOString());
  const result: PruneResult = {
    crm,
    dryRun,
    removed: { scores: 0, snapshots: 0, models: 0, runs: 0 },
    olderThan: { scores: cutoff(policy.scoresDays), snapshots: cutoff(policy.snapshotsDays), runs: cutoff(policy.runsDays) },
    keepModels: policy.keepModels,
    models: [],
  };
  const d = db as Db;
  try {
    for (const table of ['scores', 'snapshots'] as const) {
      const before = result.olderThan[table];
      // Counted as each statement commits, so a prune stopped half way audits what it did remove.
      if (before !== null) await removeAll(d, table, crm, (q) => prunableHistory(q, table, crm, before), dryRun, (n) => (result.removed[table] += n), options.signal);
    }
    if (result.olderThan.runs !== null) {
      const before = result.olderThan.runs;
      await removeRuns(d, crm, before, dryRun, (n) => (result.removed.runs += n), options.signal);
    }
    options.signal?.throwIfAborted();
    if (policy.keepModels !== null) {
      result.models = await removeModels(d, crm, policy.keepModels, dryRun);
      result.removed.models = result.models.length;
    }
  } catch (err) {
    // Rows already removed stay removed: the audit trail says so before the error goes up.
    const why = options.signal?.aborted ? 'stopped before the end (a stop request or a lost cycle lock); the rest stays until the next prune' : (err as Error).message;
    if (!dryRun && removedAny(result)) await audit(db, options.actor, result, why).catch(() => undefined);
    throw err;
  }
  // A prune that removed nothing changed nothing: an entry per nightly retrain would bury the ones
  // that did in the audit trail (no page reads prune entries to tell when the last prune ran).
  if (!dryRun && removedAny(result)) await audit(db, options.actor, result);
  return result;
}

function removedAny(r: PruneResult): boolean {
  return Object.values(r.removed).some((n) => n > 0);
}

async function audit(db: Kysely<Database>, actor: string, r: PruneResult, failed?: string): Promise<void> {
  await auditRepository(db).append({
    actor,
    key: `${PRUNE_AUDIT_KEY_PREFIX}.${r.crm}`,
    before: null,
    after: { crm: r.crm, removed: r.removed, olderThan: r.olderThan, keepModels: r.keepModels, models: r.models, ...(failed ? { failed } : {}) },
  });
}

/** The key columns of `table`'s rows `policy` lets go, as a subquery (see pruneStore for what stays). */
function prunableHistory(db: Db, table: HistoryTable, crm: CrmName, before: string) {
  return db
    .selectFrom(`${table} as h`)
    .select(['h.lead_id', 'h.scored_at'])
    .where('h.crm', '=', crm)
    .where('h.scored_at', '<', before)
    .where((eb) => {
      const conditions = [
        // Not the lead's latest.
        eb.exists(newer(eb, table)),
        // Not the one the lead closed on (staged: the outcome a re-derive will put in place).
        eb.not(eb.exists(closedOn(eb, table, 'outcomes'))),
        eb.not(eb.exists(closedOn(eb, table, 'staged_outcomes'))),
      ];
      // Not what the CRM shows: the lead's last pushed score.
      if (table === 'scores') conditions.push(eb.or([eb('h.push_status', '!=', 'pushed'), eb.exists(newer(eb, table).where('n.push_status', '=', 'pushed'))]));
      return eb.and(conditions);
    });
}

function newer(eb: ExpressionBuilder<any, any>, table: HistoryTable) {
  return eb
    .selectFrom(`${table} as n`)
    .select('n.lead_id')
    .whereRef('n.crm', '=', 'h.crm')
    .whereRef('n.lead_id', '=', 'h.lead_id')
    .whereRef('n.scored_at', '>', 'h.scored_at');
}

/** The lead's outcome, when this row is the one it closed on (the rule training reads it by, closed-on.ts). */
function closedOn(eb: ExpressionBuilder<any, any>, table: HistoryTable, outcomes: 'outcomes' | 'staged_outcomes') {
  return eb
    .selectFrom(`${outcomes} as o`)
    .select('o.lead_id')
    .whereRef('o.crm', '=', 'h.crm')
    .whereRef('o.lead_id', '=', 'h.lead_id')
    .where((inner) => inner('h.scored_at', '=', closedOnScoredAt(inner, table, 'o')));
}

/** Deletes (or counts) the rows the subquery names, ROWS_PER_STATEMENT at a time. */
async function removeAll(
  db: Db,
  table: HistoryTable,
  crm: CrmName,
  prunable: (db: Db) => ReturnType<typeof prunableHistory>,
  dryRun: boolean,
  removed: (rows: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  if (dryRun) return removed(await count(db, prunable(db)));
  for (;;) {
    await betweenStatements(signal);
    // The conditions are evaluated inside the DELETE itself, so a score or outcome stored meanwhile is judged too.
    const deleted = await db
      .deleteFrom(table)
      // The CRM too: the key pair alone could name another CRM's lead with the same id and time.
      .where('crm', '=', crm)
      .where((eb) => eb(eb.refTuple('lead_id', 'scored_at'), 'in', prunable(db).limit(ROWS_PER_STATEMENT)))
      .executeTakeFirst();
    const n = Number(deleted.numDeletedRows);
    removed(n);
    if (n < ROWS_PER_STATEMENT) return;
  }
}

/**
 * SQLite's driver runs each statement synchronously, so without a turn of the event loop between
 * them a long prune would hold up the server's requests (a webhook's rescore) and a Ctrl-C until
 * its end. A cycle that lost its lock or is asked to stop stops here (what went is audited).
 */
async function betweenStatements(signal?: AbortSignal): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  signal?.throwIfAborted();
}

async function count(db: Db, rows: { as(alias: string): any }): Promise<number> {
  const row = await db.selectFrom(rows.as('p')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Finished runs older than `before`, except the latest of each kind and status. */
async function removeRuns(db: Db, crm: CrmName, before: string, dryRun: boolean, removed: (rows: number) => void, signal?: AbortSignal): Promise<void> {
  const prunable = () =>
    db
      .selectFrom('runs as r')
      .select('r.id')
      .where('r.crm', '=', crm)
      .where('r.status', '!=', 'running')
      .where('r.started_at', '<', before)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('runs as n')
            .select('n.id')
            .whereRef('n.crm', '=', 'r.crm')
            .whereRef('n.kind', '=', 'r.kind')
            .whereRef('n.status', '=', 'r.status')
            .whereRef('n.started_at', '>', 'r.started_at'),
        ),
      );
  if (dryRun) return removed(await count(db, prunable()));
  for (;;) {
    // Like the history loops: a stop request or a lost cycle lock stops here, not after the last batch.
    await betweenStatements(signal);
    const deleted = await db.deleteFrom('runs').where('id', 'in', prunable().limit(ROWS_PER_STATEMENT)).executeTakeFirst();
    const n = Number(deleted.numDeletedRows);
    removed(n);
    if (n < ROWS_PER_STATEMENT) return;
  }
}

/** Removes the models that are neither active, nor among the newest `keep` rollback targets, nor the newest candidate. */
async function removeModels(db: Db, crm: CrmName, keep: number, dryRun: boolean): Promise<string[]> {
  return inTransaction(db, async (trx) => {
    const rows: Array<{ version: string; status: string; promoted_at: string | null; created_at: string }> = await trx
      .selectFrom('models')
      .select(['version', 'status', 'promoted_at', 'created_at'])
      .where('crm', '=', crm)
      .orderBy('created_at', 'desc')
      .orderBy('version', 'desc')
      .execute();
    const targets = rows
      .filter((m) => m.status === 'retired' && m.promoted_at !== null)
      .sort((a, b) => (a.promoted_at! < b.promoted_at! ? 1 : a.promoted_at! > b.promoted_at! ? -1 : 0))
      .slice(0, keep);
    const newestCandidate = rows.find((m) => m.status === 'candidate');
    const kept = new Set([...targets, ...(newestCandidate ? [newestCandidate] : [])].map((m) => m.version));
    const gone = rows.filter((m) => m.status !== 'active' && !kept.has(m.version)).map((m) => m.version);
    if (dryRun || gone.length === 0) return gone;
    // Guarded by status in the statement too: a model a rollback has just made active stays.
    const deleted = await trx.deleteFrom('models').where('crm', '=', crm).where('version', 'in', gone).where('status', '!=', 'active').returning('version').execute();
    const removed = new Set(deleted.map((r: { version: string }) => r.version));
    return gone.filter((v) => removed.has(v));
  });
}
