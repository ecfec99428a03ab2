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
    const rowsBefore = Number((await store().db.selectFrom('scores').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

    // A year and more later: the nightly retrain removes the lead's older score and snapshot, nothing else.
    await age(store(), 400);
    const nightly = await runCycle(deps, { forceTrain: true });
    if (!nightly.ran) throw new Error(nightly.reason);
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
    const rowsAfter = Number((await store().db.selectFrom('scores').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    expect(rowsAfter).toBeGreaterThanOrEqual(rowsBefore - 1);

    // The first model stays: the active one or the rollback target behind it.
    const models = await store().models.list('hubspot');
    expect(models.map((m) => m.version)).toContain(first.summary.train.version);
    if (nightly.summary.train.promoted) expect(await store().models.rollbackTarget('hubspot')).toBe(first.summary.train.version);

    const audit = await store().audit.list({ key: 'store.prune.hubspot' });
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({ actor: 'loop', after: { removed: { scores: 1, snapshots: 1 } } });
    expect(JSON.stringify(audit[0].after)).not.toContain(`"${leadId}"`);
  });
});
