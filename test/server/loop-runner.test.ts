import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector } from '../../connectors/types.js';
import { CycleLockLostError } from '../../src/jobs/cycle-lock-errors.js';
import { cycleLockName, runCycle } from '../../src/jobs/cycle.js';
import { LEAD_OBJECT } from '../../src/jobs/deps.js';
import { crmConnections } from '../../src/server/crm-connections.js';
import { createLoopRunner, type RescoreResult } from '../../src/server/loop-runner.js';
import { activityText } from '../../src/server/views/model-page.js';
import { startHubspotFixture, type HubspotFixture } from '../connectors/hubspot/sandbox-fixture.js';
import { loopDeps } from '../jobs/loop-deps.js';
import { backends, useStore } from '../store/backends.js';

const LOCK = cycleLockName('hubspot');
const OTHER = 'other-host:4242:after-expiry';
const CONFIG = { model: { trees: 25 }, loop: { minimumHistory: { closedLeads: 50, conversions: 10 }, minAuc: 0 } };

/**
 * The real connector, whose pulls call `lose` (once for both streams) before their first page or
 * after their last: the lock is lost at a known point of the rescore, no timer involved.
 */
function losingTheLock(connector: Connector, when: 'before the first page' | 'after the last page', lose: () => Promise<void>): Connector {
  let losing: Promise<void> | null = null;
  const once = () => (losing ??= lose());
  const gated = <T>(pages: AsyncIterable<T>): AsyncIterable<T> =>
    (async function* () {
      if (when === 'before the first page') await once();
      yield* pages;
      if (when === 'after the last page') await once();
    })();
  return { ...connector, pullLeads: (c) => gated(connector.pullLeads(c)), pullOutcomes: (c) => gated(connector.pullOutcomes(c)) };
}

