import type { CrmName } from '../../connectors/types.js';
import { isLostPostgresConnection } from '../store/lost-connection.js';
import type { PruneResult } from '../store/prune.js';
import { adminActionsToSay } from './admin-actions.js';
import { checkCrmAccount } from './crm-account-check.js';
import { crmShownScores } from './crm-shown-scores.js';
import { cycleLockName, describeLockHolder, withCycleLock, type CycleLockOptions } from './cycle-lock.js';
import type { CycleStep, LoopDeps } from './deps.js';
import { lostStoreCycle } from './lost-store-cycle.js';
import { pruneAfterTraining } from './prune-history.js';
import { pushPendingScores, type PushResult } from './push.js';
import { loopSecrets, runError } from './run-error.js';
import { scoreOpenLeads, type ScoreResult } from './score.js';
import { type StopPoint, StopRequestedError, stoppedCycle } from './stop-request.js';
import { syncFromCrm, type SyncResult } from './sync.js';
import { tiersInUse } from './tiers-in-use.js';
import { trainIfDue, type TrainResult } from './train.js';

export interface CycleOptions {
  /** Train even if the active model is recent (`run --force-train`, the nightly schedule). */
  forceTrain?: boolean;
  /** The lock's TTL and renewal timer (tests renew on cue to lose the lock mid-cycle). */
  lock?: CycleLockOptions;
  /** Aborted on SIGINT/SIGTERM (the CLI's stopOnSignal): the cycle stops at its next write, as for a lost lock. */
  stop?: AbortSignal;
  /**
   * Awaited with the summary before the run is closed ok (a throw fails it): the admin page's
   * install or retrain writes the words of its outcome for the other instances (runs.progress),
   * so none of them shows the run finished without them.
   */
  beforeFinish?: (summary: CycleSummary) => Promise<void>;
}

export interface CycleSummary {
  crm: CrmName;
  sync: SyncResult;
  train: TrainResult;
  score: ScoreResult;
  push: PushResult;
  /** What a cycle that trained removed under config store.retention (null: it did not train, or the prune failed and was said). */
  prune?: PruneResult | null;
  /** The model that scored (null when none is active). */
  model: { version: string; auc: number | null } | null;
  seconds: number;
  /** Every request the connector sent this cycle and those refused for rate or API limits (HubSpot 429, Salesforce REQUEST_LIMIT_EXCEEDED), when it counts them. */
  apiCalls: number | null;
  rateLimited: number | null;
}

export type CycleOutcome = { ran: true; summary: CycleSummary } | { ran: false; reason: string; /** Who holds the lock (describeLockHolder). */ holder: string };

export { cycleLockName };

/**
 * One turn of the loop for one CRM: sync -> train if due -> score open leads -> write back.
 * Cycles never overlap, across processes sharing the store too: a cycle that finds another one
 * running is recorded as skipped and does nothing (one whose process died is taken over). A cycle
 * that loses its lock stops before its next write, is recorded as failed and throws
 * CycleLockLostError.
 */
export async function runCycle(deps: LoopDeps, options: CycleOptions = {}): Promise<CycleOutcome> {
  const { store, connector } = deps;
  const crm = connector.crm;
  const locked = await withCycleLock(store, cycleLockName(crm), (signal) => cycle({ ...deps, signal }, options), {
    onTakeOver: (text) => deps.log?.(text, 'warn'),
    ...options.lock,
    stop: options.stop,
  });
  if (locked.acquired) return { ran: true, summary: locked.value };
  const holder = describeLockHolder(locked.holder);
  const reason = `another ${crm} cycle is running (${holder}); this one was skipped`;
  await store.runs.skipped('cycle', crm, reason);
  return { ran: false, reason, holder };
}

