import express, { type Response, type Router } from 'express';
import { stringify } from 'csv-stringify/sync';
import type { SandboxContext } from '../../context.js';
import { SalesforceApiError, notFound } from '../errors.js';
import { KEY_PREFIX, makeId, normalizeId } from '../ids.js';
import { bulkFailShare } from '../partial-batch.js';
import { objectByName } from '../records.js';
import { nextSerial, type SalesforceState } from '../state.js';
import { toSecond } from '../values.js';
import { DELIMITERS, jobInfo, type ColumnDelimiter, type IngestJob, type JobOperation } from '../bulk/job.js';
import { startJob } from '../bulk/process.js';

/**
 * Bulk API 2.0 ingest: create a job, PUT its CSV, PATCH it to UploadComplete (or Aborted), poll
 * it until JobComplete, then read successfulResults / failedResults / unprocessedrecords as CSV.
 */

const OPERATIONS: JobOperation[] = ['insert', 'update', 'upsert', 'delete', 'hardDelete'];
const UPLOAD_LIMIT = '150mb';

function invalidJobState(message: string): SalesforceApiError {
  return new SalesforceApiError(409, 'INVALIDJOBSTATE', message);
}

function sendCsv(res: Response, header: string[], rows: string[][]): void {
  res.type('text/csv').send(stringify([header, ...rows], { record_delimiter: 'unix' }));
}

export function bulk2Router(ctx: SandboxContext, state: SalesforceState): Router {
  const router = express.Router({ mergeParams: true });

  const find = (rawId: string): IngestJob => {
    const id = normalizeId(rawId);
    const job = id ? state.jobs.get(id) : undefined;
    if (!job) throw notFound();
    return job;
  };

  router.post('/', (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const object = typeof body.object === 'string' ? objectByName(state, body.object) : undefined;
    if (!object) throw new SalesforceApiError(400, 'INVALIDENTITY', `Entity '${String(body.object)}' is not supported by the Bulk API.`);
    const operation = body.operation as JobOperation;
    if (!OPERATIONS.includes(operation)) throw new SalesforceApiError(400, 'API_ERROR', `Invalid operation: ${String(body.operation)}`);
    if (operation === 'upsert' && typeof body.externalIdFieldName !== 'string') {
      throw new SalesforceApiError(400, 'INVALIDJOB', 'External ID was blank for Lead. An External ID must be specified for upsert.');
    }
    if (body.contentType !== undefined && body.contentType !== 'CSV') {
      throw new SalesforceApiError(400, 'API_ERROR', `Invalid content type: ${String(body.contentType)}`);
    }
    const delimiter = (body.columnDelimiter ?? 'COMMA') as ColumnDelimiter;
    if (!(delimiter in DELIMITERS)) throw new SalesforceApiError(400, 'API_ERROR', `Invalid column delimiter: ${String(delimiter)}`);
    const now = toSecond(ctx.clock.now());
    const job: IngestJob = {
      id: makeId(KEY_PREFIX.IngestJob, nextSerial(state)),
      object: object.name,
      operation,
      externalIdFieldName: operation === 'upsert' ? String(body.externalIdFieldName) : null,
      lineEnding: body.lineEnding === 'CRLF' ? 'CRLF' : 'LF',
      columnDelimiter: delimiter,
      state: 'Open',
      apiVersion: Number(res.locals.sfVersion),
      createdDate: now,
      systemModstamp: now,
      upload: null,
      failShare: null,
      header: [],
      successful: [],
      failed: [],
      unprocessed: [],
      numberRecordsProcessed: 0,
      numberRecordsFailed: 0,
      totalProcessingTime: 0,
      errorMessage: null,
    };
    state.jobs.set(job.id, job);
    res.json(jobInfo(job, false));
  });

  router.get('/', (_req, res) => {
    res.json({ done: true, records: [...state.jobs.values()].map((j) => jobInfo(j, false)), nextRecordsUrl: null });
  });

  router.put('/:id/batches', express.text({ type: () => true, limit: UPLOAD_LIMIT }), (req, res) => {
    const job = find(req.params.id);
    if (job.state !== 'Open') throw invalidJobState(`Job ${job.id} is not open for uploads (state ${job.state})`);
    if (job.upload !== null) throw invalidJobState('Found multiple contents for job: only one upload per job is allowed');
    job.upload = typeof req.body === 'string' ? req.body : '';
    job.failShare = bulkFailShare(ctx, req);
    res.status(201).end();
  });

  router.patch('/:id', (req, res) => {
    const job = find(req.params.id);
    const wanted = (req.body as { state?: unknown } | undefined)?.state;
    if (wanted === 'UploadComplete') {
      if (job.state !== 'Open') throw invalidJobState(`Job ${job.id} is not open (state ${job.state})`);
      job.state = 'UploadComplete';
      job.systemModstamp = toSecond(ctx.clock.now());
      res.json(jobInfo(job, false));
      setImmediate(() => startJob(state, job, () => ctx.clock.now(), () => ctx.options.salesforceBulkHold));
      return;
    }
    if (wanted === 'Aborted') {
      if (job.state === 'JobComplete' || job.state === 'Failed') throw invalidJobState(`Job ${job.id} has already finished`);
      job.state = 'Aborted';
      job.systemModstamp = toSecond(ctx.clock.now());
      res.json(jobInfo(job, false));
      return;
    }
    throw new SalesforceApiError(400, 'INVALIDJOBSTATE', `Invalid state transition to ${String(wanted)}`);
  });

  router.get('/:id', (req, res) => {
    res.json(jobInfo(find(req.params.id), true));
  });

  router.get('/:id/successfulResults', (req, res) => {
    const job = find(req.params.id);
    sendCsv(res, ['sf__Id', 'sf__Created', ...job.header], job.successful.map((s) => [s.id, String(s.created), ...s.row]));
  });

  router.get('/:id/failedResults', (req, res) => {
    const job = find(req.params.id);
    sendCsv(res, ['sf__Id', 'sf__Error', ...job.header], job.failed.map((f) => [f.id, f.error, ...f.row]));
  });

  router.get('/:id/unprocessedrecords', (req, res) => {
    const job = find(req.params.id);
    sendCsv(res, job.header, job.unprocessed);
  });

  router.delete('/:id', (req, res) => {
    const job = find(req.params.id);
    if (job.state === 'InProgress' || job.state === 'UploadComplete') throw invalidJobState(`Job ${job.id} is still being processed`);
    state.jobs.delete(job.id);
    res.status(204).end();
  });

  return router;
}
