import { describe, expect, it } from 'vitest';
import type { ScoreWrite } from '../../connectors/types.js';
import type { NewModel } from '../../src/store/models.js';
import type { RetentionPolicy } from '../../src/store/prune.js';
import { backends, useStore } from './backends.js';

const NOW = Date.parse('2026-06-01T00:00:00.000Z');
const daysAgo = (d: number) => new Date(NOW - d * 86_400_000).toISOString();
const POLICY: RetentionPolicy = { scoresDays: 365, snapshotsDays: 90, runsDays: 90, keepModels: 2 };
const OPTIONS = { actor: 'test', now: NOW };

const score = (leadId: string, scoredAt: string, value: number, over: Partial<ScoreWrite> = {}): ScoreWrite => ({
  leadId, score: value, tier: 'Warm', probability: value / 100, reasons: '+ job: management', trend: 'steady', modelVersion: 'm1', scoredAt, ...over,
});
const snapshot = (leadId: string, scoredAt: string, job: string) => ({ leadId, scoredAt, modelVersion: 'm1', properties: { job } });
const model = (version: string, createdAt: string): NewModel => ({
  crm: 'hubspot', version, engine: 'forest', createdAt, trainedFrom: '2023-01-01T00:00:00Z', trainedTo: '2024-01-01T00:00:00Z', metrics: { auc: 0.8 }, bundle: { trees: [version] },
});

