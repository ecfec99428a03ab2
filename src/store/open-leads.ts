import type { Kysely } from 'kysely';
import type { CrmName } from '../../connectors/types.js';
import { latestScoreOfOpenLead } from './open-lead-scores.js';
import type { Database } from './schema.js';
import { scoreFromRow, type StoredScore } from './scores.js';

export interface OpenLeadsFilter {
  /** Only the leads whose latest score is in this tier. */
  tier?: string;
  /** Only this lead (its CRM id, exactly). */
  leadId?: string;
}

/**
 * The open leads as reps see them (each one's latest score; no outcome, not deleted nor converted
 * in the CRM), best first: the admin Leads page's list. Paged in the database, so a 100,000-lead
 * store sends the page its 50 rows, not every lead.
 */
export function openLeadsRepository(db: Kysely<Database>) {
  const query = (crm: CrmName, filter: OpenLeadsFilter) => {
    let q = db.selectFrom('scores as s').where('s.crm', '=', crm).where(latestScoreOfOpenLead);
    if (filter.tier !== undefined) q = q.where('s.tier', '=', filter.tier);
    if (filter.leadId !== undefined) q = q.where('s.lead_id', '=', filter.leadId);
    return q;
  };

  return {
    /** One page, by score then probability (best first), ties by id so pages never overlap; read along scores_rank_idx (migration 015). */
    async page(crm: CrmName, filter: OpenLeadsFilter, page: { limit: number; offset: number }): Promise<StoredScore[]> {
      const rows = await query(crm, filter)
        .selectAll('s')
        .orderBy('s.score', 'desc')
        .orderBy('s.probability', 'desc')
        .orderBy('s.lead_id', 'desc')
        .limit(page.limit)
        .offset(page.offset)
        .execute();
      return rows.map(scoreFromRow);
    },

    /** How many leads page() pages through. */
    async count(crm: CrmName, filter: OpenLeadsFilter): Promise<number> {
      const row = await query(crm, filter)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      // PostgreSQL returns count(*) as a bigint, which pg hands over as a string.
      return Number(row.n);
    },
  };
}

export type OpenLeadsRepository = ReturnType<typeof openLeadsRepository>;
