import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushPendingScores } from '../../src/jobs/push.js';
import { PUSH_JOBS_STREAM } from '../../src/jobs/push-jobs.js';
import { clearLog, collections, jobsCreated, leadIdsOf, requests, scoresFor, startSalesforceFixture, TIERS as TIER_NAMES, type SalesforceFixture } from '../connectors/salesforce/fixture.js';
import { backends, useStore } from '../store/backends.js';
import { loopDeps } from './loop-deps.js';

/**
 * The loop's side of a Bulk API 2.0 job whose report could not be read: the job id is stored
 * with the push's checkpoints, and the next push settles its leads from that job's report.
 */

const TIERS = TIER_NAMES.map((name, i) => ({ name, min: [75, 50, 25, 0][i] }));
const RESULTS = '/jobs/ingest/[^/]+/successfulResults$';

describe('pushPendingScores with a Bulk API job it could not read (sqlite store)', () => {
  const { store } = useStore(backends.find((b) => b.name === 'sqlite')!);
  let fx: SalesforceFixture;
  let ids: string[];
  beforeAll(async () => {
    fx = await startSalesforceFixture({ leads: 150 });
    ids = await leadIdsOf(fx);
  });
  afterAll(async () => fx.close());

  it('stores the job id, and the next run resumes that job instead of writing its leads again', async () => {
    const deps = loopDeps(store(), fx.connector({ bulkThreshold: 100 }), { loop: { push: { chunkSize: 1000 } } });
    await store().scores.insert('salesforce', scoresFor(ids, 1));
    await fx.control('POST', '/faults', { id: 'down', method: 'GET', pathPattern: RESULTS, kind: 'rate-limit' });
    const broken = await pushPendingScores(deps, TIERS);
    await fx.control('DELETE', '/faults/down');
    expect(broken).toMatchObject({ written: 0, failed: 0, retryLater: ids.length });
    const stored = (await store().checkpoints.get('salesforce', PUSH_JOBS_STREAM)) as { jobs: Array<{ id: string; leadIds: string[] }> } | null;
    expect(stored?.jobs).toHaveLength(1);
    const [job] = stored!.jobs;
    expect(job.leadIds.sort()).toEqual([...ids].sort());
    expect(await store().scores.pending('salesforce')).toHaveLength(ids.length);

    await clearLog(fx);
    const resumed = await pushPendingScores(deps, TIERS);
    expect(resumed).toMatchObject({ written: ids.length, failed: 0, retryLater: 0 });
    const log = await requests(fx);
    expect(jobsCreated(log)).toHaveLength(0);
    expect(collections(log)).toHaveLength(0);
    expect(log.some((r) => r.path.endsWith(`/jobs/ingest/${job.id}/successfulResults`))).toBe(true);
    expect(await store().checkpoints.get('salesforce', PUSH_JOBS_STREAM)).toBeNull();
    expect(await store().scores.pending('salesforce')).toEqual([]);
  });
});
