import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/domain/errors.js';
import { backends, useStore } from './backends.js';
import { failInsertsInto, stopFailingInsertsInto } from './inject-failure.js';
import { leads } from './leads.js';

describe.each(backends)('commitPage on $name', (backend) => {
  const { store } = useStore(backend);

  it('stores a page and its cursor together', async () => {
    const result = await store().commitPage('hubspot', 'contacts', leads(3), { after: '3' });
    expect(result.stored).toBe(3);
    expect(await store().records.count('hubspot', 'contacts')).toBe(3);
    expect(await store().checkpoints.get('hubspot', 'contacts')).toEqual({ after: '3' });
    expect((await store().records.get('hubspot', 'contacts', '2'))?.source).toBe('sync');
  });

  it('leaves neither records nor cursor when the transaction fails half-way', async () => {
    // The page's records go in (3 multi-row statements), then the checkpoint write fails.
    await failInsertsInto(store(), 'checkpoints');
    await expect(store().commitPage('hubspot', 'contacts', leads(2500), { after: '2500' })).rejects.toThrow(
      /injected failure/,
    );
    expect(await store().records.count('hubspot', 'contacts')).toBe(0);
    expect(await store().checkpoints.get('hubspot', 'contacts')).toBeNull();

    // Replaying the page once the fault is gone stores it exactly once.
    await stopFailingInsertsInto(store(), 'checkpoints');
    await store().commitPage('hubspot', 'contacts', leads(2500), { after: '2500' });
    await store().commitPage('hubspot', 'contacts', leads(2500), { after: '2500' });
    expect(await store().records.count('hubspot', 'contacts')).toBe(2500);
    expect(await store().checkpoints.get('hubspot', 'contacts')).toEqual({ after: '2500' });
  });

  it('keeps the previous cursor when a later page fails', async () => {
    await store().commitPage('hubspot', 'contacts', leads(5), { after: '5' });
    await failInsertsInto(store(), 'records');
    await expect(store().commitPage('hubspot', 'contacts', leads(5, { from: 6 }), { after: '10' })).rejects.toThrow(
      /injected failure/,
    );
    expect(await store().checkpoints.get('hubspot', 'contacts')).toEqual({ after: '5' });
    expect(await store().records.count('hubspot', 'contacts')).toBe(5);
  });

  it('refuses a page with a bad date, naming the record, and stores nothing of it', async () => {
    const page = leads(3);
    page[1] = { ...page[1], modifiedAt: 'yesterday' };
    const failure = store().commitPage('hubspot', 'contacts', page, { after: '3' });
    await expect(failure).rejects.toBeInstanceOf(InputError);
    await expect(failure).rejects.toThrow(/hubspot contacts 2 modifiedAt: "yesterday"/);
    expect(await store().records.count('hubspot', 'contacts')).toBe(0);
    expect(await store().checkpoints.get('hubspot', 'contacts')).toBeNull();
  });

  it('stores outcomes with their cursor, atomically too', async () => {
    const outcome = (leadId: string, result: 'won' | 'lost') => ({
      crm: 'hubspot' as const,
      leadId,
      outcome: result,
      outcomeAt: '2024-04-01T10:00:00Z',
      evidence: result === 'won' ? 'lifecyclestage=customer' : 'deal 9 closedlost',
    });
    await store().commitPage('hubspot', 'outcomes', [outcome('1', 'won'), outcome('2', 'lost')], { after: 'o2' });
    expect(await store().outcomes.counts('hubspot')).toEqual({ won: 1, lost: 1 });
    expect((await store().outcomes.get('hubspot', '1'))?.outcomeAt).toBe('2024-04-01T10:00:00.000Z');

    await failInsertsInto(store(), 'checkpoints');
    await store().checkpoints.clear('hubspot', 'outcomes');
    await expect(store().commitPage('hubspot', 'outcomes', [outcome('3', 'won')], { after: 'o3' })).rejects.toThrow(
      /injected failure/,
    );
    expect(await store().outcomes.get('hubspot', '3')).toBeNull();
  });
});
