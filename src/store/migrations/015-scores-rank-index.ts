import type { Kysely, Migration } from 'kysely';

/**
 * The admin Leads page lists a CRM's open leads best first, 50 a page (src/store/open-leads.ts).
 * Without this index every page view sorts all of the CRM's score rows (100,000 leads with their
 * history: about 0.7 s on SQLite, 3 s on PostgreSQL); with it the database reads the rows in
 * score order and stops at the page's end (a few milliseconds for the first pages). Ascending
 * columns, read backwards: the page's order is descending in all of them.
 */
export const scoresRankIndex: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.createIndex('scores_rank_idx').on('scores').columns(['crm', 'score', 'probability', 'lead_id']).execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropIndex('scores_rank_idx').ifExists().execute();
  },
};
