import type { PublicObjectSearchRequest, SimplePublicObject } from '@hubspot/api-client/lib/codegen/crm/contacts/index.js';
import type { ApiCaller, CallStats } from './api-caller.js';
import type { HubspotConfig } from './config.js';
import { compareIds, type ContactCursor, type IncrementalCursor } from './cursor.js';
import { keysetSearch, modifiedMs } from './keyset-search.js';

/**
 * Walks contacts from a cursor: a first run pages the whole contact list (then the archived
 * ones), later runs read only what changed. Every page comes with the cursor that resumes right
 * after it, so the caller can store both together.
 */

export interface ContactPage {
  contacts: SimplePublicObject[];
  cursor: ContactCursor;
}

const MODIFIED = 'lastmodifieddate';

export async function* pageContacts(
  caller: ApiCaller,
  config: HubspotConfig,
  cursor: ContactCursor | null,
  properties: string[],
  stats?: CallStats,
): AsyncGenerator<ContactPage> {
  let current: ContactCursor = cursor ?? { mode: 'backfill', phase: 'active', after: null, from: await newestChange(caller, stats) };
  const wanted = [...new Set([...properties, MODIFIED, 'createdate', 'hs_object_id'])];

  while (current.mode === 'backfill') {
    const { phase, after, from } = current;
    const response = await caller.call(
      'standard',
      `listing ${phase === 'archived' ? 'archived ' : ''}contacts`,
      (api) => api.contacts.basicApi.getPage(config.batch.listSize, after ?? undefined, wanted, undefined, undefined, phase === 'archived'),
      stats,
    );
    const next = response.paging?.next?.after;
    current = next
      ? { mode: 'backfill', phase, after: next, from }
      : phase === 'active'
        ? { mode: 'backfill', phase: 'archived', after: null, from }
        : from;
    yield { contacts: response.results as SimplePublicObject[], cursor: current };
  }

  const start = withIndexLag(current, config.search.indexLagMs);
  for await (const page of keysetSearch(caller, start, { object: 'contacts', modifiedProperty: MODIFIED, properties: wanted, pageSize: config.search.pageSize, stats })) {
    // Re-read history (the index lag) must not move the stored cursor backwards.
    yield { contacts: page.records, cursor: laterOf(current, page.position) };
  }
}

/**
 * The newest change in the portal (lastmodifieddate, then the highest id at it), taken before a
 * backfill starts: anything changed during the backfill lies after it in the search order, so the
 * incremental pull that follows catches it, and what the backfill already read is not read again.
 */
async function newestChange(caller: ApiCaller, stats?: CallStats): Promise<IncrementalCursor> {
  const request = {
    sorts: [
      { propertyName: MODIFIED, direction: 'DESCENDING' },
      { propertyName: 'hs_object_id', direction: 'DESCENDING' },
    ] as unknown as string[],
    properties: [MODIFIED],
    limit: 1,
  } as PublicObjectSearchRequest;
  const response = await caller.call('search', 'finding the newest contact change', (api) => api.contacts.searchApi.doSearch(request), stats);
  const newest = response.results?.[0];
  if (!newest) return { mode: 'incremental', since: new Date(0).toISOString(), lastId: null };
  return { mode: 'incremental', since: new Date(modifiedMs(newest, MODIFIED)).toISOString(), lastId: newest.id };
}

function laterOf(a: IncrementalCursor, b: IncrementalCursor): IncrementalCursor {
  const ta = Date.parse(a.since);
  const tb = Date.parse(b.since);
  if (ta !== tb) return ta > tb ? a : b;
  if (a.lastId === null || b.lastId === null) return a.lastId === null ? b : a;
  return compareIds(a.lastId, b.lastId) >= 0 ? a : b;
}

function withIndexLag(cursor: IncrementalCursor, lagMs: number): IncrementalCursor {
  if (lagMs <= 0) return cursor;
  return { mode: 'incremental', since: new Date(Math.max(0, Date.parse(cursor.since) - lagMs)).toISOString(), lastId: null };
}
