import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../connectors/sandbox/server.js';
import { loadManifest } from '../../src/domain/manifest.js';
import { control, hubspotClient, seedLeads, startHubspot } from './helpers.js';

/**
 * Real HubSpot returns hs_object_id, createdate and the last-modified date with every read that
 * names its properties; the sandbox returned only the named ones. And the sandbox's app listed
 * scopes manifest.json does not ask for (deals.write) while missing one it does (schemas.contacts.read).
 */
describe('HubSpot sandbox: what a read returns, and the app\'s scopes', () => {
  let sandbox: RunningSandbox;
  let id: string;
  beforeAll(async () => {
    sandbox = await startHubspot({ seed: seedLeads(10), hubspotRateLimit: 100_000, hubspotSearchRateLimit: 1000 });
    id = (await hubspotClient(sandbox).crm.contacts.basicApi.getPage(1)).results[0].id;
  });
  afterAll(() => sandbox.close());

  it('a contact read by id with ?properties= also carries hs_object_id, createdate and lastmodifieddate', async () => {
    const contact = await hubspotClient(sandbox).crm.contacts.basicApi.getById(id, ['email', 'no_such_property']);
    expect(Object.keys(contact.properties).sort()).toEqual(['createdate', 'email', 'hs_object_id', 'lastmodifieddate']);
    expect(contact.properties.hs_object_id).toBe(id);
  });

  it('so does a search naming its properties, and a batch read; a deal search carries hs_lastmodifieddate', async () => {
    const sdk = hubspotClient(sandbox);
    const found = await sdk.crm.contacts.searchApi.doSearch({ properties: ['email'], limit: 2 } as never);
    for (const c of found.results) expect(Object.keys(c.properties).sort()).toEqual(['createdate', 'email', 'hs_object_id', 'lastmodifieddate']);
    const read = await sdk.crm.contacts.batchApi.read({ inputs: [{ id }], properties: ['email'], propertiesWithHistory: [] });
    expect(Object.keys(read.results[0].properties).sort()).toEqual(['createdate', 'email', 'hs_object_id', 'lastmodifieddate']);
    const deals = await sdk.crm.deals.searchApi.doSearch({ properties: ['dealstage'], limit: 1 } as never);
    for (const d of deals.results) expect(Object.keys(d.properties).sort()).toEqual(['createdate', 'dealstage', 'hs_lastmodifieddate', 'hs_object_id']);
  });

  it('grants the app exactly the scopes manifest.json asks for', async () => {
    const info = await control<{ hubspot: { app: { scopes: string[] } } }>(sandbox, 'GET', '/');
    expect([...info.hubspot.app.scopes].sort()).toEqual([...loadManifest().hubspot.scopes].sort());
  });
});
