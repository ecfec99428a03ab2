import { describe, expect, it } from 'vitest';
import type { LeadRecord } from '../../connectors/types.js';
import { backends, useStore } from './backends.js';

/** records.getMany: the reference pass reads its middle fifth again by id, more than one query's worth. */
describe.each(backends)('records.getMany on $name', (backend) => {
  const { store } = useStore(backend);

  it('returns the stored records among the ids, archived ones too, across query batches; unknown ids are left out', async () => {
    const records: LeadRecord[] = Array.from({ length: 1200 }, (_, i) => ({
      crm: 'hubspot', id: `L${String(i).padStart(5, '0')}`, createdAt: '2025-01-01T00:00:00.000Z', modifiedAt: '2025-01-02T00:00:00.000Z', archived: false, properties: { n: String(i) },
    }));
    await store().records.upsert('hubspot', records, { objectType: 'leads', source: 'sync' });
    await store().records.markArchived('hubspot', 'leads', ['L00008']);
    const wanted = [...records.filter((_, i) => i % 2 === 1).map((r) => r.id), 'L00008', 'nope'];
    const got = await store().records.getMany('hubspot', 'leads', wanted);
    expect(got.map((r) => r.id).sort()).toEqual(wanted.filter((id) => id !== 'nope').sort());
    expect(got.find((r) => r.id === 'L00008')).toMatchObject({ archived: true, properties: { n: '8' } });
    expect(await store().records.getMany('salesforce', 'leads', ['L00001'])).toEqual([]);
  });
});
