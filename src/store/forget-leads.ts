import type { Kysely } from 'kysely';
import type { CrmName } from '../../connectors/types.js';
import { InputError } from '../domain/errors.js';
import type { Database } from './schema.js';
import { auditRepository } from './audit.js';
import { addForgotten, holdForgetGuard } from './forgotten-leads.js';
import { chunks, inTransaction } from './transaction.js';

/**
 * Every table with rows about one lead, and the column holding its id. Checked against the
 * schema (migrations 001 to 004). Each of them is written only through a repository that leaves out
 * a lead on the suppression list (forgotten-leads.ts), so a table added here must do the same. The
 * others hold no per-lead rows:
 * - forgotten_leads: the suppression list itself, the CRM's id of each forgotten lead and when,
 *   never a property value; it is what keeps a forgotten lead out, so forgetting fills it.
 * - forgotten_leads_set_aside: the same ids, of a portal or org `forget --all` switched away from,
 *   by account (forgotten-set-aside.ts); back in force if that account is connected again.
 * - models: the bundle holds trees, logistic weights, the calibrator, quantiles of probabilities
 *   and the feature pipeline, with no lead id and no row per lead. Its categorical encodings do
 *   list the category values seen in training (rare ones too); retraining drops a forgotten
 *   lead's from the next model.
 * - score_references: one row per CRM of sorted probabilities, with no lead id.
 * - tier_cutoffs: one row per CRM of each tier's lowest score, last probability admitted and lead
 *   count, with no lead id.
 * - checkpoints: sync cursors and push jobs may name a lead id (never a property value); clearing
 *   them would make the next sync start over or resend writes.
 * - runs: summaries keep at most five push failures (lead id and the CRM's refusal), no property values.
 * - audit_log, settings, run_locks, oauth_tokens: configuration, not leads.
 * staged_outcomes (a re-derive under a changed outcome rule, not in place yet) holds per-lead rows
 * too: erased with the rest, and counted apart under `stagedOutcomes`, so `outcomes` stays the
 * lead's outcomes (one per lead) and a lead with both is not read as two outcomes.
 */
export const PER_LEAD_TABLES = {
  // Every object type: a lead is forgotten whichever CRM object it was stored as.
  records: 'id',
  outcomes: 'lead_id',
  snapshots: 'lead_id',
  scores: 'lead_id',
} as const;

export type PerLeadTable = keyof typeof PER_LEAD_TABLES;

/** The `removed` keys: one per table, staged_outcomes (outcomes re-read under a new rule, staged-outcomes.ts) as stagedOutcomes. */
export type RemovedRows = PerLeadTable | 'stagedOutcomes';

/** Each table a forget deletes from, the column holding the lead id, and the `removed` key its rows count under. */
const ERASED: ReadonlyArray<{ table: PerLeadTable | 'staged_outcomes'; column: string; countAs: RemovedRows }> = [
  ...(Object.entries(PER_LEAD_TABLES) as Array<[PerLeadTable, string]>).map(([table, column]) => ({ table, column, countAs: table })),
  { table: 'staged_outcomes', column: 'lead_id', countAs: 'stagedOutcomes' },
];

export interface ForgetResult {
  crm: CrmName;
  /** The lead ids asked for, each once, in the order given. */
  leads: string[];
  /** Rows deleted per table (staged_outcomes as stagedOutcomes); 0 for a lead the store never held or already forgot. */
  removed: Record<RemovedRows, number>;
  /** The ids of `leads` no table held a row of (unknown, or forgotten before): put on the list all the same. */
  notFound: string[];
}

export const FORGET_AUDIT_KEY_PREFIX = 'forget';

const IDS_PER_STATEMENT = 500;

/**
 * Deletes every row about `leadIds`, puts them on the suppression list and records one audit entry
 * (the ids and row counts only: what was erased must not survive in the audit trail), all in one
 * transaction. From then on no sync, score or push stores or sends them again, even while the CRM
 * still holds them (a full sync that finds them leaves them out), and a cycle already running when
 * this commits drops what it had loaded of them at its next write.
 */
export async function forgetLeads(
  db: Kysely<Database>,
  crm: CrmName,
  leadIds: readonly string[],
  options: { actor: string },
): Promise<ForgetResult> {
  const leads = [...new Set(leadIds)];
  if (leads.length === 0) throw new InputError('No lead ids given: name at least one lead to forget');
  if (leads.some((id) => typeof id !== 'string' || id.trim() === '')) throw new InputError('A lead id is empty: nothing was forgotten');
  return inTransaction(db, async (trx) => {
    // First, before any row is locked: a write at the same moment either commits before the
    // deletes run and is deleted, or waits for this commit and then finds the leads listed
    // (writeExceptForgotten).
    await holdForgetGuard(trx, crm);
    await addForgotten(trx, crm, leads);
    const removed = { records: 0, outcomes: 0, snapshots: 0, scores: 0, stagedOutcomes: 0 } satisfies Record<RemovedRows, number>;
    // Which ids the store held, read before the deletes: the counts alone cannot say which of several had rows.
    const held = new Set<string>();
    for (const { table, column } of ERASED) {
      for (const batch of chunks(leads, IDS_PER_STATEMENT)) {
        const rows = await trx
          .selectFrom(table)
          .select(`${column} as id` as 'lead_id as id')
          .distinct()
          .where('crm', '=', crm)
          .where(column as 'lead_id', 'in', batch)
          .execute();
        for (const row of rows) held.add(String(row.id));
      }
    }
    const notFound = leads.filter((id) => !held.has(id));
    for (const { table, column, countAs } of ERASED) {
      for (const batch of chunks(leads, IDS_PER_STATEMENT)) {
        const result = await trx
          .deleteFrom(table)
          .where('crm', '=', crm)
          .where(column as 'lead_id', 'in', batch)
          .executeTakeFirst();
        removed[countAs] += Number(result.numDeletedRows);
      }
    }
    await auditRepository(trx).append({
      actor: options.actor,
      key: `${FORGET_AUDIT_KEY_PREFIX}.${crm}`,
      before: null,
      after: { crm, leadCount: leads.length, leads, removed },
    });
    return { crm, leads, removed, notFound };
  });
}
