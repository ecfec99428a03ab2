import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SalesforceFieldAccessError, SalesforceRequestError } from '../../../connectors/salesforce/errors.js';
import { loadManifest } from '../../../src/domain/manifest.js';
import { allPages, clearLog, jobsCreated, requests, scoreFields, scoresFor, startSalesforceFixture, type SalesforceFixture } from './fixture.js';

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

  it('fields granted Read but not Edit: the push (collections or a Bulk API job) stops saying Edit is missing, nothing marked failed; then writes once Edit is granted', async () => {
    const own = names.map((n) => `Lead.${n}`);
    await fx.control('POST', '/salesforce/field-security', { fields: own, access: 'read' });
    const ids = (await fx.jsforce().query<{ Id: string }>('SELECT Id FROM Lead WHERE IsConverted = false')).records.map((r) => r.Id).slice(0, 6);
    await clearLog(fx);
    for (const connector of [fx.connector(), fx.connector({ bulkThreshold: 2 })]) {
      const refused = await connector.pushScores(scoresFor(ids, 3)).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(SalesforceFieldAccessError);
      expect((refused as SalesforceFieldAccessError).errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
      expect((refused as SalesforceFieldAccessError).fields).toEqual(expect.arrayContaining(['Lead_Score__c', 'Lead_Score_Tier__c']));
      expect((refused as Error).message).toMatch(/can read the leadlift fields .*Lead_Score__c.* but not edit them: grant field-level security \(Read and Edit\).*tick Edit Access/);
      expect((refused as Error).message).not.toMatch(/run the schema step/);
    }
    expect(jobsCreated(await requests(fx))).toHaveLength(1);
    await fx.control('POST', '/salesforce/field-security', { fields: own, access: 'edit' });
    const pushed = await fx.connector({ bulkThreshold: 2 }).pushScores(scoresFor(ids, 3));
    expect(pushed.written).toHaveLength(6);
    expect(pushed.failed).toEqual([]);
  });

  it('an INVALID_FIELD on another field of the pull is not blamed on leadlift\'s fields the quoted query also names', async () => {
    const refused = await allPages(fx.connector({ leadFields: ['Lead_Score__c', 'Industy'] }).pullLeads(null)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SalesforceRequestError);
    expect((refused as SalesforceRequestError).errorCode).toBe('INVALID_FIELD');
    expect((refused as Error).message).toMatch(/No such column 'Industy'/);
  });
});
