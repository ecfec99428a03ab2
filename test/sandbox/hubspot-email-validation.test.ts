import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../connectors/sandbox/server.js';
import { hubspotClient, sdkError, seedLeads, startHubspot } from './helpers.js';

/** HubSpot's 400 for a malformed contact email: the property error as JSON inside the message. */
function expectInvalidEmail(err: { code: number; body: Record<string, unknown> }, email: string): void {
  expect(err.code).toBe(400);
  expect(err.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
  const message = String(err.body.message);
  expect(message.startsWith('Property values were not valid: ')).toBe(true);
  expect(JSON.parse(message.slice('Property values were not valid: '.length))).toEqual([
    { isValid: false, message: `Email address ${email} is invalid`, error: 'INVALID_EMAIL', name: 'email' },
  ]);
}

describe('HubSpot sandbox refuses a malformed contact email, as HubSpot does', () => {
  let sandbox: RunningSandbox;
  let id: string;
  const contacts = () => hubspotClient(sandbox).crm.contacts;
  const count = async (email: string) =>
    (await contacts().searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ' as never, value: email }] }], limit: 10 })).total;

  beforeAll(async () => {
    sandbox = await startHubspot({ seed: seedLeads(3), hubspotRateLimit: 100_000, hubspotSearchRateLimit: 1000 });
    id = (await contacts().basicApi.getPage(1)).results[0].id;
  });
  afterAll(() => sandbox.close());

  it.each(['example.lcom', 'jane@example', 'dsfsafas@', 'two words@example.com', 'a@@example.com'])('basicApi.create with %s: 400 INVALID_EMAIL, nothing created', async (email) => {
    expectInvalidEmail(await sdkError(contacts().basicApi.create({ properties: { email }, associations: [] })), email);
    expect(await count(email)).toBe(0);
  });

  it('basicApi.update and batchApi.update refuse it and leave the stored email', async () => {
    const before = (await contacts().basicApi.getById(id, ['email'])).properties.email;
    expectInvalidEmail(await sdkError(contacts().basicApi.update(id, { properties: { email: 'not-an-email' } })), 'not-an-email');
    expectInvalidEmail(await sdkError(contacts().batchApi.update({ inputs: [{ id, properties: { email: 'still@bad' } }] })), 'still@bad');
    expect((await contacts().basicApi.getById(id, ['email'])).properties.email).toBe(before);
  });

  it('batchApi.create refuses the whole batch for one malformed email', async () => {
    const err = await sdkError(
      contacts().batchApi.create({ inputs: [{ properties: { email: 'good.one@example.com' }, associations: [] }, { properties: { email: 'bad.one' }, associations: [] }] }),
    );
    expectInvalidEmail(err, 'bad.one');
    expect(await count('good.one@example.com')).toBe(0);
  });

  it('refuses a malformed upsert key, yet takes well-formed addresses (plus-tags, subdomains) and an empty email', async () => {
    const err = await sdkError(contacts().batchApi.upsert({ inputs: [{ id: 'nobody-at-example.com', idProperty: 'email', properties: { firstname: 'X' } }] }));
    expectInvalidEmail(err, 'nobody-at-example.com');
    expect(await count('nobody-at-example.com')).toBe(0);

    const upserted = await contacts().batchApi.upsert({ inputs: [{ id: 'new.person@example.com', idProperty: 'email', properties: { firstname: 'N' } }] });
    expect(upserted.results[0]._new).toBe(true);
    const made = await contacts().basicApi.create({ properties: { email: 'first.last+tag@mail.example.co.uk' }, associations: [] });
    expect(made.properties.email).toBe('first.last+tag@mail.example.co.uk');
    await contacts().basicApi.update(made.id, { properties: { email: '' } });
    expect((await contacts().basicApi.getById(made.id, ['email'])).properties.email).toBeNull();
  });
});
