import Bottleneck from 'bottleneck';
import type { SaveResult } from 'jsforce';
import type { PendingPushJob, PushReport, ScoreWrite } from '../types.js';
import type { Manifest } from '../../src/domain/manifest.js';
import { chunks } from '../shared/chunks.js';
import type { ApiCaller, CallStats } from './api-caller.js';
import { apiBudgetKeeper, type ApiBudget, type BudgetSource } from './api-budget.js';
import { BULK_FIXED_REQUESTS, bulkUpdate, type BulkOutcome } from './bulk-push.js';
import { BULK_RESUME_REQUESTS, resumeBulkJob } from './bulk-resume.js';
import type { SalesforceConfig } from './config.js';
import {
  SalesforceApiBudgetError,
  SalesforceFieldAccessError,
  SalesforceGrantError,
  SalesforceSessionError,
  isDailyLimit,
  fieldAccessRefusal,
  isTransient,
  type SalesforceError,
} from './errors.js';
import { RETRYABLE_RECORD_ERRORS, scoreFieldNames, toScoreRecord, type ScoreRecord } from './score-record.js';
import { waitBeforeRound } from '../shared/resend-delay.js';

/**
 * Writes scores onto the scored object. Everyday volumes go through sObject Collections PATCH in
 * 200s with allOrNone=false, so one bad record does not cost the other 199 their scores; a run
 * with more scores than `bulkThreshold` goes through one Bulk API 2.0 job. Records that failed
 * for a passing reason (UNABLE_TO_LOCK_ROW, a 5xx) are sent again; the rest are reported with
 * Salesforce's message. Writing the same values twice changes nothing, so a push can always be
 * repeated. Before sending, the org's API allocation is read, and the push stops cleanly (every
 * unsent score reported, nothing thrown) when its share is spent.
 *
 * A Bulk API job that was accepted but could not be followed to its report (the network failed
 * past the retries, or Salesforce was still processing it at bulkPollTimeoutMs) comes back as
 * `pendingJobs`. The connector keeps no state of its own: like a
 * sync cursor, the loop stores what the report hands back (src/jobs/push.ts, checkpoints table)
 * and passes it in next time, so this push first reads those jobs' reports and sends only what
 * they did not write. That keeps durability where the loop already commits, with no second store.
 */

type FailureMap = Map<string, { message: string; retryable: boolean }>;

/** Errors after which no further write can succeed: stop and tell the admin. */
const FATAL = [SalesforceFieldAccessError, SalesforceSessionError, SalesforceGrantError];

