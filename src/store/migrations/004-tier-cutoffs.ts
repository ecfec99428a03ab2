import type { Kysely, Migration } from 'kysely';

/** Where each CRM's capacity tiers were cut at its last scoring cycle (see src/store/tier-cutoffs.ts). */
export const tierCutoffs: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('tier_cutoffs')
      .addColumn('crm', 'text', (c) => c.primaryKey())
      .addColumn('model_version', 'text', (c) => c.notNull())
      .addColumn('tiers', 'text', (c) => c.notNull())
      .addColumn('cutoffs', 'text', (c) => c.notNull())
      .addColumn('computed_at', 'text', (c) => c.notNull())
      .execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropTable('tier_cutoffs').ifExists().execute();
  },
};
