import { LeadliftError } from '../domain/errors.js';
import type { CycleStep } from './deps.js';
import type { SyncResult } from './sync.js';
import { counted } from '../domain/counted.js';
import { stoppedStepWords } from './cycle-step-words.js';

export type StopSignalName = 'SIGINT' | 'SIGTERM';

/** The shell's convention (128 + the signal's number), so scripts and service managers read it as "stopped by a signal". */
const EXIT_CODES: Record<StopSignalName, number> = { SIGINT: 130, SIGTERM: 143 };

export function exitCodeForSignal(name: StopSignalName): number {
  return EXIT_CODES[name];
}

/**
 * Someone asked the process to stop (Ctrl-C, a service manager's SIGTERM). It aborts the cycle's
 * signal as a lost lock does, so the cycle stops before its next write; what it stored stays.
 */
export class StopRequestedError extends LeadliftError {
  readonly signalName: StopSignalName;
  constructor(signalName: StopSignalName, message = `Stopped by ${signalName} before the cycle started; nothing was changed.`) {
    super(message, exitCodeForSignal(signalName));
    this.signalName = signalName;
  }
}

/** Where a stop caught a cycle: the step under way, what the sync had read, and how far the push had come. */
export interface StopPoint {
  step: CycleStep;
  sync: SyncResult | null;
  recordsReceived: number;
  /** The push's progress (scores sent and recorded, of those it had to write); null before it starts. */
  pushed?: { done: number; total: number } | null;
}

/**
 * The cycle's own account of where the stop caught it: the admin reads it on stderr and in the
 * runs history, and wants to know that nothing is lost and that nothing needs doing by hand.
 */
export function stoppedCycle(stop: StopRequestedError, at: StopPoint): StopRequestedError {
  const synced = at.sync
    ? `${counted(at.sync.leads, 'lead')} and ${counted(at.sync.outcomes, 'outcome')}`
    : `${counted(at.recordsReceived, 'record')} (leads and outcomes)`;
  const words = stoppedStepWords(at.step);
  // A stop mid-push said only what was synced: how many scores reached the CRM, and how many wait, is what the admin asks next.
  const during =
    at.step === 'push' && at.pushed && at.pushed.total > 0
      ? `${words.during} (${at.pushed.done.toLocaleString('en-US')} of ${counted(at.pushed.total, 'score')} sent; the other ${(at.pushed.total - at.pushed.done).toLocaleString('en-US')} wait for the next run)`
      : words.during;
  const where = at.step === 'sync' && !at.sync ? `after syncing ${synced}` : `while ${during}, after syncing ${synced}`;
  return new StopRequestedError(stop.signalName, `Stopped by ${stop.signalName} ${where}; ${words.kept} and the next run resumes from there.`);
}
