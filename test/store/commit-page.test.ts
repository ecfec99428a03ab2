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

  it('counts what a page changed against the store: a lead sent twice in one sync counts once, a re-dating with the same inputs is read but not changed', async () => {
    // Inputs as the sync judges them: leadlift_* and the modification date never count.
    const inputsOf = (p: Record<string, string | null>) =>
      Object.fromEntries(Object.entries(p).filter(([k, v]) => v !== null && v !== '' && !k.startsWith('leadlift_') && k !== 'lastmodifieddate')) as Record<string, string>;
    // A sync's start decides which stored rows it has read already (written since): the earliest
    // date makes every stored row one this sync wrote, the latest makes them all an earlier sync's.
    const SAME_SYNC = '1970-01-01T00:00:00.000Z';
    const NEXT_SYNC = '9999-12-31T00:00:00.000Z';
    const commit = (records: ReturnType<typeof leads>, since: string) =>
      store().commitPage('hubspot', 'leads', records, { at: records.length }, { objectType: 'contacts', compare: { inputsOf, since } });

    const page = leads(5);
    expect((await commit(page, SAME_SYNC)).changes).toEqual({ read: 5, changed: 5 });
    // Within the same sync: the page again (a timestamp tie read twice) and a lead repeated in a page.
    expect((await commit([...page, page[2]], SAME_SYNC)).changes).toEqual({ read: 0, changed: 0 });
    // The next sync reads them all again (a full resync): read, but nothing changed.
    expect((await commit(page, NEXT_SYNC)).changes).toEqual({ read: 5, changed: 0 });

    // Our own write-back came back: re-dated, leadlift_* set, inputs as they were.
    const later = (r: (typeof page)[number], properties: Record<string, string | null> = {}) => ({
      ...r,
      modifiedAt: new Date(Date.parse(r.modifiedAt) + 60_000).toISOString(),
      properties: { ...r.properties, leadlift_score: '71', lastmodifieddate: 'later', ...properties },
    });
    expect((await commit([later(page[0]), later(page[1])], NEXT_SYNC)).changes).toEqual({ read: 2, changed: 0 });
    // A rep's edit of an input, an archival, an older version of a lead (read, not stored: no change), a new lead.
    const edited = later(later(page[2]), { job: 'technician' });
    const archived = { ...later(page[3]), archived: true };
    const older = { ...page[4], modifiedAt: '2000-01-01T00:00:00.000Z', properties: { ...page[4].properties, job: 'retired' } };
    expect((await commit([edited, archived, older, ...leads(1, { from: 6 })], NEXT_SYNC)).changes).toEqual({ read: 4, changed: 3 });
    expect(await store().records.count('hubspot', 'contacts', { includeArchived: true })).toBe(6);
    expect((await store().records.get('hubspot', 'contacts', '5'))?.properties.job).toBe('admin.');

    // A forgotten lead is not stored, so not counted either.
    await store().forget('hubspot', ['7'], { actor: 'test' });
    expect((await commit(leads(2, { from: 7 }), NEXT_SYNC)).changes).toEqual({ read: 1, changed: 1 });

    const outcome = (leadId: string, result: 'won' | 'lost') => ({ crm: 'hubspot' as const, leadId, outcome: result, outcomeAt: '2024-04-01T10:00:00Z', evidence: 'test' });
    const outcomes = (records: ReturnType<typeof outcome>[], since: string) => store().commitPage('hubspot', 'outcomes', records, { at: 'o' }, { compare: { inputsOf, since } });
    expect((await outcomes([outcome('1', 'won'), outcome('2', 'lost'), outcome('7', 'won')], SAME_SYNC)).changes).toEqual({ read: 2, changed: 2 });
    expect((await outcomes([outcome('1', 'won'), outcome('2', 'lost')], SAME_SYNC)).changes).toEqual({ read: 0, changed: 0 });
    expect((await outcomes([outcome('1', 'won'), outcome('2', 'won'), outcome('7', 'won')], NEXT_SYNC)).changes).toEqual({ read: 2, changed: 1 });
    // Without a comparison nothing is compared (and nothing read for it).
    expect(await store().commitPage('hubspot', 'leads', leads(1), { at: 1 }, { objectType: 'contacts' })).toEqual({ stored: 1 });
  });
});
