import { parse } from 'csv-parse/sync';
import { RecordError } from '../errors.js';
import { bulkFailures, lockRowError } from '../partial-batch.js';
import {
  applyCreate, applyDelete, applyUpdate, liveRecord, objectByName, validateCreate, validateUpdate,
} from '../records.js';
import type { ObjectDef } from '../schema/fields.js';
import { recordsOf, type SalesforceState, type SfRecord } from '../state.js';
import { DELIMITERS, type IngestJob } from './job.js';
import { lineEndingMessage, lineEndingMismatch } from './line-ending.js';
import { toSecond } from '../values.js';

/**
 * Runs an uploaded ingest job the way Salesforce does: the CSV's rows must end in the job's line
 * ending and its header must name fields of the object (else the whole job fails), then each row
 * succeeds or fails on its own. Empty cells leave a field unchanged and #N/A sets it to null, per
 * the Bulk API 2.0 CSV rules. Rows are processed in chunks between event-loop turns so a
 * 40,000-row job does not stall the server. While `held()` says so a job waits InProgress before
 * its next chunk, as a job in a busy org's queue does; an abort meanwhile leaves its rows
 * unprocessed.
 */

const CHUNK_ROWS = 2000;
const HOLD_RECHECK_MS = 10;

function errorText(err: { statusCode: string; message: string; fields: string[] }): string {
  return `${err.statusCode}:${err.message}:${err.fields.join(',')} --`;
}

function fail(job: IngestJob, message: string, now: number): void {
  job.state = 'Failed';
  job.errorMessage = message;
  job.systemModstamp = toSecond(now);
  job.upload = null;
}

function parseUpload(job: IngestJob): string[][] {
  return parse(job.upload ?? '', {
    delimiter: DELIMITERS[job.columnDelimiter],
    record_delimiter: job.lineEnding === 'CRLF' ? '\r\n' : '\n',
    relax_quotes: false,
    skip_empty_lines: true,
    bom: true,
  }) as string[][];
}

function rowInput(header: string[], row: string[]): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  header.forEach((col, i) => {
    const v = row[i] ?? '';
    if (v === '') return;
    input[col] = v === '#N/A' ? null : v;
  });
  return input;
}

function externalIndex(state: SalesforceState, object: ObjectDef, fieldName: string): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const r of recordsOf(state, object.name).values()) {
    if (r.IsDeleted) continue;
    const v = r[fieldName];
    if (v === null || v === undefined) continue;
    const key = String(v);
    index.set(key, [...(index.get(key) ?? []), r.Id as string]);
  }
  return index;
}

/** Processes one row; returns the record id and whether it was created. */
function processRow(
  state: SalesforceState,
  job: IngestJob,
  object: ObjectDef,
  input: Record<string, unknown>,
  extIndex: Map<string, string[]> | null,
  now: number,
): { id: string; created: boolean } {
  const idKey = Object.keys(input).find((k) => k.toLowerCase() === 'id');
  const rawId = idKey ? input[idKey] : undefined;
  const update = (id: unknown) => {
    const { record, changes } = validateUpdate(state, object, id, input, 'csv');
    applyUpdate(state, object, record, changes, now);
    return { id: record.Id as string, created: false };
  };
  const insert = () => {
    const record: SfRecord = validateCreate(state, object, input, 'csv');
    applyCreate(state, object, record, now);
    extIndex?.set(String(record[job.externalIdFieldName!] ?? ''), [record.Id as string]);
    return { id: record.Id as string, created: true };
  };
  switch (job.operation) {
    case 'insert':
      return insert();
    case 'update':
      if (!rawId) throw new RecordError('MISSING_ARGUMENT', 'Id not specified in an update call', []);
      return update(rawId);
    case 'delete':
    case 'hardDelete': {
      if (!rawId) throw new RecordError('MISSING_ARGUMENT', 'Id not specified in a delete call', []);
      const record = liveRecord(state, object, rawId);
      applyDelete(state, object, record, now);
      return { id: record.Id as string, created: false };
    }
    case 'upsert': {
      const ext = job.externalIdFieldName!;
      if (ext.toLowerCase() === 'id') return rawId ? update(rawId) : insert();
      const key = Object.keys(input).find((k) => k.toLowerCase() === ext.toLowerCase());
      const value = key ? input[key] : undefined;
      if (value === undefined || value === null) {
        throw new RecordError('MISSING_ARGUMENT', `${ext} not specified`, [ext]);
      }
      const matches = extIndex?.get(String(value)) ?? [];
      if (matches.length > 1) {
        throw new RecordError('DUPLICATE_EXTERNAL_ID', `${ext}: more than one record found for external id field: [${matches.join(', ')}]`, [ext]);
      }
      if (matches.length === 1) {
        delete input[key!];
        return update(matches[0]);
      }
      return insert();
    }
  }
}

