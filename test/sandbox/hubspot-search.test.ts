import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../connectors/sandbox/server.js';
import { control, hubspotClient, sdkError, seedLeads, startHubspot } from './helpers.js';

describe('HubSpot sandbox search', () => {
  let sandbox: RunningSandbox;
  const leads = seedLeads(10_100);

  beforeAll(async () => {
    sandbox = await startHubspot({ seed: leads, hubspotRateLimit: 100_000, hubspotSearchRateLimit: 1000 });
  });
  afterAll(() => sandbox.close());

  const search = () => hubspotClient(sandbox).crm.contacts.searchApi;

  it('filters with AND inside a group and OR across groups, and reports the total', async () => {
    const web = leads.filter((l) => l.values['Lead Source'] === 'Web');
    const res = await search().doSearch({ filterGroups: [{ filters: [{ propertyName: 'lead_source', operator: FilterOperatorEnum.Eq, value: 'web' }] }], limit: 5 });
    expect(res.total).toBe(web.length);
    expect(res.results).toHaveLength(5);
    expect(res.paging?.next?.after).toBe('5');
    const either = await search().doSearch({
      filterGroups: [
        { filters: [{ propertyName: 'lead_source', operator: FilterOperatorEnum.Eq, value: 'Web' }, { propertyName: 'emp_var_rate', operator: FilterOperatorEnum.Gt, value: '2' }] },
        { filters: [{ propertyName: 'lead_source', operator: FilterOperatorEnum.Eq, value: 'Event' }] },
      ],
      limit: 1,
    });
    const expected = leads.filter((l) => (l.values['Lead Source'] === 'Web' && Number(l.values['emp.var.rate']) > 2) || l.values['Lead Source'] === 'Event');
    expect(either.total).toBe(expected.length);
  });

  it('supports the range, set and presence operators', async () => {
    const count = async (filters: Array<Record<string, unknown>>) =>
      (await search().doSearch({ filterGroups: [{ filters: filters as never }], limit: 0 })).total;
    const rate = (l: (typeof leads)[number]) => Number(l.values['emp.var.rate']);
    expect(await count([{ propertyName: 'emp_var_rate', operator: 'BETWEEN', value: '-1', highValue: '1' }])).toBe(leads.filter((l) => rate(l) >= -1 && rate(l) <= 1).length);
    expect(await count([{ propertyName: 'emp_var_rate', operator: 'LTE', value: '-2.5' }])).toBe(leads.filter((l) => rate(l) <= -2.5).length);
    expect(await count([{ propertyName: 'lead_source', operator: 'IN', values: ['web', 'partner'] }])).toBe(leads.filter((l) => ['Web', 'Partner'].includes(l.values['Lead Source'])).length);
    expect(await count([{ propertyName: 'lead_source', operator: 'NOT_IN', values: ['web'] }])).toBe(leads.filter((l) => l.values['Lead Source'] !== 'Web').length);
    expect(await count([{ propertyName: 'lead_source', operator: 'NEQ', value: 'Web' }])).toBe(leads.filter((l) => l.values['Lead Source'] !== 'Web').length);
    expect(await count([{ propertyName: 'hs_lead_status', operator: 'HAS_PROPERTY' }])).toBe(leads.filter((l) => l.open || l.outcome === 'lost').length);
    expect(await count([{ propertyName: 'hs_lead_status', operator: 'NOT_HAS_PROPERTY' }])).toBe(leads.filter((l) => !l.open && l.outcome === 'won').length);
    expect(await count([{ propertyName: 'email', operator: 'CONTAINS_TOKEN', value: 'lead-1*' }])).toBeGreaterThan(1000);
    const cutoff = leads[5000].createdAt;
    expect(await count([{ propertyName: 'createdate', operator: 'GTE', value: String(cutoff) }])).toBe(leads.length - 5000);
    expect(await count([{ propertyName: 'createdate', operator: 'LT', value: new Date(cutoff).toISOString() }])).toBe(5000);
  });

  it('sorts descending and pages with after to the same order', async () => {
    const body = {
      filterGroups: [{ filters: [{ propertyName: 'lead_source', operator: FilterOperatorEnum.Eq, value: 'Referral' }] }],
      sorts: ['-createdate'],
      properties: ['createdate', 'lead_source'],
      limit: 200,
    };
    const first = await search().doSearch(body);
    const second = await search().doSearch({ ...body, after: first.paging!.next!.after });
    const dates = [...first.results, ...second.results].map((c) => Date.parse(c.properties.createdate!));
    expect(dates).toHaveLength(400);
    expect(dates).toEqual([...dates].sort((a, b) => b - a));
    expect(new Set([...first.results, ...second.results].map((c) => c.id)).size).toBe(400);
    const objectSort = await search().doSearch({ ...body, sorts: [{ propertyName: 'createdate', direction: 'ASCENDING' } as never], limit: 3 });
    const oldest = leads.filter((l) => l.values['Lead Source'] === 'Referral').map((l) => l.createdAt).sort((a, b) => a - b).slice(0, 3);
    expect(objectSort.results.map((c) => Date.parse(c.properties.createdate!))).toEqual(oldest);
  });

  it('caps a page at 200 and a query at 10,000 results with HubSpot\'s 400 past the cap', async () => {
    expect((await sdkError(search().doSearch({ limit: 201 }))).code).toBe(400);
    const near = await search().doSearch({ limit: 200, after: '9900' });
    expect(near.total).toBe(10_100);
    expect(near.results).toHaveLength(100);
    expect(near.paging?.next?.after).toBe('10000');
    const past = await sdkError(search().doSearch({ limit: 200, after: '10000' }));
    expect(past.code).toBe(400);
    expect(past.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
  });

  it('rejects more than five filter groups and unknown properties', async () => {
    const group = { filters: [{ propertyName: 'lead_source', operator: FilterOperatorEnum.Eq, value: 'Web' }] };
    expect((await sdkError(search().doSearch({ filterGroups: Array(6).fill(group) }))).code).toBe(400);
    const unknown = await sdkError(search().doSearch({ filterGroups: [{ filters: [{ propertyName: 'nope', operator: FilterOperatorEnum.Eq, value: 'x' }] }] }));
    expect(unknown.code).toBe(400);
  });

  it('takes up to 6 filters a group and 18 in all (the stricter figures the search reference documents), and refuses one more with a 400', async () => {
    const filters = (n: number) => Array.from({ length: n }, (_, i) => ({ propertyName: 'emp_var_rate', operator: FilterOperatorEnum.Gt, value: String(-100 - i) }));
    const atLimit = await search().doSearch({ filterGroups: [{ filters: filters(6) }, { filters: filters(6) }, { filters: filters(6) }], limit: 0 });
    expect(atLimit.total).toBe(leads.length);
    const perGroup = await sdkError(search().doSearch({ filterGroups: [{ filters: filters(7) }], limit: 0 }));
    expect(perGroup.code).toBe(400);
    expect(perGroup.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    const overall = await sdkError(search().doSearch({ filterGroups: [{ filters: filters(6) }, { filters: filters(6) }, { filters: filters(6) }, { filters: filters(1) }], limit: 0 }));
    expect(overall.code).toBe(400);
    expect(overall.body.message).toMatch(/Too many filters: 19/);
  });

  it('has its own per-second limit, answered with the SECONDLY 429 the SDK knows how to retry', async () => {
    await control(sandbox, 'PATCH', '/options', { hubspotSearchRateLimit: 2 });
    await new Promise((r) => setTimeout(r, 1100));
    const api = search();
    const results = await Promise.allSettled([1, 2, 3].map(() => api.doSearch({ limit: 1 })));
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0].reason.code).toBe(429);
    expect(rejected[0].reason.body).toMatchObject({ policyName: 'SECONDLY', message: 'You have reached your secondly limit.', category: 'RATE_LIMITS' });
    expect(Number(rejected[0].reason.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // With retries on, the SDK waits a second on this message and then succeeds.
    await new Promise((r) => setTimeout(r, 1100));
    const retrying = hubspotClient(sandbox, { numberOfApiCallRetries: 3 }).crm.contacts.searchApi;
    const burst = await Promise.all([1, 2, 3].map(() => retrying.doSearch({ limit: 1 })));
    expect(burst.every((r) => r.total === 10_100)).toBe(true);
  });
});
