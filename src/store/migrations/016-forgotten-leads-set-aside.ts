import type { Kysely, Migration } from 'kysely';

/**
 * The suppression list of a portal or org the store no longer holds (src/store/forgotten-set-aside.ts).
 * Contact ids are numbered per portal, so `forget --all` sets the list's ids aside under the account
 * they were erased in instead of keeping them in force: a new portal's contact with the same id was
 * never scored. They go back into force if that account is connected again. The id and the date only,
 * as in forgotten_leads (migration 003).
 */
export const forgottenLeadsSetAside: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('forgotten_leads_set_aside')
      .addColumn('crm', 'text', (c) => c.notNull())
      // The portal's hub id or the org's id in its 15-character form (accountKey): how the check compares them.
      .addColumn('account', 'text', (c) => c.notNull())
      .addColumn('lead_id', 'text', (c) => c.notNull())
      .addColumn('forgotten_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('forgotten_leads_set_aside_pk', ['crm', 'account', 'lead_id'])
      .execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropTable('forgotten_leads_set_aside').ifExists().execute();
  },
};
