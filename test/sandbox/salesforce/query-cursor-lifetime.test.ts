import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueryResult } from 'jsforce';
import type { RunningSandbox } from '../../../connectors/sandbox/server.js';
import { connect, control, makeLeads, rejection, startSalesforce } from './helpers.js';

/**
 * Since API 56.0 a query cursor lives two days and there is no limit on how many a user holds
 * open ("API Query Cursor Limits", Salesforce App Limits Cheatsheet); the old rule was 10 per
 * user, released after 15 idle minutes. A client that keeps many locators, or pages slowly (a pull
 * waiting on its API share, a test that moves the clock), must not lose them here either.
 */
describe('Salesforce sandbox: query locators live two days, however many are open', () => {
  let sandbox: RunningSandbox;
  const headers = { 'Sforce-Query-Options': 'batchSize=200' };
  beforeAll(async () => {
    sandbox = await startSalesforce({ seed: makeLeads(300) });
  });
  afterAll(async () => sandbox.close());

  const firstPage = async () =>
    (await connect(sandbox).query('SELECT Id FROM Lead ORDER BY CreatedDate', { headers, autoFetch: false } as never)) as QueryResult<{ Id: string }>;

  it('sixty open cursors all still page after an idle hour; two days after its query a cursor is gone', async () => {
    const pages = [];
    for (let i = 0; i < 60; i++) pages.push(await firstPage());
    expect(pages[0]).toMatchObject({ done: false, totalSize: 300 });
    await control(sandbox, 'POST', '/clock/advance', { ms: 60 * 60_000 });
    const conn = connect(sandbox);
    for (const page of pages) {
      const next = await conn.queryMore<{ Id: string }>(page.nextRecordsUrl!, { headers } as never);
      expect(next.done).toBe(true);
      expect(next.records).toHaveLength(100);
    }

    const aging = await firstPage();
    await control(sandbox, 'POST', '/clock/advance', { ms: 2 * 86_400_000 + 60_000 });
    const err = await rejection(conn.queryMore(aging.nextRecordsUrl!));
    expect(err.errorCode).toBe('INVALID_QUERY_LOCATOR');
  });
});
