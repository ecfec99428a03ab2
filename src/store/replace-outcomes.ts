import type { Kysely } from 'kysely';
import type { CrmName, OutcomeRecord } from '../../connectors/types.js';
import type { Database } from './schema.js';
import { forgottenLeadsRepository } from './forgotten-leads.js';
import { outcomesRepository } from './outcomes.js';
import { inTransaction } from './transaction.js';

/** What replacing a CRM's outcomes did, per distinct lead (a forgotten lead is neither stored nor counted). */
export interface ReplacedOutcomes {
  /** Outcomes now stored. */
  read: number;
  /** Of those, leads closed now that had no outcome, and leads whose outcome flipped (won <-> lost). */
  changed: number;
  /** Leads that had an outcome and have none now (open under the rule in force). */
  removed: number;
}

/**
 * Puts `outcomes` in place of every stored outcome of the CRM, in one transaction (joined when
 * `db` is one): a failure or a stop leaves the old outcomes whole, for a caller holding a whole
 * history in memory. The re-derive under a changed outcome rule stages its pages in the store
 * instead and swaps them in (staged-outcomes.ts), so it can span several syncs.
 */
export function replaceOutcomes(db: Kysely<Database>, crm: CrmName, outcomes: readonly OutcomeRecord[]): Promise<ReplacedOutcomes> {
  return inTransaction(db, async (trx) => {
    const before = new Map((await trx.selectFrom('outcomes').select(['lead_id', 'outcome']).where('crm', '=', crm).execute()).map((r) => [r.lead_id, r.outcome]));
    // Repeats: the last one read is the CRM's latest word, as for a page (outcomes.ts).
    const latest = new Map(outcomes.map((o) => [o.leadId, o]));
    const forgotten = await forgottenLeadsRepository(trx).among(crm, [...latest.keys()]);
    let changed = 0;
    let kept = 0;
    for (const [leadId, o] of latest) {
      if (forgotten.has(leadId)) continue;
      const was = before.get(leadId);
      if (was !== undefined) kept += 1;
      if (was !== o.outcome) changed += 1;
    }
    const repository = outcomesRepository(trx);
    await repository.clear(crm);
    const read = await repository.upsert(crm, outcomes);
    return { read, changed, removed: before.size - kept };
  });
}
