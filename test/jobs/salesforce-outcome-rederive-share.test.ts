import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SalesforceConfigInput } from '../../connectors/salesforce/index.js';
import { OUTCOMES_STREAM } from '../../src/jobs/deps.js';
import { OUTCOME_RULE_STREAM } from '../../src/jobs/outcome-rule.js';
import { OUTCOME_REDERIVE_STREAM } from '../../src/jobs/rederive-progress.js';
import { syncFromCrm, type SyncResult } from '../../src/jobs/sync.js';
import type { Repositories, Store } from '../../src/store/store.js';
import { startSalesforceFixture, type SalesforceFixture } from '../connectors/salesforce/fixture.js';
import { backends, useStore } from '../store/backends.js';
import { failInsertsInto, stopFailingInsertsInto } from '../store/inject-failure.js';
import { loopDeps } from './loop-deps.js';

/** Converting is winning (the default needs the converted opportunity won): converted leads with an open or lost opportunity change. */
const CONVERTED = { outcome: { wonWhen: 'converted' as const, lostStatuses: ['Closed - Not Converted'] } };
/** Converted leads won, nothing lost. */
const ONLY_WON = { outcome: { wonWhen: 'converted' as const, lostStatuses: [] } };
/** Outcome pages of 200: the 1,500 leads' outcome pull is 8 pages, each a query plus its opportunities and LeadHistory. */
const PAGES = { queryBatchSize: 200 };
/**
 * Requests each share-limited sync may send after its /limits read: the lead pull's two, the
 * outcome pull's two newest-change reads and three outcome pages of three requests. So the 8
 * pages need three syncs, and two cannot do it.
 */
const ROOM = 13;

type Outcomes = Map<string, { outcome: string; outcomeAt: string; evidence: string }>;
const outcomesOf = async (store: Store): Promise<Outcomes> =>
  new Map((await store.outcomes.list('salesforce')).map((o) => [o.leadId, { outcome: o.outcome, outcomeAt: o.outcomeAt, evidence: o.evidence }]));
const heldAside = (store: Store) => store.stagedOutcomes.count('salesforce');
/** What a re-derive must leave untouched until it is done. */
const inPlace = async (store: Store) => ({
  outcomes: await outcomesOf(store),
  cursor: await store.checkpoints.get('salesforce', OUTCOMES_STREAM),
  rule: await store.checkpoints.get('salesforce', OUTCOME_RULE_STREAM),
});

const ruleChangedNotes = (sync: SyncResult) => sync.notes.filter((n) => n.startsWith('The outcome rule changed'));

/**
 * The store as it is, its reads of the re-derive's checkpoint counted, in transactions too: the
 * real reads run, the count says how often a sync asks for the same row.
 */
function countingRederiveReads(store: Store): { store: Store; reads: () => number } {
  let reads = 0;
  const counted = <R extends Pick<Repositories, 'checkpoints'>>(repos: R): R => ({
    ...repos,
    checkpoints: {
      ...repos.checkpoints,
      get: (crm: Parameters<Repositories['checkpoints']['get']>[0], stream: string) => {
        if (stream === OUTCOME_REDERIVE_STREAM) reads++;
        return repos.checkpoints.get(crm, stream);
      },
    },
  });
  return { store: { ...counted(store), transaction: (fn) => store.transaction((tx) => fn(counted(tx))) }, reads: () => reads };
}

/**
 * A re-derive of every outcome under a changed rule that one sync's SALESFORCE_API_SHARE cannot
 * hold used to start over at every sync, and so never ended for a large org (while the ordinary
 * outcome pull waited behind it). It now keeps what each sync read aside and continues from there.
 */
