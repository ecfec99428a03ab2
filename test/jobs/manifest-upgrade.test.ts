import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadManifest, type Manifest } from '../../src/domain/manifest.js';
import { runCycle } from '../../src/jobs/cycle.js';
import { scoreFieldSpecs } from '../../src/jobs/score-fields.js';
import { startHubspotFixture, type HubspotFixture } from '../connectors/hubspot/sandbox-fixture.js';
import { startSalesforceFixture, type SalesforceFixture } from '../connectors/salesforce/fixture.js';
import { backends, useStore } from '../store/backends.js';
import { loopDeps } from './loop-deps.js';
import { createHubspotConnector } from '../../connectors/hubspot/index.js';
import { createSalesforceConnector } from '../../connectors/salesforce/index.js';

const manifest = loadManifest();
const TIERS = [{ name: 'Hot', min: 80 }, { name: 'Warm', min: 50 }, { name: 'Cool', min: 20 }, { name: 'Cold', min: 0 }];

/** manifest.json as installs made before this change have it: trend without "new", the score read as a chance. */
function shippedBefore(): Manifest {
  const old = structuredClone(manifest);
  for (const list of [old.hubspot.properties, old.salesforce.fields]) {
    for (const f of list) {
      if (f.key === 'trend') Object.assign(f, { options: ['up', 'steady', 'down'].map((value) => ({ value, label: value })), description: 'Direction of the score since the previous scoring.' });
      if (f.key === 'score') f.description = "0-100: how likely this lead is to convert, from leadlift's model.";
    }
  }
  return old;
}

/** manifest.json as installs made before the trend options had labels: each option shown as its value. */
function unlabelledTrend(): Manifest {
  const old = structuredClone(manifest);
  for (const list of [old.hubspot.properties, old.salesforce.fields]) {
    for (const f of list) if (f.key === 'trend') f.options = f.options!.map((o) => ({ value: o.value, label: o.value }));
  }
  return old;
}
const TREND_LABELS = ['Up', 'Steady', 'Down', 'New'];
const TREND_VALUES = ['up', 'steady', 'down', 'new'];

describe.each(backends)('an existing HubSpot install after the upgrade ($name store)', (backend) => {
  const { store } = useStore(backend);
  let fx: HubspotFixture;
  beforeAll(async () => {
    fx = await startHubspotFixture({ leads: 400, hubspotRateLimit: 1000, hubspotSearchRateLimit: 50 });
  });
  afterAll(() => fx?.close());

  it('gets the "new" trend option and the reworded descriptions from the schema step, and first scores read "new"', async () => {
    const input = { accessToken: fx.sandbox.token, basePath: fx.sandbox.url, rateLimit: { requestsPerWindow: 1000, searchPerSecond: 50 } };
    const old = shippedBefore();
    await createHubspotConnector(input, old).ensureSchema(scoreFieldSpecs(old, 'hubspot', TIERS));

    const deps = loopDeps(store(), createHubspotConnector(input, manifest), { loop: { minimumHistory: { closedLeads: 100, conversions: 20 } } });
    const first = await runCycle(deps);
    if (!first.ran) throw new Error(first.reason);
    expect(first.summary.push.failed).toBe(0);
    expect(first.summary.push.schemaChanges).toEqual(expect.arrayContaining(['leadlift_score', 'leadlift_trend']));

    const sdk = new Client({ accessToken: fx.sandbox.token, basePath: fx.sandbox.url, numberOfApiCallRetries: 0 });
    const trend = await sdk.crm.properties.coreApi.getByName('contacts', 'leadlift_trend');
    expect(trend.options.map((o) => o.value)).toEqual(['up', 'steady', 'down', 'new']);
    const score = await sdk.crm.properties.coreApi.getByName('contacts', 'leadlift_score');
    expect(score.description).toBe(manifest.hubspot.properties.find((p) => p.key === 'score')!.description);
    expect(score.description).toMatch(/among your open leads/);
    expect(score.description).toMatch(/Conversion probability \(leadlift\)/);

    // Every lead was scored for the first time: no direction yet.
    const latest = [...(await store().scores.latest('hubspot')).values()];
    expect(latest.length).toBeGreaterThan(0);
    expect(new Set(latest.map((s) => s.trend))).toEqual(new Set(['new']));
    const [one] = latest;
    const contact = await sdk.crm.contacts.basicApi.getById(one.leadId, ['leadlift_trend']);
    expect(contact.properties.leadlift_trend).toBe('new');
  });

  it('relabels the trend options "up"… as "Up"…, keeping their values, and changes nothing else', async () => {
    const input = { accessToken: fx.sandbox.token, basePath: fx.sandbox.url, rateLimit: { requestsPerWindow: 1000, searchPerSecond: 50 } };
    const old = unlabelledTrend();
    await createHubspotConnector(input, old).ensureSchema(scoreFieldSpecs(old, 'hubspot', TIERS));
    const sdk = new Client({ accessToken: fx.sandbox.token, basePath: fx.sandbox.url, numberOfApiCallRetries: 0 });
    const options = async () => (await sdk.crm.properties.coreApi.getByName('contacts', 'leadlift_trend')).options;
    expect((await options()).map((o) => o.label)).toEqual(TREND_VALUES);

    const report = await createHubspotConnector(input, manifest).ensureSchema(scoreFieldSpecs(manifest, 'hubspot', TIERS));
    expect(report.updated).toEqual(['leadlift_trend']);
    expect((await options()).map((o) => [o.value, o.label])).toEqual(TREND_VALUES.map((v, i) => [v, TREND_LABELS[i]]));
    expect((await createHubspotConnector(input, manifest).ensureSchema(scoreFieldSpecs(manifest, 'hubspot', TIERS))).updated).toEqual([]);
  });
});

