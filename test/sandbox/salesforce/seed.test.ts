import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeedLead } from '../../../connectors/sandbox/context.js';
import { seedLeadsFromCsv } from '../../../connectors/sandbox/seed.js';
import type { RunningSandbox } from '../../../connectors/sandbox/server.js';
import { seedFieldName } from '../../../connectors/sandbox/salesforce/index.js';
import { connect, control, startSalesforce } from './helpers.js';

const BANK = '/work/shared/data/bank-marketing/bank-additional-full.csv';

interface LeadRow {
  Id: string;
  Status: string;
  IsConverted: boolean;
  ConvertedOpportunityId: string | null;
  age__c: number;
  emp_var_rate__c: number;
  job__c: string;
}

describe('Salesforce sandbox: seeding the 41,188-row bank-marketing CSV', () => {
  let sandbox: RunningSandbox;
  let seeds: SeedLead[];
  const count = async (soql: string) => (await connect(sandbox).query(soql)).totalSize;
  const converted = (s: SeedLead) => !s.open && (s.outcome === 'won' || s.index % 10 < 3);

  beforeAll(async () => {
    seeds = seedLeadsFromCsv(readFileSync(BANK, 'utf8'), { label: 'y', positive: 'yes', sep: ';', openFraction: 0.2 }, Date.now());
    sandbox = await startSalesforce({ seed: seeds });
  });
  afterAll(async () => sandbox.close());

  it('names custom fields after the columns and types them', async () => {
    expect(seedFieldName('emp.var.rate')).toBe('emp_var_rate__c');
    expect(seedFieldName('Lead Source')).toBe('lead_source__c');
    expect(seedFieldName(' 2nd try ')).toBe('f_2nd_try__c');
    const fields = new Map((await connect(sandbox).sobject('Lead').describe()).fields.map((f) => [f.name, f]));
    expect(fields.get('emp_var_rate__c')).toMatchObject({ type: 'double', custom: true, scale: 1 });
    expect(fields.get('age__c')).toMatchObject({ type: 'double', scale: 0 });
    expect(fields.get('job__c')).toMatchObject({ type: 'string', custom: true });
    expect(fields.has('y__c')).toBe(false); // the label column is not a field
  });

  it('creates one lead per row, in created order, with the row values', async () => {
    expect(seeds.length).toBe(41188);
    expect(await count('SELECT COUNT() FROM Lead')).toBe(seeds.length);
    const conn = connect(sandbox);
    const oldest = await conn.query<LeadRow>('SELECT age__c, emp_var_rate__c, job__c FROM Lead ORDER BY CreatedDate LIMIT 3');
    const newest = await conn.query<LeadRow>('SELECT age__c, emp_var_rate__c, job__c FROM Lead ORDER BY CreatedDate DESC LIMIT 3');
    const expected = (s: SeedLead) => [Number(s.values.age), Number(s.values['emp.var.rate']), s.values.job];
    expect(oldest.records.map((r) => [r.age__c, r.emp_var_rate__c, r.job__c])).toEqual(seeds.slice(0, 3).map(expected));
    expect(newest.records.map((r) => [r.age__c, r.emp_var_rate__c, r.job__c])).toEqual(seeds.slice(-3).reverse().map(expected));
  });

  it('describes a lead by the CSV only: no standard field an input could be made of is filled in', async () => {
    // A LeadSource cycled by row position once gave Salesforce models an input HubSpot's lacked.
    expect(await count('SELECT COUNT() FROM Lead WHERE LeadSource = null')).toBe(seeds.length);
    expect(await count('SELECT COUNT() FROM Contact WHERE LeadSource != null')).toBe(0);
    expect(await count('SELECT COUNT() FROM Opportunity WHERE LeadSource != null')).toBe(0);
  });

  it('keeps open leads open with their outcome hidden', async () => {
    const open = seeds.filter((s) => s.open);
    const hidden = await control<{ salesforce: Record<string, string> }>(sandbox, 'GET', '/hidden');
    expect(Object.keys(hidden.salesforce)).toHaveLength(open.length);
    const openLeads = await connect(sandbox).query<LeadRow>(
      "SELECT Id, IsConverted FROM Lead WHERE Status IN ('Open - Not Contacted', 'Working - Contacted') ORDER BY CreatedDate",
      { autoFetch: true, maxFetch: 100_000 },
    );
    expect(openLeads.records).toHaveLength(open.length);
    openLeads.records.forEach((l, k) => {
      expect(l.IsConverted).toBe(false);
      expect(hidden.salesforce[l.Id]).toBe(open[k].outcome);
    });
  });

  it('closes older leads: won converted to Closed Won, lost converted to Closed Lost or not converted', async () => {
    const closed = seeds.filter((s) => !s.open);
    const won = closed.filter((s) => s.outcome === 'won').length;
    const lostConverted = closed.filter((s) => s.outcome === 'lost' && converted(s)).length;
    expect(await count('SELECT COUNT() FROM Opportunity WHERE IsWon = true AND IsClosed = true')).toBe(won);
    expect(await count("SELECT COUNT() FROM Opportunity WHERE StageName = 'Closed Lost' AND IsWon = false AND IsClosed = true")).toBe(lostConverted);
    expect(await count("SELECT COUNT() FROM Lead WHERE Status = 'Closed - Not Converted' AND IsConverted = false")).toBe(
      closed.length - won - lostConverted,
    );
    expect(await count("SELECT COUNT() FROM Lead WHERE IsConverted = true AND Status = 'Closed - Converted' AND ConvertedOpportunityId != null AND ConvertedDate != null")).toBe(won + lostConverted);

    // The first converted leads point at opportunities carrying their own outcome.
    const conn = connect(sandbox);
    const first = await conn.query<LeadRow>('SELECT ConvertedOpportunityId FROM Lead WHERE IsConverted = true ORDER BY CreatedDate LIMIT 60');
    const opps = await conn.query<{ Id: string; StageName: string }>(
      `SELECT Id, StageName FROM Opportunity WHERE Id IN ('${first.records.map((l) => l.ConvertedOpportunityId).join("','")}')`,
    );
    const stage = new Map(opps.records.map((o) => [o.Id, o.StageName]));
    const wanted = seeds.filter(converted).slice(0, 60).map((s) => (s.outcome === 'won' ? 'Closed Won' : 'Closed Lost'));
    expect(first.records.map((l) => stage.get(l.ConvertedOpportunityId!))).toEqual(wanted);
  });
});
