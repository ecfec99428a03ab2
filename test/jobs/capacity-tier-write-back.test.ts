import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHubspotConnector } from '../../connectors/hubspot/index.js';
import { startSandbox, type RunningSandbox } from '../../connectors/sandbox/server.js';
import { seedLeadsFromCsv } from '../../connectors/sandbox/seed.js';
import { runCycle } from '../../src/jobs/cycle.js';
import { pushPendingScores } from '../../src/jobs/push.js';
import { scoreOpenLeads } from '../../src/jobs/score.js';
import { syncFromCrm } from '../../src/jobs/sync.js';
import { TIERS_SETTING, tiersInUse } from '../../src/jobs/tiers-in-use.js';
import { backends, useStore } from '../store/backends.js';
import { loopDeps } from './loop-deps.js';

const DAY = 86_400_000;
const RULES = [
  { name: 'Call today', perDay: 5 },
  { name: 'Later', min: 0 },
];

/** Leads whose last visit (a date, so an input that ages with the clock) decides most of the outcome. */
function visitsCsv(rows: number, now: number): string {
  const jobs = ['admin', 'technician', 'services', 'management', 'retired'];
  const lines = ['order,age,job,last_visit,y'];
  for (let i = 0; i < rows; i++) {
    const daysAgo = (i * 13) % 120;
    const converted = daysAgo < 30 ? i % 5 !== 0 : i % 7 === 0;
    lines.push(`${i},${20 + ((i * 7) % 50)},${jobs[i % jobs.length]},${new Date(now - daysAgo * DAY).toISOString().slice(0, 10)},${converted ? 'yes' : 'no'}`);
  }
  return lines.join('\n');
}

describe.each(backends)('a "top N leads a day" tier after our own write-back ($name store)', (backend) => {
  const { store } = useStore(backend);
  let sandbox: RunningSandbox;
  let hubspot: Client;
  beforeAll(async () => {
    const seed = seedLeadsFromCsv(visitsCsv(400, Date.now()), { label: 'y', positive: 'yes', order: 'order' }, Date.now());
    sandbox = await startSandbox({ port: 0, crm: 'hubspot', seed, hubspotRateLimit: 1000, hubspotSearchRateLimit: 50 });
    hubspot = new Client({ accessToken: sandbox.token, basePath: sandbox.url, numberOfApiCallRetries: 0 });
  });
  afterAll(() => sandbox?.close());

  const connector = () =>
    createHubspotConnector({ accessToken: sandbox.token, basePath: sandbox.url, search: { indexLagMs: 0 }, retry: { minDelayMs: 50 }, rateLimit: { requestsPerWindow: 1000, searchPerSecond: 50 } });
  const crmTiers = async (ids: string[]) => {
    const read = await hubspot.crm.contacts.batchApi.read({ inputs: ids.map((id) => ({ id })), properties: ['leadlift_tier', 'lastmodifieddate'], propertiesWithHistory: [] });
    return new Map(read.results.map((r) => [r.id, { tier: r.properties.leadlift_tier, modifiedAt: r.properties.lastmodifieddate }]));
  };

  it('a rescore of leads re-dated by the write-back, whose recency has aged, keeps every one in its tier', async () => {
    await store().settings.set(TIERS_SETTING, RULES, 'manager@example.com');
    const deps = loopDeps(store(), connector(), { loop: { minimumHistory: { closedLeads: 100, conversions: 20 } } });
    const cycle = await runCycle(deps);
    if (!cycle.ran) throw new Error(cycle.reason);
    const open = [...sandbox.ctx.hidden.hubspot.keys()];
    const before = await store().scores.latest('hubspot', open);
    expect([...before.values()].filter((s) => s.tier === 'Call today')).toHaveLength(5);
    // The write-back re-dated every lead after its score: none looks untouched by its date.
    const shown = await crmTiers(open);
    for (const id of open) expect(Date.parse(shown.get(id)!.modifiedAt!), `lead ${id}`).toBeGreaterThan(Date.parse(before.get(id)!.scoredAt));

    // A real-time rescore some weeks on: nobody edited a lead, yet every last visit is older.
    const later = { ...deps, now: () => Date.now() + 45 * DAY };
    await syncFromCrm(later);
    const tiers = await tiersInUse(later.store, later.config);
    await scoreOpenLeads(later, tiers, { reference: 'stored' });
    await pushPendingScores(later, tiers);

    const after = await store().scores.latest('hubspot', open);
    for (const id of open) expect(after.get(id)!.tier, `lead ${id}`).toBe(before.get(id)!.tier);
    const shownAfter = await crmTiers(open);
    for (const id of open) expect(shownAfter.get(id)!.tier, `lead ${id}`).toBe(before.get(id)!.tier);
    // The ageing was real: placed by probability against the cut-off, some leads would have crossed it.
    const cut = (await store().tierCutoffs.get('hubspot', cycle.summary.model!.version, RULES))!.cutoffs[0].probability!;
    const crossing = open.filter((id) => after.get(id)!.scoredAt !== before.get(id)!.scoredAt && after.get(id)!.probability >= cut !== (before.get(id)!.tier === 'Call today'));
    expect(crossing.length).toBeGreaterThan(0);
  });
});
