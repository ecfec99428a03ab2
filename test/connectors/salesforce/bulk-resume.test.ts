import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clearLog, collections, jobsCreated, leadIdsOf, requests, scoreFields, scoresFor, startSalesforceFixture, type SalesforceFixture } from './fixture.js';

/**
 * A Bulk API 2.0 push whose job-status or result GETs fail after the job was accepted: brief
 * failures are retried inside the push; longer ones leave the job id in the report, and the
 * next push reads that job's report instead of writing its leads again.
 */

const JOB_STATUS = '/jobs/ingest/[^/]+$';
const RESULTS = '/jobs/ingest/[^/]+/successfulResults$';

describe('Salesforce Bulk API 2.0 push when the job cannot be read back', () => {
  let fx: SalesforceFixture;
  let ids: string[];
  beforeAll(async () => {
    fx = await startSalesforceFixture({ leads: 300 });
    await fx.connector().ensureSchema([...scoreFields()]);
    ids = await leadIdsOf(fx);
  });
  afterAll(async () => fx.close());
  afterEach(async () => fx.control('DELETE', '/faults'));

  const connector = () => fx.connector({ bulkThreshold: 100 });
  const models = async (some: string[]) => {
    const res = await fx.jsforce().query<{ Id: string; Lead_Score_Model__c: string | null }>(
      `SELECT Id, Lead_Score_Model__c FROM Lead WHERE Id IN ('${some.join("','")}')`,
      { autoFetch: true, maxFetch: 10_000 },
    );
    return new Map(res.records.map((r) => [r.Id, r.Lead_Score_Model__c]));
  };
  /** Each lead's model as read back from Salesforce, compared with `model` for every one of them. */
  const expectModels = async (some: string[], model: string) => {
    const back = await models(some);
    expect(back.size).toBe(some.length);
    expect(Object.fromEntries(back)).toEqual(Object.fromEntries(some.map((id) => [id, model])));
  };

  it('job-status and result reads that fail a few times are retried: one job, every lead written', async () => {
    await clearLog(fx);
    await fx.control('POST', '/faults', [
      { method: 'GET', pathPattern: JOB_STATUS, kind: 'rate-limit', count: 2 },
      { method: 'GET', pathPattern: RESULTS, kind: 'rate-limit', count: 2 },
    ]);
    const report = await connector().pushScores(scoresFor(ids, 1));
    expect(report.failed).toEqual([]);
    expect(report.written.sort()).toEqual([...ids].sort());
    expect(report.pendingJobs).toBeUndefined();
    const log = await requests(fx);
    expect(jobsCreated(log)).toHaveLength(1);
    expect(collections(log)).toHaveLength(0);
    expect(log.filter((r) => r.method === 'GET' && r.status === 403)).toHaveLength(4); // the failures really happened
    await expectModels(ids, 'm-1');
  });

  it('reads failing past the retries leave the leads pending with the job id; the next push reads that job and sends only what it did not write', async () => {
    await clearLog(fx);
    await fx.control('POST', '/faults', { id: 'down', method: 'GET', pathPattern: RESULTS, kind: 'rate-limit' });
    const scores = scoresFor(ids, 2);
    const broken = await connector().pushScores(scores);
    expect(broken.written).toEqual([]);
    expect(broken.failed).toHaveLength(ids.length);
    expect(broken.failed.every((f) => f.retryable)).toBe(true);
    expect(broken.pendingJobs).toHaveLength(1);
    const [job] = broken.pendingJobs!;
    expect(job.leadIds.sort()).toEqual([...ids].sort());
    expect(broken.failed[0].message).toContain(`Bulk API 2.0 job ${job.id} for ${ids.length} scores`);
    expect(broken.failed[0].message).toMatch(/REQUEST_LIMIT_EXCEEDED after 4 retries/);
    expect(jobsCreated(await requests(fx))).toHaveLength(1);
    // Salesforce did write them; only the report was out of reach.
    await expectModels(ids, 'm-2');

    await fx.control('DELETE', '/faults/down');
    await clearLog(fx);
    // One lead was scored again in between: the job wrote its old values, so it alone is sent.
    const rescored = { ...scores[5], modelVersion: 'm-3' };
    const next = await connector().pushScores([...scores.slice(0, 5), rescored, ...scores.slice(6)], broken.pendingJobs);
    expect(next.failed).toEqual([]);
    expect(next.written.sort()).toEqual([...ids].sort());
    expect(next.pendingJobs).toBeUndefined();
    const log = await requests(fx);
    expect(jobsCreated(log)).toHaveLength(0);
    expect(log.filter((r) => r.method === 'GET' && r.path.endsWith(`/jobs/ingest/${job.id}/successfulResults`))).toHaveLength(1);
    expect(collections(log)).toHaveLength(1);
    expect((await models([rescored.leadId])).get(rescored.leadId)).toBe('m-3');
  });

  it('a job that cannot be followed at all (status reads failing) is handed back again until it can be read', async () => {
    await fx.control('POST', '/faults', { id: 'down', method: 'GET', pathPattern: JOB_STATUS, kind: 'rate-limit' });
    const scores = scoresFor(ids, 4);
    const broken = await connector().pushScores(scores);
    expect(broken.written).toEqual([]);
    const jobId = broken.pendingJobs?.[0]?.id;
    expect(jobId).toMatch(/^750/);

    await clearLog(fx);
    const still = await connector().pushScores(scores, broken.pendingJobs);
    expect(still.written).toEqual([]);
    expect(still.failed.map((f) => f.leadId).sort()).toEqual([...ids].sort());
    expect(still.failed.every((f) => f.retryable)).toBe(true);
    expect(still.pendingJobs?.map((j) => j.id)).toEqual([jobId]);
    const log = await requests(fx);
    expect(jobsCreated(log)).toHaveLength(0);
    expect(collections(log)).toHaveLength(0);

    await fx.control('DELETE', '/faults/down');
    const next = await connector().pushScores(scores, still.pendingJobs);
    expect(next.written).toHaveLength(ids.length);
    expect(next.pendingJobs).toBeUndefined();
  });

  it('leads of an Aborted job, or of one Salesforce no longer knows, are sent again', async () => {
    const conn = fx.jsforce();
    const aborted = conn.bulk2.createJob({ object: 'Lead', operation: 'update', lineEnding: 'LF' });
    await aborted.open();
    await aborted.abort();
    const some = ids.slice(0, 40);
    const others = ids.slice(40, 80);
    await clearLog(fx);
    const report = await connector().pushScores(scoresFor([...some, ...others], 5), [
      { id: aborted.id!, leadIds: some },
      { id: '750000000000000AAA', leadIds: others },
    ]);
    expect(report.failed).toEqual([]);
    expect(report.written).toHaveLength(80);
    expect(report.pendingJobs).toBeUndefined();
    expect(collections(await requests(fx))).toHaveLength(1);
    await expectModels([...some, ...others], 'm-5');
  });
});
