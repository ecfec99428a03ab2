import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../connectors/sandbox/server.js';
import { missingProperties } from '../../connectors/hubspot/missing-properties.js';
import { control, hubspotClient, seedLeads, startHubspot } from './helpers.js';

describe('HubSpot sandbox answers as HubSpot does', () => {
  let sandbox: RunningSandbox;
  let ids: string[];
  const post = async (path: string, body: unknown, method = 'POST') => {
    const res = await fetch(`${sandbox.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${sandbox.token}` },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    sandbox = await startHubspot({ seed: seedLeads(20), hubspotRateLimit: 100_000, hubspotSearchRateLimit: 1000 });
    ids = (await hubspotClient(sandbox).crm.contacts.basicApi.getPage(20)).results.map((c) => c.id);
  });
  afterAll(() => sandbox.close());

  it.each([
    ['create', '/crm/v3/objects/contacts', () => ({ properties: { foo: 'x' } }), 'POST'],
    ['update', '/crm/v3/objects/contacts/{id}', () => ({ properties: { foo: 'x' } }), 'PATCH'],
    ['batch create', '/crm/v3/objects/contacts/batch/create', () => ({ inputs: [{ properties: { foo: 'x' } }] }), 'POST'],
    ['batch update', '/crm/v3/objects/contacts/batch/update', () => ({ inputs: [{ id: ids[0], properties: { foo: 'x' } }] }), 'POST'],
  ])('%s naming an unknown property: 400 with the list as JSON inside the message and nothing else', async (_name, path, body, method) => {
    const res = await post(path.replace('{id}', ids[0]), body(), method);
    expect(res.status).toBe(400);
    expect(Object.keys(res.body).sort()).toEqual(['category', 'correlationId', 'message', 'status']);
    expect(res.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    const message = res.body.message as string;
    expect(message.startsWith('Property values were not valid: ')).toBe(true);
    expect(JSON.parse(message.slice('Property values were not valid: '.length))).toEqual([
      { isValid: false, message: 'Property "foo" does not exist', error: 'PROPERTY_DOESNT_EXIST', name: 'foo' },
    ]);
    expect(missingProperties(res.body)).toEqual(['foo']);
  });

  it('the connector reads missing properties from the message only, not from a made-up errors list', () => {
    const errors = [{ isValid: false, message: 'x', error: 'PROPERTY_DOESNT_EXIST', name: 'bar' }];
    expect(missingProperties({ category: 'VALIDATION_ERROR', message: 'Something else', errors } as never)).toEqual([]);
  });

  it('by default honours only the first sort and serves ties in no id order', async () => {
    const { at } = await control<{ at: string }>(sandbox, 'PATCH', '/hubspot/contacts', { ids: ids.slice(0, 6), properties: { lead_source: 'Import' } });
    const { hubspotSearchTieOrder } = await control<{ hubspotSearchTieOrder: string }>(sandbox, 'GET', '/options');
    expect(hubspotSearchTieOrder).toBe('scrambled');
    const search = (sorts: unknown[]) =>
      hubspotClient(sandbox).crm.contacts.searchApi.doSearch({
        filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: 'EQ' as never, value: String(Date.parse(at)) }] }],
        sorts: sorts as string[],
        properties: ['lastmodifieddate'],
        limit: 100,
      });
    const ascending = [...ids.slice(0, 6)].sort((a, b) => Number(a) - Number(b));
    const tied = await search([{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' }, { propertyName: 'hs_object_id', direction: 'ASCENDING' }]);
    expect(tied.results.map((c) => c.id)).toEqual([...ascending].reverse());
    expect((await search([{ propertyName: 'hs_object_id', direction: 'ASCENDING' }])).results.map((c) => c.id)).toEqual(ascending);
  });

  it("with 'id' ties still honours only the first sort", async () => {
    await control(sandbox, 'PATCH', '/options', { hubspotSearchTieOrder: 'id' });
    try {
      const res = await hubspotClient(sandbox).crm.contacts.searchApi.doSearch({
        filterGroups: [{ filters: [{ propertyName: 'lead_source', operator: 'EQ' as never, value: 'Import' }] }],
        sorts: [{ propertyName: 'lead_source', direction: 'ASCENDING' }, { propertyName: 'hs_object_id', direction: 'DESCENDING' }] as unknown as string[],
        properties: ['lead_source'],
        limit: 100,
      });
      const got = res.results.map((c) => c.id);
      expect(got).toEqual([...got].sort((a, b) => Number(a) - Number(b)));
    } finally {
      await control(sandbox, 'PATCH', '/options', { hubspotSearchTieOrder: 'scrambled' });
    }
  });
});
