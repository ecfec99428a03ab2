import express, { type Request, type Router } from 'express';
import type { SandboxContext } from '../../context.js';
import { RecordError, SalesforceApiError, type SaveError } from '../errors.js';
import { collectionFailures, lockRowError } from '../partial-batch.js';
import {
  applyCreate, applyDelete, applyUpdate, liveRecord, objectByName, validateCreate, validateUpdate,
} from '../records.js';
import type { ObjectDef } from '../schema/fields.js';
import type { SalesforceState, SfRecord } from '../state.js';

/**
 * sObject Collections: create (POST), update (PATCH) and delete (DELETE ?ids=) of up to 200
 * records in one call. Each record gets a SaveResult in request order. With allOrNone every
 * record is checked before any is written; one failure rolls the whole call back and the others
 * report ALL_OR_NONE_OPERATION_ROLLED_BACK.
 */

const MAX_RECORDS = 200;

interface SaveResult {
  id?: string;
  success: boolean;
  errors: SaveError[];
  created?: boolean;
}

type Planned = { ok: true; apply: () => string } | { ok: false; error: SaveError };

const ROLLED_BACK: SaveError = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};

function plan(step: () => () => string): Planned {
  try {
    return { ok: true, apply: step() };
  } catch (err) {
    if (err instanceof RecordError) return { ok: false, error: err.toSaveError() };
    throw err;
  }
}

function execute(
  ctx: SandboxContext,
  req: Request,
  ids: Array<string | null>,
  planned: Planned[],
  allOrNone: boolean,
): SaveResult[] {
  const failing = collectionFailures(ctx, req, planned.length);
  if (failing.size > 0) {
    planned = planned.map((p, i) => (failing.has(i) && p.ok ? { ok: false, error: lockRowError(ids[i]) } : p));
  }
  const anyFailed = planned.some((p) => !p.ok);
  if (allOrNone && anyFailed) {
    return planned.map((p) => ({ success: false, errors: [p.ok ? ROLLED_BACK : p.error] }));
  }
  return planned.map((p) => (p.ok ? { id: p.apply(), success: true, errors: [] } : { success: false, errors: [p.error] }));
}

function recordsIn(body: unknown): { allOrNone: boolean; records: Array<Record<string, unknown>> } {
  const b = body as { allOrNone?: unknown; records?: unknown } | null;
  if (!b || !Array.isArray(b.records)) {
    throw new SalesforceApiError(400, 'JSON_PARSER_ERROR', 'The request body must be {"allOrNone": boolean, "records": [...]}');
  }
  if (b.records.length > MAX_RECORDS) {
    throw new SalesforceApiError(400, 'EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${MAX_RECORDS} records into this call`);
  }
  return { allOrNone: b.allOrNone === true, records: b.records as Array<Record<string, unknown>> };
}

/**
 * A field the object does not have (or the user cannot see: field-level security hides it the
 * same way) fails the whole call as real Salesforce does: HTTP 400 INVALID_FIELD, nothing written,
 * not a per-record error beside the others' successes.
 */
function assertKnownFields(records: Array<Record<string, unknown>>, objects: ObjectDef[]): void {
  records.forEach((record, i) => {
    const object = objects[i];
    for (const key of Object.keys(record)) {
      if (key === 'attributes' || key === 'type' || key.toLowerCase() === 'id') continue;
      if (!object.byName.has(key.toLowerCase())) throw new SalesforceApiError(400, 'INVALID_FIELD', `No such column '${key}' on sobject of type ${object.name}`);
    }
  });
}

function objectOf(state: SalesforceState, record: Record<string, unknown>): ObjectDef {
  const type = (record.attributes as { type?: unknown } | undefined)?.type;
  const object = typeof type === 'string' ? objectByName(state, type) : undefined;
  if (!object) {
    throw new SalesforceApiError(400, 'INVALID_TYPE', typeof type === 'string' ? `sObject type '${type}' is not supported.` : 'Must send a concrete entity type.');
  }
  return object;
}

export function collectionsRouter(ctx: SandboxContext, state: SalesforceState): Router {
  const router = express.Router({ mergeParams: true });

  router.post('/', (req, res) => {
    const { allOrNone, records } = recordsIn(req.body);
    const objects = records.map((r) => objectOf(state, r));
    assertKnownFields(records, objects);
    const planned = records.map((r, i) =>
      plan(() => {
        const rec: SfRecord = validateCreate(state, objects[i], r, 'json');
        return () => applyCreate(state, objects[i], rec, ctx.clock.now()).Id as string;
      }),
    );
    res.json(execute(ctx, req, records.map(() => null), planned, allOrNone));
  });

  router.patch('/', (req, res) => {
    const { allOrNone, records } = recordsIn(req.body);
    const objects = records.map((r) => objectOf(state, r));
    assertKnownFields(records, objects);
    const ids = records.map((r) => (typeof (r.id ?? r.Id) === 'string' ? String(r.id ?? r.Id) : null));
    const seen = new Set<string>();
    const planned = records.map((r, i) =>
      plan(() => {
        if (!ids[i]) throw new RecordError('MISSING_ARGUMENT', 'Id not specified in an update call', ['Id']);
        const { record, changes } = validateUpdate(state, objects[i], ids[i], r, 'json');
        if (seen.has(record.Id as string)) throw new RecordError('INVALID_ID_FIELD', 'Duplicate Id in list', ['Id']);
        seen.add(record.Id as string);
        return () => {
          applyUpdate(state, objects[i], record, changes, ctx.clock.now());
          return record.Id as string;
        };
      }),
    );
    res.json(execute(ctx, req, ids, planned, allOrNone));
  });

  router.delete('/', (req, res) => {
    const ids = typeof req.query.ids === 'string' ? req.query.ids.split(',').filter(Boolean) : [];
    if (ids.length > MAX_RECORDS) {
      throw new SalesforceApiError(400, 'EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${MAX_RECORDS} records into this call`);
    }
    const allOrNone = req.query.allOrNone === 'true';
    const planned = ids.map((rawId) =>
      plan(() => {
        const object = [...state.objects.values()].find((o) => rawId.startsWith(o.keyPrefix));
        if (!object) throw new RecordError('MALFORMED_ID', `malformed id ${rawId}`, []);
        const record = liveRecord(state, object, rawId);
        return () => {
          applyDelete(state, object, record, ctx.clock.now());
          return record.Id as string;
        };
      }),
    );
    res.json(execute(ctx, req, ids, planned, allOrNone));
  });

  return router;
}
