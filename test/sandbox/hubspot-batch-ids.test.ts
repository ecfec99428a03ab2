import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../connectors/sandbox/server.js';
import { hubspotClient, sdkError, seedLeads, startHubspot } from './helpers.js';

type NoId = { id: string; properties: Record<string, string> };
const REQUIRED = /^Invalid input JSON: inputs\[1\]\. Some required fields were not set: \[id\]$/;

describe('HubSpot sandbox batch inputs without an id fail the whole request, as HubSpot does', () => {
  let sandbox: RunningSandbox;
  let ids: string[];
  const contacts = () => hubspotClient(sandbox).crm.contacts;

  beforeAll(async () => {
    sandbox = await startHubspot({ seed: seedLeads(4), hubspotRateLimit: 100_000 });
    ids = (await contacts().basicApi.getPage(4)).results.map((c) => c.id);
  });
  afterAll(() => sandbox.close());

  it('batchApi.update: 400 VALIDATION_ERROR, and the input that had an id is not written either', async () => {
    const err = await sdkError(
      contacts().batchApi.update({ inputs: [{ id: ids[0], properties: { firstname: 'Written' } }, { properties: { firstname: 'NoId' } } as unknown as NoId] }),
    );
    expect(err.code).toBe(400);
    expect(err.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR', message: expect.stringMatching(REQUIRED) });
    expect((await contacts().basicApi.getById(ids[0], ['firstname'])).properties.firstname).not.toBe('Written');
  });

  it('batchApi.read: 400 rather than a 207 naming an object with id ""', async () => {
    const err = await sdkError(contacts().batchApi.read({ inputs: [{ id: ids[0] }, {} as { id: string }], properties: ['email'], propertiesWithHistory: [] }));
    expect(err.code).toBe(400);
    expect(err.body).toMatchObject({ category: 'VALIDATION_ERROR', message: expect.stringMatching(REQUIRED) });
  });

  it('batchApi.archive: 400, nothing archived', async () => {
    const err = await sdkError(contacts().batchApi.archive({ inputs: [{ id: ids[1] }, { id: null } as unknown as { id: string }] }));
    expect(err.code).toBe(400);
    expect(err.body).toMatchObject({ category: 'VALIDATION_ERROR', message: expect.stringMatching(REQUIRED) });
    expect((await contacts().basicApi.getById(ids[1])).archived).toBe(false);
  });

  it('an id no record has still fails alone in a 207, the others written', async () => {
    const res = await contacts().batchApi.update({ inputs: [{ id: ids[2], properties: { firstname: 'Kept' } }, { id: '999999', properties: { firstname: 'Nobody' } }] });
    expect(res).toMatchObject({ numErrors: 1, errors: [{ category: 'OBJECT_NOT_FOUND', context: { ids: ['999999'] } }] });
    expect((await contacts().basicApi.getById(ids[2], ['firstname'])).properties.firstname).toBe('Kept');
  });
});
