import type { CycleSummary } from '../jobs/cycle.js';
import { CycleSkippedError } from '../jobs/cycle-lock-errors.js';
import { StopRequestedError } from '../jobs/stop-request.js';
import type { CrmName } from '../../connectors/types.js';
import type { ServeLog } from '../server/log.js';
import { firstCycleDone, firstCycleOutput } from './cycle-log.js';
import { runCrmCycle, sayTiersNote, type CycleRun } from './run.js';

/**
 * `serve`'s first cycle of each CRM, each on its own, as the schedule's cycles are: one CRM's
 * skipped (another instance holds its cycle lock) or failed does not keep the next CRM's from
 * running, and the schedule retries it. A stop does: it is thrown once the cycle under way has
 * reached its safe point, for serve to stop with.
 */
export async function firstCycles(options: { connections: CycleRun['connections']; config: CycleRun['config']; manifest: CycleRun['manifest']; stop: AbortSignal; log: ServeLog }): Promise<void> {
  const { connections, config, manifest, stop, log } = options;
  // Nothing to cycle while the only CRM waits for its install.
  if (connections.connectors.length === 0) return;
  const each: CycleRun = { connections, config, manifest, forceTrain: false, stop, output: firstCycleOutput(log) };
  const summaries: CycleSummary[] = [];
  const sayOrRethrow = (err: unknown, crm?: CrmName) => {
    if (stop.aborted) throw err instanceof StopRequestedError ? err : stop.reason;
    // Another instance running the cycle is normal, not a failure (log alerts must not fire on it).
    // No "leadlift: " before these: the log names itself (name=leadlift), as every other event here.
    if (err instanceof CycleSkippedError) log.logger.info({ crm: err.crm }, err.note);
    else log.logger.error(crm ? { crm } : {}, `The first cycle failed: ${(err as Error).message}`);
  };
  await sayTiersNote(each).catch((err: unknown) => sayOrRethrow(err));
  for (const connector of connections.connectors) {
    // A stop between two CRMs' cycles starts no further one.
    stop.throwIfAborted();
    try {
      summaries.push(await runCrmCycle(each, connector));
    } catch (err) {
      sayOrRethrow(err, connector.crm);
    }
  }
  if (summaries.length > 0) firstCycleDone(log, summaries);
}
