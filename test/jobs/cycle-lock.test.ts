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
