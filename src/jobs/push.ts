import type { CrmName, PendingPushJob, PushReport, ScoreWrite } from '../../connectors/types.js';
import type { Tier } from '../config/tiers.js';
import type { StoredScore } from '../store/scores.js';
import { counted } from '../domain/counted.js';
import { LEAD_OBJECT, type LoopDeps } from './deps.js';
import { loadPushJobs, savePushJobs } from './push-jobs.js';
import { WRITTEN_FIELDS } from './score.js';
import { type CrmShownScores, rewrites, scanOpenLeads } from './crm-shown-scores.js';
import { schemaFields, settleRetiringOptions } from './retiring-tier-options.js';

export interface PushResult {
  /** Leads whose new values reached the CRM. */
  written: number;
  /**
   * Of the leads sent, those sent because the CRM showed other score values than leadlift last
   * wrote there (edited or imported in the CRM): see crm-shown-scores.ts.
   */
  corrected: number;
  /** Leads the CRM refused for good (their score is marked failed with the CRM's message). */
  failed: number;
  /** Leads that failed for a passing reason; they stay pending for the next run. */
  retryLater: number;
  /** Pending scores of leads the CRM deleted (archived) after they were scored: not sent, marked failed saying so. */
  archived: number;
  /** Pending scores of leads the CRM converted after they were scored (it refuses their edits): not sent, marked failed saying so. */
  converted: number;
  apiCalls: number;
  rateLimited: number;
  seconds: number;
  /** Fields created or updated in the CRM before writing. */
  schemaChanges: string[];
  /** The fields among schemaChanges that were created (they start with no field-level security in Salesforce). */
  fieldsCreated: string[];
  /** Things an admin must do by hand, from the connector. */
  adminActions: string[];
  /** A few of the CRM's refusals, for the person running the loop (not the leads a stop left unwritten: see `stopped`). */
  failures: Array<{ leadId: string; message: string }>;
  /**
   * Set when the connector stopped the push on purpose (the CRM's API allowance): why, in the
   * connector's words, and how many scores of the whole push it left pending (in retryLater too).
   */
  stopped?: { reason: string; unwritten: number };
  /**
   * Set when the day's remaining API allowance (HubSpot's daily limit for private apps) could not
   * finish this push, said before it began: `held` scores stayed pending (counted in `stopped` and
   * `retryLater` too), the rest were sent.
   */
  dailyLimit?: { remaining: number; needed: number; held: number; resetsAt: string };
}

/**
 * Writes every pending score to the CRM. Scores were stored as pending before this starts, and
 * each chunk is marked pushed as soon as the CRM confirms it, so a crash part-way leaves exactly
 * the unconfirmed chunks pending: the next run writes those and nothing else. Writes are
 * idempotent (same values), so a chunk confirmed by the CRM but not yet marked is at worst
 * written once more with identical values. A CRM write job whose outcome a push could not read
 * (PushReport.pendingJobs) is stored before its chunk is recorded, and the next run hands it back
 * with its leads first, so they are settled from the job's own report instead of written again.
 *
 * `shown` is what the scoring pass just before saw of the open leads (ScoreOptions.crmShown);
 * without it, or from another set of tiers, the open leads are read here.
 */
export async function pushPendingScores(deps: LoopDeps, tiers: readonly Tier[], shown?: CrmShownScores): Promise<PushResult> {
  const seen = shown?.complete && sameNames(shown.tierNames, tiers) ? shown : await scanOpenLeads(deps, tiers);
  const result = await pushScores(deps, tiers, seen);
  // Said once for the whole push, with its total: each chunk's report only knows its own.
  if (result.stopped) deps.log?.(`${result.stopped.reason} Left unwritten by this push: ${counted(result.stopped.unwritten, 'score')}.`, 'warn');
  // Only after the rewrite reached the CRM: a tier name the managers dropped goes once no lead shows it
  // (known only when every open lead was looked at).
  const removed = seen.only ? [] : await settleRetiringOptions(deps, tiers, seen);
  if (removed.length > 0) {
    result.schemaChanges.push(`${deps.connector.crm} tier options removed: ${removed.join(', ')}`);
    deps.log?.(`Tier options removed now that no lead holds them: ${removed.join(', ')}`);
  }
  return result;
}

function sameNames(names: ReadonlySet<string>, tiers: readonly Tier[]): boolean {
  return names.size === new Set(tiers.map((t) => t.name)).size && tiers.every((t) => names.has(t.name));
}

