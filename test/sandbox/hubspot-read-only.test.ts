import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../connectors/sandbox/server.js';
import { hubspotClient, sdkError, seedLeads, startHubspot } from './helpers.js';

describe('HubSpot sandbox refuses writes to read-only properties as HubSpot does', () => {
  let sandbox: RunningSandbox;

  beforeAll(async () => {
    sandbox = await startHubspot({ seed: seedLeads(5), hubspotRateLimit: 100_000 });
  });
  afterAll(() => sandbox.close());

  const byEmail = (email: string) =>
    hubspotClient(sandbox)
      .crm.contacts.basicApi.getById(email, ['email'], undefined, undefined, false, 'email')
      .catch((err: { code: number }) => err.code);

  it.each([
    ['hs_object_id', '5'],
    ['createdate', '2020-01-01T00:00:00Z'],
    ['lastmodifieddate', '2020-01-01T00:00:00Z'],
  ])('a write to the read-only %s is a 400 READ_ONLY_VALUE, nothing written', async (name, value) => {
    const client = hubspotClient(sandbox);
    const [contact] = (await client.crm.contacts.basicApi.getPage(1, undefined, ['firstname', name])).results;
    for (const write of [
      () => client.crm.contacts.basicApi.update(contact.id, { properties: { [name]: value, firstname: 'Nope' } }),
      () => client.crm.contacts.batchApi.update({ inputs: [{ id: contact.id, properties: { [name]: value } }] }),
      () => client.crm.contacts.basicApi.create({ properties: { [name]: value, email: `ro-${name}@example.com` }, associations: [] }),
    ]) {
      const err = await sdkError(write());
      expect(err.code).toBe(400);
      expect(err.body.category).toBe('VALIDATION_ERROR');
      const listed = JSON.parse(String(err.body.message).replace(/^Property values were not valid: /, '')) as Array<Record<string, unknown>>;
      expect(listed).toEqual([{ isValid: false, name, error: 'READ_ONLY_VALUE', message: `"${name}" is a calculated property; its value cannot be set.` }]);
    }
    const after = await client.crm.contacts.basicApi.getById(contact.id, ['firstname', name]);
    expect(after.properties.firstname).not.toBe('Nope');
    expect(after.properties[name]).toBe(contact.properties[name]);
    expect(await byEmail(`ro-${name}@example.com`)).toBe(404);
  });
});
