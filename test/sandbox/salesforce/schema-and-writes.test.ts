import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../connectors/sandbox/server.js';
import { connect, control, makeLeads, rejection, startSalesforce } from './helpers.js';

interface FieldInfo {
  name: string;
  type: string;
  custom: boolean;
  updateable: boolean;
  precision: number;
  scale: number;
  length: number;
  picklistValues: Array<{ value: string }>;
}

async function leadFields(sandbox: RunningSandbox): Promise<Map<string, FieldInfo>> {
  const d = await connect(sandbox).sobject('Lead').describe();
  return new Map((d.fields as unknown as FieldInfo[]).map((f) => [f.name, f]));
}

describe('Salesforce sandbox: describe, Tooling CustomField, record writes', () => {
  let sandbox: RunningSandbox;
  let ids: string[];
  beforeAll(async () => {
    sandbox = await startSalesforce({ seed: makeLeads(400, 0.5) });
    const res = await connect(sandbox).query<{ Id: string }>('SELECT Id FROM Lead WHERE IsConverted = false ORDER BY CreatedDate');
    ids = res.records.map((r) => r.Id);
  });
  afterAll(async () => sandbox.close());

  it('describes Lead, Contact and Opportunity with standard and seeded fields', async () => {
    const conn = connect(sandbox);
    const fields = await leadFields(sandbox);
    expect(fields.get('Status')).toMatchObject({ type: 'picklist', custom: false });
    expect(fields.get('Status')!.picklistValues.map((p) => p.value)).toContain('Closed - Not Converted');
    expect(fields.get('IsConverted')).toMatchObject({ type: 'boolean', updateable: false });
    expect(fields.get('SystemModstamp')).toMatchObject({ type: 'datetime', updateable: false });
    expect(fields.get('score__c')).toMatchObject({ type: 'double', custom: true, updateable: true });
    expect(fields.get('emp_var_rate__c')).toMatchObject({ type: 'double', scale: 1 });
    expect(fields.get('job_title__c')).toMatchObject({ type: 'string', custom: true, length: 255 });
    const opp = await conn.sobject('Opportunity').describe();
    expect(opp.fields.map((f) => f.name)).toEqual(expect.arrayContaining(['StageName', 'IsClosed', 'IsWon', 'CloseDate', 'Amount']));
    const global = await conn.describeGlobal();
    expect(global.sobjects.map((s) => s.name)).toEqual(expect.arrayContaining(['Lead', 'Contact', 'Opportunity']));
    const unknown = await rejection(conn.sobject('Widget__c').describe());
    expect(unknown.errorCode).toBe('NOT_FOUND');
  });

  it('Tooling CustomField create: the field appears in describe and becomes writable and queryable', async () => {
    const conn = connect(sandbox);
    expect((await leadFields(sandbox)).has('Lead_Score__c')).toBe(false);
    const created = await conn.tooling.sobject('CustomField').create({
      FullName: 'Lead.Lead_Score__c',
      Metadata: { label: 'Lead Score', type: 'Number', precision: 3, scale: 0, description: 'leadlift score' },
    });
    expect(created).toMatchObject({ success: true });
    expect(created.id).toMatch(/^00N/);
    const field = (await leadFields(sandbox)).get('Lead_Score__c');
    expect(field).toMatchObject({ type: 'double', custom: true, precision: 3, scale: 0, updateable: true });

    const found = await conn.tooling.query<{ Id: string; DeveloperName: string; TableEnumOrId: string }>(
      "SELECT Id, DeveloperName, TableEnumOrId FROM CustomField WHERE TableEnumOrId = 'Lead' AND DeveloperName IN ('Lead_Score', 'Nothing')",
    );
    expect(found.records.map((r) => [r.Id, r.DeveloperName, r.TableEnumOrId])).toEqual([[created.id, 'Lead_Score', 'Lead']]);

    await conn.sobject('Lead').update({ Id: ids[0], Lead_Score__c: 87 });
    const read = await conn.query<{ Lead_Score__c: number }>(`SELECT Lead_Score__c FROM Lead WHERE Lead_Score__c > 80`);
    expect(read.records.map((r) => r.Lead_Score__c)).toEqual([87]);

    const dup = await rejection(conn.tooling.sobject('CustomField').create({ FullName: 'Lead.Lead_Score__c', Metadata: { label: 'Again', type: 'Number', precision: 3, scale: 0 } }));
    expect(dup.errorCode).toBe('DUPLICATE_DEVELOPER_NAME');
    const noPrecision = await rejection(conn.tooling.sobject('CustomField').create({ FullName: 'Lead.Other__c', Metadata: { label: 'Other', type: 'Number' } }));
    expect(noPrecision.errorCode).toBe('FIELD_INTEGRITY_EXCEPTION');
  });

  it('Tooling: creates text, long text, datetime and picklist fields and updates picklist values', async () => {
    const tooling = connect(sandbox).tooling.sobject('CustomField');
    await tooling.create({ FullName: 'Lead.Lead_Score_Model__c', Metadata: { label: 'Lead Score Model', type: 'Text', length: 80 } });
    await tooling.create({ FullName: 'Lead.Lead_Score_Reasons__c', Metadata: { label: 'Lead Score Reasons', type: 'LongTextArea', length: 32768, visibleLines: 5 } });
    await tooling.create({ FullName: 'Lead.Lead_Score_Updated__c', Metadata: { label: 'Lead Score Updated', type: 'DateTime' } });
    const tier = await tooling.create({
      FullName: 'Lead.Lead_Score_Tier__c',
      Metadata: {
        label: 'Lead Score Tier',
        type: 'Picklist',
        valueSet: { restricted: true, valueSetDefinition: { value: [{ fullName: 'A', label: 'A', default: false }, { fullName: 'B', label: 'B', default: false }] } },
      },
    });
    let fields = await leadFields(sandbox);
    expect(fields.get('Lead_Score_Reasons__c')).toMatchObject({ type: 'textarea', length: 32768 });
    expect(fields.get('Lead_Score_Updated__c')).toMatchObject({ type: 'datetime' });
    expect(fields.get('Lead_Score_Tier__c')!.picklistValues.map((p) => p.value)).toEqual(['A', 'B']);

    const conn = connect(sandbox);
    const refused = await rejection(conn.sobject('Lead').update({ Id: ids[1], Lead_Score_Tier__c: 'C' }));
    expect(refused.errorCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');

    const current = await conn.tooling.query<{ Id: string; Metadata: Record<string, unknown> }>(
      `SELECT Id, Metadata FROM CustomField WHERE Id = '${tier.id}'`,
    );
    const metadata = current.records[0].Metadata as { valueSet: { valueSetDefinition: { value: unknown[] } } };
    metadata.valueSet.valueSetDefinition.value.push({ fullName: 'C', label: 'C', default: false });
    await conn.tooling.sobject('CustomField').update({ Id: tier.id!, Metadata: metadata });
    fields = await leadFields(sandbox);
    expect(fields.get('Lead_Score_Tier__c')!.picklistValues.map((p) => p.value)).toEqual(['A', 'B', 'C']);
    await conn.sobject('Lead').update({ Id: ids[1], Lead_Score_Tier__c: 'C', Lead_Score_Updated__c: '2024-03-01T10:00:00.000Z' });
    const row = await conn.sobject('Lead').retrieve(ids[1]);
    expect(row.Lead_Score_Tier__c).toBe('C');
    expect(row.Lead_Score_Updated__c).toBe('2024-03-01T10:00:00.000+0000');

    const many = await rejection(conn.tooling.query("SELECT Id, Metadata FROM CustomField WHERE TableEnumOrId = 'Lead'"));
    expect(many.errorCode).toBe('MALFORMED_QUERY');
  });

  it('single-record create, retrieve, update and delete', async () => {
    const lead = connect(sandbox).sobject('Lead');
    const created = await lead.create({ LastName: 'Nguyen', Company: 'Acme', Email: 'n@acme.example' });
    expect(created.success).toBe(true);
    expect(created.id).toMatch(/^00Q[A-Za-z0-9]{15}$/);
    const row = await lead.retrieve(created.id!);
    expect(row).toMatchObject({ Name: 'Nguyen', Company: 'Acme', Status: 'Open - Not Contacted', IsConverted: false, IsDeleted: false });
    const missing = await rejection(lead.create({ LastName: 'NoCompany' }));
    expect(missing.errorCode).toBe('REQUIRED_FIELD_MISSING');
    const badEmail = await rejection(lead.create({ LastName: 'X', Company: 'Y', Email: 'not-an-email' }));
    expect(badEmail.errorCode).toBe('INVALID_EMAIL_ADDRESS');
    const readOnly = await rejection(lead.update({ Id: created.id!, IsConverted: true }));
    expect(readOnly.errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
    const unknown = await rejection(lead.update({ Id: created.id!, Nope__c: 1 }));
    expect(unknown.errorCode).toBe('INVALID_FIELD');
    await lead.update({ Id: created.id!, FirstName: 'Lan' });
    expect((await lead.retrieve(created.id!)).Name).toBe('Lan Nguyen');
    await lead.destroy(created.id!);
    const gone = await rejection(lead.retrieve(created.id!));
    expect(gone.errorCode).toBe('NOT_FOUND');
  });

  it('SystemModstamp and LastModifiedDate move to the sandbox clock on every write', async () => {
    const conn = connect(sandbox);
    const id = ids[2];
    const before = await conn.sobject('Lead').retrieve(id);
    await control(sandbox, 'POST', '/clock/advance', { ms: 3 * 86_400_000 });
    const { now: clock } = await control<{ now: number }>(sandbox, 'GET', '/clock');
    // Salesforce keeps datetimes to the second (datetime-seconds.test.ts).
    const now = Math.floor(clock / 1000) * 1000;
    await conn.sobject('Lead').update({ Id: id, Lead_Score__c: 12 });
    const after = await conn.sobject('Lead').retrieve(id);
    expect(Date.parse(after.SystemModstamp as string)).toBeGreaterThan(Date.parse(before.SystemModstamp as string));
    expect(Date.parse(after.SystemModstamp as string)).toBeGreaterThanOrEqual(now);
    expect(Date.parse(after.SystemModstamp as string)).toBeLessThan(now + 60_000);
    expect(after.LastModifiedDate).toBe(after.SystemModstamp);
    expect(after.CreatedDate).toBe(before.CreatedDate);
    const since = new Date(now).toISOString();
    const changed = await conn.query<{ Id: string }>(`SELECT Id FROM Lead WHERE SystemModstamp >= ${since}`);
    expect(changed.records.map((r) => r.Id)).toEqual([id]);
  });

  it('collections update with allOrNone=false: good records are written, the bad one fails alone', async () => {
    const conn = connect(sandbox);
    const batch = ids.slice(10, 15).map((Id, i) => ({ Id, Lead_Score__c: i === 2 ? 1000 : 50 + i }));
    const results = await conn.sobject('Lead').update(batch, { allOrNone: false });
    expect(results.map((r) => r.success)).toEqual([true, true, false, true, true]);
    expect(results[0]).toEqual({ id: ids[10], success: true, errors: [] });
    const failed = results[2] as unknown as { errors: Array<{ statusCode: string; message: string; fields: string[] }> };
    expect(failed.errors).toEqual([{ statusCode: 'NUMBER_OUTSIDE_VALID_RANGE', message: 'Lead Score: value outside of valid range on numeric field: 1000', fields: ['Lead_Score__c'] }]);
    const stored = await conn.query<{ Id: string; Lead_Score__c: number | null }>(
      `SELECT Id, Lead_Score__c FROM Lead WHERE Id IN ('${ids.slice(10, 15).join("','")}') ORDER BY CreatedDate`,
    );
    expect(stored.records.map((r) => r.Lead_Score__c)).toEqual([50, 51, null, 53, 54]);
  });

  it('collections update with allOrNone=true: one bad record rolls every record back', async () => {
    const conn = connect(sandbox);
    const batch = ids.slice(20, 24).map((Id, i) => ({ Id, Lead_Score__c: i === 3 ? -5000 : 70 }));
    const results = await conn.sobject('Lead').update(batch, { allOrNone: true });
    expect(results.every((r) => !r.success)).toBe(true);
    const codes = results.map((r) => (r as unknown as { errors: Array<{ statusCode: string }> }).errors[0].statusCode);
    expect(codes).toEqual(['ALL_OR_NONE_OPERATION_ROLLED_BACK', 'ALL_OR_NONE_OPERATION_ROLLED_BACK', 'ALL_OR_NONE_OPERATION_ROLLED_BACK', 'NUMBER_OUTSIDE_VALID_RANGE']);
    const stored = await conn.query(`SELECT Id FROM Lead WHERE Lead_Score__c = 70`);
    expect(stored.totalSize).toBe(0);
  });

  it('collections refuse more than 200 records; a partial-batch fault fails a share with UNABLE_TO_LOCK_ROW', async () => {
    const conn = connect(sandbox);
    const tooMany = Array.from({ length: 201 }, (_, i) => ({ Id: ids[i % ids.length], Lead_Score__c: 1 }));
    const err = await rejection(conn.request({ method: 'PATCH', url: '/services/data/v60.0/composite/sobjects', body: JSON.stringify({ allOrNone: false, records: tooMany.map((r) => ({ attributes: { type: 'Lead' }, id: r.Id, Lead_Score__c: 1 })) }), headers: { 'content-type': 'application/json' } }));
    expect(err.errorCode).toBe('EXCEEDED_ID_LIMIT');

    await control(sandbox, 'POST', '/faults', { kind: 'partial-batch', method: 'PATCH', pathPattern: '/composite/sobjects$', share: 0.25, count: 1 });
    const batch = ids.slice(30, 50).map((Id) => ({ Id, Lead_Score__c: 33 }));
    const results = await conn.sobject('Lead').update(batch, { allOrNone: false });
    const failed = results.filter((r) => !r.success) as unknown as Array<{ errors: Array<{ statusCode: string }> }>;
    expect(failed).toHaveLength(5);
    expect(failed.every((r) => r.errors[0].statusCode === 'UNABLE_TO_LOCK_ROW')).toBe(true);
    expect((await conn.query('SELECT Id FROM Lead WHERE Lead_Score__c = 33')).totalSize).toBe(15);
    // The rule was good for one call only.
    const again = await conn.sobject('Lead').update(batch, { allOrNone: false });
    expect(again.every((r) => r.success)).toBe(true);
  });

  it('collections create and delete', async () => {
    const conn = connect(sandbox);
    const created = await conn.sobject('Contact').create([{ LastName: 'A' }, { FirstName: 'NoLast' }, { LastName: 'C' }], { allOrNone: false });
    expect(created.map((r) => r.success)).toEqual([true, false, true]);
    const okIds = created.filter((r) => r.success).map((r) => r.id!);
    expect(okIds.every((id) => id.startsWith('003'))).toBe(true);
    const deleted = await conn.sobject('Contact').destroy(okIds);
    expect(deleted.every((r) => r.success)).toBe(true);
    expect((await conn.query(`SELECT Id FROM Contact WHERE Id IN ('${okIds.join("','")}')`)).totalSize).toBe(0);
  });
});
