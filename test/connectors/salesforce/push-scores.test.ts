import { SalesforceFieldAccessError } from '../../../connectors/salesforce/errors.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearLog, collections, jobsCreated, leadIdsOf, requests, scoreFields, scoresFor, startSalesforceFixture, type SalesforceFixture } from './fixture.js';

describe('Salesforce pushScores: sObject Collections, Bulk API 2.0 and the API allocation', () => {
  let fx: SalesforceFixture;
  let ids: string[];
  beforeAll(async () => {
    fx = await startSalesforceFixture({ leads: 1500 });
    await fx.connector().ensureSchema([...scoreFields()]);
    ids = await leadIdsOf(fx);
  });
  afterAll(async () => fx.close());

  const readBack = async (some: string[]) => {
    const res = await fx.jsforce().query<Record<string, unknown>>(
      `SELECT Id, Lead_Score__c, Lead_Score_Tier__c, Lead_Score_Probability__c, Lead_Score_Reasons__c, Lead_Score_Trend__c, Lead_Score_Model__c, Lead_Score_Updated__c FROM Lead WHERE Id IN ('${some.join("','")}')`,
    );
    return new Map(res.records.map((r) => [r.Id as string, r]));
  };

  it('writes in collections of 200 with allOrNone=false and every value lands', async () => {
    await clearLog(fx);
    const scores = scoresFor(ids.slice(0, 450), 1);
    const report = await fx.connector().pushScores(scores);
    expect(report.failed).toEqual([]);
    expect(report.written.sort()).toEqual(ids.slice(0, 450).sort());
    const patches = collections(await requests(fx));
    expect(patches).toHaveLength(3);
    expect(report.apiCalls).toBe(4); // /limits + 3 collections
    const back = await readBack(ids.slice(0, 3));
    expect(back.get(ids[1])).toMatchObject({
      Lead_Score__c: scores[1].score,
      Lead_Score_Tier__c: scores[1].tier,
      Lead_Score_Probability__c: scores[1].probability,
      Lead_Score_Reasons__c: scores[1].reasons,
      Lead_Score_Trend__c: 'steady',
      Lead_Score_Model__c: 'm-1',
      Lead_Score_Updated__c: '2024-05-01T10:00:00.000+0000',
    });
  });

  it('a partial collection failure (UNABLE_TO_LOCK_ROW) is retried until every record is written', async () => {
    await fx.control('POST', '/faults', { kind: 'partial-batch', pathPattern: '/composite/sobjects$', share: 0.25, count: 2 });
    const report = await fx.connector().pushScores(scoresFor(ids.slice(0, 400), 2));
    expect(report.failed).toEqual([]);
    expect(report.written).toHaveLength(400);
    expect(report.apiCalls).toBeGreaterThan(3); // the retries cost calls
    const back = await readBack(ids.slice(0, 400));
    expect([...back.values()].every((r) => r.Lead_Score_Model__c === 'm-2')).toBe(true);
  });

  it('failures that do not pass are reported with Salesforce\'s message, the rest written', async () => {
    await fx.control('POST', '/faults', { id: 'locked', kind: 'partial-batch', pathPattern: '/composite/sobjects$', share: 0.1 });
    const deleted = ids[1499];
    await fx.jsforce().sobject('Lead').destroy(deleted);
    try {
      const report = await fx.connector({ retry: { retries: 1 } }).pushScores(scoresFor([...ids.slice(0, 199), deleted], 3));
      const gone = report.failed.find((f) => f.leadId === deleted);
      expect(gone).toMatchObject({ retryable: false });
      expect(gone?.message).toMatch(/^ENTITY_IS_DELETED: entity is deleted/);
      const locked = report.failed.filter((f) => f.leadId !== deleted);
      expect(locked.length).toBeGreaterThan(0);
      expect(locked.every((f) => f.retryable && f.message.startsWith('UNABLE_TO_LOCK_ROW:'))).toBe(true);
      expect(report.written.length + report.failed.length).toBe(200);
    } finally {
      await fx.control('DELETE', '/faults/locked');
    }
  });

  it('above the bulk threshold, one Bulk API 2.0 job writes every record (a locked share retried through collections)', async () => {
    await clearLog(fx);
    await fx.control('POST', '/faults', { kind: 'partial-batch', pathPattern: '/jobs/ingest/.*/batches$', share: 0.05, count: 1 });
    const some = ids.slice(0, 1200);
    const report = await fx.connector({ bulkThreshold: 1000 }).pushScores(scoresFor(some, 4));
    expect(report.failed).toEqual([]);
    expect(report.written).toHaveLength(1200);
    const log = await requests(fx);
    expect(jobsCreated(log)).toHaveLength(1);
    expect(collections(log)).toHaveLength(1); // the 60 locked rows
    const back = await readBack(some.slice(0, 200));
    expect([...back.values()].every((r) => r.Lead_Score_Model__c === 'm-4' && String(r.Lead_Score_Reasons__c).includes('\n'))).toBe(true);
  });

  it('stops cleanly at its share of the daily API allocation and says how many are left', async () => {
    const limits = await fx.jsforce().limits();
    const used = limits.DailyApiRequests.Max - limits.DailyApiRequests.Remaining;
    // Share 0.5 of this limit leaves room for /limits and two collections calls.
    await fx.control('PATCH', '/options', { salesforceDailyLimit: (used + 3) * 2 });
    try {
      const report = await fx.connector({ maxConcurrent: 1 }).pushScores(scoresFor(ids.slice(0, 1000), 5));
      expect(report.written).toHaveLength(400);
      expect(report.stopped?.unwritten).toBe(600);
      // The count is `unwritten`'s: the loop says once how many of the whole push were left.
      expect(report.stopped?.reason).toMatch(/the next run writes them once the org's daily allowance has room again/);
      expect(report.stopped?.reason).toMatch(/50% of the org's/);
      expect(report.failed).toHaveLength(600);
      expect(report.failed.every((f) => f.retryable)).toBe(true);
    } finally {
      await fx.control('PATCH', '/options', { salesforceDailyLimit: 100_000 });
    }
  });

  it('many small pushes read /limits once and, once stopped, send nothing more', async () => {
    const limits = await fx.jsforce().limits();
    const used = limits.DailyApiRequests.Max - limits.DailyApiRequests.Remaining;
    await fx.control('PATCH', '/options', { salesforceDailyLimit: (used + 3) * 2 });
    try {
      await clearLog(fx);
      const connector = fx.connector();
      const reports = [];
      for (let i = 0; i < 5; i++) reports.push(await connector.pushScores(scoresFor(ids.slice(i * 100, i * 100 + 100), 7)));
      expect(reports.map((r) => r.written.length)).toEqual([100, 100, 0, 0, 0]);
      expect(reports.slice(2).every((r) => r.stopped?.unwritten === 100 && r.apiCalls === 0)).toBe(true);
      const log = await requests(fx);
      expect(log.filter((r) => r.path.endsWith('/limits'))).toHaveLength(1);
      expect(log).toHaveLength(3);
      expect(connector.planPush?.(150)).toBeNull();
      expect(connector.planPush?.(20_000)).toEqual({ chunkSize: 20_000 });
    } finally {
      await fx.control('PATCH', '/options', { salesforceDailyLimit: 100_000 });
    }
  });

  it('Salesforce\'s own REQUEST_LIMIT_EXCEEDED (others spent the allocation since it was read) also stops cleanly', async () => {
    const connector = fx.connector({ apiShare: 1, maxConcurrent: 1 });
    expect((await connector.pushScores(scoresFor(ids.slice(0, 10), 6))).written).toHaveLength(10); // reads the allocation
    const limits = await fx.jsforce().limits();
    const used = limits.DailyApiRequests.Max - limits.DailyApiRequests.Remaining;
    await fx.control('PATCH', '/options', { salesforceDailyLimit: used });
    try {
      const report = await connector.pushScores(scoresFor(ids.slice(0, 600), 6));
      expect(report.written).toEqual([]);
      expect(report.rateLimited).toBe(1);
      expect(report.stopped?.unwritten).toBe(600);
      expect(report.stopped?.reason).toMatch(/REQUEST_LIMIT_EXCEEDED/);
      // Once refused, later pushes in the same run send nothing.
      await clearLog(fx);
      const later = await connector.pushScores(scoresFor(ids.slice(600, 700), 6));
      expect(later.stopped?.unwritten).toBe(100);
      expect(await requests(fx)).toEqual([]);
    } finally {
      await fx.control('PATCH', '/options', { salesforceDailyLimit: 100_000 });
    }
  });
});

describe('Salesforce pushScores before the fields exist', () => {
  let fx: SalesforceFixture;
  beforeAll(async () => {
    fx = await startSalesforceFixture({ leads: 10 });
  });
  afterAll(async () => fx.close());

  it('Salesforce refuses the whole call (400 INVALID_FIELD on Lead_Score__c): the push stops with what the admin must do, nothing marked failed', async () => {
    const res = await fx.jsforce().query<{ Id: string }>('SELECT Id FROM Lead');
    const err = await fx.connector().pushScores(scoresFor(res.records.map((r) => r.Id))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SalesforceFieldAccessError);
    expect((err as SalesforceFieldAccessError).fields).toContain('Lead_Score__c');
    expect((err as Error).message).toMatch(/No such column 'Lead_Score__c'.*grant field-level security \(Read and Edit\)/);
  });
});
