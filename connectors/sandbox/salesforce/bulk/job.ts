import { USER_ID } from '../ids.js';
import { formatDateTime } from '../values.js';

/** A Bulk API 2.0 ingest job and the job-info body Salesforce returns for it. */

export type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';
export type JobOperation = 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete';

export const DELIMITERS = {
  COMMA: ',', TAB: '\t', PIPE: '|', SEMICOLON: ';', CARET: '^', BACKQUOTE: '`',
} as const;
export type ColumnDelimiter = keyof typeof DELIMITERS;

export interface IngestJob {
  id: string;
  object: string;
  operation: JobOperation;
  externalIdFieldName: string | null;
  lineEnding: 'LF' | 'CRLF';
  columnDelimiter: ColumnDelimiter;
  state: JobState;
  apiVersion: number;
  createdDate: number;
  systemModstamp: number;
  /** The uploaded CSV until the job runs. */
  upload: string | null;
  /** partial-batch fault share recorded when the data was uploaded. */
  failShare: number | null;
  header: string[];
  successful: Array<{ id: string; created: boolean; row: string[] }>;
  failed: Array<{ id: string; error: string; row: string[] }>;
  unprocessed: string[][];
  numberRecordsProcessed: number;
  numberRecordsFailed: number;
  totalProcessingTime: number;
  errorMessage: string | null;
}

export function jobInfo(job: IngestJob, full: boolean): Record<string, unknown> {
  const info: Record<string, unknown> = {
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: USER_ID,
    createdDate: formatDateTime(job.createdDate),
    systemModstamp: formatDateTime(job.systemModstamp),
    state: job.state,
    ...(job.externalIdFieldName ? { externalIdFieldName: job.externalIdFieldName } : {}),
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: job.apiVersion,
    contentUrl: `services/data/v${job.apiVersion.toFixed(1)}/jobs/ingest/${job.id}/batches`,
    lineEnding: job.lineEnding,
    columnDelimiter: job.columnDelimiter,
  };
  if (!full) return info;
  return {
    ...info,
    jobType: 'V2Ingest',
    numberRecordsProcessed: job.numberRecordsProcessed,
    numberRecordsFailed: job.numberRecordsFailed,
    retries: 0,
    totalProcessingTime: job.totalProcessingTime,
    apiActiveProcessingTime: job.totalProcessingTime,
    apexProcessingTime: 0,
    ...(job.errorMessage ? { errorMessage: job.errorMessage } : {}),
  };
}
