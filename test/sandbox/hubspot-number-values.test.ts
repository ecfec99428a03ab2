import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedLeadsFromCsv } from '../../connectors/sandbox/seed.js';
import type { RunningSandbox } from '../../connectors/sandbox/server.js';
import { hubspotClient, sdkError, seedLeads, startHubspot } from './helpers.js';

const PREFIX = 'Property values were not valid: ';
const errorsOf = (body: Record<string, unknown>) => JSON.parse(String(body.message).slice(PREFIX.length)) as Array<Record<string, unknown>>;

describe('HubSpot sandbox number and other non-string values take only what HubSpot takes', () => {
  let sandbox: RunningSandbox;
  let id: string;
  const contacts = () => hubspotClient(sandbox).crm.contacts;
  const stored = async (name: string) => (await contacts().basicApi.getById(id, [name])).properties[name];

  beforeAll(async () => {
    sandbox = await startHubspot({ seed: seedLeads(3), hubspotRateLimit: 100_000 });
    await hubspotClient(sandbox).crm.properties.coreApi.create('contacts', {
      name: 'seats',
      label: 'Seats',
      type: 'number' as never,
      fieldType: 'number' as never,
      groupName: 'contactinformation',
    });
    id = (await contacts().basicApi.getPage(1)).results[0].id;
    await contacts().basicApi.update(id, { properties: { seats: '7' } });
  });
  afterAll(() => sandbox.close());

  it.each(['0x1F', '1e3', '1.4210854715202004e-14', 'Infinity'])('refuses %s with 400 "was not a valid number." (INVALID_INTEGER), keeping the stored value', async (value) => {
    const err = await sdkError(contacts().basicApi.update(id, { properties: { seats: value } }));
    expect(err.code).toBe(400);
    expect(err.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    expect(errorsOf(err.body)).toEqual([{ isValid: false, message: `${value} was not a valid number.`, error: 'INVALID_INTEGER', name: 'seats' }]);
    expect(await stored('seats')).toBe('7');
  });

  it.each([' 5 ', '5 ', '\u00A05'])('refuses %j with 400 LEADING_TRAILING_WHITESPACE instead of storing it', async (value) => {
    const err = await sdkError(contacts().basicApi.update(id, { properties: { seats: value } }));
    expect(err.code).toBe(400);
    expect(errorsOf(err.body)).toEqual([{ isValid: false, message: `"${value}" includes leading or trailing whitespace.`, error: 'LEADING_TRAILING_WHITESPACE', name: 'seats' }]);
    expect(await stored('seats')).toBe('7');
  });

  it('the whitespace rule covers enumerations too, and not string properties', async () => {
    const err = await sdkError(contacts().basicApi.update(id, { properties: { lifecyclestage: 'lead ' } }));
    expect(errorsOf(err.body)).toEqual([{ isValid: false, message: '"lead " includes leading or trailing whitespace.', error: 'LEADING_TRAILING_WHITESPACE', name: 'lifecyclestage' }]);
    const written = await contacts().basicApi.update(id, { properties: { firstname: ' Ann ' } });
    expect(written.properties.firstname).toBe(' Ann ');
  });

  it('plain decimals pass as written; one bad number fails a batch update whole', async () => {
    for (const value of ['-12.5', '42', '0.0001']) {
      expect((await contacts().basicApi.update(id, { properties: { seats: value } })).properties.seats).toBe(value);
    }
    const [a, b] = (await contacts().basicApi.getPage(3)).results.filter((c) => c.id !== id);
    const err = await sdkError(contacts().batchApi.update({ inputs: [{ id: a.id, properties: { seats: '3' } }, { id: b.id, properties: { seats: '3e0' } }] }));
    expect(err.code).toBe(400);
    expect(errorsOf(err.body)).toMatchObject([{ error: 'INVALID_INTEGER', name: 'seats' }]);
    expect((await contacts().basicApi.getById(a.id, ['seats'])).properties.seats ?? null).toBeNull();
  });
});

describe('HubSpot sandbox seed makes a number property only of columns HubSpot could hold as numbers', () => {
  let sandbox: RunningSandbox;
  afterAll(() => sandbox?.close());

  it('a column with "1e3" or "0x10" is seeded as a string property, so its values can be written back', async () => {
    const csv = ['Id;Weight;Count;Won', 'a;1e3;1;Yes', 'b;0x10;2;No', 'c;3;3;No'].join('\n');
    const seed = seedLeadsFromCsv(csv, { label: 'Won', positive: 'Yes', id: 'Id', sep: ';', openFraction: 0 }, Date.now());
    sandbox = await startHubspot({ seed, hubspotRateLimit: 100_000 });
    const properties = hubspotClient(sandbox).crm.properties.coreApi;
    expect((await properties.getByName('contacts', 'weight')).type).toBe('string');
    expect((await properties.getByName('contacts', 'count')).type).toBe('number');
    const contacts = hubspotClient(sandbox).crm.contacts;
    const seeded = (await contacts.basicApi.getPage(3, undefined, ['weight'])).results;
    for (const c of seeded) await contacts.basicApi.update(c.id, { properties: { weight: c.properties.weight! } });
  });
});
