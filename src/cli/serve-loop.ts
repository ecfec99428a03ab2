import type { Connector } from '../../connectors/types.js';
import type { AppConfig } from '../config/schema.js';
import type { Manifest } from '../domain/manifest.js';
import type { LoopConnections } from '../jobs/connectors-from-env.js';
import { startScheduler, type Scheduler } from '../jobs/schedule.js';
import { StopRequestedError } from '../jobs/stop-request.js';
import type { ServeLog } from '../server/log.js';
import type { HttpService } from '../server/serve-http.js';
import { logCycleOutcome, scheduledCycleReporter } from './cycle-log.js';
import type { StopOnSignal } from './stop-on-signal.js';

export interface ServeLoopOptions {
  connections: LoopConnections;
  config: AppConfig;
  manifest: Manifest;
  /** The one log of the command, its server and its loop. */
  log: ServeLog;
  /**
   * The process's stop request, listened for by the caller since before its first cycle, and given
   * to its server too, so one signal reaches the first cycle, the server's work and the schedule
   * alike. The caller gives the signals back (dispose) once this returns.
   */
  stop: StopOnSignal;
  /**
   * The web server beside the loop: closed as the loop stops, before the store, since a retrain or
   * rescore it started writes to the store until its next safe point.
   */
  http: HttpService;
  /** The CRMs connected now, when the install page can add one while it runs (`serve`). */
  connectorsNow?: () => Connector[];
}

/**
 * Keeps the loop running on its schedule until Ctrl-C / SIGTERM. The first signal stops a cycle
 * under way, and the server's own work (a retrain, an install's cycle, a rescore), at its next
 * safe point, as `run` does (its run recorded as stopped with what it kept, its lock released),
 * then this throws that StopRequestedError (exit 130 / 143); idle, it returns (exit 0). A second
 * signal exits at once. The server and the connections are closed either way. Used by `serve`
 * and `start`.
 */
export async function serveLoop(options: ServeLoopOptions): Promise<void> {
  const { connections, config, manifest, log, stop, http } = options;
  const { logger } = log;
  const stopping = new Promise<void>((resolve) => stop.signal.addEventListener('abort', () => resolve(), { once: true }));
  let scheduler: Scheduler | null = null;
  let stopped: StopRequestedError | null = null;
  let ended = false;
  try {
    scheduler = startScheduler({
      store: connections.store,
      config,
      manifest,
      connectors: options.connectorsNow ?? connections.connectors,
      log: (message, level = 'info', fields) => (fields ? logger[level](fields, message) : logger[level](message)),
      stop: stop.signal,
      reporter: scheduledCycleReporter(log),
      onCycle: (kind, outcome) => logCycleOutcome(log, kind, outcome),
    });
    const next = scheduler.next();
    logger.info(
      `Scheduler running (${scheduler.times.timezone}): retrain "${scheduler.times.retrain}" next at ${next.retrain?.toISOString() ?? '?'}, ` +
        `sync "${scheduler.times.sync}" next at ${next.sync?.toISOString() ?? '?'}. Ctrl-C stops.`,
    );
    await stopping;
    logger.info('Stopping: waiting for the cycle under way, if any, to reach its next safe point…');
    ended = true;
  } finally {
    // Also when the scheduler would not start: the server and the sandbox's worker would keep the
    // process alive. The schedule's cycle and the server's work stop together, before the store closes.
    // allSettled, not all: one of them failing must not leave the store open (it is closed last).
    const [scheduled, closed] = await Promise.allSettled([scheduler?.stop() ?? null, http.close()]);
    if (scheduled.status === 'fulfilled') stopped = scheduled.value ?? http.deps.loop.stopped();
    // A sandbox whose final save failed ends an idle stop with exit 1; any other ending keeps its own error.
    const clean = ended && stopped === null && scheduled.status === 'fulfilled' && closed.status === 'fulfilled';
    await connections.close({ failing: !clean });
    for (const settled of [scheduled, closed]) if (settled.status === 'rejected') throw settled.reason;
  }
  if (stopped) throw stopped;
  // A stop while idle ended with "waiting for the cycle under way, if any…" and then silence,
  // which left an admin unsure whether it had finished or hung.
  logger.info('Stopped: no cycle was under way, so nothing was cut short.');
}

/**
 * What `serve` and `start` opened, closed in that order when their first phase fails: the server
 * first (it waits for its retrain or rescore to reach a safe point, which needs the store), then
 * the store and the sandbox.
 */
export async function closeServing(http: HttpService | null, connections: LoopConnections): Promise<void> {
  try {
    await http?.close();
  } finally {
    await connections.close({ failing: true });
  }
}

/**
 * A signal heard after the first cycle's last check: that cycle finished, and the command stops
 * now (exit 130 / 143) rather than drop the signal and start the schedule. With no CRM connected
 * yet (serve's only CRM waits for its install) no cycle ran, and the words say so.
 */
export function throwIfStoppedAfterFirstCycle(stop: AbortSignal, cycled = true): void {
  if (!stop.aborted) return;
  const { signalName } = stop.reason as StopRequestedError;
  throw new StopRequestedError(
    signalName,
    cycled ? `Stopped by ${signalName} after the first cycle finished.` : `Stopped by ${signalName} while no CRM was connected yet: no cycle ran.`,
  );
}
