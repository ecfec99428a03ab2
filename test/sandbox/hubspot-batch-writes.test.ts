import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../connectors/sandbox/server.js';
import { hubspotClient, sdkError, seedLeads, startHubspot } from './helpers.js';

describe('HubSpot sandbox batch writes answer as HubSpot does', () => {
  let sandbox: RunningSandbox;

  beforeAll(async () => {
    sandbox = await startHubspot({ seed: seedLeads(10), hubspotRateLimit: 100_000 });
  });
  afterAll(() => sandbox.close());

  const byEmail = (email: string) =>
    hubspotClient(sandbox)
      .crm.contacts.basicApi.getById(email, ['email', 'age'], undefined, undefined, false, 'email')
      .catch((err: { code: number }) => err.code);

  it('a batch create with an email a contact has fails whole with one 409, creating nothing', async () => {
    const api = hubspotClient(sandbox).crm.contacts.batchApi;
    const [existing] = (await api.create({ inputs: [{ properties: { email: 'taken@example.com' }, associations: [] }] })).results;
    const err = await sdkError(
      api.create({
        inputs: [
          { properties: { email: 'fresh@example.com' }, associations: [] },
          { properties: { email: 'TAKEN@example.com' }, associations: [] },
        ],
      }),
    );
    expect(err.code).toBe(409);
    expect(err.body).toMatchObject({ status: 'error', category: 'CONFLICT', message: `Contact already exists. Existing ID: ${existing.id}` });
    expect(err.body.errors).toBeUndefined();
    expect(await byEmail('fresh@example.com')).toBe(404);
  });

  it('a batch create giving one email twice fails whole with 409, creating neither', async () => {
    const api = hubspotClient(sandbox).crm.contacts.batchApi;
    const err = await sdkError(
      api.create({
        inputs: [
          { properties: { email: 'twice@example.com' }, associations: [] },
          { properties: { email: 'Twice@example.com' }, associations: [] },
        ],
      }),
    );
    expect(err.code).toBe(409);
    expect(err.body.category).toBe('CONFLICT');
    expect(await byEmail('twice@example.com')).toBe(404);
  });

  it('batchApi.upsert by email creates the unknown and updates the known, flagging which with `new`', async () => {
    const api = hubspotClient(sandbox).crm.contacts.batchApi;
    const [known] = (await api.create({ inputs: [{ properties: { email: 'known@example.com', firstname: 'Old' }, associations: [] }] })).results;
    const res = await api.upsert({
      inputs: [
        { id: 'known@example.com', idProperty: 'email', properties: { firstname: 'New' } },
        { id: 'unknown@example.com', idProperty: 'email', properties: { firstname: 'Made' } },
      ],
    });
    expect(res.status).toBe('COMPLETE');
    expect('errors' in res).toBe(false);
    const updated = res.results.find((r) => r.id === known.id)!;
    expect(updated._new).toBe(false);
    expect(updated.properties.firstname).toBe('New');
    const created = res.results.find((r) => r.id !== known.id)!;
    expect(created._new).toBe(true);
    expect(created.properties).toMatchObject({ email: 'unknown@example.com', firstname: 'Made' });
    expect(created.createdAt).toBeInstanceOf(Date);
  });

  it('batchApi.upsert by record id updates; an id no record has fails that input in a 207', async () => {
    const api = hubspotClient(sandbox).crm.contacts.batchApi;
    const [one] = (await api.create({ inputs: [{ properties: { email: 'by-id@example.com' }, associations: [] }] })).results;
    const res = await api.upsert({ inputs: [{ id: one.id, properties: { firstname: 'ById' } }, { id: '987654321', properties: { firstname: 'X' } }] });
    expect(res.results.map((r) => [r.id, r._new, r.properties.firstname])).toEqual([[one.id, false, 'ById']]);
    const errors = (res as { errors?: Array<{ category: string; context: Record<string, string[]> }> }).errors;
    expect(errors?.[0]).toMatchObject({ category: 'OBJECT_NOT_FOUND', context: { ids: ['987654321'] } });
  });

  it('batchApi.upsert refuses a property that is not a unique identifier, and duplicate ids', async () => {
    const api = hubspotClient(sandbox).crm.contacts.batchApi;
    const notUnique = await sdkError(api.upsert({ inputs: [{ id: 'x', idProperty: 'firstname', properties: {} }] }));
    expect(notUnique.code).toBe(400);
    expect(notUnique.body.category).toBe('VALIDATION_ERROR');
    const twice = await sdkError(api.upsert({ inputs: [1, 2].map(() => ({ id: 'same@example.com', idProperty: 'email', properties: {} })) }));
    expect(twice.code).toBe(400);
    expect(await byEmail('same@example.com')).toBe(404);
  });

  it('batchApi.upsert answers duplicate ids with HubSpot\'s 400 body, the id in context.ids', async () => {
    const api = hubspotClient(sandbox).crm.contacts.batchApi;
    const err = await sdkError(
      api.upsert({
        inputs: [
          { id: 'dup@example.com', idProperty: 'email', properties: {} },
          { id: 'DUP@example.com', idProperty: 'email', properties: {} },
        ],
      }),
    );
    expect(err.code).toBe(400);
    expect(Object.keys(err.body).sort()).toEqual(['category', 'context', 'correlationId', 'message', 'status']);
    expect(err.body).toMatchObject({
      status: 'error',
      category: 'VALIDATION_ERROR',
      message: 'Duplicate IDs found in batch input: [DUP@example.com]. IDs must be unique',
      context: { ids: ['DUP@example.com'] },
    });
    expect(await byEmail('dup@example.com')).toBe(404);
  });

  it('batchApi.upsert refuses two inputs that would leave one new email on two contacts, writing neither', async () => {
    const api = hubspotClient(sandbox).crm.contacts.batchApi;
    const [other] = (await api.create({ inputs: [{ properties: { email: 'other@example.com', firstname: 'Keep' }, associations: [] }] })).results;
    const err = await sdkError(
      api.upsert({
        inputs: [
          { id: 'shared@example.com', idProperty: 'email', properties: { firstname: 'New' } },
          { id: other.id, properties: { email: 'Shared@example.com', firstname: 'Moved' } },
        ],
      }),
    );
    expect(err.code).toBe(409);
    expect(err.body).toMatchObject({ status: 'error', category: 'CONFLICT' });
    expect(typeof err.body.correlationId).toBe('string');
    expect(String(err.body.message)).toContain('Shared@example.com');
    expect(await byEmail('shared@example.com')).toBe(404);
    const kept = await hubspotClient(sandbox).crm.contacts.basicApi.getById(other.id, ['email', 'firstname']);
    expect(kept.properties).toMatchObject({ email: 'other@example.com', firstname: 'Keep' });
  });

  it('batchApi.upsert refuses an input without an id (a required field) and creates no emailless contact', async () => {
    const api = hubspotClient(sandbox).crm.contacts.batchApi;
    const err = await sdkError(
      api.upsert({
        inputs: [
          { id: 'fine@example.com', idProperty: 'email', properties: { firstname: 'Fine' } },
          { idProperty: 'email', properties: { firstname: 'NoId' } } as unknown as { id: string; idProperty: string; properties: Record<string, string> },
        ],
      }),
    );
    expect(err.code).toBe(400);
    expect(err.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    expect(String(err.body.message)).toMatch(/Some required fields were not set: \[id\]/);
    expect(typeof err.body.correlationId).toBe('string');
    expect(await byEmail('fine@example.com')).toBe(404);
    const noId = await hubspotClient(sandbox).crm.contacts.searchApi.doSearch({
      filterGroups: [{ filters: [{ propertyName: 'firstname', operator: 'EQ' as never, value: 'NoId' }] }],
      properties: ['email'],
      limit: 10,
      after: '0',
      sorts: [],
    });
    expect(noId.total).toBe(0);
  });

  it('an unknown path is HubSpot\'s "resource not found" 404, with no OBJECT_NOT_FOUND category', async () => {
    const res = await fetch(`${sandbox.url}/crm/v3/objects/contacts/batch/merge-all`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sandbox.token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(404);
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['correlationId', 'message', 'status']);
    expect(body).toMatchObject({ status: 'error', message: 'resource not found' });
    expect(res.headers.get('x-leadlift-sandbox-note')).toMatch(/does not serve POST/);
  });
});
