import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHubspotConnector } from '../../connectors/hubspot/index.js';
import { seedLeadsFromCsv } from '../../connectors/sandbox/seed.js';
import { startSandbox, type RunningSandbox } from '../../connectors/sandbox/server.js';
import { runCycle } from '../../src/jobs/cycle.js';
import { modelFromBundle, type ModelBundle } from '../../src/model/bundle.js';
import { leakyLeadsCsv } from '../model/leaky-leads.js';
import { backends, useStore } from '../store/backends.js';
import { loopDeps } from './loop-deps.js';

const ROWS = 1000;
// The newest 20% stay open; of the 800 closed, the oldest 640 are the time-split training part.
// previous_visits is filled in from row 700 on: empty on every row the measured fit trains on,
// filled on 100 of the closed leads the refit trains on.
const PREVIOUS_FROM = 700;

describe.each(backends)('a field empty only on the measured fit\'s rows ($name store)', (backend) => {
  const { store } = useStore(backend);
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    const seed = seedLeadsFromCsv(leakyLeadsCsv(ROWS, {}, { previousFrom: PREVIOUS_FROM }), { label: 'converted', positive: 'yes', openFraction: 0.2 }, Date.now());
    sandbox = await startSandbox({ port: 0, crm: 'hubspot', seed, hubspotRateLimit: 1000, hubspotSearchRateLimit: 50 });
  });
  afterAll(() => sandbox?.close());

  it('is not listed bare as left out when the promoted model uses it: the entry says the model in service does', async () => {
    const connector = createHubspotConnector({ accessToken: sandbox.token, basePath: sandbox.url, search: { indexLagMs: 0 }, retry: { minDelayMs: 50 }, rateLimit: { requestsPerWindow: 1000, searchPerSecond: 50 } });
    const outcome = await runCycle(loopDeps(store(), connector, { model: { trees: 20 }, loop: { minAuc: 0 } }), { forceTrain: true });
    if (!outcome.ran) throw new Error(outcome.reason);
    expect(outcome.summary.train).toMatchObject({ trained: true, promoted: true });

    const active = (await store().models.active('hubspot'))!;
    expect(modelFromBundle(active.bundle as ModelBundle).pipeline.sourceColumns).toContain('previous_visits');
    const listed = (active.metrics as { excluded: Array<{ column: string; reason: string }> }).excluded.filter((e) => e.column === 'previous_visits');
    expect(listed.map((e) => e.reason)).toEqual([
      'left out of the fit measured above only (empty on every training row); newer leads have it, so the model in service, refitted on every closed lead, uses it',
    ]);
  });
});
