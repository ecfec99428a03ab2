import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SalesforceFieldAccessError } from '../../../connectors/salesforce/errors.js';
import { loadManifest } from '../../../src/domain/manifest.js';
import { allPages, scoreFields, scoresFor, startSalesforceFixture, type SalesforceFixture } from './fixture.js';

/**
 * The connector against an org that, like a real one, gives the fields the schema step creates no
 * field-level security for the integration user (sandbox option salesforceFieldSecurity): the
 * step says to grant it, the push stops with what to grant until the admin has, then writes.
 */
describe('Salesforce connector before and after the admin grants field-level security', () => {
  let fx: SalesforceFixture;
  const names = loadManifest().salesforce.fields.map((f) => f.name);
  beforeAll(async () => {
    fx = await startSalesforceFixture({ leads: 30 });
    await fx.control('PATCH', '/options', { salesforceFieldSecurity: true });
  });
  afterAll(async () => fx.close());

  it('creates the fields, tells the admin to grant them; the push is refused naming them, then writes once granted', async () => {
    const connector = fx.connector();
    const report = await connector.ensureSchema([...scoreFields()]);
    expect(report.created).toHaveLength(names.length);
    expect(report.adminActions[0]).toMatch(/Grant field-level security .*Read and Edit to the integration user/);
    const described = (await fx.jsforce().describe('Lead')).fields.map((f) => f.name);
    for (const name of names) expect(described).not.toContain(name);

    const leads = (await allPages(connector.pullLeads(null))).flatMap((p) => p.records);
    expect(leads.length).toBeGreaterThan(0);
    const ids = (await fx.jsforce().query<{ Id: string }>('SELECT Id FROM Lead WHERE IsConverted = false')).records.map((r) => r.Id).slice(0, 5);
    const refused = await connector.pushScores(scoresFor(ids)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SalesforceFieldAccessError);
    expect((refused as Error).message).toMatch(/grant field-level security \(Read and Edit\)/);

    await fx.control('POST', '/salesforce/field-security', { fields: names.map((n) => `Lead.${n}`) });
    const pushed = await fx.connector().pushScores(scoresFor(ids));
    expect(pushed.written).toHaveLength(5);
    const read = await fx.jsforce().query<{ Lead_Score__c: number | null }>(`SELECT Lead_Score__c FROM Lead WHERE Id IN ('${ids.join("','")}')`);
    expect(read.records.every((r) => typeof r.Lead_Score__c === 'number')).toBe(true);
  });
});
