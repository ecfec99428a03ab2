import type { PruneResult } from '../store/prune.js';
import type { LoopDeps } from './deps.js';

/** Who the audit trail names for a prune the loop ran (the CLI names the operating-system account). */
export const LOOP_PRUNE_ACTOR = 'loop';

/**
 * The store's housekeeping after a training (the nightly retrain under `serve`, or the daily one
 * `run` does when training is due): history older than config store.retention goes, so the store
 * stops growing by a copy of every open lead each time a new model rescores them. Run under the
 * cycle's lock, after training, so the model just promoted and the one it replaced are settled.
 * A prune that fails is said and the cycle goes on: scores on time matter more than the disk, and
 * the next training (or `leadlift prune`) tries again. A stop request or a lost lock stops it
 * between statements, as it stops the cycle.
 */
export async function pruneAfterTraining(deps: LoopDeps): Promise<PruneResult | null> {
  const crm = deps.connector.crm;
  try {
    const result = await deps.store.prune(crm, deps.config.store.retention, { actor: LOOP_PRUNE_ACTOR, signal: deps.signal });
    const total = Object.values(result.removed).reduce((a, b) => a + b, 0);
    if (total > 0) deps.log?.(`Store retention: removed ${describeRemoved(result)} (config store.retention)`);
    return result;
  } catch (err) {
    // A stop or a lost lock ends the cycle as it would at any other step.
    if (deps.signal?.aborted) throw err;
    deps.log?.(`Store retention: pruning the ${crm} history failed (${(err as Error).message}); nothing else in this cycle is affected, and the next training or \`leadlift prune\` tries again`, 'warn');
    return null;
  }
}

/** "12 scores, 30 snapshots, 1 model, 4 runs": the tables with rows, or "nothing". */
export function describeRemoved(result: PruneResult): string {
  const parts = (Object.entries(result.removed) as Array<[string, number]>)
    .filter(([, n]) => n > 0)
    .map(([table, n]) => `${n.toLocaleString('en-US')} ${n === 1 ? table.replace(/s$/, '') : table}`);
  return parts.length > 0 ? parts.join(', ') : 'nothing';
}
