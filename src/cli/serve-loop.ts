import type { Connector } from '../../connectors/types.js';
import type { AppConfig } from '../config/schema.js';
import type { Manifest } from '../domain/manifest.js';
import type { LoopConnections } from '../jobs/connectors-from-env.js';
import { startScheduler, type Scheduler } from '../jobs/schedule.js';
import { cycleTable } from './cycle-table.js';

/**
 * Keeps the loop running on its schedule until Ctrl-C / SIGTERM, then stops cleanly (the cycle
 * under way finishes first). Used by `serve` and `start`.
 */
export async function serveLoop(
  connections: LoopConnections,
  config: AppConfig,
  manifest: Manifest,
  onStarted?: (scheduler: Scheduler) => void,
  /** The CRMs connected now, when the install page can add one while it runs (`serve`). */
  connectorsNow?: () => Connector[],
): Promise<void> {
  const log = (message: string) => process.stderr.write(`${new Date().toISOString()} ${message}\n`);
  // Listening before anything says "running": a signal sent as soon as that line appears would
  // otherwise kill the process outright, leaving the store open and the sandbox lock behind.
  let stop!: () => void;
  const stopping = new Promise<void>((resolve) => (stop = resolve));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const scheduler = startScheduler({
    store: connections.store,
    config,
    manifest,
    connectors: connectorsNow ?? connections.connectors,
    log,
    onCycle: (kind, outcome) => {
      if (outcome.ran) log(`${kind} cycle done:\n${cycleTable([outcome.summary])}`);
    },
  });
  const next = scheduler.next();
  log(
    `Scheduler running (${scheduler.times.timezone}): retrain "${scheduler.times.retrain}" next at ${next.retrain?.toISOString() ?? '?'}, ` +
      `sync "${scheduler.times.sync}" next at ${next.sync?.toISOString() ?? '?'}. Ctrl-C stops.`,
  );
  onStarted?.(scheduler);
  await stopping;
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  log('Stopping: waiting for the cycle under way, if any…');
  await scheduler.stop();
  await connections.close();
}