async function pushScores(deps: LoopDeps, tiers: readonly Tier[], shown: CrmShownScores): Promise<PushResult> {
  const { store, connector, config, manifest } = deps;
  const crm = connector.crm;
  const started = performance.now();
  const result: PushResult = { written: 0, corrected: 0, failed: 0, retryLater: 0, archived: 0, converted: 0, apiCalls: 0, rateLimited: 0, seconds: 0, schemaChanges: [], fieldsCreated: [], adminActions: [], failures: [] };
  const pendingScores = await store.scores.pending(crm);
  // Leads whose score fields the CRM shows otherwise than leadlift wrote them get their values
  // written again, even when their score has not changed since.
  const shownOther = shown.differ;
  const pendingIds = new Set(pendingScores.map((s) => s.leadId));
  const settled = [...shownOther].filter((id) => !pendingIds.has(id));
  const waiting = [...pendingScores, ...rewrites(await store.scores.latest(crm, settled), new Set(settled))];
  if (waiting.length === 0) return result;

  // A lead deleted in the CRM since it was scored has nothing left to write to; sending it would
  // only come back as the CRM's "not found", again on every run.
  // Converted since it was scored: Salesforce refuses every edit of a converted lead
  // (CANNOT_UPDATE_CONVERTED_LEAD), and it is no open lead any more.
  const { archived: gone, converted } = await store.records.unwritableAmong(crm, LEAD_OBJECT, waiting.map((s) => s.leadId));
  const pending = waiting.filter((s) => !gone.has(s.leadId) && !converted.has(s.leadId));
  if (gone.size > 0) {
    const dropped = waiting.filter((s) => gone.has(s.leadId));
    await store.scores.markFailed(crm, dropped.map((s) => ({ ...key(s), error: deletedMessage(crm, s.leadId) })));
    result.archived = dropped.length;
  }
  if (converted.size > 0) {
    const dropped = waiting.filter((s) => converted.has(s.leadId));
    await store.scores.markFailed(crm, dropped.map((s) => ({ ...key(s), error: convertedMessage(s.leadId) })));
    result.converted = dropped.length;
  }
  if (pending.length === 0) return finish(result, started);

  // A pending score equal to what the CRM was last sent needs no write (e.g. a rescore back to the
  // pushed values), unless the CRM shows something else now.
  const needed = new Set((await store.scores.changedSincePush(crm, pending, WRITTEN_FIELDS)).map((s) => s.leadId));
  for (const id of shownOther) needed.add(id);
  const same = pending.filter((s) => !needed.has(s.leadId));
  if (same.length > 0) await store.scores.markUnchanged(crm, same.map(key));
  const toWrite = pending.filter((s) => needed.has(s.leadId));
  if (toWrite.length === 0) return finish(result, started);
  result.corrected = toWrite.filter((s) => shownOther.has(s.leadId)).length;
  if (result.corrected > 0) {
    deps.log?.(`${counted(result.corrected, 'lead')} showed other score values in the CRM than leadlift last wrote (edited or imported there): writing ${result.corrected === 1 ? 'it' : 'them'} again.`);
  }

  deps.signal?.throwIfAborted();
  const schema = await connector.ensureSchema(await schemaFields(store, manifest, crm, tiers));
  result.schemaChanges = [...schema.created, ...schema.updated];
  result.fieldsCreated = [...schema.created];
  result.adminActions = schema.adminActions;

  let done = 0;
  deps.onProgress?.('push', 0, toWrite.length);
  const carried: PendingPushJob[] = [];
  let saved: Promise<void> = Promise.resolve();
  // One save after another, each with the whole list, so a slow save never undoes a later one.
  const keepJobs = (jobs: PendingPushJob[], always = false): Promise<void> => {
    if (jobs.length === 0 && !always) return saved;
    carried.push(...jobs);
    const list = [...carried];
    saved = saved.then(() => savePushJobs(store, crm, list));
    return saved;
  };

  // Leads of jobs an earlier push could not read go first, in one call with those jobs.
  let rest = toWrite;
  const jobs = await loadPushJobs(store, crm);
  if (jobs.length > 0) {
    const inJobs = new Set(jobs.flatMap((j) => j.leadIds));
    const resumed = toWrite.filter((s) => inJobs.has(s.leadId));
    rest = toWrite.filter((s) => !inJobs.has(s.leadId));
    const sending = await notForgotten(deps, resumed);
    const report = sending.length > 0 ? await connector.pushScores(sending.map(asScoreWrite), jobs) : null;
    await keepJobs(report?.pendingJobs ?? [], true);
    if (report) await record(deps, sending, report, result, shown);
    done += resumed.length - (report?.stopped?.unwritten ?? 0);
    deps.onProgress?.('push', done, toWrite.length);
  }

  const { concurrency } = config.loop.push;
  // A large Salesforce run goes as one Bulk API 2.0 job (a handful of calls out of the org's daily
  // allocation instead of one per 200 leads); otherwise chunks of the CRM's own batch size (or the
  // configured one) keep a crash's repeat small and cost one request each.
  const chunkSize = connector.planPush?.(rest.length)?.chunkSize ?? config.loop.push.chunkSize ?? connector.pushBatchSize;
  // A push the day's allowance clearly cannot finish is cut to what fits before it starts, said up
  // front: the held scores stay pending for the first run after the reset, as a push that met the limit leaves them.
  // Stopped by the CRM (resuming jobs above, or a chunk below): the chunks after would be refused the same way.
  let crmStopped = result.stopped !== undefined;
  const hold = connector.pushWithinDailyLimit?.(rest.length) ?? null;
  if (hold) {
    const held = rest.length - hold.fits;
    deps.log?.(`${hold.reason} Writing ${counted(hold.fits, 'score')} of ${rest.length.toLocaleString('en-US')} now; ${counted(held, 'score')} held.`, 'warn');
    result.dailyLimit = { remaining: hold.remaining, needed: hold.needed, held, resetsAt: hold.resetsAt };
    result.stopped = { reason: hold.reason, unwritten: held };
    result.retryLater += held;
    rest = rest.slice(0, hold.fits);
  }
  const chunks: StoredScore[][] = [];
  for (let i = 0; i < rest.length; i += chunkSize) chunks.push(rest.slice(i, i + chunkSize));
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      deps.signal?.throwIfAborted();
      const selected = chunks[next++];
      // Once the connector stopped the push, the other chunks would only be refused the same way:
      // they stay pending for the next run.
      // Held-back scores are not counted as done: the step's progress ends short of its total, saying why.
      if (crmStopped && result.stopped) {
        result.stopped.unwritten += selected.length;
        result.retryLater += selected.length;
        continue;
      }
      const chunk = await notForgotten(deps, selected);
      let held = 0;
      if (chunk.length > 0) {
        const report = await connector.pushScores(chunk.map(asScoreWrite));
        await keepJobs(report.pendingJobs ?? []);
        await record(deps, chunk, report, result, shown);
        held = report.stopped?.unwritten ?? 0;
        if (report.stopped) crmStopped = true;
      }
      done += selected.length - held;
      deps.onProgress?.('push', done, toWrite.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, chunks.length) }, worker));
  return finish(result, started);
}

