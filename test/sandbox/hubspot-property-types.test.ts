import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../connectors/sandbox/server.js';
import { hubspotClient, sdkError, seedLeads, startHubspot } from './helpers.js';

describe('HubSpot sandbox properties: type and fieldType must go together, as in v3', () => {
  let sandbox: RunningSandbox;
  const properties = () => hubspotClient(sandbox).crm.properties;
  const create = (name: string, type: string, fieldType: string) =>
    properties().coreApi.create('contacts', { name, label: name, type: type as never, fieldType: fieldType as never, groupName: 'contactinformation' });

  beforeAll(async () => {
    sandbox = await startHubspot({ seed: seedLeads(3), hubspotRateLimit: 100_000 });
  });
  afterAll(() => sandbox.close());

  it.each([
    ['number', 'text'],
    ['datetime', 'text'],
    ['string', 'number'],
    ['enumeration', 'text'],
    ['bool', 'select'],
  ])('refuses a %s property shown as %s with a 400 and creates nothing', async (type, fieldType) => {
    const name = `bad_${type}_${fieldType}`;
    const err = await sdkError(create(name, type, fieldType));
    expect(err.code).toBe(400);
    expect(err.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    expect(String(err.body.message)).toContain(fieldType);
    expect((await sdkError(properties().coreApi.getByName('contacts', name))).code).toBe(404);
  });

  it.each([
    ['number', 'number'],
    ['datetime', 'date'],
    ['string', 'textarea'],
    ['enumeration', 'radio'],
  ])('accepts a %s property shown as %s', async (type, fieldType) => {
    const made = await create(`ok_${type}_${fieldType}`, type, fieldType);
    expect(made).toMatchObject({ type, fieldType });
  });

  it('refuses an update whose fieldType does not fit the type the property keeps', async () => {
    await create('score_like', 'number', 'number');
    const err = await sdkError(properties().coreApi.update('contacts', 'score_like', { fieldType: 'text' as never }));
    expect(err.code).toBe(400);
    expect((await properties().coreApi.getByName('contacts', 'score_like')).fieldType).toBe('number');
  });

  it('reports a bad pairing in a batch create as a per-input error beside the good one', async () => {
    const res = await properties().batchApi.create('contacts', {
      inputs: [
        { name: 'batch_good', label: 'Good', type: 'string' as never, fieldType: 'text' as never, groupName: 'contactinformation' },
        { name: 'batch_bad', label: 'Bad', type: 'number' as never, fieldType: 'textarea' as never, groupName: 'contactinformation' },
      ],
    });
    expect(res.results.map((p) => p.name)).toEqual(['batch_good']);
    const errors = (res as { errors?: Array<{ category: string; context: Record<string, string[]> }> }).errors ?? [];
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ category: 'VALIDATION_ERROR', context: { name: ['batch_bad'] } });
  });
});
