import { CRM_NAMES, type Connector, type CrmName } from '../../connectors/types.js';
import type { AppConfig } from '../config/schema.js';
import { LeadliftError } from '../domain/errors.js';
import type { Manifest } from '../domain/manifest.js';
import { cycleLockName, runCycle, type CycleSummary } from '../jobs/cycle.js';
import { withCycleLock, type CycleLockOptions, type CycleLockResult } from '../jobs/cycle-lock.js';
import type { CycleStep, LoopDeps, StepName } from '../jobs/deps.js';
import { pushPendingScores, type PushResult } from '../jobs/push.js';
import { loopSecrets, runError } from '../jobs/run-error.js';
import { schemaFields } from '../jobs/retiring-tier-options.js';
import { crmShownScores } from '../jobs/crm-shown-scores.js';
import { checkCrmAccount } from '../jobs/crm-account-check.js';
import { scoreOpenLeads, type ScoreResult } from '../jobs/score.js';
import { StopRequestedError, stoppedCycle } from '../jobs/stop-request.js';
import { syncFromCrm, type SyncResult } from '../jobs/sync.js';
import { syncNamedLeads } from '../jobs/sync-named-leads.js';
import { tiersInUse } from '../jobs/tiers-in-use.js';
import type { TrainResult } from '../jobs/train.js';
import type { Store } from '../store/store.js';
import type { CrmConnections } from './crm-connections.js';
import { heldScoresText } from './held-scores.js';
import { promotionReason } from './promotion-reason.js';
import { runProgressWriter, type RunProgressWriter } from './run-progress-writer.js';
import { sharedActivity } from './shared-activity.js';
import { counted } from './views/counted.js';

