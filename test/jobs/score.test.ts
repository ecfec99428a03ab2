import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trendOf } from '../../src/scoring/trend.js';
import { runCycle } from '../../src/jobs/cycle.js';
import { startHubspotFixture, type HubspotFixture } from '../connectors/hubspot/sandbox-fixture.js';
import { backends, useStore } from '../store/backends.js';
import { loopDeps } from './loop-deps.js';

describe.each(backends)('scoring open leads ($name store)', (backend) => {
  const { store } = useStore(backend);
  let fixture: HubspotFixture;
  beforeAll(async () => {
    fixture = await startHubspotFixture({ leads: 400, hubspotRateLimit: 1000, hubspotSearchRateLimit: 50 });
  });
  afterAll(() => fixture?.close());

  it('rescoring stores a new score and snapshot only for leads that changed, with the trend against the previous score', async () => {
    const deps = loopDeps(store(), fixture.connector({ rateLimit: { requestsPerWindow: 1000, searchPerSecond: 50 } }), { loop: { minimumHistory: { closedLeads: 100, conversions: 20 } } });
    const first = await runCycle(deps);
    if (!first.ran) throw new Error(first.reason);
    const open = [...fixture.sandbox.ctx.hidden.hubspot.keys()];
    expect(first.summary.score.scored).toBe(open.length);
    // Our own writes touched every open contact; the next cycle reads them back and, with the
    // same scores and the trends they were written with, writes nothing.
    const readBack = await runCycle(deps);
    if (!readBack.ran) throw new Error(readBack.reason);
    expect(readBack.summary.push.written).toBe(0);
    const rowsBefore = await Promise.all(open.map(async (id) => (await store().scores.history('hubspot', id)).length));

    // A rep edits one lead.
    const [edited] = open;
    const res = await fetch(`${fixture.sandbox.url}/crm/v3/objects/contacts/${edited}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${fixture.sandbox.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ properties: { job: 'retired', age: '71', balance: '4900' } }),
    });
    expect(res.ok).toBe(true);
    const again = await runCycle(deps);
    if (!again.ran) throw new Error(again.reason);

    const rowsAfter = await Promise.all(open.map(async (id) => (await store().scores.history('hubspot', id)).length));
    open.forEach((id, i) => expect(rowsAfter[i] - rowsBefore[i], `new score rows for lead ${id}`).toBe(id === edited ? 1 : 0));
    const [latest, previous] = await store().scores.history('hubspot', edited, 2);
    const expectedTrend = previous.score === latest.score ? previous.trend : (trendOf(previous.score, latest.score, deps.config.trend.threshold) ?? 'steady');
    expect(latest.trend).toBe(expectedTrend);
    const snapshot = await store().snapshots.latestBefore('hubspot', edited, new Date(Date.parse(latest.scoredAt) + 1).toISOString());
    expect(snapshot?.properties).toMatchObject({ job: 'retired', age: '71', balance: '4900' });
    // The snapshot keeps what the model may read: no stage, status or own score fields.
    expect(Object.keys(snapshot!.properties).filter((k) => /^(lifecyclestage|hs_lead_status|leadlift_)/.test(k))).toEqual([]);
  });
});
