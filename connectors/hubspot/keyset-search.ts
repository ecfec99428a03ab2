import type { PublicObjectSearchRequest, SimplePublicObject } from '@hubspot/api-client/lib/codegen/crm/contacts/index.js';
import type { ApiCaller, CallStats } from './api-caller.js';
import { compareIds, isAfter, laterPosition, type IncrementalCursor } from './cursor.js';
import { HubspotSyncError } from './errors.js';
import { forwardRequest, tieRequest, type KeysetQueryOptions } from './keyset-requests.js';
import { latestIso, readForCertain, resumePosition } from './index-lag.js';

/**
 * Reads every record modified at or after a position, oldest change first, one search page at
 * a time. Each page is a fresh query from the position reached, instead of following the
 * search's `after` offset. That way the 10,000-result cap is never reached, and a record edited
 * while we page (which jumps to the end of the order) cannot shift an offset and make us skip
 * its neighbour.
 *
 * HubSpot sorts a search by one property and promises no order among records sharing its value,
 * and imports and workflows stamp many records with one lastmodifieddate. So the last record of
 * a page is no position to resume from: records of its timestamp with a smaller id may still lie
 * beyond the page. Two kinds of query (keyset-requests.ts) share the walk:
 * - forward: what lies strictly after the position, by last-modified. On a full page whose
 *   newest timestamp is T2, everything before T2 is complete but T2 may not be: the position
 *   becomes (T2, null), "nothing at T2 read yet", and the ids yielded at T2 are remembered so
 *   the next query, which starts at T2 again, does not yield them twice. A short page holds
 *   everything that is left.
 * - tie walk: when a full forward page holds nothing but the position's own timestamp, no
 *   forward query gets past it. The records at that timestamp are then read sorted by
 *   hs_object_id (unique, so the order is deterministic and an id keyset is safe), the position
 *   following the ids, until a short page (no offset either, so even more than 10,000 records
 *   at one timestamp are read). An empty first page means those records were all edited again
 *   since (they now lie later): forward queries take over. Positions inside the walk say so
 *   (walkingTie), and a walk starts from such a position, so a pull stopped inside a tie resumes
 *   the walk: a forward query there would serve, in no order, records it cannot move past.
 * Every position reported is safe to resume from: a resume may re-read records (the store
 * upserts), never skip one.
 */

export type SearchableObject = 'contacts' | 'deals';

export interface KeysetPage {
  records: SimplePublicObject[];
  /** Where to resume once this page's records are stored. */
  position: IncrementalCursor;
  /** No more records after this page (as of this query). */
  done: boolean;
}

export interface KeysetSearchOptions extends KeysetQueryOptions {
  object: SearchableObject;
  stats?: CallStats;
}

type SearchResponse = { results?: SimplePublicObject[]; paging?: { next?: unknown } };

