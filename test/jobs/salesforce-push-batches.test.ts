import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { percent } from '../../connectors/salesforce/api-budget.js';
import { pushPendingScores } from '../../src/jobs/push.js';
import { schemaFields } from '../../src/jobs/retiring-tier-options.js';
import { loadManifest } from '../../src/domain/manifest.js';
import { clearLog, collections, leadIdsOf, requests, scoresFor, startSalesforceFixture, TIERS as TIER_NAMES, type SalesforceFixture } from '../connectors/salesforce/fixture.js';
import { backends, useStore } from '../store/backends.js';
import { loopDeps } from './loop-deps.js';

const TIERS = TIER_NAMES.map((name, i) => ({ name, min: [75, 50, 25, 0][i] }));
const scoresAt = (ids: string[], scoredAt: string, seed = 1) => scoresFor(ids, seed).map((s) => ({ ...s, scoredAt }));

describe('the loop pushes Salesforce scores in the CRM\'s own batches and says once when the API budget stopped it (sqlite store)', () => {
  const { store } = useStore(backends.find((b) => b.name === 'sqlite')!);
  let fx: SalesforceFixture;
  let ids: string[];
  beforeAll(async () => {
    fx = await startSalesforceFixture({ leads: 450, openFraction: 1 });
    ids = await leadIdsOf(fx);
  });
  afterAll(async () => fx.close());

  it('by default, 200 records per sObject Collections call and one read of /limits per push', async () => {
    const deps = loopDeps(store(), fx.connector());
    expect(deps.config.loop.push.chunkSize).toBeNull();
    await store().scores.insert('salesforce', scoresAt(ids, '2024-05-01T10:00:00.000Z'));
    await clearLog(fx);
    const result = await pushPendingScores(deps, TIERS);
    expect(result).toMatchObject({ written: 450, failed: 0, retryLater: 0 });
    const log = await requests(fx);
    expect(collections(log)).toHaveLength(3);
    expect(log.filter((r) => r.method === 'GET' && r.path.endsWith('/limits'))).toHaveLength(1);
  });

  it('a push the API budget stops: one message with the whole push\'s unwritten total, no promised time', async () => {
    // A connector that has granted its permission sets once: the push's schema step then costs its 8 requests alone.
    const connector = fx.connector();
    await connector.ensureSchema(await schemaFields(store(), loadManifest(), 'salesforce', TIERS));
    const limits = await fx.jsforce().limits();
    const used = limits.DailyApiRequests.Max - limits.DailyApiRequests.Remaining;
    // Share 0.5 of this limit leaves room for the schema step's 8 requests, /limits and three collections calls of 50.
    await fx.control('PATCH', '/options', { salesforceDailyLimit: (used + 12) * 2 });
    try {
      const logged: string[] = [];
      const deps = { ...loopDeps(store(), connector, { loop: { push: { chunkSize: 50 } } }), log: (m: string) => logged.push(m) };
      await store().scores.insert('salesforce', scoresAt(ids, '2024-05-02T10:00:00.000Z', 2));
      const result = await pushPendingScores(deps, TIERS);
      expect(result.written).toBeGreaterThan(0);
      expect(result.written + result.retryLater).toBe(450);
      expect(result.stopped?.unwritten).toBe(result.retryLater);
      const said = logged.filter((m) => /API allocation/.test(m));
      expect(said).toHaveLength(1);
      expect(said[0]).toMatch(new RegExp(`Left unwritten by this push: ${result.retryLater} scores\\.$`));
      expect(said[0]).toMatch(/leadlift may use 50% of the org's .* the next run writes them once the org's daily allowance has room again/);
      expect(said[0]).not.toMatch(/after \d{4}-/);
      expect(result.failures.filter((f) => /API allocation/.test(f.message))).toEqual([]);
    } finally {
      await fx.control('PATCH', '/options', { salesforceDailyLimit: 100_000 });
    }
  });

  it('a small share does not read 0%', () => {
    expect(percent(0.00379)).toBe('0.38%');
    expect(percent(0.5)).toBe('50%');
    expect(percent(0.125)).toBe('12.5%');
  });
});
