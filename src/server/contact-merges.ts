export const MERGE_EVENT = 'contact.merge';

type Id = number | string;

/** The merge fields of a contact.merge event, beside the fields every event has. */
export interface ContactMergeEvent {
  objectId: Id;
  primaryObjectId?: Id;
  mergedObjectIds?: Id[];
  newObjectId?: Id;
}

/**
 * What a contact merge leaves: the ids merged away, which the store marks archived at once as it
 * does a deletion (HubSpot reports them as neither deleted nor archived, so nothing else would stop
 * their scoring before the next sync reads the merged record), and the record to score.
 *
 * The fields are those HubSpot's developer changelog "New subscription types for Webhooks" lists:
 * primaryObjectId, mergedObjectIds (the secondary records, an array) and newObjectId, "separate
 * from primaryObjectId because in some cases a new object is created from the result of a merge".
 * When one was (as contact merges do now), every id the merge took in is gone; when none was, the
 * primary is the record that stays. objectId stands in for a missing primaryObjectId.
 */
export function contactMerge(event: ContactMergeEvent): { mergedAway: string[]; survivor: string } {
  const primary = String(event.primaryObjectId ?? event.objectId);
  const survivor = event.newObjectId === undefined ? primary : String(event.newObjectId);
  const involved = [primary, ...(event.mergedObjectIds ?? []).map(String)];
  return { mergedAway: [...new Set(involved)].filter((id) => id !== survivor), survivor };
}
