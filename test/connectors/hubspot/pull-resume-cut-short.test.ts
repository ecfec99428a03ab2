import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cursor, LeadRecord, Page } from '../../../connectors/types.js';
import type { HsObject } from '../../../connectors/sandbox/hubspot/store.js';
import { allPages, startHubspotFixture, type HubspotFixture } from './sandbox-fixture.js';

/**
 * A pull cut short (a stop signal, HubSpot's daily limit, a rate limit outlasting the retries, an
 * API error) stores the cursor of its last page, and the next pull resumes from it. With the
 * search-index look-back on, the resume re-reads what the index may not have held when the cut
 * pull walked past it: that re-read must move on as resumed pulls read, or pulls that are all cut
 * a page or two in never get past a bulk import (thousands of contacts stamped alike).
 */

const LAG_MS = 400;
const PAGE = 50;
const FAST = { rateLimit: { requestsPerWindow: 100_000, searchPerSecond: 10_000 }, leadProperties: ['job'], search: { indexLagMs: LAG_MS, pageSize: PAGE } };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('HubSpot lead pulls cut short again and again', () => {
  let fx: HubspotFixture;
  let cursor: Cursor;
  let contacts: string[];
  const pull = (from: Cursor | null) => fx.connector(FAST).pullLeads(from);
  /** The pages of a pull stopped after `pages` pages of contacts (what a stop signal leaves the sync); done = it ended by itself. */
  const cut = async (from: Cursor, pages: number) => {
    const out: Array<Page<LeadRecord>> = [];
    for await (const page of pull(from)) {
      out.push(page);
      if (out.filter((p) => p.records.length > 0).length === pages) return { pages: out, done: false };
    }
    return { pages: out, done: true };
  };
  /** The sandbox's stored contact itself (the state dump hands over its live objects). */
  const stored = (id: string) => (fx.sandbox.ctx.dumpState().parts.hubspot as { objects: { contacts: HsObject[] } }).objects.contacts.find((c) => c.id === id)!;

  beforeAll(async () => {
    fx = await startHubspotFixture({ leads: 700, hubspotRateLimit: 100_000, hubspotSearchRateLimit: 10_000 });
    const backfill = await allPages(pull(null));
    contacts = [...new Set(backfill.flatMap((p) => p.records.map((r) => r.id)))];
    // One complete incremental pull, so the cursor says up to where the index was read.
    cursor = (await allPages(pull(backfill.at(-1)!.cursor))).at(-1)!.cursor;
  });
  afterAll(() => fx?.close());

  it.each([2, 1])('a bulk import of 600 contacts, every pull stopped after %i page(s): the pulls reach the end, read each contact, and re-read little', async (perPull) => {
    const tied = contacts.slice(50, 650);
    await fx.control('PATCH', '/hubspot/contacts', { ids: tied, properties: { job: `imported ${perPull}` } });
    // Older than the look-back by the time the pulls run: the index holds all of it.
    await sleep(LAG_MS + 100);
    const reads = new Map<string, number>();
    let pulls = 0;
    for (let done = false; !done && pulls < 40; pulls++) {
      const result = await cut(cursor, perPull);
      for (const r of result.pages.flatMap((p) => p.records)) reads.set(r.id, (reads.get(r.id) ?? 0) + 1);
      cursor = result.pages.at(-1)?.cursor ?? cursor;
      done = result.done;
    }
    const reread = [...reads.values()].reduce((a, n) => a + n - 1, 0);
    console.log(`${perPull} page(s) a pull: ${pulls} pulls, ${reads.size} contacts read, ${reread} reads again, at most ${Math.max(...reads.values())} reads of one`);
    // 12 pages of 50 (600 contacts), at least one a pull, and the pull that finds nothing left.
    expect(pulls).toBeLessThanOrEqual(Math.ceil(600 / PAGE / perPull) + 2);
    expect(tied.every((id) => reads.has(id))).toBe(true);
    expect(Math.max(...reads.values())).toBeLessThanOrEqual(2);
    expect(reread).toBeLessThanOrEqual(2 * PAGE);
  });

  it('a pull stopped inside the look-back: the next one reads again what the index may not have held, a change dated there included', async () => {
    const edited = contacts.slice(100, 200);
    await fx.control('PATCH', '/hubspot/contacts', { ids: edited, properties: { job: 'edited just now' } });
    // Read at once and stopped after one page: dated within the look-back, these may not all have been in the index.
    const first = await cut(cursor, 1);
    expect(first.done).toBe(false);
    const firstRead = first.pages.flatMap((p) => p.records.map((r) => r.id));
    expect(firstRead.length).toBeGreaterThan(0);
    // A contact changed then, which the index only shows after the pull walked past: dated just before the import.
    const late = contacts[300];
    const at = Date.parse(first.pages[0].records[0].modifiedAt) - 1;
    Object.assign(stored(late), { updatedAt: at });
    stored(late).properties = { ...stored(late).properties, job: 'indexed late', lastmodifieddate: new Date(at).toISOString() };
    await sleep(LAG_MS + 100);
    const rest = await allPages(pull(first.pages.at(-1)!.cursor));
    const restRead = rest.flatMap((p) => p.records);
    expect(restRead.find((r) => r.id === late)?.properties.job).toBe('indexed late');
    expect(new Set([...firstRead, ...restRead.map((r) => r.id)])).toEqual(new Set([...edited, late]));
    cursor = rest.at(-1)!.cursor;
  });
});
