import type { Kysely, Migration } from 'kysely';

/**
 * Pruning (src/store/prune.ts) looks for a CRM's scores and snapshots older than a cut-off. The
 * primary keys lead with the lead id, so without these each nightly prune would read the whole
 * history of every lead to find the day or so that has aged out; with them it reads only that.
 */
export const historyAgeIndexes: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.createIndex('scores_age_idx').on('scores').columns(['crm', 'scored_at']).execute();
    await db.schema.createIndex('snapshots_age_idx').on('snapshots').columns(['crm', 'scored_at']).execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropIndex('snapshots_age_idx').ifExists().execute();
    await db.schema.dropIndex('scores_age_idx').ifExists().execute();
  },
};
