import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import { chunks } from './transaction.js';

/**
 * How long a taken event id is kept: HubSpot retries a delivery it thinks failed up to 10 times,
 * spread over about 24 hours from the first attempt, so a repeat arrives within this of the first.
 */
export const WEBHOOK_EVENT_HORIZON_MS = 24 * 3_600_000;

// Three bound parameters a row: well under both back ends' limits (SQLite 32766, PostgreSQL 65535).
const IDS_PER_STATEMENT = 500;

/**
 * Webhook event ids an instance has taken, shared by every instance on the store, so that a
 * delivery HubSpot repeats to another instance behind the load balancer is known there as a
 * repeat. An event is claimed by inserting its row (INSERT … ON CONFLICT DO NOTHING RETURNING, on
 * both back ends): of two instances claiming one id at once, the row comes back to one only, and
 * that one handles the event. Rows older than WEBHOOK_EVENT_HORIZON_MS are pruned by `prune`,
 * which the webhook route runs after each batch it claimed events of.
 */
export function webhookEventsRepository(db: Kysely<Database>) {
  return {
    /** The ids of `eventIds` this call claimed (first seen); the others had been claimed before. */
    async claim(crm: string, eventIds: readonly string[], now = new Date()): Promise<Set<string>> {
      const claimed = new Set<string>();
      // Sorted, so that two transactions claiming overlapping batches take the rows in one order (no deadlock).
      const ids = [...new Set(eventIds)].sort();
      const receivedAt = now.toISOString();
      for (const batch of chunks(ids, IDS_PER_STATEMENT)) {
        const rows = await db
          .insertInto('webhook_events')
          .values(batch.map((eventId) => ({ crm, event_id: eventId, received_at: receivedAt })))
          .onConflict((oc) => oc.columns(['crm', 'event_id']).doNothing())
          .returning('event_id')
          .execute();
        for (const row of rows) claimed.add(row.event_id);
      }
      return claimed;
    },

    /** Deletes the ids claimed longer ago than the CRM retries over; returns how many went. */
    async prune(now = new Date()): Promise<number> {
      const before = new Date(now.getTime() - WEBHOOK_EVENT_HORIZON_MS).toISOString();
      const deleted = await db.deleteFrom('webhook_events').where('received_at', '<', before).executeTakeFirst();
      return Number(deleted.numDeletedRows);
    },
  };
}

export type WebhookEventsRepository = ReturnType<typeof webhookEventsRepository>;
