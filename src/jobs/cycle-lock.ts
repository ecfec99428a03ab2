import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { LockHolder } from '../store/run-lock.js';
import type { Store } from '../store/store.js';

/** A lock outlives a crashed process on another machine by this much at most; a running cycle renews it. */
const TTL_MS = 10 * 60_000;

/**
 * The store's run lock, with owners that say where they run ("host:pid:uuid"). A holder on this
 * machine whose process is gone (killed, crashed) is taken over at once, so a rerun right after a
 * crash is not locked out for the lock's whole lifetime; a holder elsewhere waits for expiry.
 */
export async function withCycleLock<T>(store: Store, name: string, fn: () => Promise<T>): Promise<{ acquired: true; value: T } | { acquired: false; holder: LockHolder | null }> {
  const owner = `${hostname()}:${process.pid}:${randomUUID()}`;
  let acquired = await store.runLock.acquire(name, owner, TTL_MS);
  if (!acquired) {
    const holder = await store.runLock.holder(name);
    if (holder && holderIsDead(holder.owner)) {
      await store.runLock.release(name, holder.owner);
      acquired = await store.runLock.acquire(name, owner, TTL_MS);
    }
    if (!acquired) return { acquired: false, holder: await store.runLock.holder(name) };
  }
  const heartbeat = setInterval(() => void store.runLock.renew(name, owner, TTL_MS).catch(() => undefined), TTL_MS / 3);
  heartbeat.unref();
  try {
    return { acquired: true, value: await fn() };
  } finally {
    clearInterval(heartbeat);
    await store.runLock.release(name, owner);
  }
}

function holderIsDead(owner: string): boolean {
  const [host, pid] = owner.split(':');
  if (host !== hostname() || !/^\d+$/.test(pid ?? '') || Number(pid) === process.pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
