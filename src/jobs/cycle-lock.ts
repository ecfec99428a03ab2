import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { CrmName } from '../../connectors/types.js';
import type { LockHolder } from '../store/run-lock.js';
import type { Store } from '../store/store.js';
import { CycleLockLostError } from './cycle-lock-errors.js';
import { interruptedTrainingReason } from './interrupted-training.js';

/** A lock outlives a crashed process on another machine by this much at most; a running cycle renews it. */
const TTL_MS = 10 * 60_000;

export interface CycleLockOptions {
  ttlMs?: number;
  /**
   * Starts the renewals and returns what stops them; by default a timer every third of the TTL.
   * Tests pass one that renews when they say, so a lost lock is tested without waiting.
   */
  heartbeat?: (renew: () => Promise<void>) => () => void;
  /**
   * Aborted when the process is asked to stop (SIGINT/SIGTERM): `fn` then stops at its next
   * check, exactly as for a lost lock, with this signal's reason.
   */
  stop?: AbortSignal;
  /**
   * Told when this process took the lock over from a holder that died (on this machine) or let it
   * expire (on another): the words say whose runs were closed, for the log of a takeover that
   * would otherwise pass in silence.
   */
  onTakeOver?: (text: string) => void;
}

export type CycleLockResult<T> = { acquired: true; value: T } | { acquired: false; holder: LockHolder | null };

/**
 * The store's run lock, with owners that say where they run ("host:pid:uuid"). A holder on this
 * machine whose process is gone (killed, crashed) is taken over at once, so a rerun right after a
 * crash is not locked out for the lock's whole lifetime; a holder elsewhere waits for expiry.
 *
 * A renewal that fails aborts `signal`: past that point another process may hold the lock, so
 * `fn` must check the signal before each write and stop (signal.reason says why, for the admin).
 */
export async function withCycleLock<T>(
  store: Store,
  name: string,
  fn: (signal: AbortSignal) => Promise<T>,
  options: CycleLockOptions = {},
): Promise<CycleLockResult<T>> {
  const ttlMs = options.ttlMs ?? TTL_MS;
  const owner = `${hostname()}:${process.pid}:${randomUUID()}`;
  // Read first: acquire() takes an expired lock over in the same statement, and the runs its holder
  // left "running" (an instance on another machine killed mid-cycle) must be closed then, as a
  // dead local holder's are; nothing else ever closes them.
  const before = await store.runLock.holder(name);
  const expired = before && Date.parse(before.expiresAt) < Date.now() ? before : null;
  let acquired = await store.runLock.acquire(name, owner, ttlMs);
  if (acquired && expired) await closeRunsOfDeadHolder(store, name, expired, expiredWords(expired), options.onTakeOver);
  if (!acquired) {
    const holder = await store.runLock.holder(name);
    if (holder && holderIsDead(holder.owner)) {
      await store.runLock.release(name, holder.owner);
      acquired = await store.runLock.acquire(name, owner, ttlMs);
      if (acquired) await closeRunsOfDeadHolder(store, name, holder, deadWords(holder), options.onTakeOver);
    }
    if (!acquired) return { acquired: false, holder: await store.runLock.holder(name) };
  }
  const lost = new AbortController();
  const stopRequested = () => lost.abort(options.stop!.reason);
  if (options.stop?.aborted) stopRequested();
  else options.stop?.addEventListener('abort', stopRequested, { once: true });
  let renewing: Promise<void> | null = null;
  const renew = (): Promise<void> => {
    // One renewal at a time: a slow store must not pile them up, and once lost the lock stays lost.
    if (lost.signal.aborted) return Promise.resolve();
    renewing ??= renewOrAbort(store, name, owner, ttlMs, lost).finally(() => (renewing = null));
    return renewing;
  };
  const stopRenewing = (options.heartbeat ?? everyThirdOf(ttlMs))(renew);
  let failed = false;
  try {
    return { acquired: true, value: await fn(lost.signal) };
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    stopRenewing();
    options.stop?.removeEventListener('abort', stopRequested);
    // A lost lock is another owner's or unreachable, and a store that failed the cycle may still be
    // down: failing to release must not hide why the cycle stopped (an unreleased lock expires).
    const released = store.runLock.release(name, owner);
    await (failed || lost.signal.reason instanceof CycleLockLostError ? released.catch(() => undefined) : released);
  }
}