describe('an existing Salesforce install after the upgrade', () => {
  let fx: SalesforceFixture;
  beforeAll(async () => {
    fx = await startSalesforceFixture({ leads: 20 });
  });
  afterAll(async () => fx?.close());

  it('gets the "new" trend value and the reworded score description from the schema step', async () => {
    const input = { instanceUrl: fx.sandbox.url, accessToken: fx.sandbox.token, retry: { minDelayMs: 20, maxDelayMs: 200 } };
    const old = shippedBefore();
    await createSalesforceConnector(input, undefined, old).ensureSchema(scoreFieldSpecs(old, 'salesforce', TIERS));
    const report = await createSalesforceConnector(input, undefined, manifest).ensureSchema(scoreFieldSpecs(manifest, 'salesforce', TIERS));
    expect(report.updated.sort()).toEqual(['Lead.Lead_Score_Trend__c', 'Lead.Lead_Score__c']);
    const fields = new Map((await fx.jsforce().describe('Lead')).fields.map((f) => [f.name, f]));
    expect(fields.get('Lead_Score_Trend__c')?.picklistValues?.map((p) => p.value)).toEqual(['up', 'steady', 'down', 'new']);
    const wanted = manifest.salesforce.fields.find((f) => f.key === 'score')!.description;
    expect(wanted).toMatch(/Lead Score Probability/);
    expect(fields.get('Lead_Score__c')?.inlineHelpText).toBe(wanted);
  });

  it('relabels the trend picklist values "up"… as "Up"…, keeping their API names, and changes nothing else', async () => {
    const input = { instanceUrl: fx.sandbox.url, accessToken: fx.sandbox.token, retry: { minDelayMs: 20, maxDelayMs: 200 } };
    const old = unlabelledTrend();
    await createSalesforceConnector(input, undefined, old).ensureSchema(scoreFieldSpecs(old, 'salesforce', TIERS));
    const values = async () => (await fx.jsforce().describe('Lead')).fields.find((f) => f.name === 'Lead_Score_Trend__c')?.picklistValues ?? [];
    expect((await values()).map((p) => p.label)).toEqual(TREND_VALUES);

    const report = await createSalesforceConnector(input, undefined, manifest).ensureSchema(scoreFieldSpecs(manifest, 'salesforce', TIERS));
    expect(report.updated).toEqual(['Lead.Lead_Score_Trend__c']);
    expect((await values()).map((p) => [p.value, p.label])).toEqual(TREND_VALUES.map((v, i) => [v, TREND_LABELS[i]]));
    expect((await createSalesforceConnector(input, undefined, manifest).ensureSchema(scoreFieldSpecs(manifest, 'salesforce', TIERS))).updated).toEqual([]);
  });
});
