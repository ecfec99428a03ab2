import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushPendingScores } from '../../src/jobs/push.js';
import { clearLog, collections, jobsCreated, leadIdsOf, requests, scoresFor, startSalesforceFixture, TIERS as TIER_NAMES, type SalesforceFixture } from '../connectors/salesforce/fixture.js';
import { backends, useStore } from '../store/backends.js';
import { loopDeps } from './loop-deps.js';

const TIERS = TIER_NAMES.map((name, i) => ({ name, min: [75, 50, 25, 0][i] }));
/** The fixture's scores, each run scored at its own time so the second is pending again. */
const scoresAt = (ids: string[], scoredAt: string) => scoresFor(ids, 1).map((s) => ({ ...s, scoredAt }));

/** The loop follows the connector's push plan: a run above Salesforce's Bulk threshold is one Bulk API 2.0 job, with the default chunking. */
describe('pushPendingScores follows the connector’s push plan (sqlite store)', () => {
  const { store } = useStore(backends.find((b) => b.name === 'sqlite')!);
  let fx: SalesforceFixture;
  let ids: string[];
  beforeAll(async () => {
    fx = await startSalesforceFixture({ leads: 150 });
    ids = await leadIdsOf(fx);
  });
  afterAll(async () => fx.close());

  const writes = async () => {
    const log = await requests(fx);
    return { bulkJobs: jobsCreated(log).length, collections: collections(log).length };
  };

  it('above the threshold: every lead in one Bulk API job, no collection calls', async () => {
    // Chunks smaller than the run, so one job shows the plan won over them.
    const deps = loopDeps(store(), fx.connector({ bulkThreshold: 100 }), { loop: { push: { chunkSize: 50 } } });
    await store().scores.insert('salesforce', scoresAt(ids, '2024-05-01T10:00:00.000Z'));
    await clearLog(fx);
    const result = await pushPendingScores(deps, TIERS);
    expect(result).toMatchObject({ written: ids.length, failed: 0, retryLater: 0 });
    expect(await writes()).toEqual({ bulkJobs: 1, collections: 0 });
  });

  it('at or below it: the configured chunks, written through sObject collections', async () => {
    const deps = loopDeps(store(), fx.connector({ bulkThreshold: 10_000 }), { loop: { push: { chunkSize: 50 } } });
    await store().scores.insert('salesforce', scoresAt(ids, '2024-05-02T10:00:00.000Z'));
    await clearLog(fx);
    const result = await pushPendingScores(deps, TIERS);
    expect(result).toMatchObject({ written: ids.length, failed: 0 });
    expect(await writes()).toEqual({ bulkJobs: 0, collections: 3 });
  });
});
