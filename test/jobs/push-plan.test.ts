import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScoreWrite } from '../../connectors/types.js';
import { pushPendingScores } from '../../src/jobs/push.js';
import { startSalesforceFixture, type SalesforceFixture } from '../connectors/salesforce/fixture.js';
import { backends, useStore } from '../store/backends.js';
import { loopDeps } from './loop-deps.js';

const TIERS = [{ name: 'Hot', min: 50 }, { name: 'Cold', min: 0 }];

function scoresFor(ids: string[], scoredAt: string): ScoreWrite[] {
  return ids.map((leadId, i) => ({
    leadId,
    score: i % 100,
    tier: i % 100 >= 50 ? 'Hot' : 'Cold',
    probability: (i % 100) / 100,
    reasons: '+10 Job is admin',
    trend: 'steady',
    modelVersion: 'm-1',
    scoredAt,
  }));
}

/** The loop follows the connector's push plan: a run above Salesforce's Bulk threshold is one Bulk API 2.0 job, with the default chunking. */
describe('pushPendingScores follows the connector’s push plan (sqlite store)', () => {
  const { store } = useStore(backends.find((b) => b.name === 'sqlite')!);
  let fx: SalesforceFixture;
  let ids: string[];
  beforeAll(async () => {
    fx = await startSalesforceFixture({ leads: 150 });
    ids = (await fx.jsforce().query<{ Id: string }>('SELECT Id FROM Lead')).records.map((r) => r.Id);
  });
  afterAll(async () => fx.close());

  const writes = async () => {
    const log = (await fx.control<{ results: Array<{ method: string; path: string }> }>('GET', '/requests?crm=salesforce')).results;
    return {
      bulkJobs: log.filter((r) => r.method === 'POST' && /\/jobs\/ingest\/?$/.test(r.path)).length,
      collections: log.filter((r) => r.method === 'PATCH' && r.path.endsWith('/composite/sobjects')).length,
    };
  };

  it('above the threshold: every lead in one Bulk API job, no collection calls', async () => {
    const deps = loopDeps(store(), fx.connector({ bulkThreshold: 100 }));
    expect(deps.config.loop.push.chunkSize).toBeLessThan(ids.length);
    await store().scores.insert('salesforce', scoresFor(ids, '2024-05-01T10:00:00.000Z'));
    await fx.control('DELETE', '/requests');
    const result = await pushPendingScores(deps, TIERS);
    expect(result).toMatchObject({ written: ids.length, failed: 0, retryLater: 0 });
    expect(await writes()).toEqual({ bulkJobs: 1, collections: 0 });
  });

  it('at or below it: the configured chunks, written through sObject collections', async () => {
    const deps = loopDeps(store(), fx.connector({ bulkThreshold: 10_000 }), { loop: { push: { chunkSize: 50 } } });
    await store().scores.insert('salesforce', scoresFor(ids, '2024-05-02T10:00:00.000Z'));
    await fx.control('DELETE', '/requests');
    const result = await pushPendingScores(deps, TIERS);
    expect(result).toMatchObject({ written: ids.length, failed: 0 });
    expect(await writes()).toEqual({ bulkJobs: 0, collections: 3 });
  });
});
