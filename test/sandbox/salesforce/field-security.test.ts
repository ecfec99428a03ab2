import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../connectors/sandbox/server.js';
import { connect, control, makeLeads, rejection, startSalesforce } from './helpers.js';

/**
 * A custom field created through the Tooling API has no field-level security for the integration
 * user in a real org until an admin grants it: describe leaves it out, and a query or write naming
 * it is INVALID_FIELD. The sandbox does so with salesforceFieldSecurity on (its default); off the
 * field is usable at once.
 */
const METADATA = { label: 'Lead Score', type: 'Number', precision: 3, scale: 0 };

describe('Salesforce sandbox: field-level security on new custom fields', () => {
  let sandbox: RunningSandbox;
  let ids: string[];
  beforeAll(async () => {
    sandbox = await startSalesforce({ seed: makeLeads(20, 0.5) });
    const res = await connect(sandbox).query<{ Id: string }>('SELECT Id FROM Lead WHERE IsConverted = false ORDER BY CreatedDate');
    ids = res.records.map((r) => r.Id);
  });
  afterEach(async () => control(sandbox, 'PATCH', '/options', { salesforceFieldSecurity: false }));
  afterAll(async () => sandbox.close());

  const described = async () => (await connect(sandbox).sobject('Lead').describe()).fields.map((f) => f.name);

  it('on: the new field is listed by Tooling but hidden from describe, queries and writes until granted', async () => {
    await control(sandbox, 'PATCH', '/options', { salesforceFieldSecurity: true });
    const conn = connect(sandbox);
    const created = await conn.tooling.sobject('CustomField').create({ FullName: 'Lead.Secured_Score__c', Metadata: METADATA });
    expect(created).toMatchObject({ success: true });
    const listed = await conn.tooling.query<{ DeveloperName: string }>("SELECT DeveloperName FROM CustomField WHERE TableEnumOrId = 'Lead'");
    expect(listed.records.map((r) => r.DeveloperName)).toContain('Secured_Score');
    expect(await described()).not.toContain('Secured_Score__c');

    const query = await rejection(conn.query('SELECT Id, Secured_Score__c FROM Lead'));
    expect(query.errorCode).toBe('INVALID_FIELD');
    expect(query.message).toContain("No such column 'Secured_Score__c' on entity 'Lead'");
    const write = await rejection(conn.sobject('Lead').update({ Id: ids[0], Secured_Score__c: 50 }));
    expect(write.errorCode).toBe('INVALID_FIELD');
    const batch = await rejection(conn.sobject('Lead').update([{ Id: ids[0], Secured_Score__c: 50 }, { Id: ids[1], Secured_Score__c: 60 }], { allOrNone: false }));
    expect(batch.errorCode).toBe('INVALID_FIELD');
    // An update of its metadata does not grant it; a second create is still a duplicate.
    await conn.tooling.sobject('CustomField').update({ Id: created.id!, Metadata: { ...METADATA, description: 'leadlift' } });
    expect(await described()).not.toContain('Secured_Score__c');
    const dup = await rejection(conn.tooling.sobject('CustomField').create({ FullName: 'Lead.Secured_Score__c', Metadata: METADATA }));
    expect(dup.errorCode).toBe('DUPLICATE_DEVELOPER_NAME');

    expect(await control(sandbox, 'POST', '/salesforce/field-security', { fields: ['Lead.Secured_Score__c'] })).toEqual({ granted: ['Lead.Secured_Score__c'], ungranted: [], readOnly: [] });
    expect(await described()).toContain('Secured_Score__c');
    await conn.sobject('Lead').update({ Id: ids[0], Secured_Score__c: 50 });
    const read = await conn.query<{ Secured_Score__c: number }>(`SELECT Secured_Score__c FROM Lead WHERE Id = '${ids[0]}'`);
    expect(read.records.map((r) => r.Secured_Score__c)).toEqual([50]);
  });

  it('Read Access without Edit: describe lists the field not createable or updateable, queries read it, every write is INVALID_FIELD_FOR_INSERT_UPDATE', async () => {
    const conn = connect(sandbox);
    await conn.tooling.sobject('CustomField').create({ FullName: 'Lead.Viewed_Score__c', Metadata: METADATA });
    await conn.sobject('Lead').update({ Id: ids[2], Viewed_Score__c: 40 });
    expect(await control(sandbox, 'POST', '/salesforce/field-security', { fields: ['Lead.Viewed_Score__c'], access: 'read' }))
      .toMatchObject({ granted: ['Lead.Viewed_Score__c'], readOnly: ['Lead.Viewed_Score__c'] });
    try {
      const field = (await conn.sobject('Lead').describe()).fields.find((f) => f.name === 'Viewed_Score__c');
      expect(field).toMatchObject({ createable: false, updateable: false, custom: true, type: 'double' });
      const read = await conn.query<{ Viewed_Score__c: number }>(`SELECT Viewed_Score__c FROM Lead WHERE Id = '${ids[2]}'`);
      expect(read.records.map((r) => r.Viewed_Score__c)).toEqual([40]);

      const refusal = {
        statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
        message: 'Unable to create/update fields: Viewed_Score__c. Please check the security settings of this field and verify that it is read/write for your profile or permission set.',
        fields: ['Viewed_Score__c'],
      };
      const single = await rejection(conn.sobject('Lead').update({ Id: ids[2], Viewed_Score__c: 41 }));
      expect(single.errorCode).toBe(refusal.statusCode);
      expect(single.message).toBe(refusal.message);
      expect(single.data).toMatchObject({ errorCode: refusal.statusCode, fields: refusal.fields });
      // sObject Collections: a SaveResult error per record (the field exists), not a 400 for the call.
      const batch = await conn.sobject('Lead').update([{ Id: ids[2], Viewed_Score__c: 42 }, { Id: ids[3], Viewed_Score__c: 43 }], { allOrNone: false });
      expect(batch.map((r) => (r.success ? 'ok' : r.errors[0]))).toEqual([refusal, refusal]);
      // Bulk API 2.0: the job completes; each row fails with the code, message and field list.
      conn.bulk2.pollInterval = 20;
      const job = await conn.bulk2.loadAndWaitForResults({ object: 'Lead', operation: 'update', input: [{ Id: ids[2], Viewed_Score__c: '44' }], lineEnding: 'LF' });
      expect(job.successfulResults).toEqual([]);
      expect(job.failedResults.map((r) => (r as unknown as Record<string, string>).sf__Error)).toEqual([`${refusal.statusCode}:${refusal.message}:Viewed_Score__c --`]);
      const after = await conn.query<{ Id: string; Viewed_Score__c: number | null }>(`SELECT Id, Viewed_Score__c FROM Lead WHERE Id IN ('${ids[2]}', '${ids[3]}')`);
      expect(Object.fromEntries(after.records.map((r) => [r.Id, r.Viewed_Score__c]))).toEqual({ [ids[2]]: 40, [ids[3]]: null });
    } finally {
      await control(sandbox, 'POST', '/salesforce/field-security', { fields: ['Lead.Viewed_Score__c'], access: 'edit' });
    }
    await conn.sobject('Lead').update({ Id: ids[2], Viewed_Score__c: 45 });
  });

  it('off: a new field is in describe and writable at once', async () => {
    const conn = connect(sandbox);
    await conn.tooling.sobject('CustomField').create({ FullName: 'Lead.Open_Score__c', Metadata: METADATA });
    expect(await described()).toContain('Open_Score__c');
    await conn.sobject('Lead').update({ Id: ids[1], Open_Score__c: 70 });
    const read = await conn.query<{ Open_Score__c: number }>(`SELECT Open_Score__c FROM Lead WHERE Id = '${ids[1]}'`);
    expect(read.records.map((r) => r.Open_Score__c)).toEqual([70]);
  });

  it('a field still ungranted, or granted Read alone, stays so through --state', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sf-fls-'));
    const stateFile = join(dir, 'state.json');
    let saved = await startSalesforce({ stateFile });
    try {
      await control(saved, 'PATCH', '/options', { salesforceFieldSecurity: true });
      await connect(saved).tooling.sobject('CustomField').create({ FullName: 'Lead.Kept_Score__c', Metadata: METADATA });
      await connect(saved).tooling.sobject('CustomField').create({ FullName: 'Lead.Seen_Score__c', Metadata: METADATA });
      await control(saved, 'POST', '/salesforce/field-security', { fields: ['Lead.Seen_Score__c'], access: 'read' });
      await saved.close();
      saved = await startSalesforce({ stateFile });
      expect(saved.loadedFrom).toBe('state');
      const names = async () => (await connect(saved).sobject('Lead').describe()).fields.map((f) => f.name);
      expect(await names()).not.toContain('Kept_Score__c');
      const seen = (await connect(saved).sobject('Lead').describe()).fields.find((f) => f.name === 'Seen_Score__c');
      expect(seen).toMatchObject({ createable: false, updateable: false });
      await control(saved, 'POST', '/salesforce/field-security', { fields: ['Lead.Kept_Score__c'] });
      expect(await names()).toContain('Kept_Score__c');
    } finally {
      await saved.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
