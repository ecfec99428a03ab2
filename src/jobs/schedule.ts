import cron, { type ScheduledTask } from 'node-cron';
import type { Connector } from '../../connectors/types.js';
import type { AppConfig } from '../config/schema.js';
import { ConfigError } from '../domain/errors.js';
import type { Manifest } from '../domain/manifest.js';
import type { Store } from '../store/store.js';
import { runCycle, type CycleOutcome } from './cycle.js';
import type { LoopDeps } from './deps.js';

export interface SchedulerDeps {
  store: Store;
  config: AppConfig;
  manifest: Manifest;
  /** A function when CRMs can be connected while it runs (the install page of `serve`). */
  connectors: Connector[] | (() => Connector[]);
  log?: (message: string) => void;
  /** Called after every scheduled or requested cycle, per CRM (the server's admin page listens). */
  onCycle?: (kind: CycleKind, outcome: CycleOutcome) => void;
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
  stop(): Promise<void>;
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

  const cycleOnce = async (kind: CycleKind): Promise<CycleOutcome[]> => {
    const outcomes: CycleOutcome[] = [];
    for (const connector of typeof deps.connectors === 'function' ? deps.connectors() : deps.connectors) {
      const loopDeps: LoopDeps = { store: deps.store, config: deps.config, manifest: deps.manifest, connector, log: deps.log };
      const outcome = await runCycle(loopDeps, { forceTrain: kind === 'retrain' });
      if (!outcome.ran) deps.log?.(`${connector.crm} ${kind}: ${outcome.reason}`);
      deps.onCycle?.(kind, outcome);
      outcomes.push(outcome);
    }
    return outcomes;
  };

  const drain = async () => {
    while (queued.size > 0) {
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
        deps.log?.(`The ${kind} cycle failed: ${(err as Error).message}`);
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
    },
  };
}
