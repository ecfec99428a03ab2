import express, { type Request, type Response, type Router } from 'express';
import type { SandboxContext } from '../../context.js';
import { RecordError, SalesforceApiError, notFound } from '../errors.js';
import { normalizeId } from '../ids.js';
import {
  applyCreate, applyDelete, applyUpdate, liveRecord, requireObject, validateCreate, validateUpdate,
} from '../records.js';
import { basicInfo, describeGlobal, describeObject } from '../schema/describe.js';
import { recordsOf, type SalesforceState } from '../state.js';
import { readValue } from '../values.js';
import { replicationRouter } from './replication.js';
import { upsertRouter } from './upsert.js';

/** describeGlobal, describe, single-record create / read / update / delete, upsert (upsert.ts) and updated / deleted (replication.ts). */

function asRecordBody(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new SalesforceApiError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

/** A RecordError from a single-record call is the whole answer, with NOT_FOUND for unknown ids. */
function rethrow(err: unknown): never {
  if (err instanceof RecordError) {
    if (['ENTITY_IS_DELETED', 'MALFORMED_ID', 'INVALID_CROSS_REFERENCE_KEY'].includes(err.statusCode)) throw notFound();
    throw err.toApiError();
  }
  throw err;
}

export function sobjectsRouter(ctx: SandboxContext, state: SalesforceState): Router {
  const router = express.Router({ mergeParams: true });
  const version = (res: Response) => res.locals.sfVersion as string;
  const liveObjects = () => [...state.objects.values()];

  router.use(replicationRouter(ctx, state), upsertRouter(ctx, state));

  router.get('/', (_req, res) => {
    res.json(describeGlobal(liveObjects(), version(res)));
  });

  router.get('/:type/describe', (req, res) => {
    res.json(describeObject(requireObject(state, req.params.type), version(res)));
  });

  router.get('/:type', (req, res) => {
    res.json(basicInfo(requireObject(state, req.params.type), version(res)));
  });

  router.post('/:type', (req: Request, res: Response) => {
    const object = requireObject(state, req.params.type);
    try {
      const record = validateCreate(state, object, asRecordBody(req.body), 'json');
      applyCreate(state, object, record, ctx.clock.now());
      res.status(201).json({ id: record.Id, success: true, errors: [] });
    } catch (err) {
      rethrow(err);
    }
  });

  router.get('/:type/:id', (req, res) => {
    const object = requireObject(state, req.params.type);
    const id = normalizeId(req.params.id);
    const record = id ? recordsOf(state, object.name).get(id) : undefined;
    if (!record || record.IsDeleted) throw notFound();
    const asked = typeof req.query.fields === 'string' ? req.query.fields.split(',').map((s) => s.trim()) : null;
    const fields = asked
      ? asked.map((name) => {
          const f = object.byName.get(name.toLowerCase());
          if (!f) throw new SalesforceApiError(400, 'INVALID_FIELD', `No such column '${name}' on sobject of type ${object.name}`);
          return f;
        })
      : object.fields;
    const out: Record<string, unknown> = {
      attributes: { type: object.name, url: `/services/data/v${version(res)}/sobjects/${object.name}/${id}` },
    };
    for (const f of fields) out[f.name] = readValue(f, record);
    res.json(out);
  });

  router.patch('/:type/:id', (req, res) => {
    const object = requireObject(state, req.params.type);
    const body = asRecordBody(req.body);
    // The id is the URL's; Salesforce refuses one in the body (sObject Collections need it there).
    if (Object.keys(body).some((key) => key.toLowerCase() === 'id')) {
      throw new SalesforceApiError(400, 'INVALID_FIELD', 'The Id field should not be specified in the sobject data.');
    }
    try {
      const { record, changes } = validateUpdate(state, object, req.params.id, body, 'json');
      applyUpdate(state, object, record, changes, ctx.clock.now());
      res.status(204).end();
    } catch (err) {
      rethrow(err);
    }
  });

  router.delete('/:type/:id', (req, res) => {
    const object = requireObject(state, req.params.type);
    let record;
    try {
      record = liveRecord(state, object, req.params.id);
    } catch (err) {
      if (err instanceof RecordError && err.statusCode === 'ENTITY_IS_DELETED') {
        throw new SalesforceApiError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
      }
      rethrow(err);
    }
    applyDelete(state, object, record, ctx.clock.now());
    res.status(204).end();
  });

  return router;
}
