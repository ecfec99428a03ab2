import { describe, expect, it } from 'vitest';
import { withCycleLock } from '../../src/jobs/cycle-lock.js';
import { backends, useStore } from './backends.js';

describe.each(backends)('runs and the run lock on $name', (backend) => {
  const { store } = useStore(backend);

  it('records a run from start to finish', async () => {
    const run = await store().runs.start('sync', 'hubspot');
    expect(run.status).toBe('running');
    const done = await store().runs.finish(run.id, { status: 'ok', summary: { records: 120 } });
    expect(done).toMatchObject({ status: 'ok', summary: { records: 120 }, error: null });
    expect(done.finishedAt).not.toBeNull();
    expect((await store().runs.lastFinished('sync', 'hubspot'))?.id).toBe(run.id);
    expect(await store().runs.lastFinished('train', 'hubspot')).toBeNull();
  });

  it('closes runs a crash left running', async () => {
    const run = await store().runs.start('cycle', 'hubspot');
    expect(await store().runs.failInterrupted(new Date(Date.now() + 1000).toISOString())).toBe(1);
    expect(await store().runs.get(run.id)).toMatchObject({ status: 'failed', error: expect.stringMatching(/interrupted/) });
  });

  it('refuses an overlapping run and lets the next one in once released', async () => {
    const lock = store().runLock;
    expect(await lock.acquire('cycle:hubspot', 'first', 60_000)).toBe(true);
    expect(await lock.acquire('cycle:hubspot', 'second', 60_000)).toBe(false);
    expect((await lock.holder('cycle:hubspot'))?.owner).toBe('first');
    expect(await lock.acquire('cycle:salesforce', 'second', 60_000)).toBe(true);
    await lock.release('cycle:hubspot', 'second'); // not its lock: no effect
    expect(await lock.acquire('cycle:hubspot', 'second', 60_000)).toBe(false);
    await lock.release('cycle:hubspot', 'first');
    expect(await lock.acquire('cycle:hubspot', 'second', 60_000)).toBe(true);
  });

  it('takes over a stale lock', async () => {
    const lock = store().runLock;
    expect(await lock.acquire('cycle:hubspot', 'crashed', 20)).toBe(true);
    await new Promise((r) => setTimeout(r, 60));
    expect(await lock.acquire('cycle:hubspot', 'next', 60_000)).toBe(true);
    expect((await lock.holder('cycle:hubspot'))?.owner).toBe('next');
    expect(await lock.renew('cycle:hubspot', 'crashed', 60_000)).toBe(false);
  });

  it('runs one of two concurrent locked runs and reports the other as refused', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let holding!: () => void;
    const held = new Promise<void>((r) => (holding = r));
    const first = withCycleLock(store(), 'cycle:hubspot', async () => {
      holding();
      await gate;
      return 'ran';
    });
    await held;
    const second = await withCycleLock(store(), 'cycle:hubspot', async () => 'ran too');
    expect(second.acquired).toBe(false);
    release();
    expect(await first).toEqual({ acquired: true, value: 'ran' });
    expect(await store().runLock.holder('cycle:hubspot')).toBeNull();
    await store().runs.skipped('cycle', 'hubspot', 'another cycle was running');
    expect((await store().runs.list({ kind: 'cycle' }))[0]).toMatchObject({ status: 'skipped', error: 'another cycle was running' });
  });
});
