import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@hubspot/api-client';
import type { Cursor, LeadRecord, Page } from '../../../connectors/types.js';
import { allPages, startHubspotFixture, type HubspotFixture } from './sandbox-fixture.js';

/**
 * The search-index look-back (search.indexLagMs) protects changes dated shortly before a pull
 * began; it must not re-read, on every later pull, whatever sits just before the cursor (our own
 * write-back of every open lead, in the reviewer's run: 8,238 contacts read back every hour).
 */

const LAG_MS = 600;
const FAST = { rateLimit: { requestsPerWindow: 100_000, searchPerSecond: 10_000 }, search: { indexLagMs: LAG_MS } };
const ids = (pages: Array<Page<LeadRecord>>) => pages.flatMap((p) => p.records.map((r) => r.id));
const last = (pages: Array<Page<LeadRecord>>): Cursor => pages[pages.length - 1].cursor;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('HubSpot pullLeads: the index look-back', () => {
  let fx: HubspotFixture;
  let sdk: Client;
  let cursor: Cursor;
  let written: string[];
  const searches = async (since: number) =>
    (await fx.control<{ results: Array<{ path: string }> }>('GET', `/requests?crm=hubspot&since=${since}`)).results.filter((r) =>
      r.path.startsWith('/crm/v3/objects/contacts/search'),
    ).length;

  beforeAll(async () => {
    fx = await startHubspotFixture({ leads: 450, hubspotRateLimit: 100_000, hubspotSearchRateLimit: 10_000 });
    sdk = new Client({ accessToken: fx.sandbox.token, basePath: fx.sandbox.url, numberOfApiCallRetries: 0 });
    cursor = last(await allPages(fx.connector(FAST).pullLeads(null)));
    // A write-back onto 300 contacts in three batches, as a push does.
    const page = await sdk.crm.contacts.basicApi.getPage(100);
    const more = await sdk.crm.contacts.basicApi.getPage(100, page.paging?.next?.after);
    const third = await sdk.crm.contacts.basicApi.getPage(100, more.paging?.next?.after);
    written = [...page.results, ...more.results, ...third.results].map((c) => c.id);
    for (let i = 0; i < written.length; i += 100) {
      await sdk.crm.contacts.batchApi.update({ inputs: written.slice(i, i + 100).map((id) => ({ id, properties: { job: 'written back' } })) });
    }
  });
  afterAll(() => fx?.close());

  it('reads the write-back once, and a quiet pull afterwards reads nothing and searches once', async () => {
    await sleep(LAG_MS + 100);
    const first = await allPages(fx.connector(FAST).pullLeads(cursor));
    expect([...new Set(ids(first))].sort()).toEqual([...written].sort());
    cursor = last(first);

    const before = Date.now();
    const quiet = await allPages(fx.connector(FAST).pullLeads(cursor));
    expect(ids(quiet)).toEqual([]);
    // One search that finds nothing after the cursor (the old look-back re-read all 300 here, in two pages).
    expect(await searches(before)).toBe(1);
    cursor = last(quiet);
  });

  it('still re-reads a change dated within the look-back of the pull that read it, until a pull began after it', async () => {
    const edited = written[7];
    await fx.control('PATCH', `/hubspot/contacts/${edited}`, { properties: { job: 'edited by a rep' } });
    // Read at once: a search index lagging by up to LAG_MS might not have held it yet.
    const first = await allPages(fx.connector(FAST).pullLeads(cursor));
    expect(ids(first)).toEqual([edited]);
    // So the next pull looks back over it again ...
    const second = await allPages(fx.connector(FAST).pullLeads(last(first)));
    expect(ids(second)).toEqual([edited]);
    // ... and once a pull has begun more than LAG_MS after the change, nothing is re-read.
    await sleep(LAG_MS + 100);
    const third = await allPages(fx.connector(FAST).pullLeads(last(second)));
    expect(ids(third)).toEqual([edited]);
    const fourth = await allPages(fx.connector(FAST).pullLeads(last(third)));
    expect(ids(fourth)).toEqual([]);
  });

  it('a cursor stored without indexedThrough (an earlier version) still looks back indexLagMs before its position', async () => {
    const edited = written[11];
    await fx.control('PATCH', `/hubspot/contacts/${edited}`, { properties: { job: 'edited again' } });
    await sleep(LAG_MS + 100);
    const read = last(await allPages(fx.connector(FAST).pullLeads(cursor)));
    const { indexedThrough: _dropped, ...legacy } = read as Record<string, unknown>;
    expect(ids(await allPages(fx.connector(FAST).pullLeads(legacy)))).toEqual([edited]);
  });
});
