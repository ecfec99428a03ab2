import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../connectors/sandbox/server.js';
import { connect, control, makeLeads, rejection, startSalesforce } from './helpers.js';

describe('Salesforce sandbox: Bulk API 2.0 ingest', () => {
  let sandbox: RunningSandbox;
  let ids: string[];
  beforeAll(async () => {
    // Open leads only: the updates below would otherwise hit converted ones, which refuse them (converted-leads.test.ts).
    sandbox = await startSalesforce({ seed: makeLeads(3000, 1) });
    const res = await connect(sandbox).query<{ Id: string }>('SELECT Id FROM Lead ORDER BY CreatedDate', { autoFetch: true, maxFetch: 10_000 });
    ids = res.records.map((r) => r.Id);
  });
  afterAll(async () => sandbox.close());

  it('update job end to end with loadAndWaitForResults; a bad row lands in failedResults', async () => {
    const conn = connect(sandbox);
    conn.bulk2.pollInterval = 20;
    const rows = ids.slice(0, 2500).map((Id, i) => ({ Id, score__c: i === 7 ? 'not-a-number' : String(i % 100), job_title__c: i === 8 ? '#N/A' : '' }));
    const results = await conn.bulk2.loadAndWaitForResults({ object: 'Lead', operation: 'update', input: rows, lineEnding: 'LF' });
    expect(results.successfulResults).toHaveLength(2499);
    expect(results.failedResults).toHaveLength(1);
    const failed = results.failedResults[0] as unknown as Record<string, string>;
    expect(failed.sf__Id).toBe(ids[7]);
    expect(failed.sf__Error).toMatch(/^INVALID_TYPE_ON_FIELD_IN_RECORD:.*not-a-number:score__c --$/);
    const ok = results.successfulResults[0] as unknown as Record<string, string>;
    expect(ok).toMatchObject({ sf__Id: ids[0], sf__Created: 'false', Id: ids[0], score__c: '0' });
    expect(results.unprocessedRecords).toEqual([]);

    const check = await conn.query<{ Id: string; score__c: number; job_title__c: string | null }>(
      `SELECT Id, score__c, job_title__c FROM Lead WHERE Id IN ('${ids.slice(5, 10).join("','")}') ORDER BY CreatedDate`,
    );
    expect(check.records.map((r) => r.score__c).filter((_, i) => i !== 2)).toEqual([5, 6, 8, 9]);
    expect(check.records[3].job_title__c).toBeNull(); // #N/A clears a field
    expect(check.records[1].job_title__c).toBe('admin.'); // an empty cell leaves it alone
  });

  it('reports job states Open -> UploadComplete/InProgress -> JobComplete with record counts', async () => {
    const conn = connect(sandbox);
    const job = conn.bulk2.createJob({ object: 'Lead', operation: 'insert' });
    const opened = await job.open();
    expect(opened).toMatchObject({ state: 'Open', object: 'Lead', operation: 'insert', contentType: 'CSV' });
    expect(opened.id).toMatch(/^750/);
    await job.uploadData('LastName,Company,score__c\nAlpha,A Co,10\n"Beta, Jr",B Co,20\nNoCompany,,30\n');
    await job.close();
    expect(job.getInfo().state).toBe('UploadComplete');
    await job.poll(10, 10_000);
    const info = await job.check();
    expect(info).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 3, numberRecordsFailed: 1 });
    const success = await job.getSuccessfulResults();
    expect(success.map((r) => (r as unknown as Record<string, string>).LastName)).toEqual(['Alpha', 'Beta, Jr']);
    expect(success.every((r) => (r as unknown as Record<string, string>).sf__Created === 'true')).toBe(true);
    const failed = await job.getFailedResults();
    expect((failed[0] as unknown as Record<string, string>).sf__Error).toMatch(/^REQUIRED_FIELD_MISSING:Required fields are missing: \[Company\]:Company --$/);
    const created = await conn.query<{ Name: string; score__c: number }>("SELECT Name, score__c FROM Lead WHERE Company IN ('A Co', 'B Co') ORDER BY score__c");
    expect(created.records.map((r) => [r.Name, r.score__c])).toEqual([['Alpha', 10], ['Beta, Jr', 20]]);
  });

  it('fails the whole job when the CSV names an unknown field', async () => {
    const conn = connect(sandbox);
    const job = conn.bulk2.createJob({ object: 'Lead', operation: 'update' });
    await job.open();
    await job.uploadData(`Id,Nope__c\n${ids[0]},1\n`);
    await job.close();
    const err = await rejection(job.poll(10, 10_000));
    expect(err.message).toContain('Field name not found : Nope__c');
  });

  it("reads rows by the job's line ending, and fails the job when a row ends otherwise (a mixed file too)", async () => {
    const conn = connect(sandbox);
    const upload = async (lineEnding: 'LF' | 'CRLF', csv: string) => {
      const job = conn.bulk2.createJob({ object: 'Lead', operation: 'insert', lineEnding });
      await job.open();
      await job.uploadData(csv);
      await job.close();
      return job;
    };
    // A line break inside a quoted value stays in the value, whichever the job's line ending.
    const crlf = await upload('CRLF', 'LastName,Company,Description\r\nGamma,G Co,"two\nlines"\r\nDelta,D Co,x\r\n');
    await crlf.poll(10, 10_000);
    const made = await conn.query<{ Name: string; Description: string }>("SELECT Name, Description FROM Lead WHERE Company IN ('G Co', 'D Co') ORDER BY Name");
    expect(made.records.map((r) => [r.Name, r.Description])).toEqual([['Delta', 'x'], ['Gamma', 'two\nlines']]);

    // One row added by a tool that ends lines in LF alone.
    const mixed = await upload('CRLF', 'LastName,Company\r\nEpsilon,E Co\nZeta,Z Co\r\n');
    expect((await rejection(mixed.poll(10, 10_000))).message).toContain('LineEnding is invalid on user data. Current LineEnding setting is CRLF');
    const windows = await upload('LF', 'LastName,Company\r\nEta,H Co\r\n');
    expect((await rejection(windows.poll(10, 10_000))).message).toContain('LineEnding is invalid on user data. Current LineEnding setting is LF');
    expect((await windows.check()).numberRecordsProcessed).toBe(0);
    const none = await conn.query("SELECT Id FROM Lead WHERE Company IN ('E Co', 'Z Co', 'H Co')");
    expect(none.totalSize).toBe(0);
  });

  it('a partial-batch fault on the upload fails that share of rows with UNABLE_TO_LOCK_ROW', async () => {
    const conn = connect(sandbox);
    conn.bulk2.pollInterval = 20;
    await control(sandbox, 'POST', '/faults', { kind: 'partial-batch', pathPattern: '/jobs/ingest/.*/batches$', share: 0.1, count: 1 });
    const rows = ids.slice(0, 200).map((Id) => ({ Id, score__c: '1' }));
    const results = await conn.bulk2.loadAndWaitForResults({ object: 'Lead', operation: 'update', input: rows });
    expect(results.failedResults).toHaveLength(20);
    expect(results.failedResults.every((r) => String((r as unknown as Record<string, string>).sf__Error).startsWith('UNABLE_TO_LOCK_ROW:'))).toBe(true);
  });
});

