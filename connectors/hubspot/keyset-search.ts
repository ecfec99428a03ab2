import type { PublicObjectSearchRequest, SimplePublicObject } from '@hubspot/api-client/lib/codegen/crm/contacts/index.js';
import type { ApiCaller, CallStats } from './api-caller.js';
import { compareIds, isAfter, type IncrementalCursor } from './cursor.js';
import { HubspotSyncError } from './errors.js';

/**
 * Reads every record modified at or after a position, oldest change first, one search page at
 * a time. Each page is a fresh query for what lies strictly after the last record seen,
 * (modified = T and id > lastId) OR (modified > T), instead of following the search's `after`
 * offset. That way the 10,000-result cap is never reached, many records sharing one timestamp
 * are walked through by id, and a record edited while we page (which jumps to the end of the
 * order) cannot shift an offset and make us skip its neighbour.
 */

export type SearchableObject = 'contacts' | 'deals';

export interface KeysetPage {
  records: SimplePublicObject[];
  /** Position after this page's last record. */
  position: IncrementalCursor;
  /** No more records after this page (as of this query). */
  done: boolean;
}

export interface KeysetSearchOptions {
  object: SearchableObject;
  /** The object's last-modified datetime property (contacts: lastmodifieddate, deals: hs_lastmodifieddate). */
  modifiedProperty: string;
  properties: string[];
  pageSize: number;
  stats?: CallStats;
  /** Extra filters every query must also satisfy (e.g. only closed deals). */
  extraFilters?: Array<{ propertyName: string; operator: string; value?: string; values?: string[] }>;
}

export async function* keysetSearch(caller: ApiCaller, start: IncrementalCursor, options: KeysetSearchOptions): AsyncGenerator<KeysetPage> {
  let position = start;
  for (;;) {
    const request = searchRequest(position, options);
    const response = await caller.call(
      'search',
      `searching ${options.object} modified since ${position.since}`,
      (api) => (options.object === 'contacts' ? api.contacts.searchApi.doSearch(request) : api.deals.searchApi.doSearch(request)),
      options.stats,
    );
    const results = response.results ?? [];
    // The filter already excludes what we have seen; this check guards against a search that
    // ignored part of it, which would otherwise loop on the same page for ever.
    const fresh = results.filter((r) => isAfter(position, modifiedMs(r, options.modifiedProperty), r.id));
    if (results.length > 0 && fresh.length === 0) {
      throw new HubspotSyncError(
        `HubSpot's ${options.object} search returned only records already read (at ${position.since}, id ${position.lastId}); ` +
          'the incremental sync cannot advance. Report this with the portal id; a full backfill (clear the checkpoint) still works.',
      );
    }
    if (fresh.length > 0) {
      const last = fresh[fresh.length - 1];
      position = { mode: 'incremental', since: new Date(modifiedMs(last, options.modifiedProperty)).toISOString(), lastId: last.id };
    }
    const done = !response.paging?.next || results.length < options.pageSize;
    yield { records: fresh, position, done };
    if (done) return;
  }
}

/**
 * keysetSearch from a stored cursor, first stepping back `lagMs` because HubSpot's search index
 * trails writes by a few seconds. The positions it reports never fall behind the stored cursor,
 * so a quiet run leaves the checkpoint where it was.
 */
export async function* changesSince(
  caller: ApiCaller,
  cursor: IncrementalCursor,
  lagMs: number,
  options: KeysetSearchOptions,
): AsyncGenerator<KeysetPage> {
  const start: IncrementalCursor =
    lagMs > 0 ? { mode: 'incremental', since: new Date(Math.max(0, Date.parse(cursor.since) - lagMs)).toISOString(), lastId: null } : cursor;
  for await (const page of keysetSearch(caller, start, options)) {
    yield { ...page, position: laterOf(cursor, page.position) };
  }
}

/**
 * The newest change of an object type (last-modified, then the highest id at it), taken before a
 * backfill starts: anything changed during the backfill lies after it in the search order, so
 * the incremental pull that follows catches it, and what the backfill read is not read again.
 */
export async function newestPosition(
  caller: ApiCaller,
  options: Pick<KeysetSearchOptions, 'object' | 'modifiedProperty' | 'stats'>,
): Promise<IncrementalCursor> {
  const request = {
    sorts: [
      { propertyName: options.modifiedProperty, direction: 'DESCENDING' },
      { propertyName: 'hs_object_id', direction: 'DESCENDING' },
    ] as unknown as string[],
    properties: [options.modifiedProperty],
    limit: 1,
  } as PublicObjectSearchRequest;
  const response = await caller.call(
    'search',
    `finding the newest ${options.object} change`,
    (api) => (options.object === 'contacts' ? api.contacts.searchApi.doSearch(request) : api.deals.searchApi.doSearch(request)),
    options.stats,
  );
  const newest = response.results?.[0];
  if (!newest) return { mode: 'incremental', since: new Date(0).toISOString(), lastId: null };
  return { mode: 'incremental', since: new Date(modifiedMs(newest, options.modifiedProperty)).toISOString(), lastId: newest.id };
}

function laterOf(a: IncrementalCursor, b: IncrementalCursor): IncrementalCursor {
  const ta = Date.parse(a.since);
  const tb = Date.parse(b.since);
  if (ta !== tb) return ta > tb ? a : b;
  if (a.lastId === null || b.lastId === null) return a.lastId === null ? b : a;
  return compareIds(a.lastId, b.lastId) >= 0 ? a : b;
}

export function modifiedMs(record: SimplePublicObject, modifiedProperty: string): number {
  const raw = record.properties?.[modifiedProperty];
  const ms = raw ? Date.parse(raw) : NaN;
  if (Number.isFinite(ms)) return ms;
  // Numeric strings (epoch ms) are also valid HubSpot datetimes.
  if (raw && /^\d+$/.test(raw)) return Number(raw);
  return record.updatedAt instanceof Date ? record.updatedAt.getTime() : Date.parse(String(record.updatedAt));
}

function searchRequest(position: IncrementalCursor, options: KeysetSearchOptions): PublicObjectSearchRequest {
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
  return {
    filterGroups,
    // The SDK types sorts as strings, but HubSpot takes {propertyName, direction} objects.
    sorts: [
      { propertyName: modified, direction: 'ASCENDING' },
      { propertyName: 'hs_object_id', direction: 'ASCENDING' },
    ] as unknown as string[],
    properties: [...new Set([...options.properties, modified, 'hs_object_id'])],
    limit: options.pageSize,
  } as PublicObjectSearchRequest;
}
