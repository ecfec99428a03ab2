import type { Kysely, Migration } from 'kysely';

/**
 * The suppression list: the leads `leadlift forget` (or a HubSpot privacy deletion) erased, so that
 * no later sync, score or push stores or sends them again. It keeps the CRM's id of the lead and
 * when it was forgotten, and nothing else: no property value, no email, no name. A suppression
 * list has to remember whom to leave out, and the id alone does that without keeping what the
 * erasure removed. The primary key is the one index every write's check looks up.
 */
export const forgottenLeads: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('forgotten_leads')
      .addColumn('crm', 'text', (c) => c.notNull())
      .addColumn('lead_id', 'text', (c) => c.notNull())
      .addColumn('forgotten_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('forgotten_leads_pk', ['crm', 'lead_id'])
      .execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropTable('forgotten_leads').ifExists().execute();
  },
};
