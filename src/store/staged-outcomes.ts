import type { Kysely } from 'kysely';
import type { CrmName, OutcomeRecord } from '../../connectors/types.js';
import type { Database } from './schema.js';
import { upsertOutcomeRows } from './outcomes.js';
import { swapInStagedOutcomes } from './swap-staged-outcomes.js';
import type { ReplacedOutcomes } from './swap-staged-outcomes.js';

/**
 * Outcomes re-read under a changed outcome rule, kept aside page by page (migration 008) until the
 * re-derive has read them all, then put in place of the stored ones in one transaction (swapIn).
 * Until then training, scoring and the admin pages see only the stored outcomes, under the rule
 * they were derived by; nothing here is read as an outcome. Written like outcomes: a forgotten
 * lead's row is never committed, and a forget erases staged rows too (forget-leads.ts).
 */
export function stagedOutcomesRepository(db: Kysely<Database>) {
  return {
    /** Adds a page (a lead read again replaces its row: the CRM's latest word); returns the rows stored. */
    async upsert(crm: CrmName, outcomes: readonly OutcomeRecord[]): Promise<number> {
      return upsertOutcomeRows(db, 'staged_outcomes', crm, outcomes);
    },

    /** Distinct leads staged so far. */
    async count(crm: CrmName): Promise<number> {
      const row = await db
        .selectFrom('staged_outcomes')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('crm', '=', crm)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /** Drops what was staged (the rule changed again, or the re-derive is done); returns how many. */
    async clear(crm: CrmName): Promise<number> {
      const result = await db.deleteFrom('staged_outcomes').where('crm', '=', crm).executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    /** The staged outcomes in place of the stored ones, then none staged, in one transaction (swap-staged-outcomes.ts). */
    async swapIn(crm: CrmName): Promise<ReplacedOutcomes> {
      return swapInStagedOutcomes(db, crm);
    },
  };
}

export type StagedOutcomesRepository = ReturnType<typeof stagedOutcomesRepository>;
