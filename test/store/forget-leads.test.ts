import { describe, expect, it } from 'vitest';
import type { CrmName, ScoreWrite } from '../../connectors/types.js';
import { InputError } from '../../src/domain/errors.js';
import type { Store } from '../../src/store/store.js';
import { backends, useStore } from './backends.js';
import { failInsertsInto } from './inject-failure.js';
import { leads } from './leads.js';

const T1 = '2024-05-01T02:00:00.000Z';
const T2 = '2024-05-02T02:00:00.000Z';

const score = (leadId: string, scoredAt: string): ScoreWrite => ({
  leadId, score: 61, tier: 'Warm', probability: 0.61, reasons: '+ job: admin.', trend: 'steady', modelVersion: 'm1', scoredAt,
});

/** Leads 1 and 2 in every per-lead table (two snapshots and scores each), plus a model and a score reference. */
async function seed(store: Store, crm: CrmName = 'hubspot'): Promise<void> {
  await store.records.upsert(crm, leads(2).map((l) => ({ ...l, crm })), { objectType: 'leads', source: 'sync' });
  await store.outcomes.upsert(crm, ['1', '2'].map((leadId) => ({ crm, leadId, outcome: 'won' as const, outcomeAt: '2024-06-01T00:00:00.000Z', evidence: 'lifecyclestage=customer' })));
  for (const id of ['1', '2']) {
    await store.snapshots.save(crm, [T1, T2].map((scoredAt) => ({ leadId: id, modelVersion: 'm1', scoredAt, properties: { email: `lead${id}@example.com`, job: 'admin.' } })));
  }
  await store.scores.insert(crm, ['1', '2'].flatMap((id) => [score(id, T1), score(id, T2)]));
  await store.scores.markFailed(crm, [{ leadId: '1', scoredAt: T2, error: 'HubSpot refused the write' }]);
  await store.models.save({ crm, version: 'm1', engine: 'fast', trainedFrom: T1, trainedTo: T2, metrics: { auc: 0.8 }, bundle: { forest: [] } });
  await store.scoreReferences.set(crm, { modelVersion: 'm1', quantiles: [0.1, 0.5, 0.9], leads: 2 });
}

