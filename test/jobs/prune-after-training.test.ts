import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCycle } from '../../src/jobs/cycle.js';
import { trendOf } from '../../src/scoring/trend.js';
import type { Store } from '../../src/store/store.js';
import { startHubspotFixture, type HubspotFixture } from '../connectors/hubspot/sandbox-fixture.js';
import { backends, useStore } from '../store/backends.js';
import { loopDeps } from './loop-deps.js';

const DAY_MS = 86_400_000;

/** Moves every stored score and snapshot `days` into the past, as if they had been written then. */
async function age(store: Store, days: number): Promise<void> {
  for (const table of ['scores', 'snapshots'] as const) {
    const rows = await store.db.selectFrom(table).select(['crm', 'lead_id', 'scored_at']).execute();
    for (const r of rows) {
      await store.db
        .updateTable(table)
        .set({ scored_at: new Date(Date.parse(r.scored_at) - days * DAY_MS).toISOString() })
        .where('crm', '=', r.crm)
        .where('lead_id', '=', r.lead_id)
        .where('scored_at', '=', r.scored_at)
        .execute();
    }
  }
}

describe.each(backends)('the nightly retrain prunes the store ($name store)', (backend) => {
  const { store } = useStore(backend);
  let fixture: HubspotFixture;
  beforeAll(async () => {
    fixture = await startHubspotFixture({ leads: 150, hubspotRateLimit: 1000, hubspotSearchRateLimit: 50 });
  });
  afterAll(() => fixture?.close());

  it('removes history past store.retention after training, keeps each lead\'s latest score (the trend stays right) and the rollback target, and audits the counts', async () => {
    const notes: string[] = [];
    const base = loopDeps(store(), fixture.connector({ rateLimit: { requestsPerWindow: 1000, searchPerSecond: 50 } }));
    const deps = { ...base, config: { ...base.config, loop: { ...base.config.loop, minimumHistory: { closedLeads: 50, conversions: 10 }, minAuc: 0 } }, log: (m: string) => notes.push(m) };

    const first = await runCycle(deps, { forceTrain: true });
    if (!first.ran) throw new Error(first.reason);
    expect(first.summary.train.promoted).toBe(true);
    expect(first.summary.prune).toMatchObject({ removed: { scores: 0, snapshots: 0, models: 0, runs: 0 } });
    const openIds = [...(await store().scores.latest('hubspot')).keys()];
    expect(openIds.length).toBeGreaterThan(10);

    // A rep's edit: the next hourly cycle (no training, so no prune) stores a second score for the lead.
    const leadId = openIds[0];
    const before = (await store().scores.latest('hubspot', [leadId])).get(leadId)!;
    const balance = before.score >= 50 ? '0' : '4999';
    await fixture.control('PATCH', `/hubspot/contacts/${leadId}`, { properties: { balance, age: before.score >= 50 ? '95' : '30' } });
    const hourly = await runCycle(deps);
    if (!hourly.ran) throw new Error(hourly.reason);
    expect(hourly.summary.train.trained).toBe(false);
    expect(hourly.summary.prune).toBeNull();
    const history = await store().scores.history('hubspot', leadId);
    expect(history.length).toBe(2);
    const rows = async (table: 'scores' | 'snapshots', since?: string) => {
      let q = store().db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
      if (since) q = q.where('scored_at', '>=', since);
      return Number((await q.executeTakeFirstOrThrow()).n);
    };
    const rowsBefore = { scores: await rows('scores'), snapshots: await rows('snapshots') };

    // A year and more later: the nightly retrain removes the lead's older score and snapshot, nothing else.
    await age(store(), 400);
    // The first model is made to look weaker (its stored AUC, what the duel compares when no closed
    // lead is newer than it), so the nightly candidate is promoted and the first model becomes the
    // rollback target the prune must keep.
    const firstModel = (await store().models.active('hubspot'))!;
    await store().db.updateTable('models').set({ metrics: JSON.stringify({ ...firstModel.metrics, auc: 0.01 }) }).where('crm', '=', 'hubspot').where('version', '=', firstModel.version).execute();
    const nightlyStarted = new Date().toISOString();
    const nightly = await runCycle(deps, { forceTrain: true });
    if (!nightly.ran) throw new Error(nightly.reason);
    expect(nightly.summary.train.promoted, nightly.summary.train.reason).toBe(true);
    expect(nightly.summary.prune).toMatchObject({ removed: { scores: 1, snapshots: 1 } });
    expect(notes).toContain('Store retention: removed 1 score, 1 snapshot (config store.retention)');
    const aged = (at: string) => new Date(Date.parse(at) - 400 * DAY_MS).toISOString();
    const after = await store().scores.history('hubspot', leadId);
    // Its latest score before the retrain stays; the one before that is gone.
    expect(after.map((s) => s.scoredAt)).toContain(aged(history[0].scoredAt));
    expect(after.map((s) => s.scoredAt)).not.toContain(aged(history[1].scoredAt));
    // Every score the retrain wrote reads its trend against the lead's score before it, which the prune kept.
    let rescored = 0;
    for (const id of openIds) {
      const [now, previous] = await store().scores.history('hubspot', id, 2);
      if (!previous) continue;
      rescored++;
      expect(now.trend).toBe(now.score === previous.score ? previous.trend : trendOf(previous.score, now.score, deps.config.trend.threshold));
    }
    expect(rescored).toBeGreaterThan(0);
    // Every other open lead still has its one score, and every open lead still has a latest one.
    expect((await store().scores.latest('hubspot')).size).toBe(openIds.length);
    // Exactly one score and one snapshot went; every other row is still there, beside the nightly's new ones.
    const written = { scores: await rows('scores', nightlyStarted), snapshots: await rows('snapshots', nightlyStarted) };
    expect(written.scores).toBeGreaterThan(0);
    expect(await rows('scores')).toBe(rowsBefore.scores - 1 + written.scores);
    expect(await rows('snapshots')).toBe(rowsBefore.snapshots - 1 + written.snapshots);

    // The first model stays, as the rollback target behind the one the nightly promoted.
    expect((await store().models.active('hubspot'))!.version).toBe(nightly.summary.train.version);
    expect(await store().models.rollbackTarget('hubspot')).toBe(first.summary.train.version);
    expect((await store().models.list('hubspot')).map((m) => m.version)).toContain(first.summary.train.version);

    // The first training's prune removed nothing, so only the nightly's is in the audit trail.
    const audit = await store().audit.list({ key: 'store.prune.hubspot' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'loop', after: { removed: { scores: 1, snapshots: 1 } } });
    expect(JSON.stringify(audit[0].after)).not.toContain(`"${leadId}"`);
  });
});
