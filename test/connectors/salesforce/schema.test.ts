import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadManifest } from '../../../src/domain/manifest.js';
import { scoreFields, startSalesforceFixture, type SalesforceFixture } from './fixture.js';

describe('Salesforce ensureSchema through the Tooling API', () => {
  let fx: SalesforceFixture;
  const manifest = loadManifest();
  const names = manifest.salesforce.fields.map((f) => `Lead.${f.name}`);
  beforeAll(async () => {
    fx = await startSalesforceFixture({ leads: 20 });
  });
  afterAll(async () => fx.close());

  it('creates every manifest field, then leaves them unchanged on a second run', async () => {
    const connector = fx.connector();
    const first = await connector.ensureSchema([...scoreFields()]);
    expect(first.created.sort()).toEqual([...names].sort());
    expect(first.updated).toEqual([]);
    // leadlift grants itself the fields; what is left is assigning the reader set, naming each field.
    expect(first.adminActions[0]).toMatch(/^Assign the permission set "leadlift Reader"/);
    for (const name of names) expect(first.adminActions[0]).toContain(name);

    const second = await connector.ensureSchema([...scoreFields()]);
    expect(second.created).toEqual([]);
    expect(second.updated).toEqual([]);
    expect(second.unchanged.sort()).toEqual([...names].sort());
  });

  it('describe shows the fields with the types chosen for them', async () => {
    const described = await fx.jsforce().describe('Lead');
    const byName = new Map(described.fields.map((f) => [f.name, f]));
    expect(byName.get('Lead_Score__c')).toMatchObject({ type: 'double', precision: 3, scale: 0, custom: true, updateable: true });
    expect(byName.get('Lead_Score_Probability__c')).toMatchObject({ type: 'double', precision: 5, scale: 4 });
    expect(byName.get('Lead_Score_Reasons__c')).toMatchObject({ type: 'textarea', length: 32768 });
    expect(byName.get('Lead_Score_Updated__c')?.type).toBe('datetime');
    expect(byName.get('Lead_Score_Model__c')?.type).toBe('string');
    expect(byName.get('Lead_Score_Tier__c')?.picklistValues?.map((p) => p.value)).toEqual(['Hot', 'Warm', 'Cool', 'Cold']);
    expect(byName.get('Lead_Score_Trend__c')?.picklistValues?.map((p) => p.value)).toEqual(['up', 'steady', 'down']);
    expect(byName.get('Lead_Score_Tier__c')?.label).toBe('Lead Score Tier');
  });

  it('updates the tier picklist when the managers rename tiers, and only that field', async () => {
    const report = await fx.connector().ensureSchema([...scoreFields(['A', 'B', 'C'])]);
    expect(report.updated).toEqual(['Lead.Lead_Score_Tier__c']);
    expect(report.unchanged).toHaveLength(names.length - 1);
    const described = await fx.jsforce().describe('Lead');
    expect(described.fields.find((f) => f.name === 'Lead_Score_Tier__c')?.picklistValues?.map((p) => p.value)).toEqual(['A', 'B', 'C']);
  });

  it('a field given that the manifest does not list is refused with the manifest named', async () => {
    await expect(fx.connector().ensureSchema([{ key: 'nope' as 'score', label: 'x', type: 'number' }])).rejects.toThrow(/manifest\.json under salesforce\.fields/);
  });
});
