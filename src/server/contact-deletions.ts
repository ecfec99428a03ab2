import { LeadliftError } from '../domain/errors.js';
import { LEAD_OBJECT } from '../jobs/deps.js';
import type { Repositories } from '../store/store.js';

/** The HubSpot subscription types that remove a contact, and what each does to the lead. */
export const DELETION_EVENTS = {
  'contact.deletion': 'archive',
  'contact.privacyDeletion': 'forget',
} as const;

export type DeletionEvent = keyof typeof DELETION_EVENTS;

export const PRIVACY_DELETION_ACTOR = 'hubspot webhook (privacy deletion)';

export function isDeletionEvent(subscriptionType: string): subscriptionType is DeletionEvent {
  return Object.hasOwn(DELETION_EVENTS, subscriptionType);
}

export class ContactDeletionError extends LeadliftError {
  constructor(cause: unknown) {
    super(
      `HubSpot contact deletions could not be applied to the store (${(cause as Error)?.message ?? String(cause)}); the webhook was answered with an error so HubSpot sends it again. Check that the database is reachable and writable.`,
      1,
      { cause },
    );
  }
}

/**
 * Archived leads stay (a restore in HubSpot brings them back on the next sync) but are neither
 * scored nor pushed; privacy-deleted leads are erased, audited by id only. Archiving goes first:
 * HubSpot sends both events for a GDPR delete, and the erasure must be what is left. It takes no
 * cycle lock and needs none: a cycle already holding the lead leaves it out at its next write,
 * through the suppression list (store/forgotten-leads.ts).
 */
export async function applyContactDeletions(store: Pick<Repositories, 'records' | 'forget'>, deletions: { archive: ReadonlySet<string>; forget: ReadonlySet<string> }): Promise<void> {
  try {
    if (deletions.archive.size > 0) await store.records.markArchived('hubspot', LEAD_OBJECT, [...deletions.archive]);
    if (deletions.forget.size > 0) await store.forget('hubspot', [...deletions.forget], { actor: PRIVACY_DELETION_ACTOR });
  } catch (err) {
    throw new ContactDeletionError(err);
  }
}
