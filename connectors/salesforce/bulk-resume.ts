import type { ApiCaller, CallStats } from './api-caller.js';
import type { ApiBudget } from './api-budget.js';
import { followJob } from './bulk-follow.js';
import { bulkOutcome, type BulkOutcome } from './bulk-push.js';
import type { SalesforceConfig } from './config.js';
import { SalesforceRequestError } from './errors.js';
import type { ScoreRecord } from './score-record.js';

/**
 * Reads the report of a Bulk API 2.0 job an earlier push lost touch with, for the `records` of
 * it still waiting to be written. A job that ended Failed or Aborted, or that Salesforce no
 * longer knows (it keeps jobs for 7 days), vouches for nothing: all its records are sent again.
 */

/** One check + three result reads; further polls and retries are taken as they happen. */
export const BULK_RESUME_REQUESTS = 4;

export async function resumeBulkJob(
  caller: ApiCaller,
  config: SalesforceConfig,
  jobId: string,
  records: ScoreRecord[],
  budget: ApiBudget,
  stats: CallStats,
): Promise<BulkOutcome> {
  const conn = await caller.connection();
  const job = conn.bulk2.job('ingest', { id: jobId });
  try {
    const report = await followJob(caller, config, job, budget, stats, `reading Bulk API 2.0 job ${jobId} of an earlier push`);
    if (report.kind === 'ended') return { written: [], failed: new Map(), retry: records };
    return bulkOutcome(jobId, records, report);
  } catch (err) {
    // A plain refusal of these GETs (NOT_FOUND once Salesforce has purged the job) leaves nothing
    // to read; session and grant failures stop the whole push as they would any write.
    if (!(err instanceof SalesforceRequestError)) throw err;
    return { written: [], failed: new Map(), retry: records };
  }
}
