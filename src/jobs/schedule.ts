import cron, { type ScheduledTask } from 'node-cron';
import type { Connector, CrmName } from '../../connectors/types.js';
import type { AppConfig } from '../config/schema.js';
import { ConfigError } from '../domain/errors.js';
import type { Manifest } from '../domain/manifest.js';
import type { Store } from '../store/store.js';
import { runCycle, type CycleOutcome } from './cycle.js';
import type { LoopDeps, NoteLevel, ProgressListener } from './deps.js';
import { loopSecrets, runError } from './run-error.js';
import { StopRequestedError } from './stop-request.js';
import { skippedCycleNote } from './cycle-lock-errors.js';

export interface SchedulerDeps {
  store: Store;
  config: AppConfig;
  manifest: Manifest;
  /** A function when CRMs can be connected while it runs (the install page of `serve`). */
  connectors: Connector[] | (() => Connector[]);
  /** The scheduler's own notes: a skipped cycle (info, with its crm and kind), a failed one (error); the cycles' notes too without a reporter. */
  log?(message: string, level?: 'info' | 'warn' | 'error', fields?: { crm: CrmName; kind: CycleKind }): void;
  /** Called after every scheduled or requested cycle, per CRM (the server's admin page listens). */
  onCycle?: (kind: CycleKind, outcome: CycleOutcome) => void;
  /**
   * Aborted on SIGINT/SIGTERM (serve's stopOnSignal): the cycle under way stops at its next safe
   * point, as `run`'s does, and no further cycle starts. Without it, stop() waits for the cycle.
   */
  stop?: AbortSignal;
  /** Where each cycle's steps and notes are told as it goes (serve logs a line per step start and end). */
  reporter?: (kind: CycleKind, crm: CrmName) => CycleReporter;
}

/** One cycle's account while it runs; `ended` is called once, with its outcome or what it threw. */
export interface CycleReporter {
  onProgress: ProgressListener;
  log(message: string, level?: NoteLevel): void;
  onRun(runId: string): void;
  /** `failure`: the failed cycle's one log line (scrubbed, runError), for the reporter to log at error; null for a stop. */
  ended(result: { outcome: CycleOutcome } | { error: unknown; failure: string | null }): void;
}

/** retrain: the nightly cycle that trains whatever the model's age; sync: the hourly sync and rescoring. */
export type CycleKind = 'retrain' | 'sync';

export interface ScheduleTimes {
  retrain: string;
  sync: string;
  timezone: string;
}

export interface Scheduler {
  readonly times: ScheduleTimes;
  /** Runs a cycle now (queued behind one already running); resolves with each CRM's outcome. */
  runNow(kind: CycleKind): Promise<CycleOutcome[]>;
  /** When each schedule fires next. */
  next(): { retrain: Date | null; sync: Date | null };
  busy(): boolean;
  /**
   * No more ticks; resolves once the cycle under way is over: with the StopRequestedError it
   * stopped with (what it kept, for the admin) when the stop signal cut it short, else null.
   */
  stop(): Promise<StopRequestedError | null>;
}

/** The cron expressions and time zone in force: config loop.schedule, else the manifest's schedules. */
export function scheduleTimes(config: AppConfig, manifest: Manifest): ScheduleTimes {
  const retrain = config.loop.schedule.retrain ?? manifest.schedules.retrain?.cron ?? '0 2 * * *';
  const sync = config.loop.schedule.sync ?? manifest.schedules.sync?.cron ?? '0 * * * *';
  const timezone = config.loop.schedule.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  for (const [key, expression] of [['retrain', retrain], ['sync', sync]] as const) {
    if (!cron.validate(expression)) throw new ConfigError(`loop.schedule.${key}`, `"${expression}" is not a cron expression (e.g. "0 2 * * *" = 02:00 every day)`);
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw new ConfigError('loop.schedule.timezone', `"${timezone}" is not an IANA time zone (e.g. "Europe/Lisbon")`);
  }
  return { retrain, sync, timezone };
}

/**
 * Keeps the loop going: the nightly retrain and the hourly sync + rescoring, for every connected
 * CRM. Cycles in this process run one at a time; a tick that comes while one runs is queued (a
 * queued retrain also covers a queued sync), and across processes the store's run lock keeps
 * cycles from overlapping.
 */
