import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { leadIdsOf, scoreFields, scoresFor, startSalesforceFixture, type SalesforceFixture } from './fixture.js';

/**
 * Bulk API 2.0 jobs an earlier push handed back are checked once, without waiting: a job
 * Salesforce is still holding goes straight back into the report, the three result reads it did
 * not need are given back to the API budget, and a daily-limit refusal while reading a job stops
 * the push before anything more is sent.
 */

type Logged = { method: string; path: string; status: number };

describe('Salesforce push resuming earlier Bulk API 2.0 jobs', () => {
  let fx: SalesforceFixture;
  let ids: string[];
  beforeAll(async () => {
    fx = await startSalesforceFixture({ leads: 400 });
    await fx.connector().ensureSchema([...scoreFields()]);
    ids = await leadIdsOf(fx);
  });
  afterAll(async () => fx.close());
  afterEach(async () => {
    await fx.control('PATCH', '/options', { salesforceBulkHold: false, salesforceDailyLimit: 100_000 });
  });

  // Gives up on the job it creates at the first status read that finds it unfinished.
  const impatient = () => fx.connector({ bulkThreshold: 100, bulkPollTimeoutMs: 0 });
  // Would wait ten minutes (polling every 20 ms) for a job it created itself.
  const patient = (overrides: Record<string, unknown> = {}) => fx.connector({ bulkThreshold: 100, bulkPollTimeoutMs: 600_000, ...overrides });
  const requests = async () => (await fx.control<{ results: Logged[] }>('GET', '/requests?crm=salesforce')).results;
  const clearLog = () => fx.control('DELETE', '/requests');
  const statusReads = (log: Logged[], jobId: string) => log.filter((r) => r.method === 'GET' && r.path.endsWith(`/jobs/ingest/${jobId}`));
  const resultReads = (log: Logged[]) => log.filter((r) => r.method === 'GET' && /\/jobs\/ingest\/[^/]+\/(successfulResults|failedResults|unprocessedrecords)$/.test(r.path));
  const jobsCreated = (log: Logged[]) => log.filter((r) => r.method === 'POST' && /\/jobs\/ingest\/?$/.test(r.path));
  const collections = (log: Logged[]) => log.filter((r) => r.method === 'PATCH' && r.path.endsWith('/composite/sobjects'));
  /** Leaves room for the connector's /limits read plus `room` requests (apiShare 1). */
  const allowOnly = async (room: number) => {
    const limits = await fx.jsforce().limits();
    const used = limits.DailyApiRequests.Max - limits.DailyApiRequests.Remaining;
    await fx.control('PATCH', '/options', { salesforceDailyLimit: used + 1 + room });
  };
  const heldJob = async (leads: string[], seed: number) => {
    const report = await impatient().pushScores(scoresFor(leads, seed));
    expect(report.pendingJobs).toHaveLength(1);
    return report.pendingJobs![0];
  };

  it('held jobs are handed back by the next push after one status read each, with no polling', async () => {
    await fx.control('PATCH', '/options', { salesforceBulkHold: true });
    const a = await heldJob(ids.slice(0, 150), 1);
    const b = await heldJob(ids.slice(150, 300), 1);
    await clearLog();
    const report = await patient().pushScores(scoresFor(ids.slice(0, 300), 1), [a, b]);
    expect(report.written).toEqual([]);
    expect(report.pendingJobs).toEqual([a, b]);
    expect(report.failed).toHaveLength(300);
    expect(report.failed.every((f) => f.retryable && f.message.includes('Salesforce is still processing Bulk API job'))).toBe(true);
    expect(report.failed.find((f) => f.leadId === a.leadIds[0])?.message).toContain(`job ${a.id}; its results are read on the next run. It was InProgress when leadlift checked it`);
    const log = await requests();
    expect(statusReads(log, a.id)).toHaveLength(1);
    expect(statusReads(log, b.id)).toHaveLength(1);
    expect(resultReads(log)).toHaveLength(0);
    expect(jobsCreated(log)).toHaveLength(0);
    expect(collections(log)).toHaveLength(0);
    expect(report.apiCalls).toBe(3); // /limits and the two status reads
  });

  it('a held job costs the budget its one status read: the rest of the push still fits', async () => {
    await fx.control('PATCH', '/options', { salesforceBulkHold: true });
    const job = await heldJob(ids.slice(0, 150), 2);
    // Room for the job's status check and result reads (taken before it is read), and no more.
    await allowOnly(4);
    const others = ids.slice(300, 350);
    await clearLog();
    const report = await fx.connector({ bulkThreshold: 100, apiShare: 1 }).pushScores([...scoresFor(ids.slice(0, 150), 2), ...scoresFor(others, 2)], [job]);
    expect(report.stopped).toBeUndefined();
    expect(report.pendingJobs).toEqual([job]);
    expect(report.written.sort()).toEqual([...others].sort());
    const log = await requests();
    expect(statusReads(log, job.id)).toHaveLength(1);
    expect(collections(log)).toHaveLength(1);
    expect(log.every((r) => r.status < 400)).toBe(true);
  });

  it('a finished job is charged once for its status read: the check and three reads leave room for the one rescored lead', async () => {
    await fx.control('PATCH', '/options', { salesforceBulkHold: true });
    const leads = ids.slice(0, 150);
    const scores = scoresFor(leads, 3);
    const job = await heldJob(leads, 3);
    await fx.control('PATCH', '/options', { salesforceBulkHold: false });
    const check = fx.jsforce().bulk2.job('ingest', { id: job.id });
    for (let i = 0; i < 200 && (await check.check()).state !== 'JobComplete'; i++) await new Promise((r) => setTimeout(r, 10));
    // The job's four reads and one collection for the lead scored again since.
    await allowOnly(5);
    const rescored = { ...scores[7], modelVersion: 'm-33' };
    await clearLog();
    const report = await fx.connector({ bulkThreshold: 100, apiShare: 1 }).pushScores([...scores.slice(0, 7), rescored, ...scores.slice(8)], [job]);
    expect(report.stopped).toBeUndefined();
    expect(report.failed).toEqual([]);
    expect(report.written.sort()).toEqual([...leads].sort());
    expect(report.pendingJobs).toBeUndefined();
    const log = await requests();
    expect(statusReads(log, job.id)).toHaveLength(1);
    expect(resultReads(log)).toHaveLength(3);
    expect(collections(log)).toHaveLength(1);
    expect(report.apiCalls).toBe(6);
  });

  it('the daily limit answered while reading a job spends the budget: the following collections are not sent', async () => {
    await fx.control('PATCH', '/options', { salesforceBulkHold: true });
    const job = await heldJob(ids.slice(0, 150), 4);
    const connector = fx.connector({ bulkThreshold: 100, apiShare: 1, maxConcurrent: 1 });
    expect((await connector.pushScores(scoresFor(ids.slice(390, 400), 4))).written).toHaveLength(10); // reads the allocation
    // Other integrations spend the rest of the org's day.
    const limits = await fx.jsforce().limits();
    await fx.control('PATCH', '/options', { salesforceDailyLimit: limits.DailyApiRequests.Max - limits.DailyApiRequests.Remaining });
    await clearLog();
    const others = ids.slice(300, 360);
    const report = await connector.pushScores([...scoresFor(ids.slice(0, 150), 4), ...scoresFor(others, 4)], [job]);
    expect(report.written).toEqual([]);
    expect(report.rateLimited).toBe(1);
    expect(report.pendingJobs).toEqual([job]);
    expect(report.stopped?.unwritten).toBe(210);
    expect(report.stopped?.reason).toMatch(/REQUEST_LIMIT_EXCEEDED/);
    const log = await requests();
    expect(log).toHaveLength(1);
    expect(statusReads(log, job.id)).toEqual([expect.objectContaining({ status: 403 })]);
    expect(collections(log)).toHaveLength(0);
    // Later pushes of the same run send nothing either.
    await clearLog();
    const later = await connector.pushScores(scoresFor(others, 4));
    expect(later.stopped?.unwritten).toBe(60);
    expect(await requests()).toEqual([]);
  });
});
