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

  it('gives the latest run of a kind and CRM that ran to an end, ok or failed: a skipped or still running one does not count', async () => {
    // Written with their times, so which one is latest never rests on two runs started within one millisecond.
    const at = (minute: number) => `2026-12-01T10:${String(minute).padStart(2, '0')}:00.000Z`;
    const row = (id: string, kind: string, crm: string, status: string, started: number, finished: number | null) => ({
      id, kind, crm, status, started_at: at(started), finished_at: finished === null ? null : at(finished), summary: null, error: status === 'ok' ? null : `${id} says why`,
    });
    const runs = store().runs;
    expect(await runs.lastEnded('cycle', 'hubspot')).toBeNull();
    await store().db.insertInto('runs').values([
      row('ok-earlier', 'cycle', 'hubspot', 'ok', 0, 5),
      row('failed-latest', 'cycle', 'hubspot', 'failed', 10, 12),
      row('ok-before-it', 'cycle', 'hubspot', 'ok', 6, 9),
      row('skipped', 'cycle', 'hubspot', 'skipped', 20, 20),
      row('still-running', 'cycle', 'hubspot', 'running', 25, null),
      row('other-crm', 'cycle', 'salesforce', 'ok', 30, 31),
      row('other-kind', 'train', 'hubspot', 'ok', 30, 31),
    ]).execute();
    expect(await runs.lastEnded('cycle', 'hubspot')).toMatchObject({ id: 'failed-latest', status: 'failed', error: 'failed-latest says why', finishedAt: at(12) });
    expect((await runs.lastEnded('cycle', 'salesforce'))?.id).toBe('other-crm');
    expect((await runs.lastEnded('train', 'hubspot'))?.id).toBe('other-kind');
    expect(await runs.lastEnded('sync', 'hubspot')).toBeNull();
    // Through the repository: a run that ends later is the latest, a skip after it is not.
    const next = await runs.start('cycle', 'hubspot');
    await runs.finish(next.id, { status: 'ok', summary: { records: 3 } });
    await runs.skipped('cycle', 'hubspot', 'another cycle was running');
    expect(await runs.lastEnded('cycle', 'hubspot')).toMatchObject({ id: next.id, status: 'ok', summary: { records: 3 } });
  });

  it('gives the run that ended last, not the one started last: a long cycle that ends after a newer one is the latest', async () => {
    const at = (minute: number) => `2026-12-01T11:${String(minute).padStart(2, '0')}:00.000Z`;
    const row = (id: string, status: string, started: number, finished: number) => ({
      id, kind: 'cycle', crm: 'hubspot', status, started_at: at(started), finished_at: at(finished), summary: null, error: status === 'ok' ? null : `${id} says why`,
    });
    // The long run lost its lock at 11:20; the next one took over, ran and ended before the long one noticed.
    await store().db.insertInto('runs').values([row('long-lost-lock', 'failed', 0, 30), row('took-over', 'ok', 21, 25)]).execute();
    expect(await store().runs.lastEnded('cycle', 'hubspot')).toMatchObject({ id: 'long-lost-lock', status: 'failed', finishedAt: at(30) });
    // One that ends later still is the latest, whenever it started.
    await store().db.insertInto('runs').values(row('ends-later', 'ok', 5, 40)).execute();
    expect((await store().runs.lastEnded('cycle', 'hubspot'))?.id).toBe('ends-later');
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
