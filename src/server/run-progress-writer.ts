import type { RunsRepository } from '../store/runs.js';
import type { RunProgress } from '../store/run-progress.js';
import { nowIso } from '../store/iso-time.js';

/** At most one progress UPDATE a second per run (SQLite has one writer; the sync's pages come first). */
const EVERY_MS = 1000;

export interface RunProgressWriter {
  /** The activity changed: written at once at a new step, else at most once every second (the latest state, by a timer if no change follows). */
  changed(progress: Omit<RunProgress, 'at' | 'outcome'>): void;
  /** Writes the outcome's words with the last state, awaited: the run is closed ok only after it, so no instance shows it done without them. */
  end(outcome: string): Promise<void>;
  /** Stops writing (the task ended, or failed: its failure is the run's error). */
  close(): void;
}

/**
 * Shares one run's progress through the store (runs.progress). Each write is its own statement,
 * fired from the progress callback and not awaited by it, so it never joins (or holds up) a sync
 * page's transaction; a failed write is dropped, as the next one carries the whole state again.
 */
export function runProgressWriter(runs: Pick<RunsRepository, 'setProgress'>, runId: string, everyMs = EVERY_MS): RunProgressWriter {
  let latest: Omit<RunProgress, 'at'> | null = null;
  let writtenStep: RunProgress['step'] | undefined;
  let writtenAt = -Infinity;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  // One write at a time, in order: a slow store must not let an older state land after a newer one.
  let chain: Promise<void> = Promise.resolve();

  const write = (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    const progress: RunProgress = { ...latest!, at: nowIso() };
    writtenStep = progress.step;
    writtenAt = Date.now();
    const written = chain.then(() => runs.setProgress(runId, progress));
    chain = written.catch(() => undefined);
    return written;
  };

  return {
    changed(progress) {
      if (closed) return;
      latest = progress;
      const wait = everyMs - (Date.now() - writtenAt);
      if (progress.step !== writtenStep || wait <= 0) {
        void write().catch(() => undefined);
        return;
      }
      if (timer) return;
      timer = setTimeout(() => void write().catch(() => undefined), wait);
      // A progress line must not hold a finished process open.
      timer.unref();
    },
    async end(outcome) {
      if (closed || !latest) return;
      closed = true;
      latest = { ...latest, outcome };
      await write();
    },
    close() {
      closed = true;
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
