import { describe, expect, it } from 'vitest';
import type { ScoreWrite } from '../../connectors/types.js';
import { backends, useStore } from './backends.js';

const score = (leadId: string, scoredAt: string, over: Partial<ScoreWrite> = {}): ScoreWrite => ({
  leadId,
  score: 50,
  tier: 'Warm',
  probability: 0.5,
  reasons: '+ job: management',
  trend: 'steady',
  modelVersion: 'm1',
  scoredAt,
  ...over,
});
const T1 = '2024-05-01T02:00:00.000Z';
const T2 = '2024-05-02T02:00:00.000Z';
const T3 = '2024-05-03T02:00:00.000Z';

describe.each(backends)('scores on $name', (backend) => {
  const { store } = useStore(backend);

  it('finds the latest score per lead and the one before it for the trend', async () => {
    await store().scores.insert('hubspot', [
      score('a', T1, { score: 40 }),
      score('a', T2, { score: 70, tier: 'Hot' }),
      score('b', T1, { score: 20 }),
    ]);
    const latest = await store().scores.latest('hubspot');
    expect([...latest.keys()].sort()).toEqual(['a', 'b']);
    expect(latest.get('a')).toMatchObject({ score: 70, tier: 'Hot', scoredAt: T2, pushStatus: 'pending' });
    expect(latest.get('b')?.score).toBe(20);

    const previous = await store().scores.latestBefore('hubspot', ['a', 'b'], T2);
    expect(previous.get('a')?.score).toBe(40);
    expect(previous.get('b')?.score).toBe(20);
    expect((await store().scores.latestBefore('hubspot', ['a'], T1)).size).toBe(0);
    expect((await store().scores.latest('salesforce')).size).toBe(0);
  });

  it('keeps a history per lead, newest first', async () => {
    await store().scores.insert('hubspot', [score('a', T1), score('a', T3), score('a', T2)]);
    expect((await store().scores.history('hubspot', 'a')).map((s) => s.scoredAt)).toEqual([T3, T2, T1]);
  });

  it('selects only the leads whose values differ from what was last pushed', async () => {
    await store().scores.insert('hubspot', [score('a', T1), score('b', T1), score('c', T1)]);
    await store().scores.markPushed('hubspot', [
      { leadId: 'a', scoredAt: T1 },
      { leadId: 'b', scoredAt: T1 },
    ]);
    const candidates = [
      score('a', T2), // same values as pushed: skip
      score('b', T2, { tier: 'Hot', score: 81 }), // changed
      score('c', T2), // never pushed: write
      score('d', T2), // new lead: write
      score('a', T2, { probability: 0.51 }), // probability alone is not a visible change by default
    ];
    const changed = await store().scores.changedSincePush('hubspot', candidates);
    expect(changed.map((s) => s.leadId)).toEqual(['b', 'c', 'd']);
    const withProbability = await store().scores.changedSincePush('hubspot', candidates, ['score', 'probability']);
    expect(withProbability.map((s) => s.leadId)).toEqual(['b', 'c', 'd', 'a']);
  });

  it('compares the probability at the four decimals written: float noise below them is no change', async () => {
    await store().scores.insert('hubspot', [score('a', T1, { probability: 0.312134 })]);
    await store().scores.markPushed('hubspot', [{ leadId: 'a', scoredAt: T1 }]);
    const candidates = [
      score('a', T2, { probability: 0.31214 }), // written as 0.3121, as before
      score('a', T2, { probability: 0.312134000001 }),
      score('a', T2, { probability: 0.31216 }), // written as 0.3122: a rep sees it
    ];
    const changed = await store().scores.changedSincePush('hubspot', candidates, ['probability']);
    expect(changed.map((s) => s.probability)).toEqual([0.31216]);
  });

  it('lists the newest pending score per lead to resume a push, and records results', async () => {
    await store().scores.insert('hubspot', [score('a', T1), score('a', T2, { score: 90 }), score('b', T1), score('c', T1)]);
    await store().scores.markPushed('hubspot', [{ leadId: 'c', scoredAt: T1 }], T2);
    const pending = await store().scores.pending('hubspot');
    expect(pending.map((s) => [s.leadId, s.scoredAt])).toEqual([
      ['a', T2],
      ['b', T1],
    ]);

    await store().scores.markFailed('hubspot', [{ leadId: 'b', scoredAt: T1, error: 'Property "leadlift_tier" option "Hot" not found' }]);
    await store().scores.markUnchanged('hubspot', [{ leadId: 'a', scoredAt: T2 }]);
    expect(await store().scores.pending('hubspot')).toEqual([]);
    const failed = await store().scores.pending('hubspot', { statuses: ['failed'] });
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ leadId: 'b', pushStatus: 'failed', pushError: 'Property "leadlift_tier" option "Hot" not found' });
    expect((await store().scores.latest('hubspot', ['c'])).get('c')).toMatchObject({ pushStatus: 'pushed', pushedAt: T2 });
  });

  it('counts what pending() would list, in the database: newest per lead, not a forgotten lead\'s, per status', async () => {
    await store().scores.insert('hubspot', [score('a', T1), score('a', T2), score('b', T1), score('c', T1), score('d', T1)]);
    await store().scores.insert('salesforce', [score('a', T1)]);
    await store().scores.markFailed('hubspot', [{ leadId: 'd', scoredAt: T1, error: 'refused' }]);
    await store().forget('hubspot', ['c'], { actor: 'cli' });
    expect((await store().scores.pending('hubspot')).map((s) => s.leadId)).toEqual(['a', 'b']);
    expect(await store().scores.countPending('hubspot')).toBe(2);
    expect(await store().scores.countPending('hubspot', { statuses: ['pending', 'failed'] })).toBe(3);
    expect(await store().scores.countPending('salesforce')).toBe(1);
  });

  it('marks thousands of scores in one call', async () => {
    const many = Array.from({ length: 1200 }, (_, i) => score(`L${i}`, T1));
    await store().scores.insert('hubspot', many);
    await store().scores.markPushed('hubspot', many);
    expect(await store().scores.pending('hubspot')).toEqual([]);
    expect((await store().scores.lastPushed('hubspot', ['L0', 'L1199'])).size).toBe(2);
  });
});
