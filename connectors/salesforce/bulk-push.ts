import type { ApiCaller, CallStats } from './api-caller.js';
import type { ApiBudget } from './api-budget.js';
import type { SalesforceConfig } from './config.js';
import { SalesforceFieldAccessError, SalesforceRequestError, ownFieldsIn } from './errors.js';
import { RETRYABLE_RECORD_ERRORS, type ScoreRecord } from './score-record.js';

/**
 * A large push through one Bulk API 2.0 update job (jsforce bulk2): create, upload the CSV,
 * close, poll until Salesforce has processed it, then read the successful, failed and
 * unprocessed rows. Each step is a call of ours so every request is counted against the budget.
 * Rows that failed for a passing reason are handed back for the sObject Collections retry.
 */

export interface BulkOutcome {
  written: string[];
  failed: Map<string, { message: string; retryable: boolean }>;
  /** Rows to send again (failed for a passing reason, or left unprocessed). */
  retry: ScoreRecord[];
}

/** open + upload + close + three result reads; polls are taken as they happen. */
export const BULK_FIXED_REQUESTS = 6;

type Row = Record<string, string>;

export async function bulkUpdate(caller: ApiCaller, config: SalesforceConfig, records: ScoreRecord[], budget: ApiBudget, stats: CallStats): Promise<BulkOutcome> {
  const conn = await caller.connection();
  const job = conn.bulk2.createJob({ object: config.object, operation: 'update', lineEnding: 'LF' });
  const action = `writing ${records.length} scores through a Bulk API 2.0 job`;
  const once = { stats, noRetry: true };
  await caller.call(action, () => job.open(), once);
  await caller.call(action, () => job.uploadData(records), once);
  await caller.call(action, () => job.close(), once);

  const deadline = Date.now() + config.bulkPollTimeoutMs;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, config.bulkPollIntervalMs));
    budget.take(1); // a job in flight must be followed to its end, whatever the budget says
    const info = await caller.call(`${action} (checking the job)`, () => job.check(), { stats });
    if (info.state === 'JobComplete') break;
    if (info.state === 'Failed' || info.state === 'Aborted') {
      const message = info.errorMessage ?? `the job ended ${info.state}`;
      const fields = ownFieldsIn(message, [], caller.ownFields);
      if (fields.length > 0) throw new SalesforceFieldAccessError(action, fields, message, 'INVALID_FIELD');
      throw new SalesforceRequestError(action, `BULK_JOB_${info.state.toUpperCase()}`, message);
    }
    if (Date.now() > deadline) {
      throw new SalesforceRequestError(action, 'BULK_JOB_TIMEOUT', `job ${job.id} was still ${info.state} after ${Math.round(config.bulkPollTimeoutMs / 1000)} s; it may still finish in Salesforce, and the next run writes whatever it did not`);
    }
  }

  const successful = (await caller.call(`${action} (reading results)`, () => job.getSuccessfulResults(), { stats })) as unknown as Row[];
  const failedRows = (await caller.call(`${action} (reading failures)`, () => job.getFailedResults(), { stats })) as unknown as Row[];
  const unprocessed = (await caller.call(`${action} (reading unprocessed rows)`, () => job.getUnprocessedRecords(), { stats })) as unknown as Row[];

  const byId = new Map(records.map((r) => [r.Id, r]));
  const outcome: BulkOutcome = { written: successful.map((r) => r.sf__Id || r.Id), failed: new Map(), retry: [] };
  for (const row of failedRows) {
    const id = row.Id || row.sf__Id;
    const [code, ...rest] = String(row.sf__Error ?? '').split(':');
    const retryable = RETRYABLE_RECORD_ERRORS.has(code);
    outcome.failed.set(id, { message: `${code}: ${rest.join(':').replace(/:?\s*--\s*$/, '').trim()}`, retryable });
    const record = byId.get(id);
    if (retryable && record) outcome.retry.push(record);
  }
  for (const row of unprocessed) {
    const record = byId.get(row.Id);
    if (!record) continue;
    outcome.failed.set(row.Id, { message: 'Salesforce did not process this row', retryable: true });
    outcome.retry.push(record);
  }
  return outcome;
}
