import type { PublicObjectSearchRequest } from '@hubspot/api-client/lib/codegen/crm/contacts/index.js';
import type { IncrementalCursor } from './cursor.js';

/**
 * The two searches keyset-search.ts sends. HubSpot honours one sort property per search, so a
 * query sorted by last-modified says nothing about the order of records sharing a timestamp;
 * only a query sorted by hs_object_id can be walked by id.
 */

export interface KeysetQueryOptions {
  /** The object's last-modified datetime property (contacts: lastmodifieddate, deals: hs_lastmodifieddate). */
  modifiedProperty: string;
  properties: string[];
  pageSize: number;
  extraFilters?: Array<{ propertyName: string; operator: string; value?: string; values?: string[] }>;
}

/** What lies strictly after a position, oldest change first (ties in no promised order). */
export function forwardRequest(position: IncrementalCursor, options: KeysetQueryOptions): PublicObjectSearchRequest {
  const since = String(Date.parse(position.since));
  const modified = options.modifiedProperty;
  const extra = options.extraFilters ?? [];
  const filterGroups =
    position.lastId === null
      ? [{ filters: [...extra, { propertyName: modified, operator: 'GTE', value: since }] }]
      : [
          {
            filters: [
              ...extra,
              { propertyName: modified, operator: 'EQ', value: since },
              { propertyName: 'hs_object_id', operator: 'GT', value: position.lastId },
            ],
          },
          { filters: [...extra, { propertyName: modified, operator: 'GT', value: since }] },
        ];
  return request(filterGroups, { propertyName: modified, direction: 'ASCENDING' }, options);
}

/** The records modified at exactly `sinceMs` with an id above `afterId` (all of them when null), by id. */
export function tieRequest(sinceMs: number, afterId: string | null, options: KeysetQueryOptions): PublicObjectSearchRequest {
  const filters = [...(options.extraFilters ?? []), { propertyName: options.modifiedProperty, operator: 'EQ', value: String(sinceMs) }];
  if (afterId !== null) filters.push({ propertyName: 'hs_object_id', operator: 'GT', value: afterId });
  return request([{ filters }], { propertyName: 'hs_object_id', direction: 'ASCENDING' }, options);
}

function request(filterGroups: unknown[], sort: { propertyName: string; direction: 'ASCENDING' }, options: KeysetQueryOptions): PublicObjectSearchRequest {
  return {
    filterGroups,
    // The SDK types sorts as strings, but HubSpot takes {propertyName, direction} objects.
    sorts: [sort] as unknown as string[],
    properties: [...new Set([...options.properties, options.modifiedProperty, 'hs_object_id'])],
    limit: options.pageSize,
  } as PublicObjectSearchRequest;
}
