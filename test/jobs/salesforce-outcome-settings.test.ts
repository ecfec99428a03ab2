import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTCOMES_STREAM } from '../../src/jobs/deps.js';
import { SCORED_OBJECT_STREAM, ScoredObjectMismatchError } from '../../src/jobs/scored-object.js';
import { syncFromCrm } from '../../src/jobs/sync.js';
import { trainIfDue } from '../../src/jobs/train.js';
import { UnknownLostStatusError } from '../../connectors/salesforce/lost-status-check.js';
import { SameOutcomeError } from '../../src/model/training-errors.js';
import { startSalesforceFixture, type SalesforceFixture } from '../connectors/salesforce/fixture.js';
import { backends, useStore } from '../store/backends.js';
import { loopDeps } from './loop-deps.js';

/** The reviewer's typo: "converted" in lower case, and a value that is no Lead Status of the org. */
const TYPO = { wonWhen: 'converted' as const, lostStatuses: ['  closed - not CONVERTED '] };
const UNKNOWN = { wonWhen: 'converted' as const, lostStatuses: ['Closed - Not Converted', 'Disqualified'] };
const SMALL_HISTORY = { loop: { minimumHistory: { closedLeads: 10, conversions: 2 } } };

describe.each(backends)('the store follows the Salesforce outcome settings and object ($name store)', (backend) => {
  const { store } = useStore(backend);
  let fx: SalesforceFixture;
  let seeded: { won: number; lost: number };
  beforeAll(async () => {
    fx = await startSalesforceFixture({ leads: 300, openFraction: 0.2 });
    const closed = fx.seed.filter((s) => !s.open);
    seeded = { won: closed.filter((s) => s.outcome === 'won').length, lost: closed.filter((s) => s.outcome === 'lost').length };
  });
  afterAll(async () => fx.close());

  it('a changed outcome rule re-derives the stored outcomes, with a note; the same rule again changes nothing', async () => {
    // No status closes a lead lost: converted leads are won, the rest stay open.
    const onlyWon = { outcome: { wonWhen: 'converted' as const, lostStatuses: [] } };
    await syncFromCrm(loopDeps(store(), fx.connector(onlyWon)));
    expect((await store().outcomes.counts('salesforce')).lost).toBe(0);

    // Back to the defaults: the history follows them, not only leads changed since.
    const logged: string[] = [];
    const second = await syncFromCrm({ ...loopDeps(store(), fx.connector()), log: (m) => logged.push(m) });
    expect(await store().outcomes.counts('salesforce')).toEqual(seeded);
    const note = second.notes.find((n) => n.startsWith('The outcome rule changed'));
    expect(note).toMatch(/was SALESFORCE_OBJECT=Lead, SALESFORCE_WON_WHEN=converted and SALESFORCE_LOST_STATUSES=""; now .*SALESFORCE_WON_WHEN=opportunity-won/);
    expect(logged).toContain(note);

    const third = await syncFromCrm(loopDeps(store(), fx.connector({ outcome: { lostStatuses: ['  closed - NOT converted '] } })));
    expect(third.notes.filter((n) => /outcome rule/.test(n))).toEqual([]);
    // Nothing derived again: at most the newest second's leads read again (the cursor re-reads it), none changed.
    expect(third.outcomeRule).toBeUndefined();
    expect(third.outcomes).toBeLessThan(5);
    expect(third.outcomesChanged).toBe(0);
    expect(await store().outcomes.counts('salesforce')).toEqual(seeded);
  });

  it('a store whose outcomes predate the recorded rule re-derives them once', async () => {
    await syncFromCrm(loopDeps(store(), fx.connector({ outcome: { lostStatuses: [] } })));
    await store().checkpoints.clear('salesforce', 'outcome-rule');
    const again = await syncFromCrm(loopDeps(store(), fx.connector()));
    expect(again.notes.some((n) => /derived before leadlift recorded the outcome rule/.test(n))).toBe(true);
    expect(await store().outcomes.counts('salesforce')).toEqual(seeded);
  });

  it('Status matches ignoring case and spaces: the typo still closes the leads it means, with no warning', async () => {
    const synced = await syncFromCrm(loopDeps(store(), fx.connector({ outcome: TYPO })));
    const counts = await store().outcomes.counts('salesforce');
    expect(counts.lost).toBeGreaterThan(0);
    expect(synced.notes.some((n) => /SALESFORCE_LOST_STATUSES/.test(n))).toBe(false);
  });

  it('one describe of Lead serves the lost-status check and the lead fields of a sync', async () => {
    const before = fx.sandbox.ctx.log.length;
    await syncFromCrm(loopDeps(store(), fx.connector({ outcome: TYPO })));
    const describes = fx.sandbox.ctx.log.slice(before).filter((r) => /\/sobjects\/Lead\/describe$/.test(r.path));
    expect(describes).toHaveLength(1);
  });

  it('a lost status the org does not have is refused before anything is read or changed (its leads would count as open and be scored)', async () => {
    await syncFromCrm(loopDeps(store(), fx.connector()));
    const before = { counts: await store().outcomes.counts('salesforce'), cursor: await store().checkpoints.get('salesforce', OUTCOMES_STREAM) };
    const err = await syncFromCrm(loopDeps(store(), fx.connector({ outcome: UNKNOWN }))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnknownLostStatusError);
    expect((err as UnknownLostStatusError).exitCode).toBe(2);
    expect((err as Error).message).toMatch(/^SALESFORCE_LOST_STATUSES names "Disqualified", which is not a Lead Status value in this org.*The org's Lead Status values are .*"Closed - Not Converted".*Nothing was read or changed\.$/);
    expect(await store().outcomes.counts('salesforce')).toEqual(before.counts);
    expect(await store().checkpoints.get('salesforce', OUTCOMES_STREAM)).toEqual(before.cursor);
  });

  it('training on one outcome only names the settings that decide outcomes', async () => {
    const deps = loopDeps(store(), fx.connector({ outcome: { wonWhen: 'converted', lostStatuses: [] } }), SMALL_HISTORY);
    await syncFromCrm(deps);
    const err = await trainIfDue(deps, { force: true, tiers: deps.config.tiers }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SameOutcomeError);
    expect((err as SameOutcomeError).exitCode).toBe(2);
    expect((err as Error).message).toMatch(/all converted.*SALESFORCE_WON_WHEN=converted and SALESFORCE_LOST_STATUSES=""/);
  });

  it('a run with another SALESFORCE_OBJECT is refused, naming both objects and what to do, and touches nothing', async () => {
    await syncFromCrm(loopDeps(store(), fx.connector()));
    const before = { checkpoints: await store().checkpoints.list('salesforce'), outcomes: await store().outcomes.counts('salesforce') };
    const err = await syncFromCrm(loopDeps(store(), fx.connector({ object: 'Contact' }))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScoredObjectMismatchError);
    expect((err as ScoredObjectMismatchError).exitCode).toBe(2);
    expect((err as Error).message).toMatch(/holds Salesforce Lead records, but SALESFORCE_OBJECT is now Contact.*Set SALESFORCE_OBJECT=Lead again.*DATABASE_URL.*LEADLIFT_HOME/);
    expect(await store().checkpoints.list('salesforce')).toEqual(before.checkpoints);
    expect(await store().outcomes.counts('salesforce')).toEqual(before.outcomes);

    // A store synced before the object was remembered is known by its records' ids (00Q = Lead).
    await store().checkpoints.clear('salesforce', SCORED_OBJECT_STREAM);
    const cursor = await store().checkpoints.get('salesforce', OUTCOMES_STREAM);
    await expect(syncFromCrm(loopDeps(store(), fx.connector({ object: 'Contact' })))).rejects.toBeInstanceOf(ScoredObjectMismatchError);
    expect(await store().checkpoints.get('salesforce', OUTCOMES_STREAM)).toEqual(cursor);
    expect(await store().checkpoints.get('salesforce', SCORED_OBJECT_STREAM)).toBeNull();
  });
});
