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
  ConvertedDate: string | null;
  ConvertedOpportunityId: string | null;
  age__c: number;
  emp_var_rate__c: number;
  job__c: string;
}

describe('Salesforce sandbox: seeding the bank-marketing CSV', () => {
  let sandbox: RunningSandbox;
  let seeds: SeedLead[];
  let leads: LeadRow[];

  beforeAll(async () => {
    seeds = seedLeadsFromCsv(readFileSync(BANK, 'utf8'), { label: 'y', positive: 'yes', sep: ';', openFraction: 0.2 }, Date.now());
    sandbox = await startSalesforce({ seed: seeds });
    const res = await connect(sandbox).query<LeadRow>(
      'SELECT Id, Status, IsConverted, ConvertedDate, ConvertedOpportunityId, age__c, emp_var_rate__c, job__c FROM Lead ORDER BY CreatedDate',
      { autoFetch: true, maxFetch: 100_000 },
    );
    leads = res.records;
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

  it('creates one lead per row, in created order, with the row values', () => {
    expect(leads).toHaveLength(seeds.length);
    expect(seeds.length).toBe(41188);
    for (const i of [0, 1, 20000, 41187]) {
      expect(leads[i].age__c).toBe(Number(seeds[i].values.age));
      expect(leads[i].emp_var_rate__c).toBe(Number(seeds[i].values['emp.var.rate']));
      expect(leads[i].job__c).toBe(seeds[i].values.job);
    }
  });

  it('closes old leads with their outcome and hides the open ones', async () => {
    const hidden = await control<{ salesforce: Record<string, string> }>(sandbox, 'GET', '/hidden');
    const open = seeds.filter((s) => s.open);
    expect(Object.keys(hidden.salesforce)).toHaveLength(open.length);
    const openLeads = leads.filter((l) => l.Status === 'Open - Not Contacted' || l.Status === 'Working - Contacted');
    expect(openLeads).toHaveLength(open.length);
    expect(openLeads.every((l) => !l.IsConverted && hidden.salesforce[l.Id] !== undefined)).toBe(true);
    openLeads.forEach((l, k) => expect(hidden.salesforce[l.Id]).toBe(open[k].outcome));

    const conn = connect(sandbox);
    const won = seeds.filter((s) => !s.open && s.outcome === 'won').length;
    const wonOpps = await conn.query('SELECT COUNT() FROM Opportunity WHERE IsWon = true AND IsClosed = true');
    expect(wonOpps.totalSize).toBe(won);
    const lostOpps = await conn.query("SELECT COUNT() FROM Opportunity WHERE StageName = 'Closed Lost' AND IsWon = false");
    const lostConverted = seeds.filter((s) => !s.open && s.outcome === 'lost' && s.index % 10 < 3).length;
    expect(lostOpps.totalSize).toBe(lostConverted);
    const notConverted = leads.filter((l) => l.Status === 'Closed - Not Converted');
    expect(notConverted).toHaveLength(seeds.filter((s) => !s.open && s.outcome === 'lost').length - lostConverted);
    const converted = leads.filter((l) => l.IsConverted);
    expect(converted.every((l) => l.Status === 'Closed - Converted' && l.ConvertedOpportunityId?.startsWith('006') && l.ConvertedDate)).toBe(true);
    // The converted lead points at the opportunity carrying its outcome.
    const sample = converted.slice(0, 50);
    const opps = await conn.query<{ Id: string; StageName: string }>(
      `SELECT Id, StageName FROM Opportunity WHERE Id IN ('${sample.map((l) => l.ConvertedOpportunityId).join("','")}')`,
    );
    const stage = new Map(opps.records.map((o) => [o.Id, o.StageName]));
    sample.forEach((l) => {
      const seed = seeds[leads.indexOf(l)];
      expect(stage.get(l.ConvertedOpportunityId!)).toBe(seed.outcome === 'won' ? 'Closed Won' : 'Closed Lost');
    });
  });
});
