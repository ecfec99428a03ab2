import type { NoteLevel, ProgressListener, StepName } from '../jobs/deps.js';
import { progress, type Progress, type ProgressOptions, type StepEnd } from './progress.js';

const LABELS: Record<StepName, string> = {
  // Leads and then outcomes, one count for both: the label says so, as the summary counts them apart.
  sync: 'Syncing leads and outcomes',
  train: 'Training model',
  score: 'Scoring leads',
  push: 'Writing scores',
};

/** The train step counts trees (every fit's, the measuring one's and the refit's), which its label does not say. */
const UNITS: Partial<Record<StepName, string>> = { train: 'trees' };

/**
 * One stderr bar per loop step (heartbeat lines off a terminal, see progress.ts), opened when
 * the step reports first and closed when the next starts.
 */
export interface LoopProgress {
  listener: ProgressListener;
  /** `level`: for a log (cycle-log.ts); on a terminal a warning is a line like any other. */
  note(text: string, level?: NoteLevel): void;
  done(): void;
  fail(how: StepEnd): void;
  /** The cycle returned: its last step ends as finished, or as held back when the API budget stopped the push. */
  endCycle(summary: { push: { stopped?: unknown } }): void;
}

export function loopProgress(prefix = '', options: ProgressOptions = {}): LoopProgress {
  let step: StepName | null = null;
  let bar: Progress | null = null;
  let lastDone = 0;
  // Once the cycle failed or stopped, writes still in flight may report: they open no new bar.
  let ended = false;
  const close = () => {
    bar?.done();
    bar = null;
    step = null;
  };
  return {
    listener(name, done, total) {
      if (ended) return;
      if (name !== step) {
        close();
        step = name;
        bar = progress(`${prefix}${LABELS[name]}`, total === null ? null : Math.max(total, 1), { ...options, unit: UNITS[name] });
        lastDone = 0;
      }
      if (total !== null) bar!.total(Math.max(total, done, 1));
      if (done > lastDone) bar!.tick(done - lastDone);
      lastDone = Math.max(lastDone, done);
    },
    /** A message during a step (a sync note) leaves the step's bar running; between steps it is a plain line. */
    note(text) {
      // Quiet silences progress, never messages.
      if (bar && !options.quiet) bar.note(text);
      else (options.stream ?? process.stderr).write(`${text}\n`);
    },
    done: close,
    /** The cycle failed or was stopped: the step under way ends saying so, not "finished". */
    fail(how) {
      bar?.fail(how);
      close();
      ended = true;
    },
    endCycle(summary) {
      if (!summary.push.stopped) return close();
      // Only the push step is held back; a bar still open is the push's (it is the last step).
      if (step === 'push') bar?.fail('held back for the API budget');
      close();
      ended = true;
    },
  };
}