export async function pushSalesforceScores(
  caller: ApiCaller,
  config: SalesforceConfig,
  manifest: Manifest,
  scores: ScoreWrite[],
  budgetFor: BudgetSource = apiBudgetKeeper(caller, config),
  pendingJobs: PendingPushJob[] = [],
): Promise<PushReport> {
  const stats: CallStats = { apiCalls: 0, rateLimited: 0 };
  const names = scoreFieldNames(manifest);
  // A collection naming an id twice is refused; the last score for a lead is the one meant.
  const latest = new Map<string, ScoreRecord>();
  for (const score of scores) latest.set(score.leadId, toScoreRecord(score, names));
  const written = new Set<string>();
  const failed: FailureMap = new Map();
  // A job none of whose leads is handed in now has nothing left to tell: it is dropped.
  if (latest.size === 0) return { written: [], failed: [], apiCalls: 0, rateLimited: 0 };

  const budget = await budgetFor(stats);
  let stopped: string | null = null;
  const carried: PendingPushJob[] = [];
  const take = (outcome: BulkOutcome) => {
    for (const id of outcome.written) written.add(id);
    for (const [id, f] of outcome.failed) failed.set(id, f);
    if (outcome.unresolved) carried.push(outcome.unresolved);
  };

  // Leads in an earlier job are not sent until its report says what it did not write. Each job is
  // checked once, without waiting, a few at a time; the outcomes are taken in the jobs' order.
  const inJobs = new Set<string>();
  const resumes: Array<{ id: string; records: ScoreRecord[] }> = [];
  for (const job of pendingJobs) {
    const records = job.leadIds.filter((id) => !inJobs.has(id) && latest.has(id)).map((id) => latest.get(id)!);
    if (records.length === 0) continue;
    for (const record of records) inJobs.add(record.Id);
    resumes.push({ id: job.id, records });
  }
  const resumeLimiter = new Bottleneck({ maxConcurrent: config.maxConcurrent });
  const resumed = await Promise.all(
    resumes.map(({ id, records }) =>
      resumeLimiter.schedule(async (): Promise<BulkOutcome> => {
        if (stopped || !budget.take(BULK_RESUME_REQUESTS)) {
          stopped ??= budget.describe();
          return { written: [], failed: new Map(), retry: [], unresolved: { id, leadIds: records.map((r) => r.Id) } };
        }
        return resumeBulkJob(caller, config, id, records, budget, stats);
      }),
    ),
  );
  const resend: ScoreRecord[] = [];
  for (const outcome of resumed) {
    take(outcome);
    resend.push(...outcome.retry);
  }
  let pending = [...[...latest.values()].filter((r) => !inJobs.has(r.Id)), ...resend];

  if (!stopped && pending.length > config.bulkThreshold) {
    if (!budget.take(BULK_FIXED_REQUESTS)) stopped = budget.describe();
    else {
      const bulk = await bulkUpdate(caller, config, pending, budget, stats);
      take(bulk);
      pending = bulk.retry;
    }
  }

  const limiter = new Bottleneck({ maxConcurrent: config.maxConcurrent });
  for (let round = 0; !stopped && pending.length > 0 && round <= config.retry.retries; round++) {
    await waitBeforeRound(config.retry, round);
    const retry: ScoreRecord[] = [];
    const batches = chunks(pending, config.collectionSize);
    await Promise.all(
      batches.map((batch) =>
        limiter.schedule(async () => {
          if (stopped) return;
          if (!budget.take(1)) {
            stopped = budget.describe();
            return;
          }
          const outcome = await sendCollection(caller, config, batch, stats, budget);
          if (outcome === 'daily-limit') {
            budget.exhaust();
            stopped = 'Salesforce answered REQUEST_LIMIT_EXCEEDED (the org\'s daily API requests are spent)';
            return;
          }
          for (const [id, result] of outcome) {
            if (result === 'ok') {
              written.add(id);
              failed.delete(id);
              continue;
            }
            failed.set(id, result);
            if (result.retryable) retry.push(latest.get(id)!);
          }
        }),
      ),
    );
    pending = retry;
  }

  const report: PushReport = { written: [...written], failed: [], apiCalls: stats.apiCalls, rateLimited: stats.rateLimited };
  if (stopped) {
    const unwritten = [...latest.keys()].filter((id) => !written.has(id));
    const error = new SalesforceApiBudgetError(stopped, unwritten.length);
    report.stopped = { reason: error.message, unwritten: unwritten.length };
    for (const id of unwritten) if (!failed.has(id) || failed.get(id)!.retryable) failed.set(id, { message: error.message, retryable: true });
  }
  report.failed = [...failed].filter(([id]) => !written.has(id)).map(([leadId, f]) => ({ leadId, ...f }));
  if (carried.length > 0) report.pendingJobs = carried;
  return report;
}

const action = (records: number, config: SalesforceConfig): string => `writing scores to ${records} ${config.object} record${records === 1 ? '' : 's'}`;

/** One collections call: per-record results, or 'daily-limit' when the org refuses all calls. */
async function sendCollection(
  caller: ApiCaller,
  config: SalesforceConfig,
  batch: ScoreRecord[],
  stats: CallStats,
  budget: ApiBudget,
): Promise<Map<string, 'ok' | { message: string; retryable: boolean }> | 'daily-limit'> {
  const out = new Map<string, 'ok' | { message: string; retryable: boolean }>();
  let results: SaveResult[];
  try {
    results = await caller.call(
      action(batch.length, config),
      async (conn) => {
        const saved = await conn.sobject(config.object).update(batch, { allOrNone: false });
        budget.sync(conn);
        return saved;
      },
      // No retries inside the call: the round loop resends transient failures and takes each
      // resend from the API budget, so the org's share is never overspent unseen.
      { stats, noRetry: true },
    );
  } catch (err) {
    if (FATAL.some((kind) => err instanceof kind)) throw err;
    if (isDailyLimit(err)) return 'daily-limit';
    const retryable = err instanceof Error && (err as SalesforceError).errorCode !== undefined && isTransient(err);
    for (const record of batch) out.set(record.Id, { message: (err as Error).message, retryable });
    return out;
  }
  batch.forEach((record, i) => {
    const result = results[i];
    if (result?.success) return void out.set(record.Id, 'ok');
    const errors = (result && !result.success ? result.errors : []) as Array<{ statusCode?: string; errorCode?: string; message: string; fields?: string[] }>;
    const first = errors[0];
    const code = first?.statusCode ?? first?.errorCode ?? 'UNKNOWN';
    // Our own fields refused as not writable (read-only field-level security): no record can take
    // them, so the push stops with what to grant and the scores stay pending.
    const refusal = first ? fieldAccessRefusal(action(batch.length, config), code, first.message, first.fields ?? [], caller.ownFields) : null;
    if (refusal) throw refusal;
    out.set(record.Id, { message: first ? `${code}: ${first.message}` : 'Salesforce did not confirm this update', retryable: !first || RETRYABLE_RECORD_ERRORS.has(code) });
  });
  return out;
}
