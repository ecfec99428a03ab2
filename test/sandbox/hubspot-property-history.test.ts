import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../connectors/sandbox/server.js';
import { control, hubspotClient, seedLeads, startHubspot } from './helpers.js';

describe('HubSpot sandbox propertiesWithHistory', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startHubspot({ seed: seedLeads(5), hubspotRateLimit: 100_000 });
  });
  afterAll(() => sandbox.close());

  it('getById lists each write newest first with its timestamp and source; a seeded value is its own history', async () => {
    const client = hubspotClient(sandbox);
    const [seeded] = (await client.crm.contacts.basicApi.getPage(1, undefined, ['lead_source'])).results;
    const before = await client.crm.contacts.basicApi.getById(seeded.id, ['lead_source'], ['lead_source', 'hs_object_id', 'nope']);
    expect(before.propertiesWithHistory?.lead_source).toEqual([{ value: seeded.properties.lead_source, timestamp: seeded.updatedAt, sourceType: 'IMPORT' }]);
    expect(before.propertiesWithHistory?.hs_object_id?.[0]).toMatchObject({ value: seeded.id, sourceType: 'CALCULATED' });
    expect(Object.keys(before.propertiesWithHistory ?? {}).sort()).toEqual(['hs_object_id', 'lead_source']);

    await client.crm.contacts.basicApi.update(seeded.id, { properties: { lead_source: 'Partner' } });
    await control(sandbox, 'POST', '/clock/advance', { ms: 60_000 });
    await control(sandbox, 'PATCH', `/hubspot/contacts/${seeded.id}`, { properties: { lead_source: 'Event' } });
    const after = await client.crm.contacts.basicApi.getById(seeded.id, ['lead_source'], ['lead_source']);
    const history = after.propertiesWithHistory!.lead_source;
    expect(history.map((h) => [h.value, h.sourceType])).toEqual([
      ['Event', 'CRM_UI'],
      ['Partner', 'INTEGRATION'],
      [seeded.properties.lead_source, 'IMPORT'],
    ]);
    expect(history[0].timestamp.getTime() - history[1].timestamp.getTime()).toBeGreaterThanOrEqual(60_000);
    expect(history[0].timestamp.toISOString()).toBe(after.properties.lastmodifieddate);
  });

  it('getPage and batch read return it too, a created contact from its creation', async () => {
    const client = hubspotClient(sandbox);
    const created = await client.crm.contacts.basicApi.create({ properties: { email: 'history@example.com', firstname: 'A' }, associations: [] });
    await client.crm.contacts.basicApi.update(created.id, { properties: { firstname: 'B' } });
    const read = await client.crm.contacts.batchApi.read({ inputs: [{ id: created.id }], properties: ['firstname'], propertiesWithHistory: ['firstname'] });
    expect(read.results[0].propertiesWithHistory?.firstname.map((h) => [h.value, h.sourceType])).toEqual([
      ['B', 'INTEGRATION'],
      ['A', 'INTEGRATION'],
    ]);
    const page = await client.crm.contacts.basicApi.getPage(50, undefined, ['firstname'], ['firstname']);
    expect(page.results.find((c) => c.id === created.id)?.propertiesWithHistory?.firstname).toHaveLength(2);
    const plain = await client.crm.contacts.basicApi.getById(created.id, ['firstname']);
    expect(plain.propertiesWithHistory).toBeUndefined();
  });
});