export function startScheduler(deps: SchedulerDeps): Scheduler {
  const times = scheduleTimes(deps.config, deps.manifest);
  let running: Promise<void> | null = null;
  const queued = new Map<CycleKind, Array<(outcomes: CycleOutcome[]) => void>>();
  const failed = new Map<CycleKind, Array<(err: unknown) => void>>();
  let stoppedBy: StopRequestedError | null = null;

  /** The error a cycle failed with, once cycleOnce has logged it: drain does not log it again. */
  let said: unknown = undefined;

  const connectorsNow = () => (typeof deps.connectors === 'function' ? deps.connectors() : deps.connectors);

  const cycleOnce = async (kind: CycleKind): Promise<CycleOutcome[]> => {
    const outcomes: CycleOutcome[] = [];
    for (const connector of connectorsNow()) {
      // A stop between two CRMs' cycles starts no further one (as `run` does).
      deps.stop?.throwIfAborted();
      const report = deps.reporter?.(kind, connector.crm);
      const log = report ? (message: string, level?: NoteLevel) => report.log(message, level) : deps.log;
      const loopDeps: LoopDeps = { store: deps.store, config: deps.config, manifest: deps.manifest, connector, log, onProgress: report?.onProgress, onRun: report?.onRun };
      let outcome: CycleOutcome;
      try {
        outcome = await runCycle(loopDeps, { forceTrain: kind === 'retrain', stop: deps.stop });
      } catch (err) {
        // One line for the failure, with the CRM and (through the reporter) the run id. A stop is
        // no failure: serve reports it as `run` does, once the process stops.
        const failure = err instanceof StopRequestedError ? null : failedCycleLine(kind, err, loopSecrets({ store: deps.store, connector }));
        if (report) report.ended({ error: err, failure });
        else if (failure) deps.log?.(failure, 'error', { crm: connector.crm, kind });
        said = err;
        throw err;
      }
      report?.ended({ outcome });
      if (!outcome.ran) deps.log?.(skippedCycleNote(connector.crm, outcome.holder, kind), 'info', { crm: connector.crm, kind });
      deps.onCycle?.(kind, outcome);
      outcomes.push(outcome);
    }
    return outcomes;
  };

  const drain = async () => {
    while (queued.size > 0) {
      if (deps.stop?.aborted) {
        // Asked to stop: what is queued never starts.
        for (const reject of [...failed.values()].flat()) reject(deps.stop.reason);
        queued.clear();
        failed.clear();
        break;
      }
      // A retrain cycle syncs and rescores too, so it answers a queued sync as well.
      const kind: CycleKind = queued.has('retrain') ? 'retrain' : 'sync';
      const waiters = [...(queued.get(kind) ?? []), ...(kind === 'retrain' ? (queued.get('sync') ?? []) : [])];
      const rejecters = [...(failed.get(kind) ?? []), ...(kind === 'retrain' ? (failed.get('sync') ?? []) : [])];
      queued.delete(kind);
      failed.delete(kind);
      if (kind === 'retrain') {
        queued.delete('sync');
        failed.delete('sync');
      }
      try {
        const outcomes = await cycleOnce(kind);
        for (const resolve of waiters) resolve(outcomes);
      } catch (err) {
        // A stop is no failure: serve reports it as `run` does, once the process stops.
        if (err instanceof StopRequestedError) stoppedBy = err;
        else if (err !== said) {
          // Not a cycle's (cycleOnce said those): e.g. the admin page's onCycle listener.
          const secrets = connectorsNow().flatMap((connector) => loopSecrets({ store: deps.store, connector }));
          deps.log?.(failedCycleLine(kind, err, secrets), 'error');
        }
        for (const reject of rejecters) reject(err);
      }
    }
    running = null;
  };

  const runNow = (kind: CycleKind): Promise<CycleOutcome[]> =>
    new Promise((resolve, reject) => {
      queued.set(kind, [...(queued.get(kind) ?? []), resolve]);
      failed.set(kind, [...(failed.get(kind) ?? []), reject]);
      running ??= drain();
    });

  // Scheduled ticks log their own failures (in drain); nobody awaits them.
  const tick = (kind: CycleKind) => () => void runNow(kind).catch(() => undefined);
  const tasks: ScheduledTask[] = [
    cron.schedule(times.retrain, tick('retrain'), { timezone: times.timezone, name: 'leadlift-retrain' }),
    cron.schedule(times.sync, tick('sync'), { timezone: times.timezone, name: 'leadlift-sync' }),
  ];

  return {
    times,
    runNow,
    next: () => ({ retrain: tasks[0].getNextRun(), sync: tasks[1].getNextRun() }),
    busy: () => running !== null,
    async stop() {
      for (const task of tasks) await task.destroy();
      await running;
      return stoppedBy;
    },
  };
}

/** A failed cycle's log line: the text a driver or an SDK threw may quote a token or a password, so it is scrubbed of every one the loop knows. */
function failedCycleLine(kind: CycleKind, err: unknown, secrets: string[]): string {
  const failure = runError(err, secrets);
  return `The ${kind} cycle failed: ${failure.logged ?? failure.stored}`;
}
