import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cursor, LeadRecord, Page } from '../../../connectors/types.js';
import { allPages, startHubspotFixture, type HubspotFixture } from './sandbox-fixture.js';

const FAST = { rateLimit: { requestsPerWindow: 100_000, searchPerSecond: 10_000 } };
const ids = (pages: Array<Page<LeadRecord>>) => pages.flatMap((p) => p.records.map((r) => r.id));

describe('HubSpot pullLeads past the search API\'s 10,000-result cap', () => {
  let fx: HubspotFixture;
  beforeAll(async () => {
    fx = await startHubspotFixture({ leads: 10_300, hubspotRateLimit: 100_000, hubspotSearchRateLimit: 10_000 });
  });
  afterAll(() => fx?.close());

  it('reads all 10,300 changed contacts exactly once, never paging past the cap', async () => {
    const fromTheStart: Cursor = { mode: 'incremental', since: new Date(0).toISOString(), lastId: null };
    await fx.control('DELETE', '/requests');
    const pages = await allPages(fx.connector(FAST).pullLeads(fromTheStart));
    const got = ids(pages);
    expect(got).toHaveLength(10_300);
    expect(new Set(got).size).toBe(10_300);
    const modified = pages.flatMap((p) => p.records.map((r) => Date.parse(r.modifiedAt)));
    expect(modified.every((t, i) => i === 0 || t >= modified[i - 1])).toBe(true);
    const { results } = await fx.control<{ results: Array<{ path: string; status: number }> }>('GET', '/requests?crm=hubspot');
    const searches = results.filter((r) => r.path === '/crm/v3/objects/contacts/search');
    expect(searches.every((r) => r.status === 200)).toBe(true);
    expect(searches).toHaveLength(Math.ceil(10_300 / 200));
  });
});
