import type { Connector } from '../../connectors/types.js';
import type { AppConfig } from '../config/schema.js';
import type { Manifest } from '../domain/manifest.js';
import type { Store } from '../store/store.js';

/** A loop note's level in serve's log (the CLI's stderr shows both alike). */
export type NoteLevel = 'info' | 'warn';

export type StepName = 'sync' | 'train' | 'score' | 'push';
/** A step's progress: `done` of `total` units (records, trees, leads); null: not known up front (a sync). */
export type ProgressListener = (step: StepName, done: number, total: number | null) => void;
/**
 * Where a cycle is, for the words of a stop or a lost store connection: a step, or the prune after
 * training (pruneAfterTraining), which reports no progress but is no part of training either.
 */
export type CycleStep = StepName | 'prune';

/** Everything one CRM's loop needs; the CLI and the server build it, tests too. */
export interface LoopDeps {
  store: Store;
  config: AppConfig;
  connector: Connector;
  manifest: Manifest;
  /** The clock (tests move it); default Date.now. */
  now?: () => number;
  onProgress?: ProgressListener;
  /**
   * Plain-words notes for the person running the loop (stderr in the CLI, the log in serve). A note
   * the admin must act on or should know went wrong (a retry, a wait, an action, a lead not
   * written) is level warn, so LOG_LEVEL=warn keeps it; the rest is info (the default).
   */
  log?: (message: string, level?: NoteLevel) => void;
  /**
   * Aborted when a cycle loses its lock (see cycle-lock.ts), since another process may be writing
   * the same CRM from then on, or when the process is asked to stop (SIGINT/SIGTERM): the steps
   * check it before each write.
   */
  signal?: AbortSignal;
  /** Told the id of the cycle's run once it is recorded, so log lines after it can name the run. */
  onRun?: (runId: string) => void;
}

/** Records are stored under one object name whatever the CRM calls its leads. */
export const LEAD_OBJECT = 'leads';
export const LEADS_STREAM = 'leads';
export const OUTCOMES_STREAM = 'outcomes';

export function clock(deps: LoopDeps): number {
  return deps.now ? deps.now() : Date.now();
}
