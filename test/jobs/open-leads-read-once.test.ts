import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCycle, type CycleSummary } from '../../src/jobs/cycle.js';
import { LEAD_OBJECT, type LoopDeps } from '../../src/jobs/deps.js';
import { scoreOpenLeads } from '../../src/jobs/score.js';
import { tiersInUse } from '../../src/jobs/tiers-in-use.js';
import type { Store } from '../../src/store/store.js';
import { startHubspotFixture, type HubspotFixture } from '../connectors/hubspot/sandbox-fixture.js';
import { backends, type TestDatabase } from '../store/backends.js';
import { loopDeps } from './loop-deps.js';

/**
 * A cycle reads the open leads once for scoring: the push's check for score fields edited in the
 * CRM (and the tier options still held) is made on the scoring pass's pages, and the open leads
 * are counted with one query. Counted on the real store, whose reads are only tallied here.
 */

const OVERRIDES = { model: { trees: 15 }, loop: { minimumHistory: { closedLeads: 100, conversions: 20 } } };

/** Tallies the open-lead reads and counts of `store` from now on. */
function tally(store: Store) {
  const counts = { listOpenCalls: 0, listOpenRows: 0, countQueries: 0 };
  const records = store.records;
  const listOpen = records.listOpen.bind(records);
  const countOpen = records.countOpen.bind(records);
  const count = records.count.bind(records);
  const outcomeCounts = store.outcomes.counts.bind(store.outcomes);
  records.listOpen = async (...args) => {
    const rows = await listOpen(...args);
    counts.listOpenCalls++;
    counts.listOpenRows += rows.length;
    return rows;
  };
  records.countOpen = async (...args) => (counts.countQueries++, countOpen(...args));
  records.count = async (...args) => (counts.countQueries++, count(...args));
  store.outcomes.counts = async (...args) => (counts.countQueries++, outcomeCounts(...args));
  return {
    counts,
    restore() {
      Object.assign(records, { listOpen, countOpen, count });
      store.outcomes.counts = outcomeCounts;
    },
  };
}

async function cycle(deps: LoopDeps, forceTrain = false): Promise<CycleSummary> {
  const outcome = await runCycle(deps, { forceTrain });
  if (!outcome.ran) throw new Error(outcome.reason);
  return outcome.summary;
}

let database: TestDatabase;
let store: Store;
let fx: HubspotFixture;
beforeAll(async () => {
  database = await backends.find((b) => b.name === 'sqlite')!.fresh();
  store = await database.open();
  fx = await startHubspotFixture({ leads: 500, hubspotRateLimit: 100_000, hubspotSearchRateLimit: 10_000 });
});
afterAll(async () => {
  await store?.close();
  await database?.cleanup();
  await fx?.close();
});

describe('open leads read once per cycle', () => {
  it('an hourly cycle with a fresh stored reference reads each open lead once, and a corrected lead is still written again', async () => {
    const deps = loopDeps(store, fx.connector({ rateLimit: { requestsPerWindow: 100_000, searchPerSecond: 10_000 } }), OVERRIDES);
    await cycle(deps, true);
    await cycle(deps);
    const open = await store.records.countOpen('hubspot', LEAD_OBJECT);
    expect(open).toBeGreaterThan(0);

    // A score edited in the CRM: found on the scoring pass's pages, written again by the push.
    const [lead] = (await store.records.listOpen('hubspot', LEAD_OBJECT, { limit: 1 })).map((l) => l.id);
    const record = (await store.records.get('hubspot', LEAD_OBJECT, lead))!;
    const shown = Number(record.properties.leadlift_score);
    await store.records.upsert(
      'hubspot',
      [{ ...record, modifiedAt: new Date(Date.now() + 60_000).toISOString(), properties: { ...record.properties, leadlift_score: String(shown === 1 ? 2 : 1) } }],
      { objectType: LEAD_OBJECT, source: 'sync' },
    );

    const reads = tally(store);
    try {
      const summary = await cycle(deps);
      expect(summary.score.reference).toMatchObject({ refreshed: false });
      expect(summary.push.corrected).toBe(1);
      // The scoring pass's pages only (the last one empty): before, the push read them all again.
      expect(reads.counts.listOpenRows).toBe(open);
      expect(reads.counts.listOpenCalls).toBe(Math.ceil(open / 2000) + 1);
    } finally {
      reads.restore();
    }
  });

  it('scoring counts the open leads with one query', async () => {
    const deps = loopDeps(store, fx.connector({ rateLimit: { requestsPerWindow: 100_000, searchPerSecond: 10_000 } }), OVERRIDES);
    const tiers = await tiersInUse(store, deps.config);
    const totals: Array<number | null> = [];
    const reads = tally(store);
    try {
      const score = await scoreOpenLeads({ ...deps, onProgress: (_step, _done, total) => totals.push(total) }, tiers, { reference: 'refresh' });
      expect(score.reference).toMatchObject({ refreshed: false });
      expect(reads.counts.countQueries).toBe(1);
      // The progress bar's total is that count: every open lead.
      expect(totals[0]).toBe(await store.records.countOpen('hubspot', LEAD_OBJECT));
    } finally {
      reads.restore();
    }
  });
});
