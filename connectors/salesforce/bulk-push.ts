import type { PendingPushJob } from '../types.js';
import type { ApiCaller, CallStats } from './api-caller.js';
import type { ApiBudget } from './api-budget.js';
import { BULK_REPORT_REQUESTS, followJob, type JobReport } from './bulk-follow.js';
import type { SalesforceConfig } from './config.js';
import {
  SalesforceFieldAccessError, SalesforceRequestError, bulkJobPendingMessage, bulkJobRunningMessage, fieldAccessRefusal, ownFieldsIn,
} from './errors.js';
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
  /**
   * Set when the job was accepted but its report could not be read, or it was still running when
   * the poll timed out: its rows are in `failed` (retryable), not in `retry`, since sending them
   * again could race the job itself.
   */
  unresolved?: PendingPushJob;
  /**
   * Set when rows were refused because the integration user may not edit the app's own fields
   * (read-only field-level security): a new job stops the push with it; the rows are in `retry`.
   */
  refused?: SalesforceFieldAccessError;
}

/** The job's three steps below. */
const JOB_STEPS = 3;

/**
 * open + upload + close, the first status check and three result reads, taken by the caller;
 * further polls and retries are taken as they happen, and requests never sent are given back.
 */
export const BULK_FIXED_REQUESTS = JOB_STEPS + BULK_REPORT_REQUESTS;

export async function bulkUpdate(caller: ApiCaller, config: SalesforceConfig, records: ScoreRecord[], budget: ApiBudget, stats: CallStats): Promise<BulkOutcome> {
  const conn = await caller.connection();
  const job = conn.bulk2.createJob({ object: config.object, operation: 'update', lineEnding: 'LF' });
  const action = `writing ${records.length} score${records.length === 1 ? '' : 's'} through a Bulk API 2.0 job`;
  let sent = 0;
  const step = (request: () => Promise<unknown>) => {
    sent++;
    return caller.call(action, request, { stats, noRetry: true });
  };
  try {
    await step(() => job.open());
    await step(() => job.uploadData(records));
    await step(() => job.close());
  } catch (err) {
    budget.refund(JOB_STEPS - sent + BULK_REPORT_REQUESTS);
    throw err;
  }

  const report = await followJob(caller, config, job, budget, stats, action, { wait: true });
  if (report.kind === 'ended') {
    const fields = ownFieldsIn(report.message, [], caller.ownFields);
    if (fields.length > 0) throw new SalesforceFieldAccessError(action, fields, report.message, 'INVALID_FIELD');
    throw new SalesforceRequestError(action, `BULK_JOB_${report.state.toUpperCase()}`, report.message);
  }
  const outcome = bulkOutcome(job.id!, records, report, caller.ownFields, action);
  if (outcome.refused) throw outcome.refused;
  return outcome;
}

/**
 * What a job's report says about `records`. A row counts only when it carries exactly the values
 * of the record now meant (a job resumed from an earlier run may hold values scored since), so
 * any record the report does not vouch for is sent again.
 */
export function bulkOutcome(
  jobId: string,
  records: ScoreRecord[],
  report: Exclude<JobReport, { kind: 'ended' }>,
  ownFields: string[] = [],
  action = `reading Bulk API 2.0 job ${jobId}`,
): BulkOutcome {
  const outcome: BulkOutcome = { written: [], failed: new Map(), retry: [] };
  if (report.kind === 'unknown' || report.kind === 'running') {
    const message = report.kind === 'unknown'
      ? bulkJobPendingMessage(jobId, records.length, report.detail)
      : bulkJobRunningMessage(jobId, report.state, report.waitedMs);
    for (const record of records) outcome.failed.set(record.Id, { message, retryable: true });
    outcome.unresolved = { id: jobId, leadIds: records.map((r) => r.Id) };
    return outcome;
  }
  const byId = new Map(records.map((r) => [r.Id, r]));
  const settled = new Set<string>();
  const take = (row: Record<string, string>, ...ids: Array<string | undefined>): ScoreRecord | undefined => {
    const record = ids.map((id) => (id ? byId.get(id) : undefined)).find((r) => r !== undefined);
    if (!record || settled.has(record.Id) || !sameValues(record, row)) return undefined;
    settled.add(record.Id);
    return record;
  };
  for (const row of report.successful) {
    const record = take(row, row.Id, row.sf__Id);
    if (record) outcome.written.push(record.Id);
  }
  for (const row of report.failed) {
    const record = take(row, row.Id, row.sf__Id);
    if (!record) continue;
    const { code, message, fields } = rowError(String(row.sf__Error ?? ''));
    const refusal = fieldAccessRefusal(action, code, message, fields, ownFields);
    // Not writable for want of Edit access: sent again once granted, not failed for good.
    if (refusal) outcome.refused ??= refusal;
    const retryable = refusal !== null || RETRYABLE_RECORD_ERRORS.has(code);
    outcome.failed.set(record.Id, { message: refusal?.message ?? `${code}: ${message}`, retryable });
    if (retryable) outcome.retry.push(record);
  }
  const unprocessed = new Set(report.unprocessed.map((row) => row.Id));
  for (const record of records) {
    if (settled.has(record.Id)) continue;
    // Unprocessed, or not the values meant now.
    if (unprocessed.has(record.Id)) outcome.failed.set(record.Id, { message: 'Salesforce did not process this row', retryable: true });
    outcome.retry.push(record);
  }
  return outcome;
}

/**
 * A failed row's sf__Error, "CODE:message:Field1,Field2 --" (Bulk API 2.0 failedResults): the
 * message may hold colons of its own ("Unable to create/update fields: X. ..."), the field list
 * is what follows the last one.
 */
export function rowError(text: string): { code: string; message: string; fields: string[] } {
  const trimmed = text.replace(/\s*--\s*$/, '');
  const first = trimmed.indexOf(':');
  if (first < 0) return { code: trimmed.trim() || 'UNKNOWN', message: '', fields: [] };
  const code = trimmed.slice(0, first).trim();
  const rest = trimmed.slice(first + 1);
  const last = rest.lastIndexOf(':');
  const tail = last < 0 ? '' : rest.slice(last + 1);
  // The tail is a field list only if it looks like one (names, commas); else it is message text.
  if (last >= 0 && /^[\w,\s]*$/.test(tail)) {
    return { code, message: rest.slice(0, last).trim(), fields: tail.split(',').map((f) => f.trim()).filter(Boolean) };
  }
  return { code, message: rest.trim(), fields: [] };
}

/** The result rows echo the uploaded CSV, so every field sent must read back as sent. */
function sameValues(record: ScoreRecord, row: Record<string, string>): boolean {
  return Object.entries(record).every(([field, value]) => field === 'Id' || String(row[field] ?? '') === String(value));
}
