import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@hubspot/api-client';
import type { Cursor, LeadRecord, Page } from '../../../connectors/types.js';
import { loadManifest } from '../../../src/domain/manifest.js';
import { allPages, startHubspotFixture, type HubspotFixture, cursorPosition } from './sandbox-fixture.js';

// Generous limits on both sides: these tests are about paging, not pacing.
const FAST = { rateLimit: { requestsPerWindow: 100_000, searchPerSecond: 10_000 } };
const ids = (pages: Array<Page<LeadRecord>>) => pages.flatMap((p) => p.records.map((r) => r.id));
const sortedIds = (list: string[]) => [...list].sort((a, b) => Number(a) - Number(b));

describe('HubSpot pullLeads: backfill then incremental', () => {
  let fx: HubspotFixture;
  let sdk: Client;
  let backfill: Array<Page<LeadRecord>>;
  let archivedIds: string[];
  beforeAll(async () => {
    fx = await startHubspotFixture({ leads: 1050, hubspotRateLimit: 100_000, hubspotSearchRateLimit: 10_000 });
    sdk = new Client({ accessToken: fx.sandbox.token, basePath: fx.sandbox.url, numberOfApiCallRetries: 0 });
    await fx.connector().ensureSchema([{ key: 'tier', label: 'Tier', type: 'enumeration', options: ['Hot', 'Cold'] }]);
    const first = await sdk.crm.contacts.basicApi.getPage(3);
    archivedIds = first.results.map((c) => c.id);
    for (const id of archivedIds) await sdk.crm.contacts.basicApi.archive(id);
    backfill = await allPages(fx.connector(FAST).pullLeads(null));
  });
  afterAll(() => fx?.close());

  it('pages every contact exactly once, archived ones flagged, in pages of at most 100', async () => {
    const all = ids(backfill);
    expect(all).toHaveLength(1050);
    expect(new Set(all).size).toBe(1050);
    expect(Math.max(...backfill.map((p) => p.records.length))).toBeLessThanOrEqual(100);
    const archived = backfill.flatMap((p) => p.records).filter((r) => r.archived);
    expect(sortedIds(archived.map((r) => r.id))).toEqual(sortedIds(archivedIds));
    expect(backfill[backfill.length - 1].cursor).toMatchObject({ mode: 'incremental' });
  });

  it('carries the seeded CSV columns, HubSpot dates, and those of the app\'s own properties the portal has (never model inputs)', () => {
    const lead = backfill[0].records.find((r) => !r.archived)!;
    expect(Object.keys(lead.properties)).toEqual(expect.arrayContaining(['age', 'job', 'balance', 'lifecyclestage', 'createdate', 'lastmodifieddate']));
    // What HubSpot shows of our scores (the schema step in beforeAll created them all), so an edited one is written again.
    expect(Object.keys(lead.properties).filter((k) => k.startsWith('leadlift_')).sort()).toEqual(loadManifest().hubspot.properties.map((p) => p.name).sort());
    expect(Date.parse(lead.createdAt)).toBeLessThanOrEqual(Date.parse(lead.modifiedAt));
  });

  it('resumes a backfill from any page cursor without gaps or repeats', async () => {
    const resumed = await allPages(fx.connector(FAST).pullLeads(backfill[3].cursor));
    const before = ids(backfill.slice(0, 4));
    const after = ids(resumed);
    expect(after.filter((id) => before.includes(id))).toEqual([]);
    expect(sortedIds([...before, ...after])).toEqual(sortedIds(ids(backfill)));
  });

  it('then returns only the contacts modified since, including many sharing one timestamp, across page boundaries', async () => {
    const start = backfill[backfill.length - 1].cursor;
    const quiet = await allPages(fx.connector(FAST).pullLeads(start));
    expect(ids(quiet)).toEqual([]);
    // Nothing changed: the cursor must not move backwards or forwards.
    expect(cursorPosition(quiet[quiet.length - 1].cursor)).toEqual(cursorPosition(start));

    const active = ids(backfill).filter((id) => !archivedIds.includes(id));
    const batch = active.filter((_, i) => i % 4 === 1).slice(0, 100); // one batch update = one timestamp for all 100
    await sdk.crm.contacts.batchApi.update({ inputs: batch.map((id) => ({ id, properties: { job: 'changed' } })) });
    const single = active[active.length - 1];
    await fx.control('PATCH', `/hubspot/contacts/${single}`, { properties: { job: 'edited in the UI' } });

    const pages = await allPages(fx.connector({ ...FAST, search: { pageSize: 30 } }).pullLeads(start));
    const got = ids(pages);
    expect(sortedIds(got)).toEqual(sortedIds([...batch, single]));
    expect(new Set(got).size).toBe(got.length);
    const tied = pages.flatMap((p) => p.records).filter((r) => batch.includes(r.id));
    expect(new Set(tied.map((r) => r.modifiedAt)).size).toBe(1);
    expect(pages.length).toBeGreaterThanOrEqual(4);

    // Resuming from the middle of the tie misses nothing. HubSpot promises no order within one
    // timestamp, so a resume may read some of the tie again (the store upserts), never anything else.
    const rest = await allPages(fx.connector({ ...FAST, search: { pageSize: 30 } }).pullLeads(pages[1].cursor));
    const earlier = ids(pages.slice(0, 2));
    expect(sortedIds([...new Set([...earlier, ...ids(rest)])])).toEqual(sortedIds(got));
    expect(ids(rest).filter((id) => earlier.includes(id)).every((id) => batch.includes(id))).toBe(true);
  });

  it('rejects a checkpoint it does not understand with a message saying what to do', async () => {
    const bad: Cursor = { mode: 'sideways' };
    await expect(allPages(fx.connector(FAST).pullLeads(bad))).rejects.toThrow(/Clear the checkpoint to run a full backfill/);
  });
});
