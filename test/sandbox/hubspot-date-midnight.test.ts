import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../connectors/sandbox/server.js';
import { hubspotClient, sdkError, seedLeads, startHubspot } from './helpers.js';

const PREFIX = 'Property values were not valid: ';
const errorsOf = (body: Record<string, unknown>) => JSON.parse(String(body.message).slice(PREFIX.length)) as Array<Record<string, unknown>>;

describe('HubSpot sandbox date properties take only midnight UTC, as HubSpot does', () => {
  let sandbox: RunningSandbox;
  let id: string;
  const client = () => hubspotClient(sandbox);

  beforeAll(async () => {
    sandbox = await startHubspot({ seed: seedLeads(3), hubspotRateLimit: 100_000 });
    const properties = client().crm.properties.coreApi;
    await properties.create('contacts', { name: 'renewal_date', label: 'Renewal date', type: 'date' as never, fieldType: 'date' as never, groupName: 'contactinformation' });
    await properties.create('contacts', { name: 'last_call_at', label: 'Last call', type: 'datetime' as never, fieldType: 'date' as never, groupName: 'contactinformation' });
    id = (await client().crm.contacts.basicApi.getPage(1)).results[0].id;
  });
  afterAll(() => sandbox.close());

  it('refuses a time of day with 400 INVALID_DATE, in HubSpot words, and keeps the stored value', async () => {
    await client().crm.contacts.basicApi.update(id, { properties: { renewal_date: '2026-08-09' } });
    const err = await sdkError(client().crm.contacts.basicApi.update(id, { properties: { renewal_date: '1786334400000' } }));
    expect(err.code).toBe(400);
    expect(err.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    expect(errorsOf(err.body)).toEqual([{ isValid: false, message: '1786334400000 is at 4:0:0.0 UTC, not midnight!', error: 'INVALID_DATE', name: 'renewal_date' }]);
    expect((await client().crm.contacts.basicApi.getById(id, ['renewal_date'])).properties.renewal_date).toBe('2026-08-09');
  });

  it.each(['2026-08-10T13:01:00.000Z', '2026-08-10T00:00:00+02:00'])('refuses %s too (an ISO time, or midnight away from UTC)', async (value) => {
    const err = await sdkError(client().crm.contacts.basicApi.update(id, { properties: { renewal_date: value } }));
    expect(err.code).toBe(400);
    expect(errorsOf(err.body)).toMatchObject([{ error: 'INVALID_DATE', name: 'renewal_date' }]);
    expect(String(errorsOf(err.body)[0].message)).toMatch(/ UTC, not midnight!$/);
  });

  it('a batch update with one such value fails whole; midnight UTC (epoch ms or YYYY-MM-DD) and a datetime with a time pass', async () => {
    const [a, b] = (await client().crm.contacts.basicApi.getPage(2, undefined, ['renewal_date'])).results;
    const err = await sdkError(
      client().crm.contacts.batchApi.update({ inputs: [{ id: a.id, properties: { renewal_date: '2026-01-01' } }, { id: b.id, properties: { renewal_date: '1767268800000' } }] }),
    );
    expect(err.code).toBe(400);
    expect(errorsOf(err.body)).toEqual([{ isValid: false, message: '1767268800000 is at 12:0:0.0 UTC, not midnight!', error: 'INVALID_DATE', name: 'renewal_date' }]);
    expect((await client().crm.contacts.basicApi.getById(a.id, ['renewal_date'])).properties.renewal_date).not.toBe('2026-01-01');

    const written = await client().crm.contacts.basicApi.update(id, { properties: { renewal_date: '1786320000000', last_call_at: '1786334400000' } });
    expect(written.properties).toMatchObject({ renewal_date: '2026-08-10', last_call_at: '2026-08-10T04:00:00.000Z' });
    await client().crm.contacts.basicApi.update(id, { properties: { renewal_date: '2026-08-11' } });
    expect((await client().crm.contacts.basicApi.getById(id, ['renewal_date'])).properties.renewal_date).toBe('2026-08-11');
  });
});
