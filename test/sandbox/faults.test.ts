import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FaultRule, LoggedRequest } from '../../connectors/sandbox/context.js';
import type { RunningSandbox } from '../../connectors/sandbox/server.js';
import { control, hubspotClient, sdkError, seedLeads, startHubspot } from './helpers.js';

describe('sandbox fault injection (control API) against HubSpot routes', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startHubspot({ seed: seedLeads(150), hubspotRateLimit: 10_000 });
  });
  afterAll(() => sandbox.close());
  beforeEach(async () => {
    await control(sandbox, 'DELETE', '/faults');
    await control(sandbox, 'DELETE', '/requests');
  });

  it('answers 5xx in HubSpot shape for the next N matching requests, then retires the rule', async () => {
    const rule = await control<FaultRule>(sandbox, 'POST', '/faults', { pathPattern: '^/crm/v3/objects/contacts$', method: 'GET', kind: 'server-error', status: 502, count: 2 });
    const api = hubspotClient(sandbox).crm.contacts.basicApi;
    for (let i = 0; i < 2; i++) {
      const err = await sdkError(api.getPage(1));
      expect(err.code).toBe(502);
      expect(err.body).toMatchObject({ status: 'error', category: 'INTERNAL_ERROR' });
    }
    expect((await api.getPage(1)).results).toHaveLength(1);
    const listed = await control<{ results: FaultRule[] }>(sandbox, 'GET', '/faults');
    expect(listed.results.find((r) => r.id === rule.id)).toBeUndefined();
    const deals = await hubspotClient(sandbox).crm.deals.basicApi.getPage(1);
    expect(deals.results).toHaveLength(1);
  });

  it('drops the connection: the SDK call fails without a response and the log records status 0', async () => {
    await control(sandbox, 'POST', '/faults', { pathPattern: '/batch/read$', kind: 'drop', count: 1 });
    const api = hubspotClient(sandbox).crm.contacts.batchApi;
    const err = (await sdkError(api.read({ inputs: [{ id: '1001' }], properties: [], propertiesWithHistory: [] }))) as unknown as Error;
    // No HTTP status: the SDK surfaces the transport error (ECONNRESET / socket hang up).
    expect(typeof (err as unknown as { code?: unknown }).code).not.toBe('number');
    expect(`${(err as unknown as { code?: string }).code} ${err.message}`).toMatch(/ECONNRESET|socket hang up|other side closed/i);
    const log = await control<{ results: LoggedRequest[] }>(sandbox, 'GET', '/requests?crm=hubspot');
    expect(log.results.map((r) => [r.method, r.path, r.status])).toEqual([['POST', '/crm/v3/objects/contacts/batch/read', 0]]);
  });

  it('adds latency, then lets the request through', async () => {
    await control(sandbox, 'POST', '/faults', { pathPattern: '^/crm/v3/objects/deals', kind: 'latency', ms: 400 });
    const started = performance.now();
    const page = await hubspotClient(sandbox).crm.deals.basicApi.getPage(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
    expect(page.results).toHaveLength(2);
  });

  it('injects a 429 storm with the Retry-After a rule asks for', async () => {
    await control(sandbox, 'POST', '/faults', { pathPattern: '^/crm/', kind: 'rate-limit', ms: 7, count: 3 });
    const api = hubspotClient(sandbox).crm.contacts.basicApi;
    const errors = await Promise.all([1, 2, 3].map(() => sdkError(api.getPage(1))));
    expect(errors.map((e) => [e.code, e.headers['retry-after'], e.body.policyName])).toEqual(Array(3).fill([429, '7', 'TEN_SECONDLY_ROLLING']));
    expect((await api.getPage(1)).results).toHaveLength(1);
  });

  it('fails a share of a batch update: 207 with exactly those inputs in errors, the rest applied', async () => {
    await control(sandbox, 'POST', '/faults', { pathPattern: '/crm/v3/objects/contacts/batch/update', kind: 'partial-batch', share: 0.25, count: 1 });
    const client = hubspotClient(sandbox);
    const page = await client.crm.contacts.basicApi.getPage(100);
    const inputs = page.results.map((c) => ({ id: c.id, properties: { lead_source: 'Fault test' } }));
    const res = (await client.crm.contacts.batchApi.update({ inputs })) as { results: Array<{ id: string }>; numErrors?: number; errors?: Array<{ category: string; context: { ids: string[] } }> };
    expect(res.numErrors).toBe(1);
    const failed = res.errors![0].context.ids;
    expect(failed).toHaveLength(25);
    expect(res.errors![0].category).toBe('INTERNAL_ERROR');
    expect(res.results).toHaveLength(75);
    const read = await client.crm.contacts.batchApi.read({ inputs: inputs.map(({ id }) => ({ id })), properties: ['lead_source'], propertiesWithHistory: [] });
    const updated = read.results.filter((c) => c.properties.lead_source === 'Fault test').map((c) => c.id);
    expect(updated).toHaveLength(75);
    expect(updated.some((id) => failed.includes(id))).toBe(false);
    // The rule had count 1: the next batch goes through whole.
    const again = await client.crm.contacts.batchApi.update({ inputs });
    expect(again.results).toHaveLength(100);
    expect('numErrors' in again).toBe(false);
  });

  it('validates rules and keeps the control API itself free of faults', async () => {
    const bad = await fetch(`${sandbox.url}/__sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pathPattern: '(', kind: 'drop' }) });
    expect(bad.status).toBe(400);
    await control(sandbox, 'POST', '/faults', { pathPattern: '.*', kind: 'server-error' });
    const listed = await control<{ results: FaultRule[] }>(sandbox, 'GET', '/faults');
    expect(listed.results).toHaveLength(1);
    expect((await sdkError(hubspotClient(sandbox).crm.contacts.basicApi.getPage(1))).code).toBe(503);
  });
});