export async function* keysetSearch(caller: ApiCaller, start: IncrementalCursor, options: KeysetSearchOptions): AsyncGenerator<KeysetPage> {
  const msOf = (record: SimplePublicObject) => modifiedMs(record, options.modifiedProperty);
  let position: IncrementalCursor = { mode: 'incremental', since: start.since, lastId: start.lastId };
  // Ids yielded at position.since that position.lastId does not cover.
  let yielded = new Set<string>();
  // Set while the records at position.since are being read in id order.
  let tie: { afterId: string | null; read: number } | null = start.walkingTie ? { afterId: start.lastId, read: 0 } : null;
  const inWalk = (p: IncrementalCursor): IncrementalCursor => (tie ? { ...p, walkingTie: true } : p);
  // The position a tie walk found nothing left at: see the forward branch.
  let emptyTieAt: IncrementalCursor | null = null;
  for (;;) {
    const sinceMs = Date.parse(position.since);
    if (tie) {
      const request = tieRequest(sinceMs, tie.afterId, options);
      const response = await search(caller, options, request, `reading the ${options.object} modified at ${position.since} in id order`);
      const results = response.results ?? [];
      checkTieWalk(results, tie, position, options.object);
      // An empty first page: every record at this timestamp beyond the position was edited again
      // since the forward search (it now lies later in the order), so nothing is left at it and
      // forward searches take over (this is the last page, so the walk ends below).
      if (results.length === 0 && tie.read === 0) emptyTieAt = position;
      if (results.length > 0) {
        tie = { afterId: results[results.length - 1].id, read: tie.read + results.length };
        position = { mode: 'incremental', since: position.since, lastId: tie.afterId };
      }
      const records = results.filter((r) => !yielded.has(r.id) && msOf(r) === sinceMs);
      if (isLastPage(response, options)) {
        // Every record at this timestamp is read: forward queries can get past it now.
        tie = null;
        yielded = new Set();
      }
      if (records.length > 0) yield { records, position: inWalk(position), done: false };
      continue;
    }

    const request = forwardRequest(position, options);
    const response = await search(caller, options, request, `searching ${options.object} modified since ${position.since}`);
    const results = response.results ?? [];
    // The filter already excludes what lies before the position; this check guards against a
    // search that ignored part of it, which would otherwise loop on the same page for ever.
    const after = results.filter((r) => isAfter(position, msOf(r), r.id));
    if (results.length > 0 && after.length === 0) {
      throw new HubspotSyncError(
        `HubSpot's ${options.object} search returned only records already read (at ${position.since}, id ${position.lastId}); ` +
          'the incremental sync cannot advance. Report this with the portal id; a full backfill (clear the checkpoint) still works.',
      );
    }
    const records = after.filter((r) => !yielded.has(r.id));
    if (isLastPage(response, options)) {
      yield { records, position: endOf(position, after, msOf), done: true };
      return;
    }
    const newest = Math.max(...after.map(msOf));
    const atNewest = after.filter((r) => msOf(r) === newest).map((r) => r.id);
    // A full page of one timestamp beyond the position holds nothing before it: go there, and walk it by id at once.
    if (newest !== sinceMs && atNewest.length === after.length) {
      position = { mode: 'incremental', since: new Date(newest).toISOString(), lastId: null };
      tie = { afterId: null, read: 0 };
      yielded = new Set(atNewest);
    } else if (newest === sinceMs) {
      if (emptyTieAt && emptyTieAt.since === position.since && emptyTieAt.lastId === position.lastId) {
        // The walk by id has just found nothing here, yet the search by date still returns a
        // full page here: the two disagree, and walking again would loop for ever.
        throw new HubspotSyncError(
          `HubSpot's ${options.object} search did not return the records modified at ${position.since} ` +
            'that a search by modification date had just returned; the incremental sync cannot read them safely. ' +
            'Report this with the portal id; a full backfill (clear the checkpoint) still works.',
        );
      }
      // A full page of nothing but the position's timestamp: the next forward query would
      // return the same page, so only a walk by id gets past it.
      tie = { afterId: position.lastId, read: 0 };
      for (const id of atNewest) yielded.add(id);
    } else {
      position = { mode: 'incremental', since: new Date(newest).toISOString(), lastId: null };
      yielded = new Set(atNewest);
    }
    if (records.length > 0) yield { records, position: inWalk(position), done: false };
  }
}

async function search(caller: ApiCaller, options: Pick<KeysetSearchOptions, 'object' | 'stats'>, request: PublicObjectSearchRequest, what: string): Promise<SearchResponse> {
  return caller.call(
    'search',
    what,
    (api) => (options.object === 'contacts' ? api.contacts.searchApi.doSearch(request) : api.deals.searchApi.doSearch(request)),
    options.stats,
  );
}

function isLastPage(response: SearchResponse, options: KeysetSearchOptions): boolean {
  return !response.paging?.next || (response.results ?? []).length < options.pageSize;
}

/**
 * A tie walk is only safe if the search kept to its id filter and id order: a page out of order
 * could make the id keyset skip records or never end.
 */
function checkTieWalk(results: SimplePublicObject[], tie: { afterId: string | null; read: number }, position: IncrementalCursor, object: SearchableObject): void {
  const ordered = results.every((r, i) => (i === 0 ? tie.afterId === null || compareIds(r.id, tie.afterId) > 0 : compareIds(r.id, results[i - 1].id) > 0));
  if (ordered) return;
  throw new HubspotSyncError(
    `HubSpot's ${object} search did not return the records modified at ${position.since} in ascending id order after id ${tie.afterId ?? '(none)'}; ` +
      'the incremental sync cannot read them safely. Report this with the portal id; a full backfill (clear the checkpoint) still works.',
  );
}

