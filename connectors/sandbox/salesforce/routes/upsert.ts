import express, { type Request, type Response, type Router } from 'express';
import type { SandboxContext } from '../../context.js';
import { RecordError, SalesforceApiError, notFound } from '../errors.js';
import { applyCreate, applyUpdate, liveRecord, requireObject, validateCreate, validateUpdate } from '../records.js';
import { recordsOf, type SalesforceState, type SfRecord } from '../state.js';

/**
 * PATCH /sobjects/{type}/{field}/{value}: upsert by an External ID field (one created with
 * externalId through the Tooling API, as in an org) or by Id. No match creates the record (201,
 * created: true), one match updates it (200, created: false; 204 before API 46.0), several are a
 * 300 listing them. A field that is not an External ID is NOT_FOUND, as Salesforce answers it.
 */
export function upsertRouter(ctx: SandboxContext, state: SalesforceState): Router {
  const router = express.Router({ mergeParams: true });

  router.patch('/:type/:field/:value', (req: Request, res: Response) => {
    const object = requireObject(state, req.params.type);
    const field = object.byName.get(req.params.field.toLowerCase());
    if (!field || !(field.externalId || field.name === 'Id')) {
      throw new SalesforceApiError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${req.params.field}`);
    }
    const body = req.body as Record<string, unknown>;
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new SalesforceApiError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object');
    if (Object.keys(body).some((key) => key.toLowerCase() === 'id')) {
      throw new SalesforceApiError(400, 'INVALID_FIELD', 'The Id field should not be specified in the sobject data.');
    }
    const version = res.locals.sfVersion as string;
    const value = req.params.value;
    const now = ctx.clock.now();
    let matches: SfRecord[];
    try {
      matches = field.name === 'Id' ? [liveRecord(state, object, value)] : [...recordsOf(state, object.name).values()].filter((r) => !r.IsDeleted && r[field.name] != null && String(r[field.name]).toLowerCase() === value.toLowerCase());
    } catch (err) {
      // Upsert by Id cannot create: an id no live record has is not found.
      if (err instanceof RecordError) throw notFound();
      throw err;
    }
    try {
      if (matches.length > 1) {
        return void res.status(300).json(matches.map((r) => `/services/data/v${version}/sobjects/${object.name}/${r.Id as string}`));
      }
      const { [field.name]: _given, ...rest } = body;
      if (matches.length === 1) {
        const { record, changes } = validateUpdate(state, object, matches[0].Id, rest, 'json');
        applyUpdate(state, object, record, changes, now);
        if (Number(version) < 46) return void res.status(204).end();
        return void res.status(200).json({ id: record.Id, success: true, errors: [], created: false });
      }
      const record = validateCreate(state, object, { ...rest, [field.name]: value }, 'json');
      applyCreate(state, object, record, now);
      res.status(201).json({ id: record.Id, success: true, errors: [], created: true });
    } catch (err) {
      if (err instanceof RecordError) throw err.toApiError();
      throw err;
    }
  });

  return router;
}
