import type { Kysely, Migration } from 'kysely';

/**
 * Outcomes re-read under a changed outcome rule, kept aside until every one is read (see
 * src/store/staged-outcomes.ts and src/jobs/rederive-outcomes.ts). A re-derive the API share stops
 * continues from here at the next sync instead of starting over; the stored outcomes stay as they
 * are until the last page is in, then this table takes their place in one transaction. Its
 * position in the CRM lives beside the other cursors (checkpoints, stream "outcome-rederive").
 * Same columns as outcomes, so the swap is one INSERT … SELECT.
 */
export const stagedOutcomes: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('staged_outcomes')
      .addColumn('crm', 'text', (c) => c.notNull())
      .addColumn('lead_id', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('outcome_at', 'text', (c) => c.notNull())
      .addColumn('evidence', 'text', (c) => c.notNull())
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('staged_outcomes_pk', ['crm', 'lead_id'])
      .execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropTable('staged_outcomes').ifExists().execute();
  },
};