/** The position after a short page, which holds every record left: its newest timestamp and the highest id there. */
function endOf(position: IncrementalCursor, records: SimplePublicObject[], msOf: (r: SimplePublicObject) => number): IncrementalCursor {
  if (records.length === 0) return position;
  const newest = Math.max(...records.map(msOf));
  const lastId = records
    .filter((r) => msOf(r) === newest)
    .map((r) => r.id)
    .reduce((a, b) => (compareIds(a, b) >= 0 ? a : b));
  return { mode: 'incremental', since: new Date(newest).toISOString(), lastId };
}

/**
 * keysetSearch from a stored cursor, re-reading what the search index may not have held when an
 * earlier pull walked past it (index-lag.ts): from the older of the cursor and its
 * `indexedThrough`, or from `recheck` where a pull stopped short left one. It is only the
 * look-back that depends on when the last pull ran, not on the cursor: a cursor sitting on our
 * own write-back is not re-read on every later pull.
 * The positions reported never fall behind the stored cursor, so a quiet pull leaves the position
 * where it was. A pull read to its end moves `indexedThrough` to its own start; every page before
 * that carries `recheck`, how far this pull has read for certain, so a pull stopped after it (a
 * stop signal, the daily limit, an API error) is resumed from there: a re-read stopped short again
 * moves on, instead of starting over from `indexedThrough` and never getting past a bulk import
 * larger than what one pull gets through. Records read again are absorbed by the store (it upserts).
 */
export async function* changesSince(
  caller: ApiCaller,
  cursor: IncrementalCursor,
  lagMs: number,
  options: KeysetSearchOptions,
): AsyncGenerator<KeysetPage> {
  // Taken before the first search: a change dated lagMs before now is in the index it reads.
  // lagMs also has to cover any difference between this machine's clock and HubSpot's.
  const indexedNow = Date.now() - lagMs;
  const from = resumePosition(cursor, lagMs);
  for await (const page of keysetSearch(caller, from, options)) {
    const { mode, since, lastId, walkingTie } = laterPosition<IncrementalCursor>(cursor, page.position);
    if (page.done) {
      // Only a pull that read to the end covers everything up to indexedNow.
      yield { ...page, position: { mode, since, lastId, indexedThrough: latestIso(cursor.indexedThrough, indexedNow) } };
      continue;
    }
    const through = cursor.indexedThrough === undefined ? {} : { indexedThrough: cursor.indexedThrough };
    // No lag to allow for: the position itself is read for certain, and resumed from.
    const recheck = lagMs === 0 ? {} : { recheck: readForCertain(from, page.position, indexedNow) };
    yield { ...page, position: { mode, since, lastId, ...(walkingTie ? { walkingTie } : {}), ...through, ...recheck } };
  }
}

/**
 * The newest change of an object type, taken before a backfill starts: anything changed during
 * the backfill lies after it in the search order, so the incremental pull that follows catches
 * it, and what the backfill read is not read again.
 * One search, by last-modified only (HubSpot honours one sort property, so the record it returns
 * is any of those at the newest timestamp). Any of their ids is a safe position: the incremental
 * pull may then skip the others at that timestamp, but those changed before the backfill began,
 * and the backfill lists every record itself, so it reads them (as they are then, or newer).
 */
export async function newestPosition(
  caller: ApiCaller,
  options: Pick<KeysetSearchOptions, 'object' | 'modifiedProperty' | 'stats'>,
): Promise<IncrementalCursor> {
  // The SDK types sorts as strings, but HubSpot takes {propertyName, direction} objects.
  const request = {
    sorts: [{ propertyName: options.modifiedProperty, direction: 'DESCENDING' }],
    properties: [options.modifiedProperty],
    limit: 1,
  } as unknown as PublicObjectSearchRequest;
  const response = await search(caller, options, request, `finding the newest ${options.object} change`);
  const newest = response.results?.[0];
  if (!newest) return { mode: 'incremental', since: new Date(0).toISOString(), lastId: null };
  return { mode: 'incremental', since: new Date(modifiedMs(newest, options.modifiedProperty)).toISOString(), lastId: newest.id };
}

export function modifiedMs(record: SimplePublicObject, modifiedProperty: string): number {
  const raw = record.properties?.[modifiedProperty];
  const ms = raw ? Date.parse(raw) : NaN;
  if (Number.isFinite(ms)) return ms;
  // Numeric strings (epoch ms) are also valid HubSpot datetimes.
  if (raw && /^\d+$/.test(raw)) return Number(raw);
  return record.updatedAt instanceof Date ? record.updatedAt.getTime() : Date.parse(String(record.updatedAt));
}
