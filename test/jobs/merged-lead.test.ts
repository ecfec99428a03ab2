import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCycle } from '../../src/jobs/cycle.js';
import { LEAD_OBJECT } from '../../src/jobs/deps.js';
import { startHubspotFixture, type HubspotFixture } from '../connectors/hubspot/sandbox-fixture.js';
import { backends, useStore } from '../store/backends.js';
import { loopDeps } from './loop-deps.js';
import { hubspotClient } from '../sandbox/helpers.js';

describe.each(backends)('two leads merged in HubSpot after they were scored ($name store)', (backend) => {
  const { store } = useStore(backend);
  let fixture: HubspotFixture;
  beforeAll(async () => {
    fixture = await startHubspotFixture({ leads: 150, hubspotRateLimit: 1000, hubspotSearchRateLimit: 50 });
  });
  afterAll(() => fixture?.close());

  it('the merged-away ids are no longer scored or written, their pending score is not sent, and the merged contact is scored and written', async () => {
    // No archived pass: a merged-away contact is not listed among the archived, so it must not matter.
    const connector = fixture.connector({ rateLimit: { requestsPerWindow: 1000, searchPerSecond: 50 }, archivedPass: { intervalMs: 1e12 } });
    const base = loopDeps(store(), connector);
    const loop = { ...base.config.loop, minimumHistory: { closedLeads: 50, conversions: 10 }, minAuc: 0 };
    const deps = { ...base, config: { ...base.config, loop } };

    const first = await runCycle(deps, { forceTrain: true });
    if (!first.ran) throw new Error(first.reason);
    const open = await store().records.listOpen('hubspot', LEAD_OBJECT);
    const [primary, secondary] = [open[0].id, open[1].id];
    const pushed = (await store().scores.latest('hubspot', [secondary])).get(secondary)!;
    expect(pushed.pushStatus).toBe('pushed');

    const sdk = hubspotClient(fixture.sandbox);
    const merged = await sdk.crm.contacts.basicApi.merge({ primaryObjectId: primary, objectIdToMerge: secondary });
    // A score computed before the merge was noticed, still waiting for its push.
    const waiting = { ...pushed, score: pushed.score === 0 ? 1 : pushed.score - 1, scoredAt: new Date().toISOString() };
    await store().scores.insert('hubspot', [waiting]);

    const from = fixture.sandbox.ctx.log.length;
    const second = await runCycle(deps);
    if (!second.ran) throw new Error(second.reason);

    for (const id of [primary, secondary]) {
      const stored = await store().records.get('hubspot', LEAD_OBJECT, id);
      expect(stored?.archived, `${id} archived`).toBe(true);
      // What was stored of it stays (training history), only its standing changes.
      expect(stored?.properties.job).toEqual(open.find((r) => r.id === id)!.properties.job);
    }
    expect(second.summary.score.scored).toBe(open.length - 1);
    const written = fixture.sandbox.ctx.log
      .slice(from)
      .filter((r) => r.method === 'POST' && r.path.startsWith('/crm/v3/objects/contacts/batch/update'))
      .flatMap((r) => r.inputIds ?? []);
    expect(written).not.toContain(primary);
    expect(written).not.toContain(secondary);
    expect(second.summary.push).toMatchObject({ archived: 1, failed: 0 });
    expect((await store().scores.pending('hubspot')).map((s) => s.leadId)).not.toContain(secondary);

    // The merged contact is a lead of its own: scored, and HubSpot shows that score.
    const score = (await store().scores.latest('hubspot', [merged.id])).get(merged.id);
    expect(score?.pushStatus).toMatch(/^(pushed|unchanged)$/);
    const shown = await sdk.crm.contacts.basicApi.getById(merged.id, ['leadlift_score']);
    expect(shown.properties.leadlift_score).toBe(String(score!.score));
  });
});