/** Starts processing; returns at once, the job reaches JobComplete (or Failed) on later turns. */
export function startJob(state: SalesforceState, job: IngestJob, now: () => number, held: () => boolean = () => false): void {
  const started = Date.now();
  const object = objectByName(state, job.object)!;
  if (lineEndingMismatch(job.upload ?? '', job.lineEnding)) return fail(job, lineEndingMessage(job.lineEnding), now());
  let rows: string[][];
  try {
    rows = parseUpload(job);
  } catch (err) {
    fail(job, `InvalidBatch : ${(err as Error).message}`, now());
    return;
  }
  job.upload = null;
  const [header = [], ...data] = rows;
  job.header = header;
  const unknown = header.find((h) => !object.byName.has(h.toLowerCase()));
  if (header.length === 0) return fail(job, 'InvalidBatch : No data was uploaded', now());
  if (unknown) return fail(job, `InvalidBatch : Field name not found : ${unknown}`, now());
  if (job.operation === 'upsert' && !object.byName.has((job.externalIdFieldName ?? '').toLowerCase())) {
    return fail(job, `InvalidJob : External ID field ${job.externalIdFieldName} not found on ${object.name}`, now());
  }
  const ext = job.operation === 'upsert' && job.externalIdFieldName?.toLowerCase() !== 'id'
    ? externalIndex(state, object, object.byName.get(job.externalIdFieldName!.toLowerCase())!.name)
    : null;
  const failing = job.failShare !== null ? bulkFailures(data.length, job.failShare) : new Set<number>();
  job.state = 'InProgress';
  job.systemModstamp = toSecond(now());
  let next = 0;
  const step = () => {
    if (job.state === 'Aborted') {
      job.unprocessed.push(...data.slice(next));
      return;
    }
    if (held()) {
      setTimeout(step, HOLD_RECHECK_MS).unref();
      return;
    }
    const end = Math.min(next + CHUNK_ROWS, data.length);
    for (let i = next; i < end; i++) {
      const row = data[i];
      const rowId = row[header.findIndex((h) => h.toLowerCase() === 'id')] ?? '';
      try {
        if (failing.has(i)) throw new RecordError(lockRowError(rowId).statusCode, lockRowError(rowId).message);
        const { id, created } = processRow(state, job, object, rowInput(header, row), ext, now());
        job.successful.push({ id, created, row });
      } catch (err) {
        const saveError = err instanceof RecordError
          ? err.toSaveError()
          : { statusCode: 'UNKNOWN_EXCEPTION', message: (err as Error).message, fields: [] };
        job.failed.push({ id: rowId, error: errorText(saveError), row });
        job.numberRecordsFailed++;
      }
      job.numberRecordsProcessed++;
    }
    next = end;
    job.systemModstamp = toSecond(now());
    if (next < data.length) {
      setImmediate(step);
      return;
    }
    job.totalProcessingTime = Date.now() - started;
    job.state = 'JobComplete';
  };
  setImmediate(step);
}
