import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loopProgress } from '../../src/cli/loop-progress.js';
import { pushPendingScores } from '../../src/jobs/push.js';
import { schemaFields } from '../../src/jobs/retiring-tier-options.js';
import { loadManifest } from '../../src/domain/manifest.js';
import { pipe } from '../cli/pipe-stream.js';
import { leadIdsOf, scoresFor, startSalesforceFixture, TIERS as TIER_NAMES, type SalesforceFixture } from '../connectors/salesforce/fixture.js';
import { backends, useStore } from '../store/backends.js';
import { loopDeps } from './loop-deps.js';

const TIERS = TIER_NAMES.map((name, i) => ({ name, min: [75, 50, 25, 0][i] }));

/**
 * The push step's progress line (the bars `leadlift run` and `serve` draw, as plain lines off a
 * terminal) when the Salesforce API share stops the push: it reads held back, with what was
 * written, never "finished".
 */
describe('a push the API budget stops ends its progress line as held back (sqlite store)', () => {
  const { store } = useStore(backends.find((b) => b.name === 'sqlite')!);
  let fx: SalesforceFixture;
  beforeAll(async () => {
    fx = await startSalesforceFixture({ leads: 450, openFraction: 1 });
  });
  afterAll(async () => fx.close());

  it('"held back for the API budget after 150", not "finished, 450"', async () => {
    const ids = await leadIdsOf(fx);
    // A connector that has granted its permission sets once: the push's schema step then costs its 8 requests alone.
    const connector = fx.connector();
    await connector.ensureSchema(await schemaFields(store(), loadManifest(), 'salesforce', TIERS));
    const limits = await fx.jsforce().limits();
    const used = limits.DailyApiRequests.Max - limits.DailyApiRequests.Remaining;
    // Share 0.5 of this limit leaves room for the schema step's 8 requests, /limits and three collections calls of 50.
    await fx.control('PATCH', '/options', { salesforceDailyLimit: (used + 12) * 2 });
    const out = pipe();
    let ms = 0;
    const bars = loopProgress('', { stream: out.stream, now: () => (ms += 100) });
    const deps = { ...loopDeps(store(), connector, { loop: { push: { chunkSize: 50 } } }), onProgress: bars.listener, log: bars.note };
    await store().scores.insert('salesforce', scoresFor(ids, 3).map((s) => ({ ...s, scoredAt: '2024-05-03T10:00:00.000Z' })));
    const result = await pushPendingScores(deps, TIERS);
    bars.endCycle({ push: result });

    expect(result.stopped).toBeDefined();
    expect(result.written).toBe(150);
    const progressLines = out.lines.filter((l) => l.startsWith('Writing scores:'));
    expect(progressLines[0]).toBe('Writing scores: started (450 to do)');
    expect(progressLines.at(-1)).toMatch(/^Writing scores: held back for the API budget after 150 in \d+\.\d s$/);
    expect(out.lines.join('\n')).not.toContain('finished');
  });

  it('says the stop as a warning (serve keeps it at LOG_LEVEL=warn)', async () => {
    const ids = await leadIdsOf(fx);
    const limits = await fx.jsforce().limits();
    const used = limits.DailyApiRequests.Max - limits.DailyApiRequests.Remaining;
    await fx.control('PATCH', '/options', { salesforceDailyLimit: (used + 12) * 2 });
    const notes: Array<{ message: string; level: string }> = [];
    const deps = { ...loopDeps(store(), fx.connector(), { loop: { push: { chunkSize: 50 } } }), log: (message: string, level = 'info') => notes.push({ message, level }) };
    await store().scores.insert('salesforce', scoresFor(ids, 5).map((s) => ({ ...s, scoredAt: '2024-05-05T10:00:00.000Z' })));
    const result = await pushPendingScores(deps, TIERS);
    expect(result.stopped).toBeDefined();
    expect(notes).toContainEqual({ message: expect.stringMatching(/Left unwritten by this push: [\d,]+ scores?\.$/), level: 'warn' });
  });

  it('a push that wrote everything still reads finished', async () => {
    await fx.control('PATCH', '/options', { salesforceDailyLimit: 100_000 });
    const ids = await leadIdsOf(fx);
    const out = pipe();
    const bars = loopProgress('', { stream: out.stream });
    const deps = { ...loopDeps(store(), fx.connector()), onProgress: bars.listener };
    await store().scores.insert('salesforce', scoresFor(ids, 4).map((s) => ({ ...s, scoredAt: '2024-05-04T10:00:00.000Z' })));
    const result = await pushPendingScores(deps, TIERS);
    bars.endCycle({ push: result });
    expect(result.stopped).toBeUndefined();
    expect(out.lines.at(-1)).toMatch(/^Writing scores: finished, 450 in /);
  });
});
