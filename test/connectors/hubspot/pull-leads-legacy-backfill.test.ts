import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cursor, LeadRecord, Page } from '../../../connectors/types.js';
import { allPages, startHubspotFixture, type HubspotFixture } from './sandbox-fixture.js';
import { hubspotClient } from '../../sandbox/helpers.js';

const FAST = { rateLimit: { requestsPerWindow: 100_000, searchPerSecond: 10_000 } };

describe('HubSpot pullLeads resuming a backfill cursor stored without startedAt', () => {
  let fx: HubspotFixture;
  let legacy: Cursor;
  const archivedListings = (from: number) =>
    fx.sandbox.ctx.log.slice(from).filter((r) => r.method === 'GET' && r.path.startsWith('/crm/v3/objects/contacts?') && r.path.includes('archived=true'));

  beforeAll(async () => {
    fx = await startHubspotFixture({ leads: 150, hubspotRateLimit: 100_000, hubspotSearchRateLimit: 10_000 });
    const sdk = hubspotClient(fx.sandbox);
    await sdk.crm.contacts.basicApi.archive((await sdk.crm.contacts.basicApi.getPage(1)).results[0].id);
    // Stop the backfill after its first page, then drop startedAt as an earlier version stored it.
    const pages: Array<Page<LeadRecord>> = [];
    for await (const page of fx.connector(FAST).pullLeads(null)) {
      pages.push(page);
      break;
    }
    const { startedAt: _dropped, ...rest } = pages[0].cursor as { mode: string; startedAt?: string };
    expect(rest.mode).toBe('backfill');
    legacy = rest as Cursor;
  });
  afterAll(() => fx?.close());

  it('counts the backfill as the last archived pass: no full pass right after its own archived phase', async () => {
    const from = fx.sandbox.ctx.log.length;
    const before = Date.now();
    const pages = await allPages(fx.connector(FAST).pullLeads(legacy));
    // The backfill's archived phase: one listing page (one archived contact); no second pass.
    expect(archivedListings(from)).toHaveLength(1);
    const last = pages[pages.length - 1].cursor as { mode: string; archivedCheckedAt?: string };
    expect(last.mode).toBe('incremental');
    expect(Date.parse(last.archivedCheckedAt!)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(last.archivedCheckedAt!)).toBeLessThanOrEqual(Date.now());
    // Backfill pages now carry the stand-in, so a later resume keeps it.
    const backfillPages = pages.filter((p) => (p.cursor as { mode: string }).mode === 'backfill');
    expect(backfillPages.length).toBeGreaterThan(0);
    expect(backfillPages.every((p) => (p.cursor as { startedAt?: string }).startedAt === last.archivedCheckedAt)).toBe(true);
  });
});
