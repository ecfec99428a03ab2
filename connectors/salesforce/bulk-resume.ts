import type { ApiCaller, CallStats } from './api-caller.js';
import type { ApiBudget } from './api-budget.js';
import { BULK_REPORT_REQUESTS, followJob } from './bulk-follow.js';
import { bulkOutcome, type BulkOutcome } from './bulk-push.js';
import type { SalesforceConfig } from './config.js';
import { SalesforceRequestError } from './errors.js';
import type { ScoreRecord } from './score-record.js';

/**
 * Reads the report of a Bulk API 2.0 job an earlier push lost touch with, for the `records` of
 * it still waiting to be written. A job that ended Failed or Aborted, or that Salesforce no
 * longer knows (it keeps jobs for 7 days), vouches for nothing: all its records are sent again.
 * The job's state is read once, without waiting: one still being processed is handed back at
 * once (it writes its rows on its own), so a held job never keeps a push waiting.
 */

/**
 * One status check and three result reads, taken by the caller before the job is read; the reads
 * are given back when the job has not finished, and retries are taken as they happen.
 */
export const BULK_RESUME_REQUESTS = BULK_REPORT_REQUESTS;

export async function resumeBulkJob(
  caller: ApiCaller,
  config: SalesforceConfig,
  jobId: string,
  records: ScoreRecord[],
  budget: ApiBudget,
  stats: CallStats,
): Promise<BulkOutcome> {
  let job;
  try {
    job = (await caller.connection()).bulk2.job('ingest', { id: jobId });
  } catch (err) {
    budget.refund(BULK_RESUME_REQUESTS); // nothing was sent
    throw err;
  }
  try {
    const action = `reading Bulk API 2.0 job ${jobId} of an earlier push`;
    const report = await followJob(caller, config, job, budget, stats, action, { wait: false });
    if (report.kind === 'ended') return { written: [], failed: new Map(), retry: records };
    // Rows it could not write for want of Edit access on our fields are sent again: if the admin
    // has granted it since they are written, if not the resend stops the push saying so.
    return bulkOutcome(jobId, records, report, caller.ownFields, action);
  } catch (err) {
    // A plain refusal of these GETs (NOT_FOUND once Salesforce has purged the job) leaves nothing
    // to read; session and grant failures stop the whole push as they would any write.
    if (!(err instanceof SalesforceRequestError)) throw err;
    return { written: [], failed: new Map(), retry: records };
  }
}