async function record(deps: LoopDeps, chunk: StoredScore[], report: PushReport, result: PushResult, shown: CrmShownScores): Promise<void> {
  const crm = deps.connector.crm;
  const byLead = new Map(chunk.map((s) => [s.leadId, s]));
  const written = report.written.map((id) => byLead.get(id)).filter((s): s is StoredScore => s !== undefined);
  const refused = report.failed.filter((f) => !f.retryable && byLead.has(f.leadId));
  const gone = refused.filter((f) => f.gone).map((f) => f.leadId);
  // Deleted for good in the CRM: not scored again (the archived pass cannot see a purged record).
  if (gone.length > 0) await deps.store.records.markArchived(crm, LEAD_OBJECT, gone);
  await deps.store.scores.markPushed(crm, written.map(key));
  // What the CRM shows now: a pending score from older tiers may have written a dropped tier name.
  for (const s of written) if (!shown.tierNames.has(s.tier)) shown.offTier.set(s.leadId, s.tier);
  if (refused.length > 0) await deps.store.scores.markFailed(crm, refused.map((f) => ({ ...key(byLead.get(f.leadId)!), error: f.message })));
  result.written += written.length;
  result.failed += refused.length;
  result.retryLater += report.failed.filter((f) => f.retryable && byLead.has(f.leadId)).length;
  result.apiCalls += report.apiCalls;
  result.rateLimited += report.rateLimited;
  const stop = report.stopped;
  if (stop) result.stopped = { reason: result.stopped?.reason ?? stop.reason, unwritten: (result.stopped?.unwritten ?? 0) + stop.unwritten };
  for (const f of report.failed) {
    if (stop && f.retryable && f.message === stop.reason) continue;
    if (result.failures.length < 5) result.failures.push({ leadId: f.leadId, message: f.message });
  }
}

/**
 * The last look before a CRM call, one look-up per chunk: a privacy deletion does not wait for the
 * cycle lock, so a lead selected at the start of the push may have been forgotten since. Its
 * scores are gone from the store with it; nothing is recorded for it.
 */
async function notForgotten(deps: LoopDeps, scores: StoredScore[]): Promise<StoredScore[]> {
  if (scores.length === 0) return scores;
  const forgotten = await deps.store.forgottenLeads.among(deps.connector.crm, scores.map((s) => s.leadId));
  return forgotten.size === 0 ? scores : scores.filter((s) => !forgotten.has(s.leadId));
}

function deletedMessage(crm: CrmName, leadId: string): string {
  const what = crm === 'hubspot' ? 'HubSpot contact' : 'Salesforce lead';
  return `Not written: ${what} ${leadId} was deleted (archived) after it was scored. Nothing to do unless it is restored; it is scored again then.`;
}

function convertedMessage(leadId: string): string {
  return `Not written: Salesforce lead ${leadId} was converted after it was scored, and Salesforce does not let a converted lead be edited. Nothing to do: it is no longer scored as an open lead, and its opportunity's outcome is what the model learns from.`;
}

function asScoreWrite(s: StoredScore): ScoreWrite {
  return { leadId: s.leadId, score: s.score, tier: s.tier, probability: s.probability, reasons: s.reasons, trend: s.trend, modelVersion: s.modelVersion, scoredAt: s.scoredAt };
}

function key(s: StoredScore): { leadId: string; scoredAt: string } {
  return { leadId: s.leadId, scoredAt: s.scoredAt };
}

function finish(result: PushResult, started: number): PushResult {
  result.seconds = (performance.now() - started) / 1000;
  return result;
}
