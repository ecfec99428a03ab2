import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SeedLead } from '../../../connectors/sandbox/context.js';
import type { RunningSandbox } from '../../../connectors/sandbox/server.js';
import { connect, control, makeLeads, rejection, startSalesforce } from './helpers.js';

interface HistoryRow {
  LeadId: string;
  Field: string;
  OldValue: unknown;
  NewValue: unknown;
  CreatedDate: string;
}

const FIELDS = 'LeadId, Field, OldValue, NewValue, CreatedDate';

describe('Salesforce sandbox: LeadHistory (field history tracking on Lead Status)', () => {
  let sandbox: RunningSandbox;
  let leads: SeedLead[];
  let openIds: string[];
  let notConvertedId: string;
  let notConverted: SeedLead;

  beforeAll(async () => {
    leads = makeLeads(40, 0.5);
    sandbox = await startSalesforce({ seed: leads });
    const conn = connect(sandbox);
    const rows = await conn.query<{ Id: string; lead_id__c: string; Status: string; IsConverted: boolean }>('SELECT Id, lead_id__c, Status, IsConverted FROM Lead ORDER BY CreatedDate');
    const byExternal = new Map(leads.map((l) => [l.externalId, l]));
    openIds = rows.records.filter((r) => byExternal.get(r.lead_id__c)!.open).map((r) => r.Id);
    const row = rows.records.find((r) => r.Status === 'Closed - Not Converted')!;
    notConvertedId = row.Id;
    notConverted = byExternal.get(row.lead_id__c)!;
  });
  afterAll(async () => sandbox.close());
  afterEach(async () => control(sandbox, 'PATCH', '/options', { salesforceLeadHistory: true }));

  const historyOf = async (leadId: string) =>
    (await connect(sandbox).query<HistoryRow>(`SELECT ${FIELDS} FROM LeadHistory WHERE LeadId = '${leadId}' AND Field = 'Status' ORDER BY CreatedDate`)).records;
  const iso = (salesforceDate: string) => new Date(Date.parse(salesforceDate)).toISOString();

  it('a seeded closed lead has the Status change that closed it, dated when it closed', async () => {
    const rows = await historyOf(notConvertedId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ LeadId: notConvertedId, Field: 'Status', OldValue: 'Open - Not Contacted', NewValue: 'Closed - Not Converted' });
    expect(iso(rows[0].CreatedDate)).toBe(new Date(notConverted.closedAt!).toISOString());
    expect(await historyOf(openIds[0])).toEqual([]);
  });

  it('REST, sObject Collections and Bulk API 2.0 updates each record a Status change; other edits record none', async () => {
    const conn = connect(sandbox);
    const [rest, composite, bulk, untouched] = openIds;
    const t0 = sandbox.ctx.clock.now();
    await conn.sobject('Lead').update({ Id: rest, Status: 'Closed - Not Converted' });
    await conn.sobject('Lead').update([{ Id: composite, Status: 'Closed - Not Converted' }], { allOrNone: true });
    conn.bulk2.pollInterval = 20;
    const results = await conn.bulk2.loadAndWaitForResults({ object: 'Lead', operation: 'update', input: [{ Id: bulk, Status: 'Closed - Not Converted' }], lineEnding: 'LF' });
    expect(results.successfulResults).toHaveLength(1);
    // An owner's note, and a write of the Status a lead already has, change no tracked value.
    await conn.sobject('Lead').update({ Id: untouched, Description: 'called back, not interested yet' });
    const current = (await conn.sobject('Lead').retrieve(untouched)).Status as string;
    await conn.sobject('Lead').update({ Id: untouched, Status: current });

    for (const id of [rest, composite, bulk]) {
      const rows = await historyOf(id);
      expect(rows, id).toHaveLength(1);
      expect(Date.parse(rows[0].CreatedDate)).toBeGreaterThanOrEqual(t0 - 1000);
    }
    expect((await historyOf(composite))[0]).toMatchObject({ NewValue: 'Closed - Not Converted' });
    expect(await historyOf(untouched)).toEqual([]);
  });

  it('answers LeadId IN (...) with the Status filter, and refuses a filter on NewValue as Salesforce does', async () => {
    const conn = connect(sandbox);
    // Two open leads of this test's own close, so each of the three has a Status change to find.
    const [closedHere, alsoClosedHere] = [openIds[5], openIds[6]];
    for (const id of [closedHere, alsoClosedHere]) await conn.sobject('Lead').update({ Id: id, Status: 'Closed - Not Converted' });
    const ids = [notConvertedId, closedHere, alsoClosedHere];
    const res = await conn.query<HistoryRow>(`SELECT ${FIELDS} FROM LeadHistory WHERE Field = 'Status' AND LeadId IN (${ids.map((id) => `'${id}'`).join(', ')})`);
    expect(res.records.map((r) => r.LeadId).sort()).toEqual([...ids].sort());
    expect((res.records[0] as { attributes?: { type: string } }).attributes?.type).toBe('LeadHistory');
    const err = await rejection(conn.query(`SELECT LeadId FROM LeadHistory WHERE NewValue = 'Closed - Not Converted'`));
    expect(err.message).toMatch(/NewValue.*can not be filtered/);
  });

  it('with Lead history off, LeadHistory is INVALID_TYPE and Status changes are not recorded', async () => {
    const conn = connect(sandbox);
    await control(sandbox, 'PATCH', '/options', { salesforceLeadHistory: false });
    const err = await rejection(conn.query(`SELECT ${FIELDS} FROM LeadHistory`));
    expect(err.errorCode).toBe('INVALID_TYPE');
    expect(err.message).toMatch(/sObject type 'LeadHistory' is not supported/);
    await conn.sobject('Lead').update({ Id: openIds[4], Status: 'Closed - Not Converted' });
    await control(sandbox, 'PATCH', '/options', { salesforceLeadHistory: true });
    expect(await historyOf(openIds[4])).toEqual([]);
    expect(await historyOf(notConvertedId)).toHaveLength(1);
  });

  it('keeps LeadHistory through --state dumps', async () => {
    const lead = openIds[7];
    await connect(sandbox).sobject('Lead').update({ Id: lead, Status: 'Closed - Not Converted' });
    const before = await historyOf(lead);
    expect(before).toHaveLength(1);
    expect(before[0]).toMatchObject({ LeadId: lead, Field: 'Status', NewValue: 'Closed - Not Converted' });
    const dumped = sandbox.ctx.dumpState();
    sandbox.ctx.resetState();
    expect(await historyOf(lead)).toEqual([]);
    sandbox.ctx.loadState(dumped);
    expect(await historyOf(lead)).toEqual(before);
  });
});
