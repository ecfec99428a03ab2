import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts/index.js';
import type { Cursor, LeadRecord, Page } from '../../../connectors/types.js';
import { allPages, startHubspotFixture, type HubspotFixture, cursorPosition } from './sandbox-fixture.js';
import { hubspotClient } from '../../sandbox/helpers.js';

// Generous limits on both sides: these tests are about paging, not pacing.
const FAST = { rateLimit: { requestsPerWindow: 100_000, searchPerSecond: 10_000 } };
const ids = (pages: Array<Page<LeadRecord>>) => pages.flatMap((p) => p.records.map((r) => r.id));
const sortedIds = (list: string[]) => [...list].sort((a, b) => Number(a) - Number(b));

describe('HubSpot pullLeads through 250 contacts sharing one lastmodifieddate, served in no id order', () => {
  let fx: HubspotFixture;
  let start: Cursor;
  let tied: string[];
  let later: string;
  let importedAt: string;
  const expected = () => sortedIds([...tied, later]);
  const pull = (cursor: Cursor, pageSize = 100) => allPages(fx.connector({ ...FAST, search: { pageSize } }).pullLeads(cursor));

  beforeAll(async () => {
    fx = await startHubspotFixture({ leads: 400, hubspotRateLimit: 100_000, hubspotSearchRateLimit: 10_000 });
    const backfill = await allPages(fx.connector(FAST).pullLeads(null));
    start = backfill[backfill.length - 1].cursor;
    const all = ids(backfill);
    // Spread over the id range, so untouched contacts sit between tied ids.
    tied = all.filter((_, i) => i % 8 !== 3).slice(0, 250);
    const imported = await fx.control<{ at: string }>('PATCH', '/hubspot/contacts', { ids: tied, properties: { job: 'imported' } });
    importedAt = imported.at;
    await fx.control('POST', '/clock/advance', { ms: 1000 });
    later = all.find((id) => !tied.includes(id))!;
    await fx.control('PATCH', `/hubspot/contacts/${later}`, { properties: { job: 'edited after the import' } });
    await fx.control('PATCH', '/options', { hubspotSearchTieOrder: 'scrambled' });
  });
  afterAll(() => fx?.close());

  it('is served a tie the SDK gets back out of id order, so the pull cannot rely on it', async () => {
    const sdk = hubspotClient(fx.sandbox);
    const page = await sdk.crm.contacts.searchApi.doSearch({
      filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: FilterOperatorEnum.Eq, value: String(Date.parse(importedAt)) }] }],
      sorts: [{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' }, { propertyName: 'hs_object_id', direction: 'ASCENDING' }] as unknown as string[],
      properties: ['lastmodifieddate'],
      limit: 100,
    });
    expect(page.total).toBe(250);
    const got = page.results.map((c) => c.id);
    expect(got).not.toEqual(sortedIds(got));
  });

  it.each([100, 30])('reads every tied contact exactly once, then what came after, with pages of %i', async (pageSize) => {
    const pages = await pull(start, pageSize);
    const got = ids(pages);
    expect(sortedIds(got)).toEqual(expected());
    expect(new Set(got).size).toBe(got.length);
    const records = pages.flatMap((p) => p.records);
    expect(new Set(records.filter((r) => tied.includes(r.id)).map((r) => r.modifiedAt))).toEqual(new Set([importedAt]));
    expect(records[records.length - 1].id).toBe(later);
    expect(pages[pages.length - 1].cursor).toMatchObject({ mode: 'incremental', since: records[records.length - 1].modifiedAt, lastId: later });
    expect(Math.max(...pages.map((p) => p.records.length))).toBeLessThanOrEqual(pageSize);
  });

  it('resumed from any checkpoint it stored, misses nothing and reads nothing twice in one run', async () => {
    const pages = await pull(start);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    const end = pages[pages.length - 1].cursor;
    for (let i = 0; i < pages.length - 1; i++) {
      const cursor = JSON.parse(JSON.stringify(pages[i].cursor)) as Cursor;
      const rest = await pull(cursor);
      const after = ids(rest);
      expect(new Set(after).size, `resumed from page ${i}`).toBe(after.length);
      expect(after.every((id) => expected().includes(id)), `resumed from page ${i}`).toBe(true);
      expect(sortedIds([...new Set([...ids(pages.slice(0, i + 1)), ...after])]), `resumed from page ${i}`).toEqual(expected());
      expect(cursorPosition(rest[rest.length - 1].cursor)).toEqual(cursorPosition(end));
    }
  });

  it('from the final checkpoint, a quiet pull reads nothing and keeps the checkpoint', async () => {
    const pages = await pull(start);
    const end = pages[pages.length - 1].cursor;
    const quiet = await pull(end);
    expect(ids(quiet)).toEqual([]);
    expect(cursorPosition(quiet[quiet.length - 1].cursor)).toEqual(cursorPosition(end));
  });
});
