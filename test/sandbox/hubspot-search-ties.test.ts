import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts/index.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../connectors/sandbox/server.js';
import { control, hubspotClient, seedLeads, startHubspot } from './helpers.js';

describe('HubSpot sandbox: records sharing one sort value', () => {
  let sandbox: RunningSandbox;
  let tied: string[];
  let at: string;

  beforeAll(async () => {
    sandbox = await startHubspot({ seed: seedLeads(60), hubspotRateLimit: 100_000, hubspotSearchRateLimit: 1000 });
    const page = await hubspotClient(sandbox).crm.contacts.basicApi.getPage(50);
    tied = page.results.map((c) => c.id).filter((_, i) => i % 3 !== 0);
    ({ at } = await control<{ at: string }>(sandbox, 'PATCH', '/hubspot/contacts', { ids: tied, properties: { lead_source: 'Import' } }));
  });
  afterEach(() => control(sandbox, 'PATCH', '/options', { hubspotSearchTieOrder: 'scrambled' }));
  afterAll(() => sandbox.close());

  const tie = (sorts: Array<{ propertyName: string; direction: 'ASCENDING' | 'DESCENDING' }>) =>
    hubspotClient(sandbox).crm.contacts.searchApi.doSearch({
      filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: FilterOperatorEnum.Eq, value: String(Date.parse(at)) }] }],
      sorts: sorts as unknown as string[],
      properties: ['lastmodifieddate', 'lead_source'],
      limit: 100,
    });
  const ascending = () => [...tied].sort((a, b) => Number(a) - Number(b));

  it('stamps every contact of a control-API bulk edit with one lastmodifieddate, as an import does', async () => {
    const res = await tie([]);
    expect(res.results.map((c) => c.id).sort()).toEqual([...tied].sort());
    expect(new Set(res.results.map((c) => c.properties.lastmodifieddate))).toEqual(new Set([at]));
    expect(res.results.every((c) => c.properties.lead_source === 'Import')).toBe(true);
  });

  it('rejects a bulk edit naming a contact that does not exist, changing nothing', async () => {
    await expect(control(sandbox, 'PATCH', '/hubspot/contacts', { ids: [tied[0], '999999'], properties: { lead_source: 'Other' } })).rejects.toThrow(/: 404 /);
    const res = await tie([]);
    expect(res.results.map((c) => c.id).sort()).toEqual([...tied].sort());
    expect(res.results.every((c) => c.properties.lead_source === 'Import')).toBe(true);
    const first = await hubspotClient(sandbox).crm.contacts.basicApi.getById(tied[0], ['lead_source', 'lastmodifieddate']);
    expect(first.properties).toMatchObject({ lead_source: 'Import', lastmodifieddate: at });
  });

  it('honours only the first sort, as HubSpot does: ties come scrambled by default, by ascending id in the "id" mode', async () => {
    const byDateThenId = [{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' as const }, { propertyName: 'hs_object_id', direction: 'ASCENDING' as const }];
    expect((await tie(byDateThenId)).results.map((c) => c.id)).toEqual(ascending().reverse());
    expect((await tie([{ propertyName: 'hs_object_id', direction: 'ASCENDING' }])).results.map((c) => c.id)).toEqual(ascending());
    expect((await control<{ hubspotSearchTieOrder: string }>(sandbox, 'GET', '/options')).hubspotSearchTieOrder).toBe('scrambled');
    await control(sandbox, 'PATCH', '/options', { hubspotSearchTieOrder: 'id' });
    expect((await tie([{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' }, { propertyName: 'hs_object_id', direction: 'DESCENDING' }])).results.map((c) => c.id)).toEqual(ascending());
  });

  it('refuses an unknown tie order', async () => {
    await expect(control(sandbox, 'PATCH', '/options', { hubspotSearchTieOrder: 'random' })).rejects.toThrow(/400/);
  });
});
