/** The two CRM object types the sandbox serves, under every name HubSpot accepts in paths. */
export type ObjectType = 'contacts' | 'deals';

const ALIASES: Record<string, ObjectType> = {
  contacts: 'contacts',
  contact: 'contacts',
  '0-1': 'contacts',
  deals: 'deals',
  deal: 'deals',
  '0-3': 'deals',
};

export function objectTypeOf(name: string): ObjectType | null {
  return ALIASES[name.toLowerCase()] ?? null;
}

export const OBJECT_TYPE_ID: Record<ObjectType, string> = { contacts: '0-1', deals: '0-3' };
/** The singular names HubSpot uses in association type labels and error messages. */
export const SINGULAR: Record<ObjectType, string> = { contacts: 'contact', deals: 'deal' };

/** HubSpot-defined association type ids between contacts and deals. */
export const ASSOCIATION_TYPE_ID = { contacts: 4, deals: 3 } as const; // keyed by the *from* type

/** Properties returned when a request names none (HubSpot's defaults per object). */
export const DEFAULT_RETURNED: Record<ObjectType, string[]> = {
  contacts: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
  deals: ['amount', 'closedate', 'createdate', 'dealname', 'dealstage', 'hs_lastmodifieddate', 'hs_object_id', 'pipeline'],
};

/** The property each object type stamps on every write. */
export const MODIFIED_PROPERTY: Record<ObjectType, string> = { contacts: 'lastmodifieddate', deals: 'hs_lastmodifieddate' };

/** Returned by every read that names its properties, named or not. */
export const ALWAYS_RETURNED: Record<ObjectType, string[]> = {
  contacts: ['createdate', 'hs_object_id', 'lastmodifieddate'],
  deals: ['createdate', 'hs_lastmodifieddate', 'hs_object_id'],
};