describe.each(backends)('A Salesforce outcome re-derive spread over several API shares ($name store)', (backend) => {
  const { store, database } = useStore(backend);
  let fx: SalesforceFixture;
  let normalLimit: number;
  beforeAll(async () => {
    fx = await startSalesforceFixture({ leads: 1500, openFraction: 0.2 });
    ({ salesforceDailyLimit: normalLimit } = await fx.control<{ salesforceDailyLimit: number }>('GET', '/options'));
  });
  afterAll(async () => fx.close());

  /** One sync whose share leaves `ROOM` requests after its /limits read (as pull-api-share.test.ts sets it). */
  const sharedSync = async (on: Store, overrides: Partial<SalesforceConfigInput>): Promise<SyncResult> => {
    const limits = await fx.jsforce().limits();
    const used = limits.DailyApiRequests.Max - limits.DailyApiRequests.Remaining;
    // The lost-status check's describe and the /limits read come first.
    await fx.control('PATCH', '/options', { salesforceDailyLimit: (used + 2 + 1 + ROOM) * 2 });
    try {
      return await syncFromCrm(loopDeps(on, fx.connector({ ...PAGES, apiShare: 0.5, ...overrides })));
    } finally {
      await fx.control('PATCH', '/options', { salesforceDailyLimit: normalLimit });
    }
  };
  const fullSync = (on: Store, overrides: Partial<SalesforceConfigInput> = {}) => syncFromCrm(loopDeps(on, fx.connector({ ...PAGES, ...overrides })));

  it('needs three syncs, completes on the third, and stores what a full re-derive without a share does, a lead closed meanwhile included', async () => {
    await fullSync(store());
    const before = await inPlace(store());

    const counting = countingRederiveReads(store());
    const first = await sharedSync(counting.store, CONVERTED);
    // Once per sync: the re-derive's checkpoint is read and handed on, not read again to drop it.
    expect(counting.reads()).toBe(1);
    expect(ruleChangedNotes(first)).toHaveLength(1);
    expect(first.outcomeRule).toMatchObject({ applied: false, removed: 0 });
    expect(first.outcomes).toBe(0);
    const readFirst = first.outcomeRule!.readSoFar;
    expect(readFirst).toBeGreaterThan(0);
    expect(await heldAside(store())).toBe(readFirst);
    expect(first.notes).toContain(
      `The outcomes were not derived again under the new rule yet: they stay as stored, under the earlier rule, until every one is read; the ${readFirst.toLocaleString('en-US')} read so far under the new rule are kept aside and the next sync continues from there.`,
    );
    expect(await inPlace(store())).toEqual(before);

    // A rep closes an open lead while the re-derive is under way.
    const openId = (await fx.jsforce().query<{ Id: string }>(`SELECT Id FROM Lead WHERE Status != 'Closed - Not Converted' AND IsConverted = false ORDER BY SystemModstamp DESC LIMIT 1`)).records[0].Id;
    fx.sandbox.ctx.clock.advance(60_000);
    await fx.jsforce().sobject('Lead').update({ Id: openId, Status: 'Closed - Not Converted' });
    expect(before.outcomes.has(openId)).toBe(false);

    const second = await sharedSync(store(), CONVERTED);
    expect(second.outcomeRule).toMatchObject({ applied: false });
    expect(second.notes.some((n) => n.startsWith('The re-derive of the outcomes under the new rule continues where the last sync stopped'))).toBe(true);
    // The rule change was said when the re-derive began, not at each sync that carries it on.
    expect(ruleChangedNotes(second)).toEqual([]);
    expect(second.outcomeRule!.readSoFar).toBeGreaterThan(readFirst);
    expect(await inPlace(store())).toEqual(before);

    const third = await sharedSync(store(), CONVERTED);
    expect(third.outcomeRule).toMatchObject({ applied: true });
    expect(ruleChangedNotes(third)).toEqual([]);
    expect(third.notes.some((n) => /sync stopped at leadlift's share/.test(n))).toBe(false);
    expect(await heldAside(store())).toBe(0);
    expect(await store().checkpoints.get('salesforce', OUTCOME_REDERIVE_STREAM)).toBeNull();
    const after = await outcomesOf(store());
    expect(after.get(openId)).toMatchObject({ outcome: 'lost' });
    // Each sync read on from where the last stopped: no outcome was read twice, but for the few of
    // a final second, which a completed stream reads again (settledPosition).
    const receivedInAll = first.received.outcomes + second.received.outcomes + third.received.outcomes;
    expect(receivedInAll).toBeGreaterThanOrEqual(third.outcomeRule!.readSoFar);
    expect(receivedInAll).toBeLessThan(third.outcomeRule!.readSoFar + 5);

    // The same org re-derived in one go, without a share, on a store of its own.
    const reference = await backend.fresh();
    const other = await reference.open();
    try {
      await fullSync(other);
      const whole = await fullSync(other, CONVERTED);
      expect(whole.outcomeRule).toMatchObject({ applied: true });
      expect(after).toEqual(await outcomesOf(other));
      expect(third.outcomeRule!.readSoFar).toBe(whole.outcomeRule!.readSoFar);
      expect(third.outcomeRule!.removed).toBe(whole.outcomeRule!.removed);
    } finally {
      await other.close();
      await reference.cleanup();
    }

    // The stored cursor covers the close made meanwhile: the next sync finds nothing new.
    const idle = await fullSync(store(), CONVERTED);
    expect(idle.outcomeRule).toBeUndefined();
    expect(idle.outcomesChanged).toBe(0);
  });

  it('a rule changed again mid-way drops what was read under the other and starts over; set back, the stage is dropped', async () => {
    await fullSync(store());
    const before = await inPlace(store());
    const first = await sharedSync(store(), CONVERTED);
    expect(first.outcomeRule!.readSoFar).toBeGreaterThan(0);

    const countingChange = countingRederiveReads(store());
    const changedAgain = await sharedSync(countingChange.store, ONLY_WON);
    expect(countingChange.reads()).toBe(1);
    // Changed again: a new re-derive begins, and says so.
    expect(ruleChangedNotes(changedAgain)).toHaveLength(1);
    expect(changedAgain.notes.some((n) => n.startsWith(`The re-derive of the outcomes under SALESFORCE_OBJECT=Lead, SALESFORCE_WON_WHEN=converted and SALESFORCE_LOST_STATUSES="Closed - Not Converted" is dropped with the ${first.outcomeRule!.readSoFar.toLocaleString('en-US')} it had read`))).toBe(true);
    expect(changedAgain.outcomeRule).toMatchObject({ applied: false });
    // Only this sync's pages, none of the earlier rule's: nothing is lost under ONLY_WON.
    expect(await heldAside(store())).toBe(changedAgain.outcomeRule!.readSoFar);
    const staged = await store().db.selectFrom('staged_outcomes').select('outcome').distinct().execute();
    expect(staged.map((r) => r.outcome)).toEqual(['won']);
    const done = await fullSync(store(), ONLY_WON);
    expect(done.outcomeRule).toMatchObject({ applied: true });
    expect([...(await outcomesOf(store())).values()].every((o) => o.outcome === 'won')).toBe(true);

    // Back to the earlier rule in the middle of a re-derive: what it read is dropped, the stored outcomes stand.
    const midway = await sharedSync(store(), CONVERTED);
    expect(midway.outcomeRule!.readSoFar).toBeGreaterThan(0);
    const onlyWon = await inPlace(store());
    const countingBack = countingRederiveReads(store());
    const back = await fullSync(countingBack.store, ONLY_WON);
    expect(countingBack.reads()).toBe(1);
    expect(back.outcomeRule).toBeUndefined();
    expect(back.notes.some((n) => n.startsWith('The outcome rule is back to the one the stored outcomes follow: the re-derive under SALESFORCE_OBJECT=Lead, SALESFORCE_WON_WHEN=converted'))).toBe(true);
    expect(await heldAside(store())).toBe(0);
    expect(await store().checkpoints.get('salesforce', OUTCOME_REDERIVE_STREAM)).toBeNull();
    expect(await outcomesOf(store())).toEqual(onlyWon.outcomes);
    expect(before.outcomes.size).toBeGreaterThan(0);
  });

  it('a process gone between syncs, or a swap that fails, loses nothing: the next sync continues and completes', async () => {
    await fullSync(store());
    const before = await inPlace(store());
    // Each sync in a process of its own: the store is opened, synced and closed, as `leadlift run` does.
    const inOwnProcess = async <T>(fn: (s: Store) => Promise<T>): Promise<T> => {
      const s = await database().open();
      try {
        return await fn(s);
      } finally {
        await s.close();
      }
    };
    const first = await inOwnProcess((s) => sharedSync(s, CONVERTED));
    const second = await inOwnProcess((s) => sharedSync(s, CONVERTED));
    expect(second.outcomeRule!.readSoFar).toBeGreaterThan(first.outcomeRule!.readSoFar);
    expect(await inPlace(store())).toEqual(before);

    // The swap fails half-way (a full disk): the old outcomes, cursor and rule stand, and so does the stage.
    const aside = await heldAside(store());
    await failInsertsInto(store(), 'outcomes');
    const failed = await inOwnProcess((s) => fullSync(s, CONVERTED)).catch((e: unknown) => e);
    await stopFailingInsertsInto(store(), 'outcomes');
    expect(String(failed)).toMatch(/injected failure/);
    expect(await inPlace(store())).toEqual(before);
    expect(await heldAside(store())).toBeGreaterThanOrEqual(aside);

    const last = await inOwnProcess((s) => fullSync(s, CONVERTED));
    expect(last.outcomeRule).toMatchObject({ applied: true });
    // Only what was left: the pages staged before are not read again.
    expect(last.received.outcomes).toBeLessThan(last.outcomeRule!.readSoFar);
    const reference = await backend.fresh();
    const other = await reference.open();
    try {
      await fullSync(other);
      await fullSync(other, CONVERTED);
      expect(await outcomesOf(store())).toEqual(await outcomesOf(other));
    } finally {
      await other.close();
      await reference.cleanup();
    }
  });
});