describe.each(backends)('pruning the store on $name', (backend) => {
  const { store } = useStore(backend);

  /** Lead a: three scores a year and more apart; b: one old score; c: old pushed, newer still pending; d: closed 440 days ago. */
  async function seedHistory(): Promise<void> {
    const s = store();
    await s.scores.insert('hubspot', [score('a', daysAgo(500), 30), score('a', daysAgo(400), 40), score('a', daysAgo(10), 70)]);
    await s.scores.insert('hubspot', [score('b', daysAgo(500), 20)]);
    await s.scores.insert('hubspot', [score('c', daysAgo(500), 60)], 'pushed');
    await s.scores.insert('hubspot', [score('c', daysAgo(450), 65), score('c', daysAgo(400), 66)], 'pending');
    await s.scores.insert('hubspot', [score('d', daysAgo(500), 50), score('d', daysAgo(450), 55), score('d', daysAgo(430), 56)]);
    await s.outcomes.upsert('hubspot', [{ crm: 'hubspot', leadId: 'd', outcome: 'won', outcomeAt: daysAgo(440), evidence: 'lifecyclestage=customer' }]);
    await s.snapshots.save('hubspot', [
      snapshot('a', daysAgo(500), 'a1'), snapshot('a', daysAgo(400), 'a2'), snapshot('a', daysAgo(10), 'a3'),
      snapshot('b', daysAgo(500), 'b1'),
      snapshot('d', daysAgo(500), 'd1'), snapshot('d', daysAgo(450), 'd2'), snapshot('d', daysAgo(430), 'd3'),
    ]);
  }

  const scoredAt = async (leadId: string) => (await store().scores.history('hubspot', leadId)).map((s) => s.scoredAt);

  it('removes old scores and snapshots but keeps each lead\'s latest, its last pushed one and the one it closed on', async () => {
    await seedHistory();
    const trainingBefore = await store().snapshots.trainingExamples('hubspot');
    const result = await store().prune('hubspot', POLICY, OPTIONS);
    // a: 500 and 400 days old go; c: the pending 450-day-old one goes, the pushed 500 stays (what the CRM shows);
    // d: 500 goes, 450 stays (its last before closing 440 days ago), 430 stays (latest).
    expect(result.removed).toMatchObject({ scores: 4, snapshots: 3 });
    expect(await scoredAt('a')).toEqual([daysAgo(10)]);
    expect(await scoredAt('b')).toEqual([daysAgo(500)]);
    expect(await scoredAt('c')).toEqual([daysAgo(400), daysAgo(500)]);
    expect(await scoredAt('d')).toEqual([daysAgo(430), daysAgo(450)]);

    // The trend and the push still see what they saw before the prune.
    const latest = await store().scores.latest('hubspot');
    expect(Object.fromEntries([...latest].map(([id, s]) => [id, s.score]))).toEqual({ a: 70, b: 20, c: 66, d: 56 });
    expect((await store().scores.lastPushed('hubspot', ['c'])).get('c')?.score).toBe(60);
    expect((await store().scores.latestBefore('hubspot', ['a'], new Date(NOW).toISOString())).get('a')?.score).toBe(70);
    // Training still learns lead d from the snapshot it closed on; a and b keep their latest.
    expect(await store().snapshots.trainingExamples('hubspot')).toEqual(trainingBefore);
    expect(trainingBefore[0].snapshot?.properties).toEqual({ job: 'd2' });
    const kept = await store().snapshots.latestOf('hubspot', ['a', 'b', 'd']);
    expect(Object.fromEntries([...kept].map(([id, s]) => [id, s.properties.job]))).toEqual({ a: 'a3', b: 'b1', d: 'd3' });
  });

  it('with dryRun counts the same rows, removes none and leaves no audit entry', async () => {
    await seedHistory();
    await store().models.save(model('old', daysAgo(300)));
    await store().models.save(model('new', daysAgo(200)));
    const dry = await store().prune('hubspot', POLICY, { ...OPTIONS, dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, removed: { scores: 4, snapshots: 3, models: 1, runs: 0 }, models: ['old'] });
    expect(Number((await store().db.selectFrom('scores').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBe(10);
    expect(Number((await store().db.selectFrom('snapshots').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBe(7);
    expect((await store().models.list('hubspot')).length).toBe(2);
    expect(await store().audit.list({ key: 'store.prune.hubspot' })).toEqual([]);

    const real = await store().prune('hubspot', POLICY, OPTIONS);
    expect(real.removed).toEqual(dry.removed);
  });

  it('keeps the active model, the newest rollback targets and the newest candidate, and rollback still works', async () => {
    const models = store().models;
    for (let i = 1; i <= 6; i++) {
      await models.save(model(`v${i}`, daysAgo(100 - i)));
      await models.promote('hubspot', `v${i}`);
    }
    await models.save(model('c1', daysAgo(50)));
    await models.save(model('c2', daysAgo(40)));
    const result = await store().prune('hubspot', POLICY, OPTIONS);
    expect(result.models).toEqual(['c1', 'v3', 'v2', 'v1']);
    expect((await models.list('hubspot')).map((m) => [m.version, m.status])).toEqual([
      ['c2', 'candidate'], ['v6', 'active'], ['v5', 'retired'], ['v4', 'retired'],
    ]);
    expect((await models.rollback('hubspot')).version).toBe('v5');
    expect((await models.get('hubspot', 'v6'))?.bundle).toEqual({ trees: ['v6'] });
  });

  it('removes old finished runs but keeps the latest of each kind and status, and running ones', async () => {
    const run = (id: string, kind: string, status: string, days: number) => ({
      id, kind, crm: 'hubspot', started_at: daysAgo(days), finished_at: status === 'running' ? null : daysAgo(days), status, summary: null, error: null,
    });
    await store().db.insertInto('runs').values([
      run('t-old', 'train', 'ok', 200), run('t-last', 'train', 'ok', 150), run('t-failed', 'train', 'failed', 300),
      run('c-old', 'cycle', 'ok', 120), run('c-new', 'cycle', 'ok', 1), run('c-skip1', 'cycle', 'skipped', 100), run('c-skip2', 'cycle', 'skipped', 95),
      run('stuck', 'cycle', 'running', 400), run('sf', 'cycle', 'ok', 300),
    ]).execute();
    await store().db.updateTable('runs').set({ crm: 'salesforce' }).where('id', '=', 'sf').execute();
    const result = await store().prune('hubspot', POLICY, OPTIONS);
    expect(result.removed.runs).toBe(3);
    const left = (await store().db.selectFrom('runs').select('id').orderBy('id').execute()).map((r) => r.id);
    expect(left).toEqual(['c-new', 'c-skip2', 'sf', 'stuck', 't-failed', 't-last']);
    expect((await store().runs.lastFinished('train', 'hubspot'))?.id).toBe('t-last');
  });

  it('records each prune that removed anything in the audit trail with counts only, never a lead id, and one that removed nothing not at all', async () => {
    await seedHistory();
    await store().prune('hubspot', POLICY, { ...OPTIONS, actor: 'cli:ops' });
    const again = await store().prune('hubspot', POLICY, { ...OPTIONS, actor: 'cli:ops' });
    expect(again.removed).toEqual({ scores: 0, snapshots: 0, models: 0, runs: 0 });
    const entries = await store().audit.list({ key: 'store.prune.hubspot' });
    expect(entries).toHaveLength(1);
    const [first] = entries;
    expect(first.after).toMatchObject({ removed: { scores: 4, snapshots: 3 } });
    expect(first).toMatchObject({ actor: 'cli:ops', before: null, after: { crm: 'hubspot', olderThan: { scores: daysAgo(365), snapshots: daysAgo(90), runs: daysAgo(90) }, keepModels: 2 } });
    expect(JSON.stringify(first.after)).not.toMatch(/"(a|b|c|d)"|management|a1|d2/);
  });

  it('a stop requested before the first statement removes nothing and records nothing', async () => {
    await seedHistory();
    const stop = new AbortController();
    stop.abort(new Error('stop'));
    await expect(store().prune('hubspot', POLICY, { ...OPTIONS, signal: stop.signal })).rejects.toThrow('stop');
    expect(await scoredAt('a')).toHaveLength(3);
    expect(await store().audit.list({ key: 'store.prune.hubspot' })).toEqual([]);
  });

  it('keeps the snapshot and score a lead closed on when its outcome is only staged, so training pairs it once the stage is swapped in', async () => {
    const s = store();
    // Lead s: a very old snapshot, the pre-close one (450 days ago), the close (440 days ago) known
    // only to a re-derive's stage, and a newer one (10 days ago, the latest).
    await s.scores.insert('hubspot', [score('s', daysAgo(500), 10), score('s', daysAgo(450), 45), score('s', daysAgo(10), 90)]);
    await s.snapshots.save('hubspot', [snapshot('s', daysAgo(500), 's0'), snapshot('s', daysAgo(450), 's1'), snapshot('s', daysAgo(10), 's2')]);
    await s.stagedOutcomes.upsert('hubspot', [{ crm: 'hubspot', leadId: 's', outcome: 'won', outcomeAt: daysAgo(440), evidence: 'lifecyclestage=customer' }]);
    const result = await s.prune('hubspot', { ...POLICY, scoresDays: 90 }, OPTIONS);
    expect(result.removed).toMatchObject({ scores: 1, snapshots: 1 });
    expect(await scoredAt('s')).toEqual([daysAgo(10), daysAgo(450)]);

    await s.stagedOutcomes.swapIn('hubspot');
    const examples = await s.snapshots.trainingExamples('hubspot');
    expect(examples.map((e) => [e.leadId, e.snapshot?.properties])).toEqual([['s', { job: 's1' }]]);
  });

  it('keeps, as the snapshot a lead closed on, the very one training reads: the latest strictly before the outcome', async () => {
    const s = store();
    // One snapshot taken at the instant of the close: after it by the rule, so not the one closed on.
    await s.snapshots.save('hubspot', [snapshot('e', daysAgo(500), 'e0'), snapshot('e', daysAgo(450), 'e1'), snapshot('e', daysAgo(440), 'e2'), snapshot('e', daysAgo(10), 'e3')]);
    await s.outcomes.upsert('hubspot', [{ crm: 'hubspot', leadId: 'e', outcome: 'lost', outcomeAt: daysAgo(440), evidence: 'lifecyclestage=other' }]);
    const [example] = await s.snapshots.trainingExamples('hubspot');
    expect(example.snapshot?.properties).toEqual({ job: 'e1' });
    expect((await s.prune('hubspot', POLICY, OPTIONS)).removed.snapshots).toBe(2);
    const left = await s.db.selectFrom('snapshots').select('scored_at').where('lead_id', '=', 'e').orderBy('scored_at').execute();
    expect(left.map((r) => r.scored_at)).toEqual([daysAgo(450), daysAgo(10)]);
    expect(await s.snapshots.trainingExamples('hubspot')).toEqual([example]);
  });

  it('a stop requested before the runs are pruned removes no run', async () => {
    const run = (id: string, days: number) => ({ id, kind: 'cycle', crm: 'hubspot', started_at: daysAgo(days), finished_at: daysAgo(days), status: 'ok', summary: null, error: null });
    await store().db.insertInto('runs').values([run('old', 200), run('new', 150)]).execute();
    const stop = new AbortController();
    stop.abort(new Error('stop'));
    const runsOnly: RetentionPolicy = { scoresDays: null, snapshotsDays: null, runsDays: 90, keepModels: null };
    await expect(store().prune('hubspot', runsOnly, { ...OPTIONS, signal: stop.signal })).rejects.toThrow('stop');
    expect((await store().db.selectFrom('runs').select('id').orderBy('id').execute()).map((r) => r.id)).toEqual(['new', 'old']);
    // Without the stop, the older one goes: the test above did not pass for want of a prunable run.
    expect((await store().prune('hubspot', runsOnly, OPTIONS)).removed.runs).toBe(1);
  });

  it('null keeps everything of that kind', async () => {
    await seedHistory();
    const result = await store().prune('hubspot', { scoresDays: null, snapshotsDays: null, runsDays: null, keepModels: null }, OPTIONS);
    expect(result.removed).toEqual({ scores: 0, snapshots: 0, models: 0, runs: 0 });
    expect(result.olderThan).toEqual({ scores: null, snapshots: null, runs: null });
  });

  it('leaves the other CRM alone', async () => {
    await store().scores.insert('salesforce', [score('00Q1', daysAgo(500), 10), score('00Q1', daysAgo(400), 20)]);
    // The same id at the same instants in the other CRM: its rows must not go with hubspot's.
    await store().scores.insert('salesforce', [score('a', daysAgo(500), 30), score('a', daysAgo(400), 40), score('a', daysAgo(10), 70)]);
    await seedHistory();
    await store().prune('hubspot', POLICY, OPTIONS);
    expect((await store().scores.history('salesforce', '00Q1')).length).toBe(2);
    expect((await store().scores.history('salesforce', 'a')).length).toBe(3);
    expect(await scoredAt('a')).toEqual([daysAgo(10)]);
  });
});
