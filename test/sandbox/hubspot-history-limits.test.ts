import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../connectors/sandbox/server.js';
import { hubspotClient, sdkError, seedLeads, startHubspot } from './helpers.js';

describe('HubSpot sandbox reads at most 50 objects a request with propertiesWithHistory, as HubSpot does', () => {
  let sandbox: RunningSandbox;
  let ids: string[];
  const contacts = () => hubspotClient(sandbox).crm.contacts;
  const inputs = (n: number) => ids.slice(0, n).map((id) => ({ id }));

  beforeAll(async () => {
    sandbox = await startHubspot({ seed: seedLeads(120), hubspotRateLimit: 100_000 });
    ids = (await contacts().basicApi.getPage(100)).results.map((c) => c.id);
  });
  afterAll(() => sandbox.close());

  it("batchApi.read of 51 inputs with history: 400 VALIDATION_ERROR in HubSpot's words; 50 pass, each with its history; 100 without", async () => {
    const err = await sdkError(contacts().batchApi.read({ inputs: inputs(51), properties: ['lead_source'], propertiesWithHistory: ['lead_source'] }));
    expect(err.code).toBe(400);
    expect(err.body).toMatchObject({
      status: 'error',
      category: 'VALIDATION_ERROR',
      message: 'The maximum number of inputs supported in a batch request for property histories is 50. Please reduce the number of items and try again',
    });
    const read = await contacts().batchApi.read({ inputs: inputs(50), properties: ['lead_source'], propertiesWithHistory: ['lead_source'] });
    expect(read.results).toHaveLength(50);
    expect(read.results.every((c) => (c.propertiesWithHistory?.lead_source ?? []).length > 0)).toBe(true);
    // Without history (or with an empty list, as the connector sends) a batch still takes 100.
    expect((await contacts().batchApi.read({ inputs: inputs(100), properties: ['lead_source'], propertiesWithHistory: [] })).results).toHaveLength(100);
  });

  it('basicApi.getPage asking for 51 with history: 400; 50 pass, and 100 without history', async () => {
    const err = await sdkError(contacts().basicApi.getPage(51, undefined, ['lead_source'], ['lead_source']));
    expect(err.code).toBe(400);
    expect(err.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    expect(String(err.body.message)).toContain('propertiesWithHistory');
    const page = await contacts().basicApi.getPage(50, undefined, ['lead_source'], ['lead_source']);
    expect(page.results).toHaveLength(50);
    expect(page.paging?.next?.after).toBeDefined();
    expect((await contacts().basicApi.getPage(100, undefined, ['lead_source'])).results).toHaveLength(100);
  });
});
