import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatasetOptions } from '../../src/features/options.js';
import { prepareTraining } from '../../src/features/prepare-training.js';
import { tableFromRecords } from '../../src/features/raw-table.js';
import { FeaturePipeline } from '../../src/features/pipeline.js';
import { featureOptionsWithCrmLabels, mergeCrmLabels } from '../../src/jobs/crm-field-labels.js';
import { createSalesforceConnector } from '../../connectors/salesforce/index.js';
import { seedLeadsFromCsv } from '../../connectors/sandbox/seed.js';
import { startSandbox, type RunningSandbox } from '../../connectors/sandbox/server.js';
import { runCycle } from '../../src/jobs/cycle.js';
import { startHubspotFixture, type HubspotFixture } from '../connectors/hubspot/sandbox-fixture.js';
import { backends, useStore } from '../store/backends.js';
import { loopDeps } from './loop-deps.js';
import { hubspotClient } from '../sandbox/helpers.js';

const noOptions = parseDatasetOptions({});

describe('CRM field labels in reasons', () => {
  it('takes readable CRM labels for the trained columns only, lets configured labels win, and skips API names typed as labels', () => {
    const merged = mergeCrmLabels(
      parseDatasetOptions({ labels: { budget: 'Budget (manager wording)' }, valueLabels: { source: { REFERRAL: 'Referred by a customer' } } }),
      {
        // An option label is words, hyphens and all ("Blue-collar" on the bank data's job), never taken for an API name.
        source: { label: 'Lead source', options: { ORGANIC_SEARCH: 'Organic search', REFERRAL: 'Referral', PAID: 'PAID', WORD_OF_MOUTH: 'Word-of-mouth' } },
        budget: { label: 'Budget' },
        emp_var_rate: { label: 'emp.var.rate' },
        job: { label: 'job' },
        notes: { label: 'x'.repeat(81) },
        not_trained: { label: 'Not trained on' },
      },
      ['source', 'budget', 'emp_var_rate', 'job', 'notes'],
    );
    expect(merged.labels).toEqual({ source: 'Lead source', budget: 'Budget (manager wording)' });
    expect(merged.valueLabels).toEqual({ source: { ORGANIC_SEARCH: 'Organic search', REFERRAL: 'Referred by a customer', WORD_OF_MOUTH: 'Word-of-mouth' } });
  });

  it('on Salesforce custom fields: a label that is the field name without __c is skipped, and config labels keyed by the column still win', () => {
    const merged = mergeCrmLabels(
      parseDatasetOptions({ labels: { age: 'Age (manager wording)' } }),
      {
        pdays__c: { label: 'pdays' },
        emp_var_rate__c: { label: 'emp.var.rate' },
        age__c: { label: 'Age of the client' },
        job__c: { label: 'Job title' },
      },
      ['pdays__c', 'emp_var_rate__c', 'age__c', 'job__c'],
    );
    expect(merged.labels).toEqual({ age__c: 'Age (manager wording)', job__c: 'Job title' });
  });

  it('a value label reaches the reason text whatever the stored value’s case and spacing', () => {
    const table = tableFromRecords(
      Array.from({ length: 80 }, (_, i) => ({
        source: i % 2 ? 'PAID' : i % 4 ? 'ORGANIC_SEARCH' : ' organic_search ',
        y: i % 3 === 0 ? 'yes' : 'no',
      })),
    );
    const options = { ...noOptions, labels: { source: 'Original source' }, valueLabels: { source: { ORGANIC_SEARCH: 'Organic search' } } };
    const prepared = prepareTraining({ input: table, label: 'y', positive: 'yes', options, testFraction: 0.2 });
    const f = prepared.pipeline.defs.findIndex((d) => d.source === 'source');
    const def = prepared.pipeline.defs[f];
    const code = def.categories!.indexOf('organic_search');
    expect(prepared.pipeline.describe(f, code)).toBe('Original source is Organic search');
    // Values without a label keep their own spelling, and the labels survive the model file.
    expect(prepared.pipeline.describe(f, def.categories!.indexOf('paid'))).toBe('Original source is PAID');
    const reloaded = FeaturePipeline.fromJSON(JSON.parse(JSON.stringify(prepared.pipeline.toJSON())));
    expect(reloaded.describe(f, code)).toBe('Original source is Organic search');
  });
});

