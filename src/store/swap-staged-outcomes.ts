import { sql, type Kysely } from 'kysely';
import type { CrmName } from '../../connectors/types.js';
import type { Database } from './schema.js';
import { holdWriteGuard } from './forgotten-leads.js';
import { inTransaction } from './transaction.js';

/** What swapping the staged outcomes in did, per distinct lead (a forgotten lead is neither stored nor counted). */
export interface ReplacedOutcomes {
  /** Outcomes now stored. */
  read: number;
  /** Of those, leads closed now that had no outcome, and leads whose outcome flipped (won <-> lost). */
  changed: number;
  /** Leads that had an outcome and have none now (open under the rule in force). */
  removed: number;
}

/**
 * Puts the staged outcomes (staged-outcomes.ts) in place of every stored outcome of the CRM and
 * empties the stage, in one transaction (joined when `db` is one, so the caller's cursor and rule
 * commit with it): a failure or a stop leaves the old outcomes and the stage whole. Done in SQL,
 * row for row, so a history of millions of outcomes is never held in memory. Counted per
 * distinct lead (ReplacedOutcomes), forgotten leads left out.
 */
export function swapInStagedOutcomes(db: Kysely<Database>, crm: CrmName): Promise<ReplacedOutcomes> {
  return inTransaction(db, async (trx) => {
    // Before any row is touched: a forget at the same moment commits first (and its leads are
    // left out below) or waits for this commit and then erases them (forgotten-leads.ts).
    await holdWriteGuard(trx, crm);
    const notForgotten = sql<boolean>`not exists (select 1 from forgotten_leads f where f.crm = s.crm and f.lead_id = s.lead_id)`;
    const staged = () => trx.selectFrom('staged_outcomes as s').where('s.crm', '=', crm).where(notForgotten);
    const count = async (query: { executeTakeFirstOrThrow(): Promise<{ n: unknown }> }) => Number((await query.executeTakeFirstOrThrow()).n);

    // New closed leads and flipped outcomes: a staged lead without a stored outcome the same.
    const changed = await count(
      staged()
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom('outcomes as o').select('o.lead_id').whereRef('o.crm', '=', 's.crm').whereRef('o.lead_id', '=', 's.lead_id').whereRef('o.outcome', '=', 's.outcome'))),
        )
        .select((eb) => eb.fn.countAll().as('n')),
    );
    // Stored outcomes of leads the new rule finds open (or forgotten since they were staged).
    const removed = await count(
      trx
        .selectFrom('outcomes as o')
        .where('o.crm', '=', crm)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('staged_outcomes as s')
                .select('s.lead_id')
                .whereRef('s.crm', '=', 'o.crm')
                .whereRef('s.lead_id', '=', 'o.lead_id')
                .where(notForgotten),
            ),
          ),
        )
        .select((eb) => eb.fn.countAll().as('n')),
    );

    await trx.deleteFrom('outcomes').where('crm', '=', crm).execute();
    // The stage holds one row per lead, so the rows inserted are the outcomes read, counted per lead.
    const inserted = await trx
      .insertInto('outcomes')
      .columns(['crm', 'lead_id', 'outcome', 'outcome_at', 'evidence', 'recorded_at'])
      .expression(staged().select(['s.crm', 's.lead_id', 's.outcome', 's.outcome_at', 's.evidence', 's.recorded_at']))
      .executeTakeFirst();
    await trx.deleteFrom('staged_outcomes').where('crm', '=', crm).execute();
    return { read: Number(inserted.numInsertedOrUpdatedRows ?? 0), changed, removed };
  });
}
