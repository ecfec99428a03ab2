import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@hubspot/api-client';
import type { Cursor, LeadRecord, Page } from '../../../connectors/types.js';
import { createApiCaller } from '../../../connectors/hubspot/api-caller.js';
import { archivedContactsSince } from '../../../connectors/hubspot/archived-contacts.js';
import { parseHubspotConfig } from '../../../connectors/hubspot/config.js';
import { allPages, startHubspotFixture, type HubspotFixture, cursorPosition } from './sandbox-fixture.js';
import { hubspotClient } from '../../sandbox/helpers.js';

const FAST = { rateLimit: { requestsPerWindow: 100_000, searchPerSecond: 10_000 } };
const EVERY_PULL = { ...FAST, archivedPass: { intervalMs: 0 } };
const records = (pages: Array<Page<LeadRecord>>) => pages.flatMap((p) => p.records);
const lastCursor = (pages: Array<Page<LeadRecord>>) => pages[pages.length - 1].cursor;

describe('HubSpot pullLeads: contacts archived after the backfill', () => {
  let fx: HubspotFixture;
  let sdk: Client;
  let afterBackfill: Cursor;
  let activeIds: string[];
  let archivedBefore: string;
  const archivedListings = (from: number) =>
    fx.sandbox.ctx.log.slice(from).filter((r) => r.method === 'GET' && r.path.startsWith('/crm/v3/objects/contacts?') && r.path.includes('archived=true'));

  beforeAll(async () => {
    fx = await startHubspotFixture({ leads: 250, hubspotRateLimit: 100_000, hubspotSearchRateLimit: 10_000 });
    sdk = hubspotClient(fx.sandbox);
    archivedBefore = (await sdk.crm.contacts.basicApi.getPage(1)).results[0].id;
    await sdk.crm.contacts.basicApi.archive(archivedBefore);
    const backfill = await allPages(fx.connector(FAST).pullLeads(null));
    afterBackfill = lastCursor(backfill);
    activeIds = records(backfill).filter((r) => !r.archived).map((r) => r.id);
  });
  afterAll(() => fx?.close());

  it('a finished backfill counts as a pass over the archived contacts', () => {
    expect(afterBackfill).toMatchObject({ mode: 'incremental', archivedCheckedAt: expect.any(String) });
  });

  it('does not list the archived contacts again before the pass interval has passed', async () => {
    const deleted = activeIds[10];
    await sdk.crm.contacts.basicApi.archive(deleted);
    const from = fx.sandbox.ctx.log.length;
    const pages = await allPages(fx.connector(FAST).pullLeads(afterBackfill));
    expect(records(pages).map((r) => r.id)).not.toContain(deleted);
    expect(archivedListings(from)).toEqual([]);
    expect(cursorPosition(lastCursor(pages))).toEqual(cursorPosition(afterBackfill));
  });

  it('once the interval has passed, reports a contact archived since as archived, and moves the pass forward', async () => {
    const deleted = activeIds[10];
    const from = fx.sandbox.ctx.log.length;
    const pages = await allPages(fx.connector(EVERY_PULL).pullLeads(afterBackfill));
    const found = records(pages).filter((r) => r.id === deleted);
    expect(found).toHaveLength(1);
    expect(found[0].archived).toBe(true);
    const stored = await sdk.crm.contacts.basicApi.getById(deleted, ['order'], undefined, undefined, true);
    const seeded = fx.seed.find((lead) => lead.values.order === stored.properties.order)!.values.job;
    expect(seeded).toMatch(/^[a-z]+$/);
    expect(found[0].properties.job).toBe(seeded);
    const archivedAt = stored.archivedAt!;
    expect(Date.parse(found[0].modifiedAt)).toBeGreaterThanOrEqual(archivedAt.getTime());
    expect(records(pages).every((r) => r.archived)).toBe(true);
    expect(archivedListings(from).length).toBeGreaterThanOrEqual(1);
    const next = lastCursor(pages) as { archivedCheckedAt: string; since: string; lastId: string | null };
    const before = afterBackfill as { archivedCheckedAt: string; since: string; lastId: string | null };
    expect(Date.parse(next.archivedCheckedAt)).toBeGreaterThan(Date.parse(before.archivedCheckedAt));
    expect({ since: next.since, lastId: next.lastId }).toEqual({ since: before.since, lastId: before.lastId });
  });

  it('a cursor stored before the pass existed still parses, and its first pull reports every archived contact', async () => {
    const { mode, since, lastId } = afterBackfill as { mode: string; since: string; lastId: string | null };
    const pages = await allPages(fx.connector(FAST).pullLeads({ mode, since, lastId }));
    const archived = records(pages).filter((r) => r.archived).map((r) => r.id);
    expect(archived.sort()).toEqual([archivedBefore, activeIds[10]].sort());
    expect(lastCursor(pages)).toMatchObject({ mode: 'incremental', since, lastId, archivedCheckedAt: expect.any(String) });
  });

  it('keeps only the contacts archived at or after the given time, across listing pages', async () => {
    await fx.control('POST', '/clock/advance', { ms: 3_600_000 });
    const later = activeIds[20];
    await sdk.crm.contacts.basicApi.archive(later);
    const laterAt = (await sdk.crm.contacts.basicApi.getById(later, undefined, undefined, undefined, true)).archivedAt!;
    const config = parseHubspotConfig({ accessToken: fx.sandbox.token, basePath: fx.sandbox.url, ...FAST, batch: { listSize: 1 } });
    const pages = await allPages(archivedContactsSince(createApiCaller(config), config, laterAt.getTime(), ['job']));
    expect(pages).toHaveLength(3);
    expect(pages.map((p) => p.done)).toEqual([false, false, true]);
    expect(pages.flatMap((p) => p.contacts.map((c) => c.id))).toEqual([later]);
  });
});
