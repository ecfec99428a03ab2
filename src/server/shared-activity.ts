import type { CrmName } from '../../connectors/types.js';
import type { LockHolder } from '../store/run-lock.js';
import type { Run } from '../store/runs.js';
import type { LoopActivity } from './loop-runner.js';

/**
 * Said by an instance that did not run it, of an install's or retrain's cycle whose lock ran out
 * while the run was still open: nobody will write its progress again. The same cause as the
 * takeover's words (cycle-lock.ts), which the run's error says once another cycle takes the lock.
 */
export const DIED_WORDS = 'Interrupted: the instance running it stopped renewing its cycle lock before the run finished (killed, crashed or cut off from the store); the next cycle resumes from what it stored.';

/**
 * An install's or retrain's cycle as the instance running it shows it (runs.progress), for any
 * instance sharing the store: running while its run is open and its lock held (by the holder
 * that started it: a later holder means its own died), then its outcome in the owner's words.
 * Null for a run without progress.
 */
export function sharedActivity(crm: CrmName, run: Run | null, liveHolder: LockHolder | null): LoopActivity | null {
  const p = run?.progress;
  if (!run || !p) return null;
  const shown = { crm, task: p.task, step: p.step, done: p.done, total: p.total, startedAt: p.startedAt };
  if (run.status === 'running') {
    // The lock is taken before the run is recorded; a holder since after the run began is another cycle's.
    if (liveHolder && liveHolder.acquiredAt <= run.startedAt) return { ...shown, state: 'running', message: p.message, finishedAt: null };
    return { ...shown, state: 'failed', message: DIED_WORDS, finishedAt: p.at };
  }
  // A failed run's error is what the owner shows (both are run-error.ts's stored words).
  if (run.status === 'failed') return { ...shown, state: 'failed', message: run.error ?? DIED_WORDS, finishedAt: run.finishedAt };
  return { ...shown, state: 'done', message: p.outcome ?? 'The cycle finished.', finishedAt: run.finishedAt };
}
