import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseSalesforceConfig, salesforceConfigFromEnv } from '../../../connectors/salesforce/config.js';
import { clearLog, collections, jobsCreated, leadIdsOf, requests, scoreFields, scoresFor, startSalesforceFixture, type SalesforceFixture } from './fixture.js';

/**
 * A Bulk API 2.0 job Salesforce accepted but is still processing when the push stops waiting:
 * its leads stay pending with the job id rather than being uploaded again in a second job that
 * could run alongside the first, and the next push reads that job instead.
 */

describe('Salesforce Bulk API 2.0 push when the job outlasts the poll timeout', () => {
  let fx: SalesforceFixture;
  let ids: string[];
  beforeAll(async () => {
    fx = await startSalesforceFixture({ leads: 300 });
    await fx.connector().ensureSchema([...scoreFields()]);
    ids = await leadIdsOf(fx);
  });
  afterAll(async () => fx.close());
  afterEach(async () => fx.control('PATCH', '/options', { salesforceBulkHold: false }));

  // No wait at all: the first status read that finds the job unfinished ends the wait.
  const impatient = () => fx.connector({ bulkThreshold: 100, bulkPollTimeoutMs: 0 });
  // Long enough for the sandbox to finish the job; the test never waits for the timeout itself.
  const patient = () => fx.connector({ bulkThreshold: 100, bulkPollTimeoutMs: 60_000 });
  /** Polls the job's state through the Bulk API itself until Salesforce reports it done (bounded). */
  const finished = async (jobId: string) => {
    for (let i = 0; i < 200; i++) {
      const info = await fx.jsforce().request<{ state: string }>(`/services/data/v60.0/jobs/ingest/${jobId}`);
      if (info.state === 'JobComplete') return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`Bulk job ${jobId} did not finish`);
  };
  const models = async () => {
    const res = await fx.jsforce().query<{ Lead_Score_Model__c: string | null }>('SELECT Lead_Score_Model__c FROM Lead', { autoFetch: true, maxFetch: 10_000 });
    return res.records.map((r) => r.Lead_Score_Model__c);
  };

  it('a job still in progress is handed back, not resent; once Salesforce finishes it the next push reads its results', async () => {
    await fx.control('PATCH', '/options', { salesforceBulkHold: true });
    await clearLog(fx);
    const scores = scoresFor(ids, 1);
    const first = await impatient().pushScores(scores);
    expect(first.written).toEqual([]);
    expect(first.pendingJobs).toHaveLength(1);
    const [job] = first.pendingJobs!;
    expect(job.id).toMatch(/^750/);
    expect(job.leadIds.sort()).toEqual([...ids].sort());
    expect(first.failed).toHaveLength(ids.length);
    expect(first.failed.every((f) => f.retryable)).toBe(true);
    expect(first.failed[0].message).toContain(`Salesforce is still processing Bulk API job ${job.id}; its results are read on the next run`);
    expect(first.stopped).toBeUndefined();
    let log = await requests(fx);
    expect(jobsCreated(log)).toHaveLength(1);
    expect(collections(log)).toHaveLength(0);
    // The job really is unfinished: nothing is written yet.
    expect((await fx.jsforce().bulk2.job('ingest', { id: job.id }).check()).state).toBe('InProgress');
    expect((await models()).includes('m-1')).toBe(false);

    // Still running at the next push: handed back again, still not resent.
    await clearLog(fx);
    const still = await impatient().pushScores(scores, first.pendingJobs);
    expect(still.written).toEqual([]);
    expect(still.pendingJobs).toEqual([{ id: job.id, leadIds: job.leadIds }]);
    expect(still.failed.map((f) => f.leadId).sort()).toEqual([...ids].sort());
    expect(still.failed.every((f) => f.retryable && f.message.includes(job.id))).toBe(true);
    log = await requests(fx);
    expect(jobsCreated(log)).toHaveLength(0);
    expect(collections(log)).toHaveLength(0);

    await fx.control('PATCH', '/options', { salesforceBulkHold: false });
    // A resumed job is read once, without waiting: let Salesforce finish it first, as a later run would find it.
    await finished(job.id);
    await clearLog(fx);
    const next = await patient().pushScores(scores, still.pendingJobs);
    expect(next.failed).toEqual([]);
    expect(next.written.sort()).toEqual([...ids].sort());
    expect(next.pendingJobs).toBeUndefined();
    log = await requests(fx);
    expect(jobsCreated(log)).toHaveLength(0);
    expect(collections(log)).toHaveLength(0);
    expect(log.some((r) => r.method === 'GET' && r.path.endsWith(`/jobs/ingest/${job.id}/successfulResults`))).toBe(true);
    expect(await models()).toEqual(ids.map(() => 'm-1'));
  });

  it('SALESFORCE_BULK_POLL_TIMEOUT_MS sets the wait; unset keeps ten minutes', () => {
    const base = { SALESFORCE_INSTANCE_URL: 'https://acme.my.salesforce.com', SALESFORCE_ACCESS_TOKEN: 't' };
    expect(parseSalesforceConfig(salesforceConfigFromEnv({ ...base, SALESFORCE_BULK_POLL_TIMEOUT_MS: '5000' })).bulkPollTimeoutMs).toBe(5000);
    expect(parseSalesforceConfig(salesforceConfigFromEnv(base)).bulkPollTimeoutMs).toBe(600_000);
  });
});