describe.each(backends)('the rescore ($name store)', (backend) => {
  const { store } = useStore(backend);
  let fixture: HubspotFixture;
  beforeAll(async () => {
    fixture = await startHubspotFixture({ leads: 150, hubspotRateLimit: 1000, hubspotSearchRateLimit: 50 });
  });
  afterAll(() => fixture?.close());

  const connector = () => fixture.connector({ rateLimit: { requestsPerWindow: 1000, searchPerSecond: 50 } });
  const crmWrites = () => fixture.sandbox.ctx.log.filter((r) => r.method !== 'GET' && /^\/crm\/v3\/(objects\/contacts\/batch\/update|properties)/.test(r.path)).length;

  /** A runner whose rescore renews its lock when `lose` says: after another process took it over. */
  function runnerLosingTheLock(when: Parameters<typeof losingTheLock>[1]) {
    let renew: (() => Promise<void>) | null = null;
    const lose = async () => {
      const mine = (await store().runLock.holder(LOCK))!;
      await store().runLock.release(LOCK, mine.owner);
      expect(await store().runLock.acquire(LOCK, OTHER, 60_000)).toBe(true);
      await renew!();
    };
    const rescored: RescoreResult[] = [];
    const base = loopDeps(store(), connector(), CONFIG);
    const runner = createLoopRunner({
      ...base,
      connections: crmConnections([losingTheLock(base.connector, when, lose)]),
      log: () => undefined,
      onRescore: (r) => rescored.push(r),
      rescoreLock: { heartbeat: (r) => ((renew = r), () => undefined) },
    });
    return { runner, rescored };
  }

  it('stops before storing the first page when the lock is lost while it syncs, and leaves the new owner its lock', async () => {
    const { runner, rescored } = runnerLosingTheLock('before the first page');
    const err = await runner.rescore('hubspot').then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(CycleLockLostError);
    expect((err as Error).message).toMatch(/^Lost the cycle lock: the "cycle:hubspot" lock expired before this run \(a cycle or a rescore\) renewed it and is now held by other-host:4242:after-expiry/);
    expect(await store().records.count('hubspot', LEAD_OBJECT)).toBe(0);
    expect(await store().checkpoints.list('hubspot')).toEqual([]);
    expect(rescored).toEqual([]);
    expect((await store().runLock.holder(LOCK))?.owner).toBe(OTHER);
    // The page says why the rescore it showed running ended, in leadlift's own words.
    expect(runner.activity('hubspot')).toMatchObject({ task: 'rescore', state: 'failed', message: expect.stringMatching(/^Lost the cycle lock: /) });
  });

  it('scores and writes nothing when the lock is lost once the sync is stored', async () => {
    const first = await runCycle(loopDeps(store(), connector(), CONFIG), { forceTrain: true });
    if (!first.ran) throw new Error(first.reason);
    expect(first.summary.train.promoted).toBe(true);
    const [leadId] = [...(await store().scores.latest('hubspot')).keys()];
    const scoresBefore = (await store().scores.history('hubspot', leadId)).length;
    await fixture.control('PATCH', `/hubspot/contacts/${leadId}`, { properties: { balance: '4999' } });
    const writesBefore = crmWrites();

    const { runner, rescored } = runnerLosingTheLock('after the last page');
    const err = await runner.rescore('hubspot').then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(CycleLockLostError);
    // The sync got its pages stored before the lock was lost; scoring and the write-back did not start.
    expect((await store().records.get('hubspot', LEAD_OBJECT, leadId))?.properties).toMatchObject({ balance: '4999' });
    expect((await store().scores.history('hubspot', leadId)).length).toBe(scoresBefore);
    expect(crmWrites()).toBe(writesBefore);
    expect(rescored).toEqual([]);
    expect((await store().runLock.holder(LOCK))?.owner).toBe(OTHER);
    // Its run says why, as the page does: another instance shows the failure, not a rescore still running.
    const [run] = await store().runs.list({ kind: 'rescore', crm: 'hubspot' });
    expect(run).toMatchObject({ status: 'failed', error: runner.activity('hubspot').message });
    expect(run.error).toBe((err as Error).message);
  });

  it('says each rescore in one log line, with what it synced, scored and wrote', async () => {
    const first = await runCycle(loopDeps(store(), connector(), CONFIG), { forceTrain: true });
    if (!first.ran) throw new Error(first.reason);
    const [leadId] = [...(await store().scores.latest('hubspot')).keys()];
    await fixture.control('PATCH', `/hubspot/contacts/${leadId}`, { properties: { balance: '77' } });
    const notes: string[] = [];
    const base = loopDeps(store(), connector(), CONFIG);
    const runner = createLoopRunner({ ...base, connections: crmConnections([base.connector]), log: (message) => notes.push(message) });
    const result = (await runner.rescore('hubspot'))!;
    expect(result.score.scored).toBeGreaterThan(0);
    const line = notes.find((n) => n.startsWith('hubspot: rescored: '));
    expect(line).toMatch(/^hubspot: rescored: 1 changed lead synced, [\d,]+ leads? scored, [\d,]+ leads? written to the CRM \(\d+\.\d s\)$/);
    expect(line).toContain(`${result.score.scored.toLocaleString('en-US')} lead${result.score.scored === 1 ? '' : 's'} scored`);
    expect(line).toContain(`${result.push.written.toLocaleString('en-US')} lead${result.push.written === 1 ? '' : 's'} written`);
  });

  it('shows a running rescore with its step and counts, folds the calls made meanwhile into one more, then shows its result', async () => {
    const first = await runCycle(loopDeps(store(), connector(), CONFIG), { forceTrain: true });
    if (!first.ran) throw new Error(first.reason);
    const [leadId] = [...(await store().scores.latest('hubspot')).keys()];
    await fixture.control('PATCH', `/hubspot/contacts/${leadId}`, { properties: { balance: '78' } });
    const notes: string[] = [];
    const base = loopDeps(store(), connector(), CONFIG);
    // The first rescore's lead pull waits after its last page (stored, counted) until the test has looked.
    let reached!: () => void;
    let release!: () => void;
    const atGate = new Promise<void>((resolve) => (reached = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    const held: Connector = {
      ...base.connector,
      pullLeads: (c) =>
        (async function* () {
          yield* base.connector.pullLeads(c);
          reached();
          await gate;
        })(),
    };
    const runner = createLoopRunner({ ...base, connections: crmConnections([held]), log: (message) => notes.push(message) });
    expect((await runner.activityNow('hubspot')).state).toBe('idle');
    const running = runner.rescore('hubspot');
    await atGate;
    const during = await runner.activityNow('hubspot');
    // The sync's count (records received, with the lookback's) has no total: said so far.
    expect(during).toMatchObject({ task: 'rescore', state: 'running', step: 'sync', total: 0 });
    expect(during.done).toBeGreaterThan(0);
    expect(activityText(during)).toBe(`Rescoring: Reading leads and outcomes from the CRM… (${during.done} so far)`);
    // Two more webhooks meanwhile: one more rescore after this one, not two, and the same promise.
    expect(runner.rescore('hubspot')).toBe(running);
    expect(runner.rescore('hubspot')).toBe(running);
    release();
    await running;
    expect(notes.filter((n) => n.startsWith('hubspot: rescored: '))).toHaveLength(2);
    const after = await runner.activityNow('hubspot');
    expect(after).toMatchObject({ task: 'rescore', state: 'done', finishedAt: expect.any(String) });
    // The last rescore's counts, as its log line says them.
    const line = notes.filter((n) => n.startsWith('hubspot: rescored: ')).at(-1)!;
    expect(after.message).toBe(`Rescored: ${line.slice('hubspot: rescored: '.length)}.`);
    expect(activityText(after)).toMatch(/^Finished .*: Rescored: 0 changed leads synced, \d+ leads? scored, \d+ leads? written to the CRM \(\d+\.\d s\)\.$/);
    // The lock is free again: the next cycle or rescore can run.
    expect(await store().runLock.holder(LOCK)).toBeNull();
  });

  it("records each rescore as a run of its own, whose step and outcome another instance on the store shows; the last cycle stays the cycle's", async () => {
    const first = await runCycle(loopDeps(store(), connector(), CONFIG), { forceTrain: true });
    if (!first.ran) throw new Error(first.reason);
    const cycle = await store().runs.lastEnded('cycle', 'hubspot');
    const [leadId] = [...(await store().scores.latest('hubspot')).keys()];
    await fixture.control('PATCH', `/hubspot/contacts/${leadId}`, { properties: { balance: '91' } });
    const base = loopDeps(store(), connector(), CONFIG);
    let reached!: () => void;
    let release!: () => void;
    const atGate = new Promise<void>((resolve) => (reached = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    const held: Connector = {
      ...base.connector,
      pullLeads: (c) =>
        (async function* () {
          yield* base.connector.pullLeads(c);
          reached();
          await gate;
        })(),
    };
    // Instance A rescores; instance B, on the same store, only looks.
    const a = createLoopRunner({ ...base, connections: crmConnections([held]), log: () => undefined });
    const b = createLoopRunner({ ...loopDeps(store(), connector(), CONFIG), connections: crmConnections([connector()]), log: () => undefined });
    const running = a.rescore('hubspot');
    await atGate;
    // The step's progress is written as the step begins, without being awaited: read until it has landed.
    let seen = await b.activityNow('hubspot');
    while (seen.task !== 'rescore') seen = await b.activityNow('hubspot');
    expect(seen).toMatchObject({ task: 'rescore', state: 'running', step: 'sync' });
    expect(activityText(seen)).toMatch(/^Rescoring: Reading leads and outcomes from the CRM…/);
    release();
    await running;
    const shown = await a.activityNow('hubspot');
    expect(await b.activityNow('hubspot')).toMatchObject({ task: 'rescore', state: 'done', message: shown.message });
    const [rescore] = await store().runs.list({ kind: 'rescore', crm: 'hubspot' });
    expect(rescore).toMatchObject({ status: 'ok', error: null, summary: { leads: null, scored: expect.any(Number), written: expect.any(Number) } });
    expect(rescore.progress?.outcome).toBe(shown.message);
    // The model page's "last cycle" and the metrics' last successful cycle are the cycle's, not the rescore's.
    expect((await store().runs.lastEnded('cycle', 'hubspot'))?.id).toBe(cycle?.id);
    expect((await store().runs.lastFinished('cycle', 'hubspot'))?.id).toBe(cycle?.id);
    // Nothing changed since (a quiet minute of the Salesforce poll): that rescore leaves no run.
    const quiet = await a.rescore('hubspot');
    expect(quiet?.push.written).toBe(0);
    expect(await store().runs.list({ kind: 'rescore', crm: 'hubspot' })).toHaveLength(1);
  });

  it("folds the leads named meanwhile into one more read by id, and a call naming none into a sync", async () => {
    const first = await runCycle(loopDeps(store(), connector(), CONFIG), { forceTrain: true });
    if (!first.ran) throw new Error(first.reason);
    const [a, b, c] = [...(await store().scores.latest('hubspot')).keys()];
    const base = loopDeps(store(), connector(), CONFIG);
    // A rescore's read by id, once done, waits for the test's calls when a gate is set.
    let gate: { reached: () => void; released: Promise<void> } | null = null;
    const held: Connector = {
      ...base.connector,
      readLeads: async (ids) => {
        const read = await base.connector.readLeads!(ids);
        const g = gate;
        gate = null;
        if (g) {
          g.reached();
          await g.released;
        }
        return read;
      },
    };
    const gated = () => {
      let release!: () => void;
      let reached!: () => void;
      const atGate = new Promise<void>((resolve) => (reached = resolve));
      gate = { reached, released: new Promise<void>((resolve) => (release = resolve)) };
      return { atGate, release: () => release() };
    };
    const runner = createLoopRunner({ ...base, connections: crmConnections([held]), log: () => undefined });
    const turns = (from: number) =>
      fixture.sandbox.ctx.log
        .slice(from)
        .filter((r) => r.path.startsWith('/crm/v3/objects/contacts/batch/read') || r.path.startsWith('/crm/v3/objects/contacts/search'))
        .map((r) => (r.path.startsWith('/crm/v3/objects/contacts/search') ? 'search' : r.inputIds));

    let from = fixture.sandbox.ctx.log.length;
    let g = gated();
    const running = runner.rescore('hubspot', [a]);
    await g.atGate;
    expect(runner.rescore('hubspot', [b])).toBe(running);
    expect(runner.rescore('hubspot', [c, b])).toBe(running);
    g.release();
    await running;
    // One more turn for both calls: one batch read of the leads they named.
    expect(turns(from)).toEqual([[a], [b, c]]);

    // A call naming no lead (a tier save) folded in: the turn after is a sync of everything.
    from = fixture.sandbox.ctx.log.length;
    g = gated();
    const second = runner.rescore('hubspot', [a]);
    await g.atGate;
    expect(runner.rescore('hubspot', [b])).toBe(second);
    expect(runner.rescore('hubspot')).toBe(second);
    g.release();
    await second;
    const read = turns(from);
    expect(read[0]).toEqual([a]);
    expect(read.slice(1).length).toBeGreaterThan(0);
    expect(read.slice(1).every((t) => t === 'search')).toBe(true);
  });

  it("passes the loop's levels to the server's log: a retry of the CRM is a warning", async () => {
    const notes: Array<{ message: string; level?: string }> = [];
    const base = loopDeps(store(), connector(), CONFIG);
    const runner = createLoopRunner({ ...base, connections: crmConnections([base.connector]), log: (message, level) => notes.push({ message, level }) });
    fixture.sandbox.ctx.faults.push({ id: 'once', pathPattern: '^/crm/v3/objects/contacts(/search)?$', kind: 'server-error', status: 503, count: 1 });
    try {
      // The model page's retrain: a cycle, whose connector notes (retries, waits) reach the log.
      expect(runner.startRetrain('hubspot').started).toBe(true);
      await runner.idle();
    } finally {
      fixture.sandbox.ctx.faults.length = 0;
    }
    expect(notes).toContainEqual({ message: expect.stringMatching(/^hubspot: HubSpot unavailable \(HTTP 503\) while .*: retry 1 of \d+/), level: 'warn' });
  });

  it("shows a failed retrain's unexpected error only by its class, its scrubbed text in the log; leadlift's own words as they are", async () => {
    const notes: string[] = [];
    const base = loopDeps(store(), connector(), CONFIG);
    const [token] = base.connector.secrets!();
    // What an SDK or a bug may throw: a message quoting the access token.
    const failing: Connector = { ...base.connector, pullLeads: () => { throw new TypeError(`cannot read page (Authorization: Bearer ${token})`); } };
    const levels = new Map<string, string | undefined>();
    const runner = createLoopRunner({ ...base, connections: crmConnections([failing]), log: (message, level) => (notes.push(message), levels.set(message, level)) });
    expect(runner.startRetrain('hubspot').started).toBe(true);
    // "Retrain now" pressed twice: the second press is told, in the manager's words, what runs.
    expect(runner.startRetrain('hubspot')).toEqual({ started: false, message: 'A retrain of HubSpot is already running, so nothing new was started; the status line shows how far it is.' });
    await runner.idle();
    expect(runner.activity('hubspot')).toMatchObject({ state: 'failed', message: 'An unexpected TypeError stopped the run; its text is in the log only, since it may quote a secret.' });
    // One line, at error: the cycle no longer says it at warn as well.
    expect(notes.filter((n) => n.includes('cannot read page'))).toEqual(['hubspot: retrain failed: cannot read page (Authorization: Bearer [redacted])']);
    expect(levels.get('hubspot: retrain failed: cannot read page (Authorization: Bearer [redacted])')).toBe('error');
    expect(notes.join('\n')).not.toContain(token);
    // A CRM the page has no connection for: the admin is told what to do.
    expect(runner.startInstall('salesforce').started).toBe(true);
    await runner.idle();
    expect(runner.activity('salesforce')).toMatchObject({ state: 'failed', message: 'Salesforce is not connected yet; connect it on the install page.' });
  });
});
