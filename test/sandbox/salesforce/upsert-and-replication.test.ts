import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../connectors/sandbox/server.js';
import { connect, control, makeLeads, rejection, startSalesforce } from './helpers.js';

describe('Salesforce sandbox: single-record update rules, upsert, updated/deleted, unserved resources', () => {
  let sandbox: RunningSandbox;
  const raw = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${sandbox.url}/services/data/v60.0${path}`, {
      method,
      headers: { authorization: `Bearer ${sandbox.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: res.status === 204 ? null : await res.json() };
  };

  beforeAll(async () => {
    sandbox = await startSalesforce({ seed: makeLeads(20) });
    await connect(sandbox).tooling.sobject('CustomField').create({
      FullName: 'Lead.External_Id__c',
      Metadata: { label: 'External Id', type: 'Text', length: 40, externalId: true, unique: true },
    });
  });
  afterAll(async () => sandbox.close());

  it('PATCH of a record with Id in the body is the 400 INVALID_FIELD Salesforce answers, nothing changed', async () => {
    const conn = connect(sandbox);
    const { id } = (await conn.sobject('Lead').create({ LastName: 'Probe', Company: 'Acme' })) as { id: string };
    const res = await raw('PATCH', `/sobjects/Lead/${id}`, { Id: id, Company: 'Changed' });
    expect(res).toEqual({ status: 400, body: [{ message: 'The Id field should not be specified in the sobject data.', errorCode: 'INVALID_FIELD' }] });
    expect(((await conn.sobject('Lead').retrieve(id)) as { Company: string }).Company).toBe('Acme');
    // jsforce's update() takes the Id out of the body itself, so it still works.
    await conn.sobject('Lead').update({ Id: id, Company: 'Acme2' });
    expect(((await conn.sobject('Lead').retrieve(id)) as { Company: string }).Company).toBe('Acme2');
  });

  it('upsert by an External ID field creates (201, created: true), then updates (200, created: false)', async () => {
    const lead = connect(sandbox).sobject('Lead');
    const first = (await lead.upsert({ External_Id__c: 'EXT-1', LastName: 'Up', Company: 'C1' }, 'External_Id__c')) as { id: string; created: boolean; success: boolean };
    expect(first).toMatchObject({ success: true, created: true, errors: [] });
    const second = (await lead.upsert({ External_Id__c: 'ext-1', Company: 'C2' }, 'External_Id__c')) as { id: string; created: boolean };
    expect(second).toMatchObject({ id: first.id, created: false });
    const stored = (await lead.retrieve(first.id)) as { Company: string; External_Id__c: string };
    expect(stored).toMatchObject({ Company: 'C2', External_Id__c: 'EXT-1' });
    const created = await raw('PATCH', '/sobjects/Lead/External_Id__c/EXT-2', { LastName: 'Raw', Company: 'R' });
    expect(created.status).toBe(201);
  });

  it('upsert by Id updates an existing record and is NOT_FOUND for an id no record has; a non-external field is refused', async () => {
    const conn = connect(sandbox);
    const { id } = (await conn.sobject('Lead').create({ LastName: 'ById', Company: 'A' })) as { id: string };
    expect(await conn.sobject('Lead').upsert({ Id: id, Company: 'B' }, 'Id')).toMatchObject({ id, created: false });
    const missing = await raw('PATCH', '/sobjects/Lead/Id/00Q000000000000AAA', { Company: 'x' });
    expect(missing.status).toBe(404);
    const notExternal = await rejection(conn.sobject('Lead').upsert({ Email: 'a@b.test', LastName: 'x', Company: 'y' }, 'Email'));
    expect(notExternal.errorCode).toBe('NOT_FOUND');
    expect(notExternal.message).toBe('Provided external ID field does not exist or is not accessible: Email');
  });

  it('updated() and deleted() list what changed in the window, on the sandbox clock', async () => {
    const conn = connect(sandbox);
    const { now } = await control<{ now: number }>(sandbox, 'GET', '/clock');
    const start = new Date(now - 3_600_000);
    const { id } = (await conn.sobject('Lead').create({ LastName: 'Fresh', Company: 'F' })) as { id: string };
    const { id: gone } = (await conn.sobject('Lead').create({ LastName: 'Gone', Company: 'G' })) as { id: string };
    await conn.sobject('Lead').destroy(gone);
    await control(sandbox, 'POST', '/clock/advance', { ms: 120_000 });
    const end = new Date(now + 120_000);
    const updated = await conn.sobject('Lead').updated(start.toISOString(), end.toISOString());
    expect(updated.ids).toContain(id);
    expect(updated.ids).not.toContain(gone);
    expect(updated.latestDateCovered).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000\+0000$/);
    const deleted = await conn.sobject('Lead').deleted(start.toISOString(), end.toISOString());
    expect(deleted.deletedRecords.map((r) => r.id)).toEqual([gone]);
    const tooOld = await rejection(conn.sobject('Lead').updated(new Date(now - 31 * 86_400_000).toISOString(), end.toISOString()));
    expect(tooOld.errorCode).toBe('INVALID_REPLICATION_DATE');
  });

  it('a resource the sandbox does not serve is NOT_FOUND in Salesforce shape, saying the sandbox does not serve it', async () => {
    for (const [method, path] of [['POST', '/composite'], ['POST', '/jobs/query']]) {
      const res = await raw(method, path, {});
      expect(res.status).toBe(404);
      expect(res.body).toEqual([{ errorCode: 'NOT_FOUND', message: `The requested resource does not exist (the leadlift sandbox does not serve ${method} /services/data/v60.0${path})` }]);
    }
  });
});
