import { Router, type Response } from 'express';
import { partialBatchFailures } from '../fault-rules.js';
import { associationTarget } from './association-input.js';
import { batchError, batchResult } from './batch-response.js';
import { BATCH_LIMIT, HISTORY_READ_LIMIT, type HubspotDeps } from './deps.js';
import { sendHubspotError, validationError } from './errors.js';
import { findObject, link, objectLabel, typeOr404 } from './objects-routes.js';
import { asksHistory, historyProperties, selectProperties, viewObject } from './object-view.js';
import { checkPropertyValues, propertyErrorsMessage } from './property-values.js';
import { missingIdMessage } from './required-ids.js';

export const INJECTED = 'An internal error occurred while processing this input; it was not applied. Retry it.';

/**
 * /crm/v3/objects/{type}/batch/{read,create,update,archive}: at most 100 inputs (a read with
 * propertiesWithHistory at most 50, see deps.ts); inputs that fail
 * (missing objects, injected partial-batch faults) come back per input in a 207; an input with no
 * `id` at all fails the whole read, update or archive with 400 (required-ids.ts). Invalid property
 * values fail the whole request with 400, and a contact email that exists already (or twice in
 * the batch) fails a create with one 409, nothing created, as in HubSpot.
 */
export function batchRoutes(deps: HubspotDeps): Router {
  const router = Router();
  const { records, ctx } = deps;

  router.post('/crm/v3/objects/:type/batch/read', (req, res) => {
    const type = typeOr404(req, res);
    const inputs = type && batchInputs(req.body, res);
    if (!type || !inputs) return;
    const noId = missingIdMessage(inputs);
    if (noId) return validationError(res, noId);
    if (asksHistory(req.body.propertiesWithHistory) && inputs.length > HISTORY_READ_LIMIT) {
      return validationError(res, `The maximum number of inputs supported in a batch request for property histories is ${HISTORY_READ_LIMIT}. Please reduce the number of items and try again`);
    }
    const startedAt = ctx.clock.now();
    const archived = req.query.archived === 'true';
    const names = selectProperties(records, type, req.body.properties);
    const history = historyProperties(records, type, req.body.propertiesWithHistory);
    const failing = partialBatchFailures(ctx, req, inputs.length);
    const results: unknown[] = [];
    const missing: string[] = [];
    const injected: string[] = [];
    inputs.forEach((input, i) => {
      const id = String(input.id);
      const obj = findObject(deps, type, id, req.body.idProperty);
      if (failing.has(i)) injected.push(id);
      else if (!obj || obj.archived !== archived) missing.push(id);
      else results.push(viewObject(obj, names, history));
    });
    const errors = [];
    if (missing.length > 0) {
      errors.push(batchError('OBJECT_NOT_FOUND', `Could not get some ${objectLabel(type)} objects, they may be deleted or not exist. Check that ids are valid.`, { ids: missing }));
    }
    if (injected.length > 0) errors.push(batchError('INTERNAL_ERROR', INJECTED, { ids: injected }));
    send(res, batchResult(200, results, errors, startedAt, ctx.clock.now()));
  });

  router.post('/crm/v3/objects/:type/batch/create', (req, res) => {
    const type = typeOr404(req, res);
    const inputs = type && batchInputs(req.body, res);
    if (!type || !inputs) return;
    const startedAt = ctx.clock.now();
    const checked = inputs.map((input) => checkPropertyValues(records.state.properties[type], input?.properties ?? {}));
    const invalid = checked.flatMap((c) => (c.ok ? [] : c.errors));
    if (invalid.length > 0) return validationError(res, propertyErrorsMessage(invalid));
    const targets = inputs.map((input) => associationTarget(deps, type, input?.associations));
    const badLink = targets.find((t): t is string => typeof t === 'string');
    if (badLink) return validationError(res, badLink);
    if (type === 'contacts') {
      const conflict = emailConflict(deps, checked.map((c) => (c.ok ? c.values.email : undefined)));
      if (conflict) return sendHubspotError(res, 409, 'CONFLICT', conflict);
    }
    const failing = partialBatchFailures(ctx, req, inputs.length);
    const results: unknown[] = [];
    const errors: Array<Record<string, unknown>> = [];
    checked.forEach((c, i) => {
      if (!c.ok) return;
      if (failing.has(i)) return errors.push(batchError('INTERNAL_ERROR', INJECTED, { index: [String(i)] }));
      const obj = records.create(type, c.values, 'INTEGRATION');
      for (const other of targets[i] as string[]) link(deps, type, obj.id, other);
      results.push(viewObject(obj, selectProperties(records, type, Object.keys(obj.properties))));
    });
    send(res, batchResult(201, results, errors, startedAt, ctx.clock.now()));
  });

  router.post('/crm/v3/objects/:type/batch/update', (req, res) => {
    const type = typeOr404(req, res);
    const inputs = type && batchInputs(req.body, res);
    if (!type || !inputs) return;
    const noId = missingIdMessage(inputs);
    if (noId) return validationError(res, noId);
    const startedAt = ctx.clock.now();
    const ids = inputs.map((input) => String(input.id));
    const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
    if (duplicate !== undefined) return validationError(res, `Duplicate IDs found in batch input: [${duplicate}]. IDs must be unique`);
    const checked = inputs.map((input) => checkPropertyValues(records.state.properties[type], input?.properties ?? {}));
    const invalid = checked.flatMap((c) => (c.ok ? [] : c.errors));
    if (invalid.length > 0) return validationError(res, propertyErrorsMessage(invalid));
    const failing = partialBatchFailures(ctx, req, inputs.length);
    const results: unknown[] = [];
    const missing: string[] = [];
    const injected: string[] = [];
    const at = ctx.clock.now();
    checked.forEach((c, i) => {
      if (!c.ok) return;
      const obj = findObject(deps, type, ids[i], inputs[i]?.idProperty);
      if (failing.has(i)) return injected.push(ids[i]);
      if (!obj || obj.archived) return missing.push(ids[i]);
      records.update(type, obj, c.values, 'INTEGRATION', at);
      results.push(viewObject(obj, selectProperties(records, type, Object.keys(c.values))));
    });
    const errors = [];
    if (missing.length > 0) errors.push(batchError('OBJECT_NOT_FOUND', `Could not get some ${objectLabel(type)} objects, they may be deleted or not exist. Check that ids are valid.`, { ids: missing }));
    if (injected.length > 0) errors.push(batchError('INTERNAL_ERROR', INJECTED, { ids: injected }));
    send(res, batchResult(200, results, errors, startedAt, ctx.clock.now()));
  });

  router.post('/crm/v3/objects/:type/batch/archive', (req, res) => {
    const type = typeOr404(req, res);
    const inputs = type && batchInputs(req.body, res);
    if (!type || !inputs) return;
    const noId = missingIdMessage(inputs);
    if (noId) return validationError(res, noId);
    for (const input of inputs) {
      const obj = records.get(type, String(input.id));
      if (obj) records.archive(type, obj, 'INTEGRATION');
    }
    res.status(204).end();
  });

  return router;
}

