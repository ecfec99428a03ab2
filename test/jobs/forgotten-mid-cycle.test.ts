import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeadRecord } from '../../connectors/types.js';
import { runCycle } from '../../src/jobs/cycle.js';
import { LEAD_OBJECT, LEADS_STREAM } from '../../src/jobs/deps.js';
import { applyContactDeletions } from '../../src/server/contact-deletions.js';
import type { Store } from '../../src/store/store.js';
import { startHubspotFixture, type HubspotFixture } from '../connectors/hubspot/sandbox-fixture.js';
import { backends, useStore } from '../store/backends.js';
import { loopDeps } from './loop-deps.js';

/** What HubSpot's contact.privacyDeletion webhook does: erase, without the cycle lock. */
const privacyDelete = (store: Store, id: string) => applyContactDeletions(store, { archive: new Set(), forget: new Set([id]) });

describe.each(backends)('a lead forgotten while a cycle runs ($name store)', (backend) => {
  const { store } = useStore(backend);
  let fixture: HubspotFixture;
  beforeAll(async () => {
    fixture = await startHubspotFixture({ leads: 150, hubspotRateLimit: 1000, hubspotSearchRateLimit: 50 });
  });
  afterAll(() => fixture?.close());

  it('is left out by the sync, the scoring and the push it was deleted during, and every other lead is written', async () => {
    const real = store();
    const forgotten: Record<'sync' | 'score' | 'push', string | null> = { sync: null, score: null, push: null };
    // The cycle's own store, with each deletion landing inside a store call the cycle awaits, after
    // the cycle has the lead in hand: the page pulled, the batch loaded, the push selected.
    const staged: Store = {
      ...real,
      async commitPage(crm, stream, records, cursor, options) {
        if (forgotten.sync === null && stream === LEADS_STREAM && records.length > 0) {
          forgotten.sync = (records[0] as LeadRecord).id;
          await privacyDelete(real, forgotten.sync);
        }
        return real.commitPage(crm, stream, records, cursor, options);
      },
      scores: {
        ...real.scores,
        async latest(crm, leadIds) {
          const previous = await real.scores.latest(crm, leadIds);
          if (forgotten.score === null && leadIds && leadIds.length > 0) {
            forgotten.score = leadIds[0];
            await privacyDelete(real, forgotten.score);
          }
          return previous;
        },
        async pending(crm, options) {
          const waiting = await real.scores.pending(crm, options);
          if (forgotten.push === null && waiting.length > 0) {
            forgotten.push = waiting[0].leadId;
            await privacyDelete(real, forgotten.push);
          }
          return waiting;
        },
      },
    };
    const connector = fixture.connector({ rateLimit: { requestsPerWindow: 1000, searchPerSecond: 50 } });
    const base = loopDeps(staged, connector);
    const loop = { ...base.config.loop, minimumHistory: { closedLeads: 50, conversions: 10 }, minAuc: 0 };
    const outcome = await runCycle({ ...base, config: { ...base.config, loop } }, { forceTrain: true });
    if (!outcome.ran) throw new Error(outcome.reason);
    expect(outcome.summary.train.promoted).toBe(true);

    const ids = Object.values(forgotten) as string[];
    expect(ids.every((id) => typeof id === 'string')).toBe(true);
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) {
      expect(await real.records.get('hubspot', LEAD_OBJECT, id)).toBeNull();
      expect(await real.outcomes.get('hubspot', id)).toBeNull();
      expect(await real.scores.history('hubspot', id)).toEqual([]);
      expect(await real.snapshots.latestBefore('hubspot', id, '2100-01-01T00:00:00.000Z')).toBeNull();
    }
    expect([...(await real.forgottenLeads.among('hubspot', ids))].sort()).toEqual([...ids].sort());

    const written = new Set(
      fixture.sandbox.ctx.log
        .filter((r) => r.method === 'POST' && r.path.startsWith('/crm/v3/objects/contacts/batch/update'))
        .flatMap((r) => r.inputIds ?? []),
    );
    for (const id of ids) expect(written.has(id)).toBe(false);
    // Everyone else still open was scored and written back.
    const open = (await real.records.listOpen('hubspot', LEAD_OBJECT)).map((l) => l.id);
    expect(open.length).toBeGreaterThan(0);
    expect([...written].sort()).toEqual([...open].sort());
    expect(outcome.summary.push.written).toBe(open.length);
  });
});