describe.each(backends)('forgetting leads on $name', (backend) => {
  const { store } = useStore(backend);

  it('deletes every row about the lead, keeps the other lead, models and references, and audits ids and counts only', async () => {
    await seed(store());
    const result = await store().forget('hubspot', ['1'], { actor: 'cli:admin' });
    expect(result).toEqual({ crm: 'hubspot', leads: ['1'], removed: { records: 1, outcomes: 1, snapshots: 2, scores: 2, stagedOutcomes: 0 }, notFound: [] });

    expect(await store().records.get('hubspot', 'leads', '1')).toBeNull();
    expect(await store().outcomes.get('hubspot', '1')).toBeNull();
    expect(await store().snapshots.latestBefore('hubspot', '1', '2030-01-01T00:00:00.000Z')).toBeNull();
    expect(await store().scores.history('hubspot', '1')).toEqual([]);

    expect((await store().records.get('hubspot', 'leads', '2'))?.properties.email).toBe('lead2@example.com');
    expect((await store().outcomes.get('hubspot', '2'))?.outcome).toBe('won');
    expect((await store().snapshots.latestBefore('hubspot', '2', '2030-01-01T00:00:00.000Z'))?.scoredAt).toBe(T2);
    expect(await store().scores.history('hubspot', '2')).toHaveLength(2);
    expect((await store().snapshots.trainingExamples('hubspot')).map((e) => e.leadId)).toEqual(['2']);
    expect(await store().models.get('hubspot', 'm1')).not.toBeNull();
    expect(await store().scoreReferences.get('hubspot', 'm1')).not.toBeNull();

    const [entry] = await store().audit.list({ key: 'forget.hubspot' });
    expect(entry).toMatchObject({ actor: 'cli:admin', before: null, after: { crm: 'hubspot', leadCount: 1, leads: ['1'], removed: result.removed } });
    const written = JSON.stringify(entry);
    for (const value of ['lead1@example.com', 'admin.', 'lifecyclestage', 'HubSpot refused', '+ job']) expect(written).not.toContain(value);
  });

  it('counts a lead\'s stored outcome under outcomes and the one a re-derive staged for it under stagedOutcomes, in the audit too', async () => {
    await seed(store());
    await store().stagedOutcomes.upsert('hubspot', [{ crm: 'hubspot', leadId: '1', outcome: 'lost', outcomeAt: '2024-06-02T00:00:00.000Z', evidence: 'lifecyclestage=other' }]);
    const result = await store().forget('hubspot', ['1'], { actor: 'cli:admin' });
    expect(result.removed).toEqual({ records: 1, outcomes: 1, snapshots: 2, scores: 2, stagedOutcomes: 1 });
    expect(await store().stagedOutcomes.count('hubspot')).toBe(0);
    const [entry] = await store().audit.list({ key: 'forget.hubspot' });
    expect(entry.after).toMatchObject({ removed: { outcomes: 1, stagedOutcomes: 1 } });
  });

  it('names the ids the store did not hold among those it forgot', async () => {
    await seed(store());
    // Lead 2 only has a score row left: held all the same.
    await store().forget('hubspot', ['2'], { actor: 'cli' });
    await store().scores.insert('hubspot', [score('2', T2)]);
    const result = await store().forget('hubspot', ['never-seen', '1'], { actor: 'cli' });
    expect(result.notFound).toEqual(['never-seen']);
    expect(result.removed.records).toBe(1);
  });

  it('is idempotent: forgetting again, or an id never stored, succeeds with 0 rows and is still audited', async () => {
    await seed(store());
    await store().forget('hubspot', ['1'], { actor: 'cli' });
    const again = await store().forget('hubspot', ['1', 'never-seen', '1'], { actor: 'cli' });
    expect(again).toEqual({ crm: 'hubspot', leads: ['1', 'never-seen'], removed: { records: 0, outcomes: 0, snapshots: 0, scores: 0, stagedOutcomes: 0 }, notFound: ['1', 'never-seen'] });
    expect(await store().audit.list({ key: 'forget.hubspot' })).toHaveLength(2);
    expect(await store().records.count('hubspot', 'leads')).toBe(1);
  });

  it('forgets only in the CRM named: the same id in the other CRM stays', async () => {
    await seed(store(), 'hubspot');
    await seed(store(), 'salesforce');
    const result = await store().forget('salesforce', ['2'], { actor: 'cli' });
    expect(result.removed).toEqual({ records: 1, outcomes: 1, snapshots: 2, scores: 2, stagedOutcomes: 0 });
    expect(await store().records.get('hubspot', 'leads', '2')).not.toBeNull();
    expect(await store().scores.history('hubspot', '2')).toHaveLength(2);
    expect(await store().records.get('salesforce', 'leads', '2')).toBeNull();
  });

  it('deletes nothing when the audit entry cannot be written: erasure and its record commit together', async () => {
    await seed(store());
    await failInsertsInto(store(), 'audit_log');
    await expect(store().forget('hubspot', ['1'], { actor: 'cli' })).rejects.toThrow(/injected failure/);
    expect(await store().records.get('hubspot', 'leads', '1')).not.toBeNull();
    expect(await store().scores.history('hubspot', '1')).toHaveLength(2);
  });

  it('forgets more leads than fit in one statement', async () => {
    const many = leads(1200);
    await store().records.upsert('hubspot', many, { objectType: 'leads', source: 'sync' });
    const result = await store().forget('hubspot', many.map((l) => l.id), { actor: 'cli' });
    expect(result.removed.records).toBe(1200);
    expect(await store().records.count('hubspot', 'leads')).toBe(0);
  });

  it('does not store a forgotten lead again when a later sync brings it back (it is still in the CRM)', async () => {
    await seed(store());
    const [lead1] = leads(1);
    await store().forget('hubspot', ['1'], { actor: 'cli' });
    const page = await store().commitPage('hubspot', 'contacts', [lead1], { mode: 'backfill' }, { objectType: 'leads' });
    expect(page.stored).toBe(0);
    expect(await store().records.get('hubspot', 'leads', '1')).toBeNull();
  });

  it('refuses an empty list or an empty id', async () => {
    await expect(store().forget('hubspot', [], { actor: 'cli' })).rejects.toBeInstanceOf(InputError);
    await expect(store().forget('hubspot', ['1', ' '], { actor: 'cli' })).rejects.toBeInstanceOf(InputError);
  });
});