describe.each(backends)('the loop trains with the HubSpot portal’s labels ($name store)', (backend) => {
  const { store } = useStore(backend);
  let fixture: HubspotFixture;
  beforeAll(async () => {
    fixture = await startHubspotFixture({ leads: 150, hubspotRateLimit: 1000, hubspotSearchRateLimit: 50 });
  });
  afterAll(() => fixture?.close());

  it('a label an admin gave a contact property in HubSpot is the wording of the model’s reasons', async () => {
    const sdk = hubspotClient(fixture.sandbox);
    await sdk.crm.properties.coreApi.update('contacts', 'balance', { label: 'Account balance' });
    const base = loopDeps(store(), fixture.connector({ rateLimit: { requestsPerWindow: 1000, searchPerSecond: 50 } }));
    const loop = { ...base.config.loop, minimumHistory: { closedLeads: 50, conversions: 10 }, minAuc: 0 };
    const outcome = await runCycle({ ...base, config: { ...base.config, loop } }, { forceTrain: true });
    if (!outcome.ran) throw new Error(outcome.reason);

    const [latest] = await store().models.list('hubspot');
    const stored = await store().models.get('hubspot', latest.version);
    const pipeline = FeaturePipeline.fromJSON((stored!.bundle as { features: unknown }).features);
    const labels = Object.fromEntries(pipeline.defs.map((d) => [d.source, d.label]));
    expect(labels.balance).toBe('Account balance');
    // The seed labels "job" and "age" are the property names themselves: the column wording stays.
    expect(labels.job).toBe('Job');
    expect(labels.age).toBe('Age');
  });

  it('labels that cannot be read (a refused token) leave the configured options as they are and say so once', async () => {
    const said: string[] = [];
    const deps = { ...loopDeps(store(), fixture.connector({ accessToken: 'not-the-portal-token' })), log: (m: string) => said.push(m) };
    const options = await featureOptionsWithCrmLabels(deps, ['balance', 'job']);
    expect(options).toEqual(deps.config.features);
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/^Field labels could not be read from hubspot \(HubSpot rejected the access token .*\); reasons use the field names\.$/);
    expect(said[0]).not.toContain('not-the-portal-token');
  });
});

/** Bank-like leads: pdays 999 means "never contacted before", as in the bank data. */
function bankLikeCsv(rows: number): string {
  const lines = ['order;age;job;pdays;emp.var.rate;y'];
  for (let i = 0; i < rows; i++) {
    const won = (i * 2654435761) % 4 === 0;
    lines.push(`${i};${20 + ((i * 7) % 50)};${['admin', 'services', 'retired'][i % 3]};${i % 5 === 0 ? i % 20 : 999};${(i % 7) - 3};${won ? 'yes' : 'no'}`);
  }
  return lines.join('\n');
}

describe.each(backends.filter((b) => b.name === 'sqlite'))('the loop trains with the Salesforce org’s labels and the config’s sentinels ($name store)', (backend) => {
  const { store } = useStore(backend);
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    const seed = seedLeadsFromCsv(bankLikeCsv(200), { label: 'y', positive: 'yes', order: 'order', sep: ';' }, Date.now());
    sandbox = await startSandbox({ port: 0, crm: 'salesforce', seed, seedLabels: { job: 'Job title' } });
  });
  afterAll(() => sandbox?.close());

  it('seeded fields labelled with their CSV column read as the column, --labels as given, and pdays 999 is missing on pdays__c', async () => {
    const connector = createSalesforceConnector({ instanceUrl: sandbox.url, accessToken: sandbox.token, retry: { retries: 1, minDelayMs: 20, maxDelayMs: 100 } });
    // What the org's describe says: the seed labels a field with its CSV column unless --labels names it.
    const described = await connector.describeLeadFields!();
    expect([described.pdays__c?.label, described.emp_var_rate__c?.label, described.job__c?.label]).toEqual(['pdays', 'emp.var.rate', 'Job title']);

    const base = loopDeps(store(), connector);
    const loop = { ...base.config.loop, minimumHistory: { closedLeads: 50, conversions: 10 }, minAuc: 0 };
    const outcome = await runCycle({ ...base, config: { ...base.config, loop } }, { forceTrain: true });
    if (!outcome.ran) throw new Error(outcome.reason);

    const [latest] = await store().models.list('salesforce');
    const stored = await store().models.get('salesforce', latest.version);
    const saved = (stored!.bundle as { features: { options: { sentinels: Record<string, unknown> } } }).features;
    expect(saved.options.sentinels).toEqual({ pdays__c: [999] });
    const pipeline = FeaturePipeline.fromJSON(saved);
    const labels = Object.fromEntries(pipeline.defs.map((d) => [d.name, d.label]));
    expect([labels.pdays__c, labels.emp_var_rate__c, labels.job__c, labels.age__c]).toEqual(['Pdays', 'Emp var rate', 'Job title', 'Age']);
    // 999 is missing, not a large number of days: the model has a "Pdays unknown" input.
    expect(labels.pdays__c__missing).toBe('Pdays unknown');
  });
});
