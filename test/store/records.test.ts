import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/domain/errors.js';
import { backends, useStore } from './backends.js';
import { leads } from './leads.js';

describe.each(backends)('records on $name', (backend) => {
  const { store } = useStore(backend);
  const opts = { objectType: 'contacts', source: 'sync' };

  it('keeps one row per record however often it is upserted', async () => {
    await store().records.upsert('hubspot', leads(1500), opts);
    await store().records.upsert('hubspot', leads(1500), opts);
    expect(await store().records.count('hubspot', 'contacts')).toBe(1500);
  });

  it('merges a record repeated within one batch, newest version winning', async () => {
    const [older] = leads(1, { modifiedAt: '2024-03-01T00:00:00Z', job: 'old' });
    const [newer] = leads(1, { modifiedAt: '2024-03-02T00:00:00Z', job: 'new' });
    expect(await store().records.upsert('hubspot', [newer, older], opts)).toBe(1);
    const stored = await store().records.get('hubspot', 'contacts', '1');
    expect(stored?.properties.job).toBe('new');
    expect(stored?.modifiedAt).toBe('2024-03-02T00:00:00.000Z');
  });

  it('updates a record with a newer version and ignores an older one', async () => {
    await store().records.upsert('hubspot', leads(1, { modifiedAt: '2024-03-02T00:00:00Z', job: 'v2' }), opts);
    await store().records.upsert('hubspot', leads(1, { modifiedAt: '2024-03-01T00:00:00Z', job: 'v1' }), { ...opts, source: 'webhook' });
    expect((await store().records.get('hubspot', 'contacts', '1'))?.properties.job).toBe('v2');
    await store().records.upsert('hubspot', leads(1, { modifiedAt: '2024-03-03T00:00:00Z', job: 'v3' }), { ...opts, source: 'webhook' });
    const stored = await store().records.get('hubspot', 'contacts', '1');
    expect(stored?.properties.job).toBe('v3');
    expect(stored?.source).toBe('webhook');
  });

  it('normalises CRM timestamps so that text order is time order', async () => {
    const [lead] = leads(1);
    await store().records.upsert('hubspot', [{ ...lead, modifiedAt: '2024-03-01T10:00:00+02:00' }], opts);
    expect((await store().records.get('hubspot', 'contacts', '1'))?.modifiedAt).toBe('2024-03-01T08:00:00.000Z');
  });

  it('lists open leads in id pages, leaving out archived and closed ones', async () => {
    const page = leads(5);
    page[0] = { ...page[0], archived: true };
    await store().records.upsert('hubspot', page, opts);
    await store().outcomes.upsert('hubspot', [
      { crm: 'hubspot', leadId: '2', outcome: 'won', outcomeAt: '2024-04-01T00:00:00Z', evidence: 'lifecyclestage=customer' },
    ]);
    const first = await store().records.listOpen('hubspot', 'contacts', { limit: 2 });
    const rest = await store().records.listOpen('hubspot', 'contacts', { afterId: first.at(-1)?.id });
    expect([...first, ...rest].map((r) => r.id)).toEqual(['3', '4', '5']);
    expect((await store().records.list('hubspot', 'contacts', { includeArchived: true })).map((r) => r.id)).toEqual(['1', '2', '3', '4', '5']);
    expect(await store().records.count('hubspot', 'contacts')).toBe(4);
    // leads() spaces modifications one second apart from 2024-03-01T00:00:00Z.
    const changed = await store().records.list('hubspot', 'contacts', { modifiedSince: '2024-03-01T00:00:03Z' });
    expect(changed.map((r) => r.id)).toEqual(['4', '5']);
  });

  it('refuses a record of another CRM without storing the batch', async () => {
    const page = leads(2);
    const err = await store()
      .records.upsert('salesforce', page, { objectType: 'Lead', source: 'sync' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(String(err)).toMatch(/Record 1 belongs to hubspot, not salesforce/);
    expect(await store().records.count('salesforce', 'Lead')).toBe(0);
  });
});
