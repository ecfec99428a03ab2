import type { Connector } from '../../connectors/types.js';
import type { AppConfig } from '../config/schema.js';
import type { Manifest } from '../domain/manifest.js';
import type { LoopConnections } from '../jobs/connectors-from-env.js';
import { startScheduler, type Scheduler } from '../jobs/schedule.js';
import { createLog, type ServeLog } from '../server/log.js';
import { logCycleOutcome, scheduledCycleReporter } from './cycle-log.js';
import { logLines } from './log-lines.js';
import { stopOnSignal } from './stop-on-signal.js';

/**
 * Keeps the loop running on its schedule until Ctrl-C / SIGTERM. The first signal stops a cycle
 * under way at its next safe point, as `run` does (its run recorded as stopped with what it
 * kept, its lock released), then this throws that StopRequestedError (exit 130 / 143); idle, it
 * returns (exit 0). A second signal exits at once. Used by `serve` and `start`.
 */
export async function serveLoop(
  connections: LoopConnections,
  config: AppConfig,
  manifest: Manifest,
  onStarted?: (scheduler: Scheduler) => void,
  /** The CRMs connected now, when the install page can add one while it runs (`serve`). */
  connectorsNow?: () => Connector[],
  log: ServeLog = createLog(),
): Promise<void> {
  const { logger } = log;
  // Listening before anything says "running": a signal sent as soon as that line appears would
  // otherwise kill the process outright, leaving the store open and the sandbox lock behind.
  const stop = stopOnSignal(logLines(logger, 'warn'));
  const stopping = new Promise<void>((resolve) => stop.signal.addEventListener('abort', () => resolve(), { once: true }));
  try {
    const scheduler = startScheduler({
      store: connections.store,
      config,
      manifest,
      connectors: connectorsNow ?? connections.connectors,
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
    onStarted?.(scheduler);
    await stopping;
    logger.info('Stopping: waiting for the cycle under way, if any, to reach its next safe point…');
    const stopped = await scheduler.stop();
    if (stopped) throw stopped;
  } finally {
    // Until here a second signal still exits at once, for a cycle stuck waiting on a CRM.
    stop.dispose();
    await connections.close();
  }
}