describe('Salesforce sandbox: daily API limit', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSalesforce({ salesforceDailyLimit: 8 });
  });
  afterAll(async () => sandbox.close());

  it('counts DailyApiRequests down per request, then answers 403 REQUEST_LIMIT_EXCEEDED', async () => {
    const conn = connect(sandbox);
    const first = (await conn.limits()).DailyApiRequests;
    expect(first).toEqual({ Max: 8, Remaining: 7 });
    await conn.query('SELECT Id FROM Lead');
    expect((await conn.limits()).DailyApiRequests.Remaining).toBe(5);
    expect(conn.limitInfo.apiUsage).toEqual({ used: 3, limit: 8 });
    for (let i = 0; i < 5; i++) await conn.query('SELECT Id FROM Lead');
    const err = await rejection(conn.query('SELECT Id FROM Lead'));
    expect(err.errorCode).toBe('REQUEST_LIMIT_EXCEEDED');
    expect(err.message).toBe('TotalRequests Limit exceeded.');
    const res = await fetch(`${sandbox.url}/services/data/v60.0/limits`, { headers: { authorization: `Bearer ${sandbox.token}` } });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual([{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
    // A new sandbox-clock day restores the allocation.
    await control(sandbox, 'POST', '/clock/advance', { ms: 86_400_000 });
    expect((await conn.limits()).DailyApiRequests).toEqual({ Max: 8, Remaining: 7 });
  });
});