/** What the install and model pages show about the loop's background work for one CRM. */
export interface LoopActivity {
  crm: CrmName;
  /** 'cycle': work this page did not start (the schedule's cycle, a webhook's rescore, another process) holds the CRM's cycle lock. */
  task: 'install' | 'retrain' | 'rescore' | 'cycle' | null;
  state: 'idle' | 'running' | 'done' | 'failed';
  step: 'schema' | StepName | null;
  done: number;
  total: number;
  message: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface RescoreResult {
  crm: CrmName;
  score: ScoreResult;
  push: PushResult;
}

export interface LoopRunner {
  /**
   * Syncs what changed, scores the changed open leads with the active model and writes back
   * only what differs from what the CRM shows. Calls during a rescore are folded into one more.
   * `leadIds` (a webhook's contacts): only those are read (by id, when the connector can and
   * they are few: syncNamedLeads), scored and written, and no sync cursor moves; without them, or
   * folded with a call without them, it is an incremental sync of everything.
   */
  rescore(crm: CrmName, leadIds?: readonly string[]): Promise<RescoreResult | null>;
  /** Starts a cycle with a forced retrain in the background (the model page's button). */
  startRetrain(crm: CrmName): { started: boolean; message: string };
  /** Schema creation then a first full cycle, in the background (after an install). */
  startInstall(crm: CrmName): { started: boolean; message: string };
  activity(crm: CrmName): LoopActivity;
  /**
   * activity(), or, when nothing this page started is running but the CRM's cycle lock is held
   * (the schedule, a webhook rescore, a `leadlift run` elsewhere), that work: the pages must not
   * say "idle" while a cycle runs.
   */
  activityNow(crm: CrmName): Promise<LoopActivity>;
  /** Resolves once no background task is running (tests, shutdown). */
  idle(): Promise<void>;
  /** The stop that cut a task short (a retrain, an install's cycle, a rescore), with what it kept; null when none was. */
  stopped(): StopRequestedError | null;
}

/** What the page says is already under way when a button is pressed again (see track). */
const BUSY_WORDS: Record<NonNullable<LoopActivity['task']>, string> = { retrain: 'A retrain of', install: 'The install of', rescore: 'A rescore of', cycle: 'A scoring cycle of' };

export interface LoopRunnerDeps {
  store: Store;
  config: AppConfig;
  manifest: Manifest;
  connections: CrmConnections;
  /** The server's log; `level` as the loop's notes carry it (deps.ts), a failed task at error, as a failed scheduled cycle. */
  log: (message: string, level?: 'info' | 'warn' | 'error') => void;
  /** Observer for every finished rescore (metrics). */
  onRescore?: (result: RescoreResult) => void;
  /** A rescore that finds a cycle running waits this long before trying again (default 2 s). */
  busyRetryMs?: number;
  /** The rescore's lock renewals (tests renew on cue to lose the lock mid-rescore); the TTL defaults to 5 minutes. */
  rescoreLock?: CycleLockOptions;
  /**
   * Aborted on SIGINT/SIGTERM (serve's stopOnSignal): a retrain, an install's cycle or a rescore
   * under way stops at its next safe point, as a scheduled cycle does, and none waits its turn or
   * starts after it, so shutdown waits for nothing past that point.
   */
  stop?: AbortSignal;
}

const RESCORE_LOCK_TTL_MS = 5 * 60_000;
/** How long a retrain or install asked for while another cycle runs waits its turn (a full first sync can take this long). */
const QUEUED_WAIT_MS = 60 * 60_000;
const BUSY_RETRIES = 60;

export function createLoopRunner(deps: LoopRunnerDeps): LoopRunner {
  const activities = new Map<CrmName, LoopActivity>();
  const background = new Set<Promise<unknown>>();
  /** `leads`: what the next turn reads, the named leads of the calls folded into it, or 'all' once one call named none. */
  const rescores = new Map<CrmName, { running: Promise<RescoreResult | null>; again: boolean; leads: Wanted }>();
  let stoppedBy: StopRequestedError | null = null;
  const stop = deps.stop;
  /** A wait (a turn, a retry) that a stop request ends at once. */
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        stop?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      stop?.addEventListener('abort', done, { once: true });
    });

  /** The rescore under way or the last one, apart from `activities`: a retrain pressed during a rescore waits its turn, not "Already busy". */
  const rescoreActivities = new Map<CrmName, LoopActivity>();

  /** What runs (an install or retrain first: a rescore cannot run inside its cycle), else the last to finish. */
  const activity = (crm: CrmName): LoopActivity => {
    const own = activities.get(crm);
    const rescore = rescoreActivities.get(crm);
    if (own?.state === 'running' || !rescore) return own ?? { crm, task: null, state: 'idle', step: null, done: 0, total: 0, message: 'Nothing running.', startedAt: null, finishedAt: null };
    if (rescore.state === 'running' || !own) return rescore;
    return (rescore.finishedAt ?? '') > (own.finishedAt ?? '') ? rescore : own;
  };

  const connectorFor = (crm: CrmName): Connector => {
    const connector = deps.connections.get(crm);
    if (!connector) throw new LeadliftError(`${CRM_NAMES[crm]} is not connected yet; connect it on the install page.`);
    return connector;
  };

  /** `changed`: told after each change of `track` (the words shared with other instances, runs.progress). */
  const loopDeps = (connector: Connector, track?: LoopActivity, changed?: () => void): LoopDeps => ({
    store: deps.store,
    config: deps.config,
    manifest: deps.manifest,
    connector,
    log: (message, level) => {
      deps.log(`${connector.crm}: ${message}`, level);
      if (track) track.message = message;
      changed?.();
    },
    onProgress: track
      ? (step, done, total) => {
          track.step = step;
          track.done = done;
          track.total = total ?? 0; // 0: a count with no total (the page shows it so far)
          track.message = STEP_WORDS[step];
          changed?.();
        }
      : undefined,
  });

  const track = (crm: CrmName, task: LoopActivity['task'], work: (a: LoopActivity) => Promise<string>): { started: boolean; message: string } => {
    const current = activities.get(crm);
    // Shown to the manager who pressed the button again: "retrain of hubspot" was the code's words, not theirs.
    if (current?.state === 'running') return { started: false, message: `${BUSY_WORDS[current.task ?? 'rescore']} ${CRM_NAMES[crm]} is already running, so nothing new was started; the status line shows how far it is.` };
    const a: LoopActivity = { crm, task, state: 'running', step: null, done: 0, total: 0, message: 'Starting…', startedAt: new Date().toISOString(), finishedAt: null };
    activities.set(crm, a);
    const job = work(a)
      .then((message) => Object.assign(a, { state: 'done', message }))
      .catch((err: unknown) => {
        // What a failed run stores (run-error.ts): leadlift's own words, a stop's included, as they
        // are; nothing that may quote a secret. The log has the scrubbed text.
        const failure = runError(err, loopSecrets({ store: deps.store, connector: deps.connections.get(crm) ?? undefined }));
        // A stop is no failure: said at warn with what was kept, as a stopped scheduled cycle is.
        if (err instanceof StopRequestedError) {
          stoppedBy ??= err;
          deps.log(`${crm}: ${task} stopped: ${failure.stored}`, 'warn');
        } else deps.log(`${crm}: ${task} failed: ${failure.logged ?? failure.stored}`, 'error');
        Object.assign(a, { state: 'failed', message: failure.stored });
      })
      .finally(() => {
        a.finishedAt = new Date().toISOString();
        background.delete(job);
      });
    background.add(job);
    return { started: true, message: `${task} of ${crm} started.` };
  };

  /** Who holds the CRM's cycle lock now, unless that lock has expired. */
  const liveCycleHolder = async (crm: CrmName) => {
    const holder = await deps.store.runLock.holder(cycleLockName(crm));
    return holder && Date.parse(holder.expiresAt) > Date.now() ? holder : null;
  };

  /**
   * A stop before the task's cycle started, said for that task: an install has already created
   * the leadlift fields in the CRM, so the signal's own "nothing was changed" would be false.
   */
  const throwIfStoppedBeforeCycle = (task: LoopActivity['task']): void => {
    if (!stop?.aborted) return;
    const reason: unknown = stop.reason;
    if (!(reason instanceof StopRequestedError)) throw reason;
    const name = reason.signalName;
    throw new StopRequestedError(
      name,
      task === 'install'
        ? `Stopped by ${name} before the install's cycle started: the leadlift fields are created; the cycle did not start.`
        : `Stopped by ${name} before the retrain's cycle started; nothing was changed.`,
    );
  };

  /** Until no other process holds the CRM's cycle lock: a retrain pressed during a cycle runs after it, not never. */
  const waitForTurn = async (crm: CrmName, a: LoopActivity): Promise<void> => {
    const until = Date.now() + QUEUED_WAIT_MS;
    for (;;) {
      throwIfStoppedBeforeCycle(a.task);
      const holder = await liveCycleHolder(crm);
      if (!holder || Date.now() >= until) return;
      a.message = `Waiting for the cycle under way (since ${clockTime(holder.acquiredAt)}) to finish; this ${a.task} starts right after it.`;
      await pause(deps.busyRetryMs ?? 2000);
    }
  };

  /** `after`: said after the cycle's words in the outcome (an install's actions left to do by hand). */
  const cycleWith = async (crm: CrmName, a: LoopActivity, forceTrain: boolean, after = ''): Promise<string> => {
    await waitForTurn(crm, a);
    throwIfStoppedBeforeCycle(a.task);
    // The page's words, shared through the cycle's run so every instance behind the balancer shows them (shared-activity.ts).
    let shared: RunProgressWriter | null = null;
    const share = () => shared?.changed({ task: a.task as 'install' | 'retrain', step: a.step, done: a.done, total: a.total, message: a.message, startedAt: a.startedAt! });
    const onRun = (runId: string) => {
      shared = runProgressWriter(deps.store.runs, runId);
      share();
    };
    let text = '';
    const beforeFinish = async (summary: CycleSummary) => {
      text = `${await cycleText(crm, summary)}${after}`;
      await shared?.end(text);
    };
    try {
      const outcome = await runCycle({ ...loopDeps(connectorFor(crm), a, share), onRun }, { forceTrain, stop, beforeFinish });
      // Another cycle's lock outlasted the wait: leadlift's own words, shown as they are.
      if (!outcome.ran) throw new LeadliftError(outcome.reason);
      return text;
    } finally {
      (shared as RunProgressWriter | null)?.close();
    }
  };

  /** How a cycle the page started ended, for its status line. */
  const cycleText = async (crm: CrmName, s: CycleSummary): Promise<string> => {
    const model = s.model ? `scored with model ${s.model.version}${s.model.auc !== null ? ` (AUC ${s.model.auc.toFixed(3)})` : ''}` : 'no model yet';
    // No "Done" here: the page puts the state ("Done.", "Finished at …:") before this text.
    const held = await heldScoresText(deps.store, crm, s.push);
    const done = `${counted(s.sync.leads, 'lead')} synced, ${s.score.scored.toLocaleString('en-US')} scored, ${s.push.written.toLocaleString('en-US')} written${held}; ${model}.`;
    return s.train.trained ? `${await trainedText(crm, s.train)} ${done}` : `${done} ${sentence(s.train.reason)}`.trim();
  };

  /** The retrain's outcome first: a manager who pressed the button wants to know if the new model is in use, and why (not). */
  const trainedText = async (crm: CrmName, train: TrainResult): Promise<string> => {
    const stored = train.version ? await deps.store.models.get(crm, train.version) : null;
    const reason = stored ? promotionReason(stored.metrics) : null;
    const text = reason?.text ?? (train.promoted ? 'Promoted' : 'Not promoted');
    return `Trained model ${train.version}: ${text.charAt(0).toLowerCase()}${text.slice(1)}.`;
  };

  async function rescoreOnce(crm: CrmName, wanted: Wanted): Promise<RescoreResult | null> {
    const connector = deps.connections.get(crm);
    if (!connector) return null;
    const began = performance.now();
    for (let attempt = 0; attempt <= BUSY_RETRIES; attempt++) {
      // Asked to stop: what changed is picked up by the next sync after the restart.
      if (stop?.aborted) return null;
      // Where a stop caught the rescore, for its words (stoppedCycle): as a cycle's, without training.
      const at: { step: CycleStep; sync: SyncResult | null; recordsReceived: number } = { step: 'sync', sync: null, recordsReceived: 0 };
      // Shown once the lock is held: until then the pages say which cycle holds it (activityNow).
      const shown: { a: LoopActivity | null } = { a: null };
      // Its words once done, said as its run closes (under the lock) and then by the log and the page.
      const ended = { text: '', line: '' };
      let locked: CycleLockResult<RescoreResult>;
      try {
        // The cycle's lock, so a rescore that loses it stops before its next write (CycleLockLostError) as a cycle does.
        locked = await withCycleLock(
          deps.store,
          cycleLockName(crm),
          async (signal) => {
            const a: LoopActivity = { crm, task: 'rescore', state: 'running', step: null, done: 0, total: 0, message: 'Starting…', startedAt: new Date().toISOString(), finishedAt: null };
            shown.a = a;
            rescoreActivities.set(crm, a);
            // Its own run, under the lock as a cycle's: the instances that did not start it show its
            // step and words (shared-activity.ts), not only "a cycle is running". Kind 'rescore', so
            // the last cycle the model page and the metrics tell of stays a whole cycle.
            const run = await deps.store.runs.start('rescore', crm);
            const shared = runProgressWriter(deps.store.runs, run.id);
            const share = () => shared.changed({ task: 'rescore', step: a.step, done: a.done, total: a.total, message: a.message, startedAt: a.startedAt! });
            share();
            try {
              const tracked = loopDeps(connector, a, share);
              const onProgress = (step: StepName, done: number, total: number | null) => {
                if (step === 'sync') at.recordsReceived = done;
                tracked.onProgress!(step, done, total);
              };
              const loop: LoopDeps = { ...tracked, signal, onProgress };
              await checkCrmAccount(loop);
              // A webhook's few contacts are read by id: a sync would read back every contact the
              // CRM re-dated since the last one (our own write-back included) to find them.
              const named = wanted === 'all' ? null : await syncNamedLeads(loop, [...wanted]);
              at.sync = named?.sync ?? (await syncFromCrm(loop));
              signal.throwIfAborted();
              at.step = 'score';
              const tiers = await tiersInUse(deps.store, deps.config);
              // The open pipeline's ranking stored by the last cycle; recomputing it per webhook would cost a full pass.
              // It is also what makes a lead scored on its own score as a full cycle would score it.
              const crmShown = crmShownScores(tiers);
              const score = await scoreOpenLeads(loop, tiers, { reference: 'stored', crmShown, ...(named ? { leadIds: named.leadIds } : {}) });
              signal.throwIfAborted();
              at.step = 'push';
              const push = await pushPendingScores(loop, tiers, crmShown);
              const value: RescoreResult = { crm, score, push };
              // Closed before the lock is let go: an open run with no holder reads as one whose instance died.
              const ms = performance.now() - began;
              ended.text = rescoredText(value, at.sync, ms);
              ended.line = rescoredLine(value, at.sync, ms);
              // The Salesforce poll rescores every minute: one that found no lead or outcome changed
              // and wrote nothing leaves no run, or the runs table would grow by 1,440 rows a day of nothing.
              const idle = at.sync.leadsChanged + at.sync.outcomesChanged + push.written + push.failed === 0;
              if (idle) await deps.store.runs.discard(run.id);
              else {
                await shared.end(ended.text);
                await deps.store.runs.finish(run.id, { status: 'ok', summary: { leads: wanted === 'all' ? null : wanted.size, synced: at.sync.leads, scored: score.scored, written: push.written } });
              }
              return value;
            } catch (err) {
              const words = err instanceof StopRequestedError ? stoppedCycle(err, at).message : runError(err, loopSecrets({ store: deps.store, connector })).stored;
              await deps.store.runs.finish(run.id, { status: 'failed', error: words }).catch(() => undefined);
              throw err;
            } finally {
              shared.close();
            }
          },
          { ttlMs: RESCORE_LOCK_TTL_MS, onTakeOver: (text) => deps.log(`${crm}: ${text}`, 'warn'), ...deps.rescoreLock, stop },
        );
      } catch (err) {
        if (!(err instanceof StopRequestedError)) {
          // The page gets what a failed retrain's would (run-error.ts); the callers log the error itself.
          if (shown.a) finish(shown.a, 'failed', runError(err, loopSecrets({ store: deps.store, connector })).stored);
          throw err;
        }
        // Its callers log a rejection as a failure; a stop is none, and is said here with what was kept.
        const stopped = stoppedCycle(err, at);
        stoppedBy ??= stopped;
        deps.log(`${crm}: rescore stopped: ${stopped.message}`, 'warn');
        if (shown.a) finish(shown.a, 'failed', stopped.message);
        return null;
      }
      if (locked.acquired) {
        deps.log(ended.line);
        if (shown.a) finish(shown.a, 'done', ended.text);
        deps.onRescore?.(locked.value);
        return locked.value;
      }
      // A cycle holds the lock; what changed may be after its sync, so try again once it is done.
      await pause(deps.busyRetryMs ?? 2000);
    }
    deps.log(`${crm}: rescore gave up waiting for the running cycle; the next scheduled sync picks the changes up`);
    return null;
  }

  /** A refusal before an install's cycle is stored as a failed cycle run, so the run history says why nothing happened. */
  const refusedInstallRecorded = async (crm: CrmName, check: () => Promise<void>): Promise<void> => {
    try {
      await check();
    } catch (err) {
      const run = await deps.store.runs.start('cycle', crm);
      await deps.store.runs.finish(run.id, { status: 'failed', error: runError(err, loopSecrets({ store: deps.store, connector: deps.connections.get(crm) ?? undefined })).stored });
      throw err;
    }
  };

  const finish = (a: LoopActivity, state: 'done' | 'failed', message: string) => Object.assign(a, { state, message, finishedAt: new Date().toISOString() });

  return {
    rescore(crm, leadIds) {
      const current = rescores.get(crm);
      if (current) {
        current.again = true;
        current.leads = folded(current.leads, leadIds);
        return current.running;
      }
      const entry = { running: null as unknown as Promise<RescoreResult | null>, again: false, leads: folded(new Set(), leadIds) };
      const run = async (): Promise<RescoreResult | null> => {
        let result: RescoreResult | null = null;
        do {
          entry.again = false;
          const wanted = entry.leads;
          entry.leads = new Set();
          result = await rescoreOnce(crm, wanted);
        } while (entry.again && !stop?.aborted);
        return result;
      };
      entry.running = run().finally(() => {
        rescores.delete(crm);
        background.delete(entry.running);
      });
      rescores.set(crm, entry);
      background.add(entry.running);
      return entry.running;
    },

    startRetrain: (crm) => track(crm, 'retrain', (a) => cycleWith(crm, a, true)),

    startInstall: (crm) =>
      track(crm, 'install', async (a) => {
        a.step = 'schema';
        // Before the fields are created: an install into another portal or org than the store's data is refused, recorded as its cycle would be.
        await refusedInstallRecorded(crm, () => checkCrmAccount(loopDeps(connectorFor(crm), a)));
        a.message = 'Creating the leadlift fields in the CRM…';
        const tiers = await tiersInUse(deps.store, deps.config);
        const report = await connectorFor(crm).ensureSchema(await schemaFields(deps.store, deps.manifest, crm, tiers));
        const actions = report.adminActions.length > 0 ? ` Still to do by hand: ${report.adminActions.join(' ')}` : '';
        return cycleWith(crm, a, false, actions);
      }),

    activity,

    async activityNow(crm) {
      const own = activity(crm);
      if (own.state === 'running') return own;
      const holder = await liveCycleHolder(crm);
      // An install or retrain another instance runs (or ran): its words, as that instance shows them.
      const shared = sharedActivity(crm, await deps.store.runs.lastWithProgress(crm), holder);
      if (shared?.state === 'running') return shared;
      if (!holder) return shared && (shared.finishedAt ?? '') > (own.finishedAt ?? '') ? shared : own;
      return {
        crm,
        task: 'cycle',
        state: 'running',
        step: null,
        done: 0,
        total: 0,
        message: `A cycle is running (since ${clockTime(holder.acquiredAt)}: the schedule's sync and scoring, a rescore after a CRM edit or a tier save, or \`leadlift run\`). Retrain now waits for it.`,
        startedAt: holder.acquiredAt,
        finishedAt: null,
      };
    },

    async idle() {
      while (background.size > 0) await Promise.allSettled([...background]);
    },

    stopped: () => stoppedBy,
  };
}

