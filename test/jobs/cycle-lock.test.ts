import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { CycleLockLostError } from '../../src/jobs/cycle-lock-errors.js';
import { withCycleLock } from '../../src/jobs/cycle-lock.js';
import type { Store } from '../../src/store/store.js';
import { backends, useStore } from '../store/backends.js';

const NAME = 'cycle:hubspot';
const OTHER = 'other-host:4242:after-expiry';

/** A heartbeat the test fires: the renewal runs exactly when the test says, no timer involved. */
function onCue(): { heartbeat: (renew: () => Promise<void>) => () => void; renewNow: () => Promise<void>; stopped: () => boolean } {
  let renew: (() => Promise<void>) | null = null;
  let stopped = false;
  return {
    heartbeat: (r) => {
      renew = r;
      return () => (stopped = true);
    },
    renewNow: () => renew!(),
    stopped: () => stopped,
  };
}

/** What another process does once our lock has expired: takes it over. */
async function takeOver(store: Store): Promise<void> {
  const mine = await store.runLock.holder(NAME);
  await store.runLock.release(NAME, mine!.owner);
  expect(await store.runLock.acquire(NAME, OTHER, 60_000)).toBe(true);
}

describe.each(backends)('the cycle lock ($name store)', (backend) => {
  const { store, database } = useStore(backend);

  it('keeps the cycle running while renewals succeed', async () => {
    const cue = onCue();
    const result = await withCycleLock(store(), NAME, async (signal) => {
      await cue.renewNow();
      await cue.renewNow();
      return signal.aborted;
    }, cue);
    expect(result).toEqual({ acquired: true, value: false });
    expect(cue.stopped()).toBe(true);
    expect(await store().runLock.holder(NAME)).toBeNull();
  });

  it('aborts the cycle when another owner has taken the lock over, and leaves that owner its lock', async () => {
    const cue = onCue();
    const writes: string[] = [];
    const run = withCycleLock(store(), NAME, async (signal) => {
      writes.push('page 1');
      await takeOver(store());
      await cue.renewNow();
      signal.throwIfAborted();
      writes.push('page 2');
    }, cue);
    const err = await run.then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(CycleLockLostError);
    expect((err as Error).message).toMatch(/^Lost the cycle lock: the "cycle:hubspot" lock expired before this run \(a cycle or a rescore\) renewed it and is now held by other-host:4242:after-expiry/);
    expect(writes).toEqual(['page 1']);
    expect((await store().runLock.holder(NAME))?.owner).toBe(OTHER);
  });

  it('closes a dead holder’s runs, the train run with its own account: nothing stored, which model stays, --force-train again', async () => {
    // A process on this host that has exited: its lock is taken over at once, as after a kill -9.
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
    expect(await store().runLock.acquire(NAME, `${hostname()}:${deadPid}:killed`, 60_000)).toBe(true);
    await store().models.save({ crm: 'hubspot', version: 'v-serving', engine: 'forest', createdAt: '2024-01-01T00:00:00Z', trainedFrom: '2023-01-01T00:00:00Z', trainedTo: '2024-01-01T00:00:00Z', metrics: { auc: 0.8 }, bundle: { trees: [] } });
    await store().models.promote('hubspot', 'v-serving');
    const cycleRun = await store().runs.start('cycle', 'hubspot');
    const trainRun = await store().runs.start('train', 'hubspot');
    // The dead holder's lock as stored: the "since" of the account is its acquiredAt.
    const dead = (await store().runLock.holder(NAME))!;
    await new Promise((r) => setTimeout(r, 5));

    const result = await withCycleLock(store(), NAME, async () => 'ran');
    expect(result).toEqual({ acquired: true, value: 'ran' });
    const train = await store().runs.get(trainRun.id);
    expect(train).toMatchObject({ status: 'failed' });
    expect(train!.error).toBe(
      `interrupted during training: the process running it (pid ${deadPid}, since ${dead.acquiredAt}) stopped before it finished (killed or crashed); nothing was stored or promoted (model v-serving stays in service); run \`leadlift run --force-train\` again if you wanted a new model, otherwise training starts over the next time it is due`,
    );
    expect(train!.error).not.toContain('resumed');
    const cycle = await store().runs.get(cycleRun.id);
    expect(cycle).toMatchObject({ status: 'failed' });
    expect(cycle!.error).toBe(`interrupted: the process running it (pid ${deadPid}, since ${dead.acquiredAt}) stopped before it finished (killed or crashed); the next cycle resumed from what it had stored`);
  });

  it('closes the runs of a holder on another machine once its lock has expired, and says it took the lock over', async () => {
    // An instance on another host killed mid-cycle: no pid to ask, so its lock is taken over at
    // expiry by acquire() itself, and its runs must not stay "running" for ever.
    expect(await store().runLock.acquire(NAME, 'app-2:4242:killed', 1)).toBe(true);
    const cycleRun = await store().runs.start('cycle', 'hubspot');
    const trainRun = await store().runs.start('train', 'hubspot');
    const dead = (await store().runLock.holder(NAME))!;
    await new Promise((r) => setTimeout(r, 10));

    const said: string[] = [];
    const result = await withCycleLock(store(), NAME, async () => 'ran', { onTakeOver: (text) => said.push(text) });
    expect(result).toEqual({ acquired: true, value: 'ran' });
    const died = `the process running it (pid 4242 on host app-2, since ${dead.acquiredAt}) stopped renewing its lock, which expired at ${dead.expiresAt} (killed, crashed or cut off from the store)`;
    expect(await store().runs.get(cycleRun.id)).toMatchObject({ status: 'failed', error: `interrupted: ${died}; the next cycle resumed from what it had stored` });
    expect(await store().runs.get(trainRun.id)).toMatchObject({ status: 'failed' });
    expect((await store().runs.get(trainRun.id))!.error).toMatch(/^interrupted during training: the process running it \(pid 4242 on host app-2, .*nothing was stored or promoted/);
    expect(said).toEqual([`took the hubspot cycle lock over: ${died}; its unfinished runs (2) are recorded as interrupted and this cycle resumes from what it stored`]);
  });

  it('leaves a live holder on another machine its runs and its lock until that lock expires', async () => {
    expect(await store().runLock.acquire(NAME, 'app-2:4242:alive', 60_000)).toBe(true);
    const cycleRun = await store().runs.start('cycle', 'hubspot');
    const said: string[] = [];
    const result = await withCycleLock(store(), NAME, async () => 'ran', { onTakeOver: (text) => said.push(text) });
    expect(result).toMatchObject({ acquired: false, holder: { owner: 'app-2:4242:alive' } });
    expect(await store().runs.get(cycleRun.id)).toMatchObject({ status: 'running' });
    expect(said).toEqual([]);
  });

  it('a train run killed just after its model was stored says so instead of asking for another training', async () => {
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
    expect(await store().runLock.acquire(NAME, `${hostname()}:${deadPid}:killed`, 60_000)).toBe(true);
    const trainRun = await store().runs.start('train', 'hubspot');
    await store().models.save({ crm: 'hubspot', version: 'v-new', engine: 'forest', trainedFrom: '2023-01-01T00:00:00Z', trainedTo: '2024-01-01T00:00:00Z', metrics: { auc: 0.8 }, bundle: { trees: [] } });
    await store().models.promote('hubspot', 'v-new');
    await new Promise((r) => setTimeout(r, 5));

    await withCycleLock(store(), NAME, async () => 'ran');
    expect((await store().runs.get(trainRun.id))!.error).toMatch(/^interrupted during training: the process running it \(pid \d+, since .+\) stopped before it finished \(killed or crashed\), just after storing model v-new \(promoted: it is in service\); nothing needs doing again$/);
  });

  it('aborts the cycle when the store cannot be reached to renew the lock', async () => {
    const cue = onCue();
    const unreachable = await database().open();
    const run = withCycleLock(unreachable, NAME, async (signal) => {
      await unreachable.close();
      await cue.renewNow();
      signal.throwIfAborted();
      return 'wrote on';
    }, cue);
    const err = await run.then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(CycleLockLostError);
    expect((err as Error).message).toMatch(/^Lost the cycle lock: the store did not answer when this run \(a cycle or a rescore\) renewed its "cycle:hubspot" lock \(\w+\), so it stopped before writing anything more/);
  });
});
