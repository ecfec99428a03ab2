import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../connectors/sandbox/server.js';
import { connect, control, makeLeads, startSalesforce } from './helpers.js';

describe('Salesforce sandbox: state across restarts and resets', () => {
  let sandbox: RunningSandbox;
  const dir = mkdtempSync(join(tmpdir(), 'sf-state-'));
  const stateFile = join(dir, 'state.json');
  const seed = makeLeads(1500);

  beforeAll(async () => {
    sandbox = await startSalesforce({ seed, stateFile });
  });
  afterAll(async () => {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps records, custom fields, deletions and hidden outcomes through --state', async () => {
    const conn = connect(sandbox);
    await conn.tooling.sobject('CustomField').create({ FullName: 'Lead.Lead_Score__c', Metadata: { label: 'Lead Score', type: 'Number', precision: 3, scale: 0 } });
    const target = (await conn.query<{ Id: string; score__c: number }>('SELECT Id, score__c FROM Lead WHERE IsConverted = false ORDER BY CreatedDate LIMIT 1')).records[0];
    await conn.sobject('Lead').update({ Id: target.Id, Lead_Score__c: 42 });
    await conn.sobject('Lead').destroy((await conn.query<{ Id: string }>('SELECT Id FROM Lead ORDER BY CreatedDate DESC LIMIT 1')).records[0].Id);
    const hiddenBefore = await control<{ salesforce: Record<string, string> }>(sandbox, 'GET', '/hidden');
    await sandbox.close();

    sandbox = await startSalesforce({ stateFile });
    expect(sandbox.loadedFrom).toBe('state');
    const again = connect(sandbox);
    const row = await again.sobject('Lead').retrieve(target.Id);
    expect(row.Lead_Score__c).toBe(42);
    expect(row.score__c).toBe(target.score__c);
    expect((await again.query('SELECT COUNT() FROM Lead')).totalSize).toBe(seed.length - 1);
    expect((await again.query('SELECT COUNT() FROM Lead WHERE IsDeleted = true', { scanAll: true })).totalSize).toBe(1);
    expect((await again.sobject('Lead').describe()).fields.some((f) => f.name === 'Lead_Score__c')).toBe(true);
    expect(await control(sandbox, 'GET', '/hidden')).toEqual(hiddenBefore);
    // Ids keep counting from where they were: no new record reuses an old id.
    const created = await again.sobject('Lead').create({ LastName: 'After', Company: 'Restart' });
    expect((await again.query(`SELECT COUNT() FROM Lead WHERE Id = '${created.id}'`)).totalSize).toBe(1);
    expect(created.id).not.toBe(target.Id);
  });

  it('reset empties Salesforce (custom fields included) and reseeds', async () => {
    const conn = connect(sandbox);
    await control(sandbox, 'POST', '/reset', { reseed: false });
    expect((await conn.query('SELECT COUNT() FROM Lead')).totalSize).toBe(0);
    expect((await conn.sobject('Lead').describe()).fields.some((f) => f.name === 'Lead_Score__c')).toBe(false);
  });
});
