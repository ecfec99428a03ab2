import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../connectors/sandbox/server.js';
import { loadSeedLabels } from '../../connectors/sandbox/seed-labels.js';
import { createHubspotConnector } from '../../connectors/hubspot/index.js';
import { createSalesforceConnector } from '../../connectors/salesforce/index.js';
import { InputError } from '../../src/domain/errors.js';
import { hubspotClient, seedLeads } from './helpers.js';
import { connect } from './salesforce/helpers.js';

const LABELS = { 'Lead Source': 'Original source', 'emp.var.rate': 'Employment variation rate, a label longer than forty characters' };

describe('seed labels: the words a portal admin gave each seeded property and field', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, crm: 'both', token: 'labels-token', seed: seedLeads(20), seedLabels: LABELS });
  });
  afterAll(() => sandbox?.close());

  it('HubSpot properties carry them; unlabelled columns keep their name; the connector reads them back', async () => {
    const sdk = hubspotClient(sandbox);
    expect((await sdk.crm.properties.coreApi.getByName('contacts', 'lead_source')).label).toBe('Original source');
    expect((await sdk.crm.properties.coreApi.getByName('contacts', 'created_on')).label).toBe('Created On');
    const described = await createHubspotConnector({ accessToken: sandbox.token, basePath: sandbox.url }).describeLeadFields!();
    expect(described.lead_source.label).toBe('Original source');
    // A HubSpot enumeration of the portal's own: option labels come with it.
    expect(described.lifecyclestage.options).toMatchObject({ customer: 'Customer' });
  });

  it('Salesforce fields carry them, cut to the 40 characters Salesforce allows; describe reads them back with picklist labels', async () => {
    const lead = await connect(sandbox).describe('Lead');
    const byName = new Map(lead.fields.map((f) => [f.name, f]));
    expect(byName.get('lead_source__c')!.label).toBe('Original source');
    expect(byName.get('emp_var_rate__c')!.label).toBe(LABELS['emp.var.rate'].slice(0, 40));
    const described = await createSalesforceConnector({ instanceUrl: sandbox.url, accessToken: sandbox.token }).describeLeadFields!();
    expect(described.lead_source__c.label).toBe('Original source');
    const status = described.Status;
    // The sandbox's Lead Status picklist, as a new org has it: each value is its own label.
    expect(status.options).toMatchObject({ 'Working - Contacted': 'Working - Contacted' });
  });
});

describe('seed value labels: a column an admin built as a dropdown, each stored value with its label', () => {
  let sandbox: RunningSandbox;
  const VALUE_LABELS = { 'Lead Source': { Referral: 'Customer referral', Web: 'Website', Unused: 'Never seeded' } };
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, crm: 'both', token: 'value-labels-token', seed: seedLeads(20), seedValueLabels: VALUE_LABELS });
  });
  afterAll(() => sandbox?.close());

  it('HubSpot: an enumeration property (select) whose options are the seeded values, labelled; records keep the stored value', async () => {
    const sdk = hubspotClient(sandbox);
    const property = await sdk.crm.properties.coreApi.getByName('contacts', 'lead_source');
    expect([property.type, property.fieldType]).toEqual(['enumeration', 'select']);
    // The labels file's order first, then the values it does not name, shown as themselves.
    expect(property.options.map((o) => [o.value, o.label])).toEqual([['Referral', 'Customer referral'], ['Web', 'Website'], ['Event', 'Event'], ['Partner', 'Partner']]);
    const page = await sdk.crm.contacts.basicApi.getPage(5, undefined, ['lead_source']);
    expect(page.results.map((c) => c.properties.lead_source).every((v) => ['Web', 'Referral', 'Event', 'Partner'].includes(v ?? ''))).toBe(true);
    const described = await createHubspotConnector({ accessToken: sandbox.token, basePath: sandbox.url }).describeLeadFields!();
    expect(described.lead_source.options).toEqual({ Referral: 'Customer referral', Web: 'Website', Event: 'Event', Partner: 'Partner' });
    // A column without value labels stays a text property.
    expect((await sdk.crm.properties.coreApi.getByName('contacts', 'created_on')).fieldType).toBe('text');
  });

  it('Salesforce: a picklist field whose describe lists the values with their labels', async () => {
    const described = await createSalesforceConnector({ instanceUrl: sandbox.url, accessToken: sandbox.token }).describeLeadFields!();
    expect(described.lead_source__c.options).toEqual({ Referral: 'Customer referral', Web: 'Website', Event: 'Event', Partner: 'Partner' });
    const lead = await connect(sandbox).describe('Lead');
    expect(lead.fields.find((f) => f.name === 'lead_source__c')!.type).toBe('picklist');
  });
});

describe('--labels FILE', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leadlift-labels-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('reads a column -> label object', async () => {
    expect(await loadSeedLabels(file('ok.json', '{"Lead Source": "Original source"}'))).toEqual({ 'Lead Source': 'Original source' });
  });

  it('names the file and the column that is wrong', async () => {
    await expect(loadSeedLabels(join(dir, 'missing.json'))).rejects.toThrowError(/Cannot read the labels file .*missing\.json: ENOENT/);
    await expect(loadSeedLabels(file('bad.json', '{"a": '))).rejects.toThrowError(/bad\.json is not valid JSON/);
    await expect(loadSeedLabels(file('empty.json', '{"Lead Source": "  "}'))).rejects.toThrowError(/empty\.json, "Lead Source": a label cannot be empty/);
    await expect(loadSeedLabels(file('list.json', '["a"]'))).rejects.toThrowError(InputError);
  });

  it('says where a hand-edited file breaks JSON, by line and column, not in JSON.parse\'s words', async () => {
    const path = file('trailing-comma.json', '{\n  "Lead Source": "Original source",\n}\n');
    await expect(loadSeedLabels(path)).rejects.toThrowError(
      `The labels file ${path} is not valid JSON: line 3, column 1: a key in double quotes was expected (a comma after the last entry?). Fix it (a JSON object, column -> label: {"Lead Source": "Original source"}).`,
    );
  });
});
