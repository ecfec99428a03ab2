import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../connectors/sandbox/server.js';
import { control, hubspotClient, sdkError, seedLeads, startHubspot } from './helpers.js';

describe('HubSpot sandbox objects through @hubspot/api-client', () => {
  let sandbox: RunningSandbox;
  const leads = seedLeads(250);

  beforeAll(async () => {
    sandbox = await startHubspot({ seed: leads, hubspotRateLimit: 10_000 });
  });
  afterAll(() => sandbox.close());

  it('pages through every contact with basicApi.getPage and after', async () => {
    const api = hubspotClient(sandbox).crm.contacts.basicApi;
    const ids: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await api.getPage(100, after, ['lead_source', 'lifecyclestage']);
      pages++;
      for (const c of page.results) ids.push(c.id);
      expect(page.results[0].createdAt).toBeInstanceOf(Date);
      after = page.paging?.next?.after;
    } while (after);
    expect(pages).toBe(3);
    expect(ids).toHaveLength(250);
    expect(new Set(ids).size).toBe(250);
    expect(ids).toEqual([...ids].sort((a, b) => Number(a) - Number(b)));
  });

  it('getAll agrees with the seed and shows requested properties, null when unset', async () => {
    const all = await hubspotClient(sandbox).crm.contacts.getAll(100, undefined, ['lead_source', 'emp_var_rate', 'hs_lead_status']);
    expect(all).toHaveLength(250);
    const first = all[0];
    expect(first.properties.lead_source).toBe('Web');
    expect(first.properties.emp_var_rate).toBe('-3.5');
    const customer = all.find((c) => c.properties.hs_lead_status === null);
    expect(customer).toBeDefined();
  });

  it('rejects a list limit above 100 with a 400', async () => {
    const err = await sdkError(hubspotClient(sandbox).crm.contacts.basicApi.getPage(101));
    expect(err.code).toBe(400);
    expect(err.body.category).toBe('VALIDATION_ERROR');
  });

  it('gets by id with associations, and 404s an unknown id in HubSpot shape', async () => {
    const client = hubspotClient(sandbox);
    const page = await client.crm.contacts.basicApi.getPage(1, undefined, ['lifecyclestage'], undefined, ['deals']);
    const contact = page.results[0];
    expect(contact.properties.lifecyclestage).toMatch(/customer|other/);
    const dealId = contact.associations?.deals.results[0].id;
    expect(dealId).toBeDefined();
    const deal = await client.crm.deals.basicApi.getById(dealId!, ['dealstage', 'pipeline', 'closedate'], undefined, ['contacts']);
    expect(deal.properties.dealstage).toBe(contact.properties.lifecyclestage === 'customer' ? 'closedwon' : 'closedlost');
    expect(deal.properties.pipeline).toBe('default');
    expect(deal.associations?.contacts.results[0]).toEqual({ id: contact.id, type: 'deal_to_contact' });
    const err = await sdkError(client.crm.contacts.basicApi.getById('999999'));
    expect(err.code).toBe(404);
    expect(err.body).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND' });
    expect(typeof err.body.correlationId).toBe('string');
  });

  it('creates, updates and archives, maintaining createdate and lastmodifieddate on the sandbox clock', async () => {
    const api = hubspotClient(sandbox).crm.contacts.basicApi;
    const created = await api.create({ properties: { email: 'new.person@example.com', firstname: 'New' }, associations: [] });
    expect(created.properties.hs_object_id).toBe(created.id);
    const createdAt = Date.parse(created.properties.createdate!);
    expect(Math.abs(createdAt - Date.now())).toBeLessThan(5000);
    await fetch(`${sandbox.url}/__sandbox/clock/advance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ms: 3_600_000 }) });
    const updated = await api.update(created.id, { properties: { lifecyclestage: 'customer' } });
    expect(Date.parse(updated.properties.lastmodifieddate!) - createdAt).toBeGreaterThanOrEqual(3_600_000);
    expect(updated.properties.hs_lifecyclestage_customer_date).toBe(updated.properties.lastmodifieddate);
    const dup = await sdkError(api.create({ properties: { email: 'NEW.person@example.com' }, associations: [] }));
    expect(dup.code).toBe(409);
    expect(dup.body).toMatchObject({ category: 'CONFLICT', message: `Contact already exists. Existing ID: ${created.id}` });
    const bad = await sdkError(api.update(created.id, { properties: { lifecyclestage: 'bogus', nope: 'x' } }));
    expect(bad.code).toBe(400);
    // As HubSpot answers it: the per-property list is JSON text inside the message.
    expect(bad.body.category).toBe('VALIDATION_ERROR');
    const listed = JSON.parse(String(bad.body.message).replace(/^Property values were not valid: /, '')) as Array<{ error: string }>;
    expect(listed.map((e) => e.error).sort()).toEqual(['INVALID_OPTION', 'PROPERTY_DOESNT_EXIST']);
    const sandboxNow = async () => (await control<{ now: number }>(sandbox, 'GET', '/clock')).now;
    const beforeArchive = await sandboxNow();
    await api.archive(created.id);
    const afterArchive = await sandboxNow();
    expect((await sdkError(api.getById(created.id))).code).toBe(404);
    const archived = await api.getById(created.id, undefined, undefined, undefined, true);
    expect(archived.archived).toBe(true);
    const archivedPage = await api.getPage(100, undefined, undefined, undefined, undefined, true);
    expect(archivedPage.results.map((c) => c.id)).toEqual([created.id]);
    expect(archivedPage.results[0].archived).toBe(true);
    expect(archivedPage.results[0].archivedAt).toBeInstanceOf(Date);
    // On the sandbox clock, an hour ahead of the wall clock since the advance above.
    expect(archivedPage.results[0].archivedAt!.getTime()).toBeGreaterThanOrEqual(beforeArchive);
    expect(archivedPage.results[0].archivedAt!.getTime()).toBeLessThanOrEqual(afterArchive);
  });

  it('batch read returns 207 with a per-input error for missing ids', async () => {
    const client = hubspotClient(sandbox);
    const page = await client.crm.contacts.basicApi.getPage(3);
    const ids = page.results.map((c) => c.id);
    const res = await client.crm.contacts.batchApi.read({ inputs: [...ids, '424242'].map((id) => ({ id })), properties: ['lead_source'], propertiesWithHistory: [] });
    expect(res.results.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect('numErrors' in res && res.numErrors).toBe(1);
    const errors = (res as { errors: Array<{ category: string; context: Record<string, string[]> }> }).errors;
    expect(errors[0].category).toBe('OBJECT_NOT_FOUND');
    expect(errors[0].context.ids).toEqual(['424242']);
    expect(res.startedAt).toBeInstanceOf(Date);
  });

  it('batch create answers 201, batch update answers 207 when an input is missing', async () => {
    const api = hubspotClient(sandbox).crm.contacts.batchApi;
    const created = await api.create({ inputs: [1, 2, 3].map((i) => ({ properties: { email: `batch${i}@example.com`, lead_source: 'Batch' }, associations: [] })) });
    expect(created.results).toHaveLength(3);
    expect(created.status).toBe('COMPLETE');
    const inputs = [...created.results.map((c) => ({ id: c.id, properties: { lead_source: 'Updated' } })), { id: '987654', properties: { lead_source: 'Updated' } }];
    const updated = await api.update({ inputs });
    expect(updated.results).toHaveLength(3);
    expect(updated.results.every((r) => r.properties.lead_source === 'Updated')).toBe(true);
    const withErrors = updated as { numErrors?: number; errors?: Array<{ context: Record<string, string[]> }> };
    expect(withErrors.numErrors).toBe(1);
    expect(withErrors.errors?.[0].context.ids).toEqual(['987654']);
  });

  it('rejects a batch of more than 100 inputs with a 400 and changes nothing', async () => {
    const api = hubspotClient(sandbox).crm.contacts.batchApi;
    const inputs = Array.from({ length: 101 }, (_, i) => ({ properties: { email: `too-many-${i}@example.com` }, associations: [] }));
    const err = await sdkError(api.create({ inputs }));
    expect(err.code).toBe(400);
    expect(err.body.category).toBe('VALIDATION_ERROR');
    const found = await hubspotClient(sandbox).crm.contacts.basicApi.getById('too-many-0@example.com', undefined, undefined, undefined, false, 'email').catch((e) => e);
    expect(found.code).toBe(404);
  });

  it('answers 401 in HubSpot shape for a missing or wrong token', async () => {
    const err = await sdkError(hubspotClient(sandbox, { accessToken: 'wrong' }).crm.contacts.basicApi.getPage(1));
    expect(err.code).toBe(401);
    expect(err.body).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION' });
    expect(typeof err.body.correlationId).toBe('string');
    const bare = await fetch(`${sandbox.url}/crm/v3/objects/contacts`);
    expect(bare.status).toBe(401);
  });

  it('creates properties with options, updates the options, and 409s a duplicate', async () => {
    const api = hubspotClient(sandbox).crm.properties;
    await api.groupsApi.create('contacts', { name: 'leadlift', label: 'leadlift', displayOrder: 1 });
    const groupDup = await sdkError(api.groupsApi.create('contacts', { name: 'leadlift', label: 'again' }));
    expect(groupDup.code).toBe(409);
    const created = await api.coreApi.create('contacts', {
      name: 'leadlift_tier',
      label: 'Lead tier',
      type: 'enumeration' as never,
      fieldType: 'select' as never,
      groupName: 'leadlift',
      options: [
        { label: 'A', value: 'A', hidden: false, displayOrder: 0 },
        { label: 'B', value: 'B', hidden: false, displayOrder: 1 },
      ],
    });
    expect(created.options.map((o) => o.value)).toEqual(['A', 'B']);
    expect(created.createdAt).toBeInstanceOf(Date);
    const dup = await sdkError(api.coreApi.create('contacts', { name: 'leadlift_tier', label: 'x', type: 'string' as never, fieldType: 'text' as never, groupName: 'leadlift' }));
    expect(dup.code).toBe(409);
    expect(dup.body).toMatchObject({ status: 'error', category: 'OBJECT_ALREADY_EXISTS' });
    const updated = await api.coreApi.update('contacts', 'leadlift_tier', { options: ['A', 'B', 'C'].map((v, i) => ({ label: v, value: v, hidden: false, displayOrder: i })) });
    expect(updated.options.map((o) => o.value)).toEqual(['A', 'B', 'C']);
    const read = await api.coreApi.getByName('contacts', 'leadlift_tier');
    expect(read.options).toHaveLength(3);
    const contacts = await hubspotClient(sandbox).crm.contacts.basicApi.getPage(1);
    await hubspotClient(sandbox).crm.contacts.basicApi.update(contacts.results[0].id, { properties: { leadlift_tier: 'C' } });
    const all = await api.coreApi.getAll('contacts');
    const names = all.results.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['email', 'lifecyclestage', 'hs_lead_status', 'lead_source', 'emp_var_rate', 'created_on', 'leadlift_tier']));
    expect(names).not.toContain('converted');
    expect(all.results.find((p) => p.name === 'emp_var_rate')?.type).toBe('number');
    expect((await sdkError(api.coreApi.getByName('contacts', 'no_such_property'))).code).toBe(404);
  });

  it('associates contacts and deals through the v4 API and reads them in batch (v4 and v3)', async () => {
    const client = hubspotClient(sandbox);
    const contact = await client.crm.contacts.basicApi.create({ properties: { email: 'assoc@example.com' }, associations: [] });
    const deal = await client.crm.deals.basicApi.create({ properties: { dealname: 'Assoc deal', dealstage: 'qualifiedtobuy', pipeline: 'default' }, associations: [] });
    await client.crm.associations.v4.basicApi.createDefault('contacts', contact.id, 'deals', deal.id);
    const page = await client.crm.associations.v4.basicApi.getPage('contacts', contact.id, 'deals');
    expect(page.results).toHaveLength(1);
    expect(String(page.results[0].toObjectId)).toBe(deal.id);
    expect(page.results[0].associationTypes[0]).toMatchObject({ category: 'HUBSPOT_DEFINED', typeId: 4 });
    const batch = await client.crm.associations.v4.batchApi.getPage('deals', 'contacts', { inputs: [{ id: deal.id }] });
    expect(String(batch.results[0].to[0].toObjectId)).toBe(contact.id);
    const v3 = await client.crm.associations.batchApi.read('contacts', 'deals', { inputs: [{ id: contact.id }] });
    expect(v3.results[0].to[0]).toEqual({ id: deal.id, type: 'contact_to_deal' });
    await client.crm.associations.v4.basicApi.archive('contacts', contact.id, 'deals', deal.id);
    expect((await client.crm.associations.v4.basicApi.getPage('contacts', contact.id, 'deals')).results).toHaveLength(0);
    const closed = await client.crm.deals.basicApi.update(deal.id, { properties: { dealstage: 'closedwon' } });
    expect(closed.properties.hs_is_closed_won).toBe('true');
  });
});
