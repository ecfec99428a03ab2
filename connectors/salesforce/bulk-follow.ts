import type { Connection } from 'jsforce';
import pRetry from 'p-retry';
import type { ApiCaller, CallStats } from './api-caller.js';
import type { ApiBudget } from './api-budget.js';
import type { SalesforceConfig } from './config.js';
import { isDailyLimit, isTransient, type SalesforceError } from './errors.js';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Following a closed Bulk API 2.0 ingest job to its end and reading its three result lists.
 * Every request here is a GET that changes nothing, so a failure that may pass is retried with
 * backoff; each retry is taken from the API budget, and when the retries or the budget run out
 * the answer is 'unknown' rather than an error: the job has its rows, so the caller keeps the
 * job id for a later run instead of writing those rows again. A job still being processed when
 * the poll timeout passes is 'running' for the same reason: it will write its rows on its own.
 * A job an earlier push handed back is checked once without waiting (`wait: false`): one held
 * job must not keep every later push waiting for it.
 */

export type IngestJob = ReturnType<Connection['bulk2']['createJob']>;
export type Row = Record<string, string>;

export type JobReport =
  | { kind: 'complete'; successful: Row[]; failed: Row[]; unprocessed: Row[] }
  | { kind: 'ended'; state: 'Failed' | 'Aborted'; message: string }
  | { kind: 'running'; state: string; waitedMs: number }
  | { kind: 'unknown'; detail: string };

/** The three result lists of a finished job. */
const RESULT_READS = 3;

/**
 * One status check and the three result reads: the caller takes these from the budget before
 * following a job; further polls and retries are taken as they are sent, and the reads never
 * sent (the job had not finished, or a read failed) are given back.
 */
export const BULK_REPORT_REQUESTS = 1 + RESULT_READS;

export async function followJob(
  caller: ApiCaller,
  config: SalesforceConfig,
  job: IngestJob,
  budget: ApiBudget,
  stats: CallStats,
  action: string,
  options: { wait: boolean },
): Promise<JobReport> {
  let shareSpent = false;
  let checks = 0;
  let readsSent = 0;
  const read = <T>(what: string, request: () => Promise<T>): Promise<T> =>
    pRetry(() => caller.call(`${action} (${what})`, request, { stats, noRetry: true }), {
      retries: config.retry.retries,
      minTimeout: config.retry.minDelayMs,
      maxTimeout: config.retry.maxDelayMs,
      factor: 2,
      randomize: true,
      unref: true,
      shouldRetry: ({ error }) => {
        if (!isTransient(error)) return false;
        if (budget.take(1)) return true;
        shareSpent = true;
        return false;
      },
    });
  const check = () => {
    // The first check is paid for; a job in flight must be followed to its end, whatever the budget says.
    if (checks++ > 0) budget.take(1);
    return read('checking the job', () => job.check());
  };
  const results = <T>(what: string, request: () => Promise<T>): Promise<T> => {
    readsSent++;
    return read(what, request);
  };

  try {
    if (!options.wait) {
      const info = await check();
      if (info.state === 'Failed' || info.state === 'Aborted') return { kind: 'ended', state: info.state, message: info.errorMessage ?? `the job ended ${info.state}` };
      if (info.state !== 'JobComplete') return { kind: 'running', state: info.state, waitedMs: 0 };
    } else {
      const deadline = Date.now() + config.bulkPollTimeoutMs;
      for (;;) {
        await sleep(config.bulkPollIntervalMs);
        const info = await check();
        if (info.state === 'JobComplete') break;
        if (info.state === 'Failed' || info.state === 'Aborted') return { kind: 'ended', state: info.state, message: info.errorMessage ?? `the job ended ${info.state}` };
        if (Date.now() >= deadline) return { kind: 'running', state: info.state, waitedMs: config.bulkPollTimeoutMs };
      }
    }
    const successful = (await results('reading results', () => job.getSuccessfulResults())) as unknown as Row[];
    const failed = (await results('reading failures', () => job.getFailedResults())) as unknown as Row[];
    const unprocessed = (await results('reading unprocessed rows', () => job.getUnprocessedRecords())) as unknown as Row[];
    return { kind: 'complete', successful, failed, unprocessed };
  } catch (err) {
    // Only codes go into the detail: Salesforce's text is already in the admin-worded error.
    const code = (err as SalesforceError).errorCode;
    if (isTransient(err)) {
      const detail = shareSpent ? `Salesforce answered ${code} and leadlift's API share had no room for another try` : `Salesforce still answered ${code} after ${config.retry.retries} retries`;
      return { kind: 'unknown', detail };
    }
    // The daily allocation is spent: the job is fine, its report can be read once requests free up,
    // and nothing more is sent in this push.
    if (isDailyLimit(err)) {
      budget.exhaust();
      return { kind: 'unknown', detail: 'the org\'s daily API requests are spent' };
    }
    throw err;
  } finally {
    budget.refund(RESULT_READS - readsSent);
  }
}