/**
 * Who holds a lock, for messages: "pid 4242 on host app-2, since <time>" from an owner
 * "host:pid:uuid" (withCycleLock's), else the owner as stored.
 */
export function describeLockHolder(holder: LockHolder | null): string {
  if (!holder) return 'since a moment ago';
  const [host, pid] = holder.owner.split(':');
  const who = pid && /^\d+$/.test(pid) ? `pid ${pid} on host ${host}` : `owner ${holder.owner}`;
  return `${who}, since ${holder.acquiredAt}`;
}

/** Lock names are "cycle:<crm>" (cycleLockName); the runs a holder left open are that CRM's. */
export function cycleLockName(crm: CrmName): string {
  return `cycle:${crm}`;
}

/**
 * Every run of a CRM is started under its cycle lock, so once this process holds the lock, any
 * of that CRM's runs still "running" belonged to the dead holder: nothing else will ever close them.
 */
async function closeRunsOfDeadHolder(store: Store, name: string, holder: LockHolder, died: string, onTakeOver?: (text: string) => void): Promise<void> {
  const crm = (['hubspot', 'salesforce'] as const).find((c) => cycleLockName(c) === name);
  if (!crm) return;
  const now = new Date().toISOString();
  const trains = await store.runs.failInterrupted(now, await interruptedTrainingReason(store, crm, died), crm, 'train');
  const others = await store.runs.failInterrupted(now, `interrupted: ${died}; the next cycle resumed from what it had stored`, crm);
  // A holder that finished its runs and only failed to release (its store went away) left nothing to say.
  if (trains + others > 0) onTakeOver?.(`took the ${crm} cycle lock over: ${died}; its unfinished runs (${trains + others}) are recorded as interrupted and this cycle resumes from what it stored`);
}

/** A holder on this machine whose process is gone (holderIsDead). */
function deadWords(holder: LockHolder): string {
  const pid = holder.owner.split(':')[1];
  return `the process running it (pid ${pid}, since ${holder.acquiredAt}) stopped before it finished (killed or crashed)`;
}

/**
 * A holder that stopped renewing: on another machine we cannot ask whether it lives, only see that
 * its lock ran out (killed, crashed, suspended or cut off from the store).
 */
function expiredWords(holder: LockHolder): string {
  return `the process running it (${describeLockHolder(holder)}) stopped renewing its lock, which expired at ${holder.expiresAt} (killed, crashed or cut off from the store)`;
}

async function renewOrAbort(store: Store, name: string, owner: string, ttlMs: number, lost: AbortController): Promise<void> {
  let renewed: boolean;
  try {
    renewed = await store.runLock.renew(name, owner, ttlMs);
  } catch (err) {
    // The code, not the message: a driver's message may quote connection details.
    const code = (err as { code?: unknown }).code;
    lost.abort(
      new CycleLockLostError(
        `Lost the cycle lock: the store did not answer when this run (a cycle or a rescore) renewed its "${name}" lock (${typeof code === 'string' ? code : (err as Error).name}), so it stopped before writing anything more; once the lock expires another process may run. Check that the database is reachable; the next cycle resumes from what this one stored.`,
      ),
    );
    return;
  }
  if (renewed) return;
  const holder = await store.runLock.holder(name).catch(() => null);
  lost.abort(
    new CycleLockLostError(
      `Lost the cycle lock: the "${name}" lock expired before this run (a cycle or a rescore) renewed it and is now ${holder ? `held by ${holder.owner} (since ${holder.acquiredAt})` : 'released'}, so it stopped before writing anything more. The next cycle resumes from what it stored; if this repeats, the store answers too slowly or this machine was suspended mid-cycle.`,
    ),
  );
}

function everyThirdOf(ttlMs: number): (renew: () => Promise<void>) => () => void {
  return (renew) => {
    const timer = setInterval(() => void renew(), ttlMs / 3);
    timer.unref();
    return () => clearInterval(timer);
  };
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
