import { describe, expect, it } from 'vitest';
import { backends, useStore } from './backends.js';

describe.each(backends)('snapshots on $name', (backend) => {
  const { store } = useStore(backend);

  it('pairs each outcome with the snapshot of the last score before it', async () => {
    await store().snapshots.save('hubspot', [
      { leadId: 'a', modelVersion: 'm1', scoredAt: '2024-05-01T00:00:00Z', properties: { job: 'student' } },
      { leadId: 'a', modelVersion: 'm2', scoredAt: '2024-05-10T00:00:00Z', properties: { job: 'manager' } },
      // Scored after it converted: must not be used.
      { leadId: 'a', modelVersion: 'm3', scoredAt: '2024-05-20T00:00:00Z', properties: { job: 'customer!' } },
      // Only scored after its outcome: no snapshot before it.
      { leadId: 'b', modelVersion: 'm3', scoredAt: '2024-05-20T00:00:00Z', properties: { job: 'x' } },
    ]);
    await store().outcomes.upsert('hubspot', [
      { crm: 'hubspot', leadId: 'a', outcome: 'won', outcomeAt: '2024-05-15T00:00:00Z', evidence: 'lifecyclestage=customer' },
      { crm: 'hubspot', leadId: 'b', outcome: 'lost', outcomeAt: '2024-05-12T00:00:00Z', evidence: 'deal 3 closedlost' },
      { crm: 'hubspot', leadId: 'c', outcome: 'lost', outcomeAt: '2024-05-13T00:00:00Z', evidence: 'deal 4 closedlost' },
    ]);
    const examples = await store().snapshots.trainingExamples('hubspot');
    expect(examples.map((e) => e.leadId)).toEqual(['b', 'c', 'a']); // outcome date order
    const a = examples.find((e) => e.leadId === 'a');
    expect(a?.snapshot).toEqual({
      leadId: 'a',
      modelVersion: 'm2',
      scoredAt: '2024-05-10T00:00:00.000Z',
      properties: { job: 'manager' },
    });
    expect(examples.find((e) => e.leadId === 'b')?.snapshot).toBeNull();
    expect(examples.find((e) => e.leadId === 'c')?.snapshot).toBeNull();

    const before = await store().snapshots.latestBefore('hubspot', 'a', '2024-05-10T00:00:00Z');
    expect(before?.modelVersion).toBe('m1');
  });
});
