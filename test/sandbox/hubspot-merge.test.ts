import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@hubspot/api-client';
import type { RunningSandbox } from '../../connectors/sandbox/server.js';
import { control, hubspotClient, sdkError, startHubspot } from './helpers.js';

// HubSpot's contact merge since merges create a record (developer changelog, "Updated merge
// functionality for contacts and companies"); see HubspotRecords.merge for what is sourced.
describe('HubSpot sandbox contact merge through @hubspot/api-client', () => {
  let sandbox: RunningSandbox;
  let sdk: Client;

  beforeAll(async () => {
    sandbox = await startHubspot({ hubspotRateLimit: 10_000 });
    sdk = hubspotClient(sandbox);
  });
  afterAll(() => sandbox.close());

  const contact = (properties: Record<string, string>) => sdk.crm.contacts.basicApi.create({ properties, associations: [] });

  it('answers with a new record: the primary values current, the secondary filling gaps, the furthest stage, both ids merged in', async () => {
    const primary = await contact({ email: 'ada@example.com', firstname: 'Ada', lifecyclestage: 'lead' });
    const secondary = await contact({ email: 'ada.l@example.com', firstname: 'A.', jobtitle: 'Engineer', lifecyclestage: 'customer' });
    await control(sandbox, 'POST', '/clock/advance', { ms: 60_000 });
    const merged = await sdk.crm.contacts.basicApi.merge({ primaryObjectId: primary.id, objectIdToMerge: secondary.id });
    expect([primary.id, secondary.id]).not.toContain(merged.id);
    expect(merged.archived).toBe(false);
    expect(merged.updatedAt.getTime()).toBeGreaterThan(primary.updatedAt.getTime());
    const read = await sdk.crm.contacts.basicApi.getById(merged.id, ['email', 'firstname', 'jobtitle', 'lifecyclestage', 'hs_merged_object_ids']);
    expect(read.properties).toMatchObject({ email: 'ada@example.com', firstname: 'Ada', jobtitle: 'Engineer', lifecyclestage: 'customer' });
    expect(read.properties.hs_merged_object_ids!.split(';').sort()).toEqual([primary.id, secondary.id].sort());
  });

  it('both old ids lead to the merged record; neither is listed, searched or listed as archived', async () => {
    const a = await contact({ email: 'bo@example.com' });
    const b = await contact({ email: 'bo2@example.com' });
    const merged = await sdk.crm.contacts.basicApi.merge({ primaryObjectId: a.id, objectIdToMerge: b.id });
    for (const old of [a.id, b.id]) expect((await sdk.crm.contacts.basicApi.getById(old)).id).toBe(merged.id);
    const listed = (await sdk.crm.contacts.getAll(100)).map((c) => c.id);
    expect(listed).toContain(merged.id);
    expect(listed).not.toContain(a.id);
    expect(listed).not.toContain(b.id);
    const archived = (await sdk.crm.contacts.basicApi.getPage(100, undefined, undefined, undefined, undefined, true)).results.map((c) => c.id);
    expect(archived).not.toContain(a.id);
    const found = await sdk.crm.contacts.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ' as never, value: 'bo@example.com' }] }], limit: 10 } as never);
    expect(found.results.map((c) => c.id)).toEqual([merged.id]);
    // The secondary's email stays taken: it finds the merged record.
    const conflict = await sdkError(contact({ email: 'bo2@example.com' }));
    expect(conflict.code).toBe(409);
    expect(String(conflict.body.message)).toContain(merged.id);
  });

  it('moves the deals of both to the merged record and lists earlier merges in hs_merged_object_ids', async () => {
    const a = await contact({ email: 'cy@example.com' });
    const b = await contact({ email: 'cy2@example.com' });
    const c = await contact({ email: 'cy3@example.com' });
    const deal = await sdk.crm.deals.basicApi.create({ properties: { dealname: 'D', dealstage: 'closedwon', pipeline: 'default' }, associations: [] });
    await sdk.crm.associations.v4.basicApi.createDefault('deals', deal.id, 'contacts', b.id);
    const first = await sdk.crm.contacts.basicApi.merge({ primaryObjectId: a.id, objectIdToMerge: b.id });
    const second = await sdk.crm.contacts.basicApi.merge({ primaryObjectId: c.id, objectIdToMerge: first.id });
    const read = await sdk.crm.contacts.basicApi.getById(second.id, ['hs_merged_object_ids'], undefined, ['deals']);
    expect(read.properties.hs_merged_object_ids!.split(';').sort()).toEqual([a.id, b.id, c.id, first.id].sort());
    expect(read.associations?.deals?.results.map((r) => r.id)).toEqual([deal.id]);
    expect((await sdk.crm.contacts.basicApi.getById(a.id)).id).toBe(second.id);
  });

  it('refuses a merge of a record with itself, or of one that is gone', async () => {
    const a = await contact({ email: 'di@example.com' });
    expect((await sdkError(sdk.crm.contacts.basicApi.merge({ primaryObjectId: a.id, objectIdToMerge: a.id }))).code).toBe(400);
    expect((await sdkError(sdk.crm.contacts.basicApi.merge({ primaryObjectId: a.id, objectIdToMerge: '999999' }))).code).toBe(404);
  });
});
