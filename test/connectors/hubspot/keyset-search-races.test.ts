import { describe, expect, it } from 'vitest';
import type { ApiCaller, HubspotApis } from '../../../connectors/hubspot/api-caller.js';
import type { IncrementalCursor } from '../../../connectors/hubspot/cursor.js';
import { HubspotSyncError } from '../../../connectors/hubspot/errors.js';
import { keysetSearch, newestPosition, type KeysetPage, type KeysetSearchOptions } from '../../../connectors/hubspot/keyset-search.js';

type Request = { filterGroups?: unknown[]; sorts?: Array<{ propertyName: string; direction: string }>; limit?: number };
type Response = { results: Array<{ id: string; properties: Record<string, string> }>; paging?: { next: { after: string } } };

const T = '2025-03-01T10:00:00.000Z';
const LATER = '2025-03-01T10:05:00.000Z';
const record = (id: string, at: string) => ({ id, properties: { lastmodifieddate: at, hs_object_id: id } });
const page = (records: Response['results'], more: boolean): Response => (more ? { results: records, paging: { next: { after: String(records.length) } } } : { results: records });

/** A caller whose searches answer from a script, recording each request. */
function scripted(answers: Array<(request: Request) => Response>): { caller: ApiCaller; requests: Request[] } {
  const requests: Request[] = [];
  const search = async (request: Request) => {
    requests.push(request);
    const next = answers.shift();
    if (!next) throw new Error(`unexpected search ${JSON.stringify(request)}`);
    return next(request);
  };
  const apis = { contacts: { searchApi: { doSearch: search } }, deals: { searchApi: { doSearch: search } } } as unknown as HubspotApis;
  const caller: ApiCaller = { call: (_kind, _action, request) => request(apis), totals: { apiCalls: 0, rateLimited: 0 }, listen: () => () => undefined };
  return { caller, requests };
}

const options: KeysetSearchOptions = { object: 'contacts', modifiedProperty: 'lastmodifieddate', properties: [], pageSize: 2 };
const start: IncrementalCursor = { mode: 'incremental', since: T, lastId: null };
const sortOf = (r: Request) => r.sorts?.[0]?.propertyName;

async function all(gen: AsyncGenerator<KeysetPage>): Promise<KeysetPage[]> {
  const pages: KeysetPage[] = [];
  for await (const p of gen) pages.push(p);
  return pages;
}

describe('keysetSearch when the records of a tie are edited again between searches', () => {
  it('takes an empty first tie page as nothing left at that timestamp and goes on by date', async () => {
    const { caller, requests } = scripted([
      // A full page at T only: a walk by id must follow.
      () => page([record('5', T), record('3', T)], true),
      // Meanwhile every record at T was edited again: nothing is left at T.
      () => page([], false),
      // Forward again: they now lie later.
      () => page([record('3', LATER), record('5', LATER)], false),
    ]);
    const pages = await all(keysetSearch(caller, start, options));
    expect(requests.map(sortOf)).toEqual(['lastmodifieddate', 'hs_object_id', 'lastmodifieddate']);
    expect(pages.flatMap((p) => p.records.map((r) => `${r.id}@${r.properties.lastmodifieddate}`))).toEqual([`5@${T}`, `3@${T}`, `3@${LATER}`, `5@${LATER}`]);
    expect(pages[pages.length - 1]).toMatchObject({ done: true, position: { since: LATER, lastId: '5' } });
  });

  it('still refuses a tie page out of id order', async () => {
    const { caller } = scripted([() => page([record('5', T), record('3', T)], true), () => page([record('9', T), record('4', T)], true)]);
    await expect(all(keysetSearch(caller, start, options))).rejects.toThrow(HubspotSyncError);
  });

  it('refuses rather than loops when the search by date keeps returning a timestamp the walk by id found empty', async () => {
    const full = () => page([record('5', T), record('3', T)], true);
    const { caller, requests } = scripted([full, () => page([], false), full, () => page([], false), full]);
    await expect(all(keysetSearch(caller, start, options))).rejects.toThrow(/did not return the records modified at/);
    expect(requests).toHaveLength(3);
  });
});

describe('newestPosition', () => {
  it('takes one search, by last-modified only, and resumes after the record it returned', async () => {
    const { caller, requests } = scripted([() => page([record('7', T)], true)]);
    const position = await newestPosition(caller, { object: 'deals', modifiedProperty: 'lastmodifieddate' });
    expect(requests).toHaveLength(1);
    expect(requests[0].sorts).toEqual([{ propertyName: 'lastmodifieddate', direction: 'DESCENDING' }]);
    expect(requests[0].limit).toBe(1);
    expect(position).toEqual({ mode: 'incremental', since: T, lastId: '7' });
  });

  it('starts from the epoch on an empty portal', async () => {
    const { caller } = scripted([() => page([], false)]);
    expect(await newestPosition(caller, { object: 'contacts', modifiedProperty: 'lastmodifieddate' })).toEqual({ mode: 'incremental', since: new Date(0).toISOString(), lastId: null });
  });
});
