import type { SimplePublicObject } from '@hubspot/api-client/lib/codegen/crm/contacts/index.js';
import type { ApiCaller } from './api-caller.js';
import type { HubspotConfig } from './config.js';

/**
 * HubSpot's search never returns archived (deleted) contacts, so an incremental pull by
 * lastmodifieddate cannot see a deletion. This pass lists the archived contacts instead. A merged-away
 * contact is not among them: leads.ts learns of it from the merged contact's hs_merged_object_ids.
 * That listing takes no filter: every pass pages through all of them, one request per
 * batch.listSize (100) contacts, so a portal with 20,000 archived contacts spends 200 standard
 * requests on each pass. Hence it runs at most once per archivedPass.intervalMs (passDue).
 *
 * Contacts HubSpot purges for good (a GDPR delete, or once the restore window ends) leave the
 * archived listing too, so this cannot see them; a push that meets one reports HubSpot's
 * "not found" for it.
 */

/**
 * How far back of the previous pass's start a pass still reports archivals: allows for our
 * clock and HubSpot's disagreeing. Re-reporting one is harmless (the store upserts by id).
 */
export const CLOCK_SKEW_MS = 10 * 60_000;

export interface ArchivedPage {
  /** Archived contacts of this listing page archived at or after `sinceMs`. */
  contacts: SimplePublicObject[];
  /** The last page of the listing. */
  done: boolean;
}

/** true when no pass has completed yet, or the last one began at least intervalMs ago. */
export function passDue(checkedAt: string | undefined, config: HubspotConfig, now = Date.now()): boolean {
  return checkedAt === undefined || now - Date.parse(checkedAt) >= config.archivedPass.intervalMs;
}

/** Every archived contact, page by page, keeping those archived at or after `sinceMs` (null: all). */
export async function* archivedContactsSince(
  caller: ApiCaller,
  config: HubspotConfig,
  sinceMs: number | null,
  properties: string[],
): AsyncGenerator<ArchivedPage> {
  let after: string | undefined;
  do {
    const response = await caller.call('standard', 'listing archived contacts', (api) =>
      api.contacts.basicApi.getPage(config.batch.listSize, after, properties, undefined, undefined, true),
    );
    after = response.paging?.next?.after;
    const contacts = (response.results as SimplePublicObject[]).filter((c) => sinceMs === null || archivedMs(c) >= sinceMs);
    yield { contacts, done: !after };
  } while (after);
}

/** When HubSpot archived the contact; a contact without archivedAt is reported, not skipped. */
export function archivedMs(contact: SimplePublicObject): number {
  const raw = contact.archivedAt;
  const ms = raw instanceof Date ? raw.getTime() : Date.parse(String(raw));
  return Number.isFinite(ms) ? ms : Number.POSITIVE_INFINITY;
}
