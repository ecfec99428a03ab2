import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCycle } from '../../src/jobs/cycle.js';
import { OUTCOMES_STREAM } from '../../src/jobs/deps.js';
import { OUTCOME_RULE_STREAM } from '../../src/jobs/outcome-rule.js';
import { StopRequestedError } from '../../src/jobs/stop-request.js';
import { syncFromCrm } from '../../src/jobs/sync.js';
import type { Store } from '../../src/store/store.js';
import { startSalesforceFixture, type SalesforceFixture } from '../connectors/salesforce/fixture.js';
import { backends, useStore } from '../store/backends.js';
import { loopDeps } from './loop-deps.js';

/** Converted leads are won, nothing is lost: the defaults' lost leads are open under it. */
const ONLY_WON = { outcome: { wonWhen: 'converted' as const, lostStatuses: [] } };

const outcomesOf = async (store: Store) => new Map((await store.outcomes.list('salesforce')).map((o) => [o.leadId, { outcome: o.outcome, outcomeAt: o.outcomeAt }]));

/**
 * A changed outcome rule derives every stored outcome again. The re-derive used to clear them
 * first and read them back after, so a stop in between lost them; and its summary counted every
 * outcome read as changed.
 */
describe.each(backends)('Salesforce outcomes derived again under a changed rule ($name store)', (backend) => {
  const { store } = useStore(backend);
  let fx: SalesforceFixture;
  beforeAll(async () => {
    // 480 closed leads: outcome pages of 200, so a stop can fall between two of them.
    fx = await startSalesforceFixture({ leads: 600, openFraction: 0.2 });
  });
  afterAll(async () => fx.close());
  afterEach(async () => fx.control('PATCH', '/options', { salesforceLeadHistory: true }));

  it('a stop mid-way keeps the old outcomes, cursor and rule, and the pages read; the next run continues and completes', async () => {
    await syncFromCrm(loopDeps(store(), fx.connector()));
    const before = { outcomes: await outcomesOf(store()), cursor: await store().checkpoints.get('salesforce', OUTCOMES_STREAM), rule: await store().checkpoints.get('salesforce', OUTCOME_RULE_STREAM) };
    expect(before.outcomes.size).toBe(fx.seed.filter((s) => !s.open).length);

    // Ctrl-C as the CLI sends it (stopOnSignal aborts the cycle's stop signal), once the first
    // outcome page is in (the lead pull reads its final second again, so progress alone is no sign).
    const stop = new AbortController();
    const connector = fx.connector(ONLY_WON);
    const pull = connector.pullOutcomes.bind(connector);
    connector.pullOutcomes = async function* (cursor) {
      for await (const page of pull(cursor)) {
        yield page;
        if (page.records.length > 0 && !stop.signal.aborted) stop.abort(new StopRequestedError('SIGINT'));
      }
    };
    const deps = loopDeps(store(), connector);
    const err = await runCycle(deps, { stop: stop.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StopRequestedError);
    expect(await outcomesOf(store())).toEqual(before.outcomes);
    expect(await store().checkpoints.get('salesforce', OUTCOMES_STREAM)).toEqual(before.cursor);
    expect(await store().checkpoints.get('salesforce', OUTCOME_RULE_STREAM)).toEqual(before.rule);
    const keptAside = await store().stagedOutcomes.count('salesforce');

    const again = await syncFromCrm(loopDeps(store(), fx.connector(ONLY_WON)));
    // Said when the stopped run began the re-derive; this one says where it continues from instead.
    expect(again.notes.some((n) => n.startsWith('The outcome rule changed'))).toBe(false);
    expect(again.notes.some((n) => n.startsWith('The re-derive of the outcomes under the new rule continues where the last sync stopped'))).toBe(true);
    const after = await outcomesOf(store());
    expect([...after.values()].every((o) => o.outcome === 'won')).toBe(true);
    expect(after.size).toBe((await store().outcomes.counts('salesforce')).won);
    // What the stopped run had staged was not read again, but for the few of a final second (settledPosition).
    expect(again.received.outcomes).toBeGreaterThanOrEqual(again.outcomeRule!.readSoFar - keptAside);
    expect(again.received.outcomes).toBeLessThan(again.outcomeRule!.readSoFar - keptAside + 5);
    expect(await store().stagedOutcomes.count('salesforce')).toBe(0);
  });

  it('counts as changed only leads newly closed and outcomes that flipped, and says how many are no longer closed', async () => {
    await syncFromCrm(loopDeps(store(), fx.connector()));
    const before = await outcomesOf(store());
    const synced = await syncFromCrm(loopDeps(store(), fx.connector(ONLY_WON)));
    const after = await outcomesOf(store());
    const flippedOrNew = [...after].filter(([id, o]) => before.get(id)?.outcome !== o.outcome).length;
    const gone = [...before.keys()].filter((id) => !after.has(id)).length;
    expect(gone).toBeGreaterThan(0);
    expect(flippedOrNew).toBeLessThan(after.size);
    expect(synced.outcomes).toBe(after.size);
    expect(synced.outcomesChanged).toBe(flippedOrNew);
    expect(synced.outcomeRule).toEqual({ was: expect.stringMatching(/SALESFORCE_WON_WHEN=opportunity-won/), now: expect.stringMatching(/SALESFORCE_WON_WHEN=converted/), removed: gone, applied: true, readSoFar: after.size });

    // The same rule again: nothing is derived again, nothing changed.
    const idle = await syncFromCrm(loopDeps(store(), fx.connector(ONLY_WON)));
    expect(idle.outcomeRule).toBeUndefined();
    expect(idle.outcomesChanged).toBe(0);
  });

  it('a lead closed by Status re-read after an edit moved its date (no field history) is not counted as changed', async () => {
    await fx.control('PATCH', '/options', { salesforceLeadHistory: false });
    await syncFromCrm(loopDeps(store(), fx.connector()));
    const lost = (await store().outcomes.list('salesforce')).find((o) => o.evidence.startsWith('Status='))!;
    fx.sandbox.ctx.clock.advance(86_400_000);
    await fx.jsforce().sobject('Lead').update({ Id: lost.leadId, Description: 'Owner: called, no interest' });
    const synced = await syncFromCrm(loopDeps(store(), fx.connector()));
    // The edited lead, and at most the few of the newest second before it, read again (the cursor re-reads that second).
    expect(synced.outcomes).toBeGreaterThanOrEqual(1);
    expect(synced.outcomes).toBeLessThan(5);
    expect((await store().outcomes.get('salesforce', lost.leadId))!.outcomeAt).not.toBe(lost.outcomeAt);
    expect(synced.outcomesChanged).toBe(0);
  });
});
