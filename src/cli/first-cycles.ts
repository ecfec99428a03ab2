import { CycleSkippedError } from '../jobs/cycle-lock-errors.js';
import { loopSecrets, runError } from '../jobs/run-error.js';
import type { CrmName } from '../../connectors/types.js';
import type { ServeLog } from '../server/log.js';
import { firstCycleDone, firstCycleOutput } from './cycle-log.js';
import { runAll, type CycleRun } from './run.js';

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
  const say = (err: unknown, crm?: CrmName) => {
    // Another instance running the cycle is normal, not a failure (log alerts must not fire on it).
    // No "leadlift: " before these: the log names itself (name=leadlift), as every other event here.
    if (err instanceof CycleSkippedError) log.logger.info({ crm: err.crm }, err.note);
    else {
      // Its one line (the cycle itself logs nothing): a driver's or an SDK's text may quote a token, so scrubbed.
      const failure = runError(err, loopSecrets({ store: connections.store, connector: connections.connectors.find((c) => c.crm === crm) }));
      log.logger.error(crm ? { crm } : {}, `The first cycle failed: ${failure.logged ?? failure.stored}`);
    }
  };
  // A stop is thrown on, after the summary of the CRMs whose cycle finished before it.
  const summaries = await runAll(connections, config, manifest, false, stop, firstCycleOutput(log), { onCrmError: say, onEndedEarly: (done) => firstCycleDone(log, done) });
  if (summaries.length > 0) firstCycleDone(log, summaries);
}