/**
 * HubSpot's message for a batch create whose emails clash: the first input whose email a live
 * contact has, or (HubSpot answers the same 409 then) the first email two inputs share.
 */
function emailConflict(deps: HubspotDeps, emails: Array<string | undefined>): string | null {
  const seen = new Map<string, number>();
  for (const [i, email] of emails.entries()) {
    if (!email) continue;
    const existing = deps.records.contactByEmail(email);
    if (existing) return `Contact already exists. Existing ID: ${existing.id}`;
    const key = email.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) return `Contact already exists: inputs ${first} and ${i} both have the email ${email}. Nothing was created.`;
    seen.set(key, i);
  }
  return null;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Input = any;

/** The `inputs` array, or a 400 when it is missing or longer than HubSpot allows. */
export function batchInputs(body: unknown, res: Response): Input[] | null {
  const inputs = (body as { inputs?: unknown } | undefined)?.inputs;
  if (!Array.isArray(inputs)) {
    validationError(res, 'Invalid input JSON: the request body must have an "inputs" array');
    return null;
  }
  if (inputs.length > BATCH_LIMIT) {
    validationError(res, `Too many inputs: ${inputs.length}. A batch may have at most ${BATCH_LIMIT} inputs.`, {
      context: { maxInputs: [String(BATCH_LIMIT)], inputs: [String(inputs.length)] },
    });
    return null;
  }
  return inputs;
}

function send(res: Response, result: { status: number; body: Record<string, unknown> }): void {
  res.status(result.status).json(result.body);
}