/** The leads a rescore reads: those named, or every change since the sync's cursor. */
type Wanted = ReadonlySet<string> | 'all';

/** A call folded into the next turn: its leads added, or 'all' when it named none (a tier save, a rollback). */
function folded(leads: Wanted, more: readonly string[] | undefined): Wanted {
  if (leads === 'all' || more === undefined) return 'all';
  return new Set([...leads, ...more]);
}

const STEP_WORDS: Record<StepName, string> = {
  sync: 'Reading leads and outcomes from the CRM…',
  train: 'Training a model on your closed leads…',
  score: 'Scoring open leads…',
  push: 'Writing scores back to the CRM…',
};

/** "2026-12-01T19:02:51.371Z" -> "19:02 UTC", as the pages show times. */
function clockTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(11, 16)} UTC`;
}

/** "the active model is recent enough; no training due" -> "The active model is recent enough; no training due." */
function sentence(text: string): string {
  const t = text.trim();
  if (t === '') return '';
  return `${t.charAt(0).toUpperCase()}${t.slice(1)}${/[.!?]$/.test(t) ? '' : '.'}`;
}

/**
 * One line per rescore (a webhook's, a tier save's): without it a rep's edit that was rescored
 * and one that was missed looked the same in the log.
 */
export function rescoredLine(result: RescoreResult, sync: SyncResult | null, ms: number): string {
  return `${result.crm}: rescored: ${rescoreCounts(result, sync, ms)}`;
}

/** The same counts for the install and model pages, after their "Finished 19:02 UTC: ". */
export function rescoredText(result: RescoreResult, sync: SyncResult | null, ms: number): string {
  return `Rescored: ${rescoreCounts(result, sync, ms)}.`;
}

function rescoreCounts(result: RescoreResult, sync: SyncResult | null, ms: number): string {
  const changed = sync ? `${count(sync.leadsChanged, 'changed lead')} synced, ` : '';
  return `${changed}${count(result.score.scored, 'lead')} scored, ${count(result.push.written, 'lead')} written to the CRM (${(ms / 1000).toFixed(1)} s)`;
}

function count(n: number, what: string): string {
  return `${n.toLocaleString('en-US')} ${what}${n === 1 ? '' : 's'}`;
}
