import type { Kysely, Migration } from 'kysely';

/**
 * Webhook events already taken by an instance (see src/store/webhook-events.ts). Their ids were
 * remembered in each process's memory, so a delivery HubSpot repeated to another instance behind
 * the load balancer was rescored again; kept here, the first instance to claim an event wins.
 */
export const webhookEvents: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('webhook_events')
      .addColumn('crm', 'text', (c) => c.notNull())
      // The CRM's event id as the route keys it (HubSpot: "portalId:eventId"); never a property value.
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('webhook_events_pkey', ['crm', 'event_id'])
      .execute();
    // The prune deletes by received_at alone.
    await db.schema.createIndex('webhook_events_received_at').on('webhook_events').column('received_at').execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropTable('webhook_events').ifExists().execute();
  },
};
