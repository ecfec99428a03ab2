import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCycle, type CycleSummary } from '../../src/jobs/cycle.js';
import { neverInputMatcher } from '../../src/jobs/never-inputs.js';
import type { LoopDeps } from '../../src/jobs/deps.js';
import type { Store } from '../../src/store/store.js';
import { startHubspotFixture, type HubspotFixture } from '../connectors/hubspot/sandbox-fixture.js';
import { startSalesforceFixture, type SalesforceFixture } from '../connectors/salesforce/fixture.js';
import { backends, type TestDatabase } from '../store/backends.js';
import { loopDeps } from './loop-deps.js';

/**
 * A score field edited in the CRM (a user with edit access, an import) used to stay wrong for
 * good: the push only compared new scores with what leadlift last sent. The sync now reads the
 * app's own fields, and the push writes a lead again when the CRM shows other values.
 */

const OVERRIDES = { model: { trees: 15 }, loop: { minimumHistory: { closedLeads: 100, conversions: 20 } } };

async function cycle(deps: LoopDeps): Promise<CycleSummary> {
  const outcome = await runCycle(deps);
  if (!outcome.ran) throw new Error(outcome.reason);
  return outcome.summary;
}

let database: TestDatabase;
let store: Store;
beforeAll(async () => {
  database = await backends.find((b) => b.name === 'sqlite')!.fresh();
  store = await database.open();
});
afterAll(async () => {
  await store?.close();
  await database?.cleanup();
});

describe('HubSpot: leadlift_score / leadlift_tier edited in the portal', () => {
  let fx: HubspotFixture;
  let sdk: Client;
  beforeAll(async () => {
    fx = await startHubspotFixture({ leads: 500, hubspotRateLimit: 100_000, hubspotSearchRateLimit: 10_000 });
    sdk = new Client({ accessToken: fx.sandbox.token, basePath: fx.sandbox.url, numberOfApiCallRetries: 0 });
  });
  afterAll(() => fx?.close());

  it('are written again at the next cycle, and an idle cycle after that writes nothing', async () => {
    const deps = loopDeps(store, fx.connector({ rateLimit: { requestsPerWindow: 100_000, searchPerSecond: 10_000 } }), OVERRIDES);
    const first = await cycle(deps);
    expect(first.push.written).toBeGreaterThan(0);
    // Our own write-back comes back through the sync: the values are ours, nothing is written.
    const readBack = await cycle(deps);
    expect(readBack.push.written).toBe(0);

    const [lead] = [...fx.sandbox.ctx.hidden.hubspot.keys()];
    const props = ['leadlift_score', 'leadlift_tier', 'leadlift_probability', 'leadlift_scored_at'];
    const shown = (await sdk.crm.contacts.basicApi.getById(lead, props)).properties;
    expect(shown.leadlift_score).toBeTruthy();
    const edits = { leadlift_score: shown.leadlift_score === '1' ? '2' : '1', leadlift_tier: shown.leadlift_tier === 'Cold' ? 'Hot' : 'Cold' };
    await sdk.crm.contacts.basicApi.update(lead, { properties: edits });

    const corrected = await cycle(deps);
    expect(corrected.sync.leadsChanged).toBe(0);
    expect(corrected.push.written).toBe(1);
    expect(corrected.push.corrected).toBe(1);
    const after = (await sdk.crm.contacts.basicApi.getById(lead, props)).properties;
    expect(after.leadlift_score).toBe(shown.leadlift_score);
    expect(after.leadlift_tier).toBe(shown.leadlift_tier);

    const idle = await cycle(deps);
    expect(idle.push.written).toBe(0);
    expect(idle.push.corrected).toBe(0);
  });

  it('never become model inputs, even with a neverInputs list that leaves them out', () => {
    const deps = loopDeps(store, fx.connector(), { loop: { neverInputs: { hubspot: [] } } });
    const never = neverInputMatcher(deps.config, 'hubspot', deps.manifest);
    for (const name of ['leadlift_score', 'leadlift_tier', 'leadlift_reasons', 'LEADLIFT_SCORED_AT']) expect(never(name), name).toBe(true);
    expect(never('job')).toBe(false);
  });
});

describe('Salesforce: Lead_Score__c / Lead_Score_Tier__c edited in the org', () => {
  let fx: SalesforceFixture;
  beforeAll(async () => {
    fx = await startSalesforceFixture({ leads: 500, openFraction: 0.3 });
  });
  afterAll(() => fx?.close());

  it('are written again at the next cycle, and an idle cycle after that writes nothing', async () => {
    const deps = loopDeps(store, fx.connector(), OVERRIDES);
    expect((await cycle(deps)).push.written).toBeGreaterThan(0);
    expect((await cycle(deps)).push.written).toBe(0);

    const [lead] = [...fx.sandbox.ctx.hidden.salesforce.keys()];
    const read = async () => (await fx.jsforce().sobject('Lead').retrieve(lead)) as unknown as Record<string, unknown>;
    const shown = await read();
    expect(typeof shown.Lead_Score__c).toBe('number');
    // Salesforce stamps the edit to the second: made at once, it is dated within the push's own
    // second, no later than the push, and must still count (crm-shown-scores.ts).
    await fx.jsforce().sobject('Lead').update({ Id: lead, Lead_Score__c: shown.Lead_Score__c === 1 ? 2 : 1, Lead_Score_Tier__c: shown.Lead_Score_Tier__c === 'Cold' ? 'Hot' : 'Cold' });

    const corrected = await cycle(deps);
    expect(corrected.push.written).toBe(1);
    expect(corrected.push.corrected).toBe(1);
    const after = await read();
    expect(after.Lead_Score__c).toBe(shown.Lead_Score__c);
    expect(after.Lead_Score_Tier__c).toBe(shown.Lead_Score_Tier__c);

    expect((await cycle(deps)).push.written).toBe(0);
  });
});
