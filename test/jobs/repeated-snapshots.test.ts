import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCycle, type CycleSummary } from '../../src/jobs/cycle.js';
import type { LoopDeps } from '../../src/jobs/deps.js';
import { startHubspotFixture, type HubspotFixture } from '../connectors/hubspot/sandbox-fixture.js';
import { backends, useStore } from '../store/backends.js';
import { loopDeps } from './loop-deps.js';

/**
 * A lead rescored from the values it was last scored on (the nightly re-rank moving a point of a
 * reason, a promotion, a settings change) gets its new score, written to the CRM, but no second
 * copy of those values: its latest snapshot already holds them, and training, prune and "inputs as
 * last scored" find a lead's snapshot by time. A lead whose values changed gets a new one.
 */

const HOUR = 3_600_000;

describe.each(backends)('snapshots of leads rescored from unchanged values ($name store)', (backend) => {
  const { store } = useStore(backend);
  let fixture: HubspotFixture;
  beforeAll(async () => {
    fixture = await startHubspotFixture({ leads: 400, hubspotRateLimit: 1000, hubspotSearchRateLimit: 50 });
  });
  afterAll(() => fixture?.close());

  function deps(offsetHours: number, reasons: { for: number; against: number }): LoopDeps {
    return {
      ...loopDeps(store(), fixture.connector({ rateLimit: { requestsPerWindow: 1000, searchPerSecond: 50 } }), {
        loop: { minimumHistory: { closedLeads: 100, conversions: 20 }, retrainAfterHours: 10_000 },
        reasons,
      }),
      now: () => Date.now() + offsetHours * HOUR,
    };
  }

  async function cycle(d: LoopDeps): Promise<CycleSummary> {
    const outcome = await runCycle(d);
    if (!outcome.ran) throw new Error(outcome.reason);
    return outcome.summary;
  }

  async function rowsPerLead(table: 'scores' | 'snapshots'): Promise<Map<string, number>> {
    const rows = await store().db.selectFrom(table).select('lead_id').where('crm', '=', 'hubspot').execute();
    const out = new Map<string, number>();
    for (const r of rows) out.set(r.lead_id, (out.get(r.lead_id) ?? 0) + 1);
    return out;
  }

  it('stores a new score for every lead whose written values moved, and a new snapshot only for the lead whose values changed', async () => {
    const first = await cycle(deps(0, { for: 3, against: 2 }));
    const open = [...fixture.sandbox.ctx.hidden.hubspot.keys()];
    expect(first.score.scored).toBe(open.length);

    const [edited] = open;
    const res = await fetch(`${fixture.sandbox.url}/crm/v3/objects/contacts/${edited}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${fixture.sandbox.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ properties: { job: 'retired', age: '71', balance: '4900' } }),
    });
    expect(res.ok).toBe(true);
    // Fewer reasons per lead: nearly every lead's written reasons change, none of its inputs.
    const second = await cycle(deps(1, { for: 1, against: 0 }));
    expect(second.push.written).toBeGreaterThan(open.length / 2);

    const scores = await rowsPerLead('scores');
    const snapshots = await rowsPerLead('snapshots');
    const rescored = open.filter((id) => id !== edited && scores.get(id) === 2);
    expect(rescored.length).toBeGreaterThan(open.length / 2);
    expect(scores.get(edited)).toBe(2);
    expect(snapshots.get(edited)).toBe(2);
    expect(rescored.filter((id) => snapshots.get(id) !== 1), 'leads rescored from unchanged values with a second snapshot').toEqual([]);

    // Reading our own writes back (re-dated by the CRM), the leads hold the values of their latest
    // snapshot, the one of an earlier score for most: nothing is scored anew or written.
    const readBack = await cycle(deps(2, { for: 1, against: 0 }));
    expect(readBack.push.written).toBe(0);
    expect(await rowsPerLead('scores')).toEqual(scores);

    // The one snapshot is the values the new score was computed from ("inputs as last scored").
    const [lead] = rescored;
    const [latestScore, firstScore] = await store().scores.history('hubspot', lead, 2);
    const latestSnapshot = (await store().snapshots.latestOf('hubspot', [lead])).get(lead)!;
    expect(latestSnapshot.scoredAt).toBe(firstScore.scoredAt);
    expect((await store().snapshots.latestOf('hubspot', [edited])).get(edited)!.properties).toMatchObject({ job: 'retired', age: '71', balance: '4900' });

    // It closes after its second score: training reads those values, and a prune of everything
    // older than today keeps them (its latest snapshot, the one it closed on) and the score it closed on.
    const outcomeAt = new Date(Date.parse(latestScore.scoredAt) + HOUR).toISOString();
    await store().outcomes.upsert('hubspot', [{ crm: 'hubspot', leadId: lead, outcome: 'won', outcomeAt, evidence: 'test' }]);
    await store().prune('hubspot', { scoresDays: 0, snapshotsDays: 0, runsDays: null, keepModels: null }, { actor: 'test', now: Date.now() + 48 * HOUR });
    const example = (await store().snapshots.trainingExamples('hubspot')).find((e) => e.leadId === lead);
    expect(example?.snapshot).toEqual(latestSnapshot);
    expect((await store().scores.history('hubspot', lead)).map((s) => s.scoredAt)).toEqual([latestScore.scoredAt]);
  });
});
