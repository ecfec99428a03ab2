import type { Kysely, Migration } from 'kysely';

/**
 * The open pipeline's calibrated probabilities, which the 'rank' score scale places a lead in:
 * one row per CRM, written by the loop, so not a manager's setting (settings are audited).
 */
export const scoreReferences: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('score_references')
      .addColumn('crm', 'text', (c) => c.primaryKey())
      .addColumn('model_version', 'text', (c) => c.notNull())
      .addColumn('quantiles', 'text', (c) => c.notNull())
      .addColumn('leads', 'integer', (c) => c.notNull())
      .addColumn('computed_at', 'text', (c) => c.notNull())
      .execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropTable('score_references').ifExists().execute();
  },
};