async function cycle(deps: LoopDeps, options: CycleOptions): Promise<CycleSummary> {
  const { store, connector, config, signal } = deps;
  const crm = connector.crm;
  const started = performance.now();
  const usageBefore = usageOf(connector);
  const run = await store.runs.start('cycle', crm);
  deps.onRun?.(run.id);
  // Where a stop caught the cycle, for its message: the step under way and what the sync had read.
  const at: StopPoint = { step: 'sync', sync: null, recordsReceived: 0, pushed: null };
  const listener = deps.onProgress;
  deps = {
    ...deps,
    onProgress: (step, done, total) => {
      if (step === 'sync') at.recordsReceived = done;
      if (step === 'push' && total !== null) at.pushed = { done, total };
      listener?.(step, done, total);
    },
  };
  // Connectors pace requests with unref'd timers (they must not hold a finished process open); while
  // requests wait on them mid-cycle, this keeps a CLI process from exiting with the cycle half done.
  const keepAlive = setInterval(() => undefined, 60_000);
  // The connector's notes are retries and rate-limit waits: warnings, as a run that waits is slower than it should be.
  connector.setNoteListener?.(deps.log ? (text) => deps.log!(text, 'warn') : null);
  try {
    // Before anything is read or written: this store's data must be the connected account's. It
    // is the sync step's first request, so its progress starts here: a CRM out of reach then
    // reads "Syncing …: failed", as when the first pull cannot reach it.
    deps.onProgress?.('sync', 0, null);
    await checkCrmAccount(deps);
    const sync = await syncFromCrm(deps);
    at.sync = sync;
    signal?.throwIfAborted();
    at.step = 'train';
    const tiers = await tiersInUse(store, config);
    const train = await trainIfDue(deps, { force: options.forceTrain, tiers, syncCutShort: sync.cutShort });
    if (!train.trained) deps.log?.(`Training: ${train.reason}`);
    signal?.throwIfAborted();
    // Once per training (nightly under serve, daily under run), under this cycle's lock. Its own
    // step for a stop's words: the model is stored by then, so "while training" would mislead.
    if (train.trained) at.step = 'prune';
    const prune = train.trained ? await pruneAfterTraining(deps) : null;
    signal?.throwIfAborted();
    at.step = 'score';
    // The nightly retrain recomputes the ranking population; hourly cycles keep it while it is fresh.
    // The scoring pass notes what the CRM shows of each open lead, so the push reads none again.
    const crmShown = crmShownScores(tiers);
    const score = await scoreOpenLeads(deps, tiers, { reference: options.forceTrain ? 'recompute' : 'refresh', crmShown });
    if (score.skipped) deps.log?.(`Scoring: ${score.skipped}`);
    signal?.throwIfAborted();
    at.step = 'push';
    const push = await pushPendingScores(deps, tiers, crmShown);
    // Said once per situation: reprinted every hour, it would be read as a new problem each time.
    for (const action of await adminActionsToSay(store, crm, push)) deps.log?.(`Action for the CRM admin: ${action}`, 'warn');
    const active = await store.models.active(crm);
    const usageAfter = usageOf(connector);
    const summary: CycleSummary = {
      crm,
      sync,
      train,
      score,
      push,
      prune,
      model: active ? { version: active.version, auc: typeof active.metrics.auc === 'number' ? active.metrics.auc : null } : null,
      seconds: (performance.now() - started) / 1000,
      apiCalls: usageAfter && usageBefore ? usageAfter.apiCalls - usageBefore.apiCalls : null,
      rateLimited: usageAfter && usageBefore ? usageAfter.rateLimited - usageBefore.rateLimited : null,
    };
    await options.beforeFinish?.(summary);
    await store.runs.finish(run.id, { status: 'ok', summary: summary as unknown as Record<string, unknown> });
    return summary;
  } catch (caught) {
    const err =
      caught instanceof StopRequestedError
        ? stoppedCycle(caught, at)
        : store.kind === 'postgres' && isLostPostgresConnection(caught)
          ? lostStoreCycle(caught, store.location, at.step)
          : caught;
    // Logged once, by the caller that ends on it (the schedule, the admin page's retrain, serve's
    // first cycle; `run` prints it as its last word): said here too, each failure was two lines.
    const failure = runError(err, loopSecrets(deps));
    await store.runs.finish(run.id, { status: 'failed', error: failure.stored }).catch(() => undefined);
    throw err;
  } finally {
    clearInterval(keepAlive);
    connector.setNoteListener?.(null);
  }
}

/** Connectors may expose what they sent (HubSpot's `usage`); the Connector contract does not require it. */
function usageOf(connector: LoopDeps['connector']): { apiCalls: number; rateLimited: number } | null {
  const usage = (connector as { usage?: { apiCalls: number; rateLimited: number } }).usage;
  return usage ? { apiCalls: usage.apiCalls, rateLimited: usage.rateLimited } : null;
}
