import { Router, type Request, type Response } from 'express';
import { batchError, batchResult } from './batch-response.js';
import { batchInputs } from './batch-routes.js';
import type { HubspotDeps } from './deps.js';
import { notFound, sendHubspotError, validationError } from './errors.js';
import { ASSOCIATION_TYPE_ID, OBJECT_TYPE_ID, objectTypeOf, SINGULAR, type ObjectType } from './object-types.js';

const V4_PAGE = 500;

/**
 * Contact <-> deal associations, through the v4 API (what the SDK's crm.associations.v4 calls) and
 * the v3 batch API. Only HubSpot's unlabeled default type exists (contact_to_deal 4, deal_to_contact 3).
 * v4 reports object ids as numbers, as HubSpot does.
 */
export function associationsRoutes(deps: HubspotDeps): Router {
  const router = Router();
  const { records, ctx } = deps;

  const pair = (req: Request, res: Response, fromParam: string, toParam: string): [ObjectType, ObjectType] | null => {
    const from = objectTypeOf(req.params[fromParam]);
    const to = objectTypeOf(req.params[toParam]);
    if (!from || !to || from === to) {
      sendHubspotError(res, 400, 'VALIDATION_ERROR', `No association between ${req.params[fromParam]} and ${req.params[toParam]}; the sandbox associates contacts with deals.`);
      return null;
    }
    return [from, to];
  };
  const exists = (type: ObjectType, id: string) => {
    const obj = records.get(type, id);
    return obj !== undefined && !obj.archived;
  };
  const connect = (from: ObjectType, fromId: string, toId: string) =>
    from === 'contacts' ? records.associate(fromId, toId) : records.associate(toId, fromId);
  const disconnect = (from: ObjectType, fromId: string, toId: string) =>
    from === 'contacts' ? records.dissociate(fromId, toId) : records.dissociate(toId, fromId);
  const typesV4 = (from: ObjectType) => [{ category: 'HUBSPOT_DEFINED', typeId: ASSOCIATION_TYPE_ID[from], label: null }];
  const spec = (from: ObjectType) => ({ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: ASSOCIATION_TYPE_ID[from] });

  router.get('/crm/v4/objects/:type/:id/associations/:toType', (req, res) => {
    const types = pair(req, res, 'type', 'toType');
    if (!types) return;
    const [from] = types;
    if (!exists(from, req.params.id)) return notFound(res, req.params.id);
    const limit = Math.min(Number(req.query.limit ?? V4_PAGE) || V4_PAGE, V4_PAGE);
    const start = Number(req.query.after ?? 0) || 0;
    const ids = records.associated(from, req.params.id).sort((a, b) => Number(a) - Number(b));
    const page = ids.slice(start, start + limit);
    const body: Record<string, unknown> = { results: page.map((id) => ({ toObjectId: Number(id), associationTypes: typesV4(from) })) };
    if (start + limit < ids.length) body.paging = { next: { after: String(start + limit) } };
    res.json(body);
  });

  router.put('/crm/v4/objects/:type/:id/associations/default/:toType/:toId', (req, res) => {
    const types = pair(req, res, 'type', 'toType');
    if (!types) return;
    const [from, to] = types;
    if (!exists(from, req.params.id)) return notFound(res, req.params.id);
    if (!exists(to, req.params.toId)) return notFound(res, req.params.toId);
    const startedAt = ctx.clock.now();
    connect(from, req.params.id, req.params.toId);
    const result = batchResult(200, [{ from: { id: req.params.id }, to: { id: req.params.toId }, associationSpec: spec(from) }], [], startedAt, ctx.clock.now());
    res.status(result.status).json(result.body);
  });

  router.put('/crm/v4/objects/:type/:id/associations/:toType/:toId', (req, res) => {
    const types = pair(req, res, 'type', 'toType');
    if (!types) return;
    const [from, to] = types;
    if (!validSpecs(req.body, from)) return validationError(res, `Association specs must be [{associationCategory: "HUBSPOT_DEFINED", associationTypeId: ${ASSOCIATION_TYPE_ID[from]}}]`);
    if (!exists(from, req.params.id)) return notFound(res, req.params.id);
    if (!exists(to, req.params.toId)) return notFound(res, req.params.toId);
    connect(from, req.params.id, req.params.toId);
    res.status(201).json(labelsBetween(from, req.params.id, to, req.params.toId));
  });

  router.delete('/crm/v4/objects/:type/:id/associations/:toType/:toId', (req, res) => {
    const types = pair(req, res, 'type', 'toType');
    if (!types) return;
    disconnect(types[0], req.params.id, req.params.toId);
    res.status(204).end();
  });

  router.post('/crm/v4/associations/:from/:to/batch/read', (req, res) => {
    const types = pair(req, res, 'from', 'to');
    const inputs = types && batchInputs(req.body, res);
    if (!types || !inputs) return;
    const [from] = types;
    const startedAt = ctx.clock.now();
    const results: unknown[] = [];
    const missing: string[] = [];
    for (const input of inputs) {
      const id = String(input?.id ?? '');
      const ids = exists(from, id) ? records.associated(from, id) : [];
      if (ids.length === 0) missing.push(id);
      else results.push({ from: { id }, to: ids.map((to) => ({ toObjectId: Number(to), associationTypes: typesV4(from) })) });
    }
    const errors = missing.length > 0 ? [batchError('NO_ASSOCIATIONS_FOUND', `No ${SINGULAR[types[1]]}s are associated with ${SINGULAR[from]} ${missing.join(', ')}.`, { fromObjectId: missing })] : [];
    const result = batchResult(200, results, errors, startedAt, ctx.clock.now());
    res.status(result.status).json(result.body);
  });

  router.post('/crm/v4/associations/:from/:to/batch/create', (req, res) => {
    const types = pair(req, res, 'from', 'to');
    const inputs = types && batchInputs(req.body, res);
    if (!types || !inputs) return;
    const [from, to] = types;
    const startedAt = ctx.clock.now();
    const results: unknown[] = [];
    const errors: Array<Record<string, unknown>> = [];
    for (const input of inputs) {
      const fromId = String(input?.from?.id ?? '');
      const toId = String(input?.to?.id ?? '');
      if (!validSpecs(input?.types, from)) errors.push(batchError('VALIDATION_ERROR', `Unknown association type for ${from} to ${to}`, { fromObjectId: [fromId] }));
      else if (!exists(from, fromId) || !exists(to, toId)) errors.push(batchError('OBJECT_NOT_FOUND', `Object ${fromId} or ${toId} does not exist`, { fromObjectId: [fromId], toObjectId: [toId] }));
      else {
        connect(from, fromId, toId);
        results.push(labelsBetween(from, fromId, to, toId));
      }
    }
    const result = batchResult(201, results, errors, startedAt, ctx.clock.now());
    res.status(result.status).json(result.body);
  });

  router.post('/crm/v4/associations/:from/:to/batch/associate/default', (req, res) => {
    const types = pair(req, res, 'from', 'to');
    const inputs = types && batchInputs(req.body, res);
    if (!types || !inputs) return;
    const [from, to] = types;
    const startedAt = ctx.clock.now();
    const results: unknown[] = [];
    const errors: Array<Record<string, unknown>> = [];
    for (const input of inputs) {
      const fromId = String(input?.from?.id ?? '');
      const toId = String(input?.to?.id ?? '');
      if (!exists(from, fromId) || !exists(to, toId)) {
        errors.push(batchError('OBJECT_NOT_FOUND', `Object ${fromId} or ${toId} does not exist`, { fromObjectId: [fromId], toObjectId: [toId] }));
        continue;
      }
      connect(from, fromId, toId);
      results.push({ from: { id: fromId }, to: { id: toId }, associationSpec: spec(from) });
    }
    const result = batchResult(200, results, errors, startedAt, ctx.clock.now());
    res.status(result.status).json(result.body);
  });

  router.post('/crm/v4/associations/:from/:to/batch/archive', (req, res) => {
    const types = pair(req, res, 'from', 'to');
    const inputs = types && batchInputs(req.body, res);
    if (!types || !inputs) return;
    for (const input of inputs) {
      for (const to of input?.to ?? []) disconnect(types[0], String(input?.from?.id ?? ''), String(to?.id ?? ''));
    }
    res.status(204).end();
  });

  router.post('/crm/v3/associations/:from/:to/batch/read', (req, res) => {
    const types = pair(req, res, 'from', 'to');
    const inputs = types && batchInputs(req.body, res);
    if (!types || !inputs) return;
    const [from, to] = types;
    const startedAt = ctx.clock.now();
    const label = `${SINGULAR[from]}_to_${SINGULAR[to]}`;
    const results: unknown[] = [];
    const missing: string[] = [];
    for (const input of inputs) {
      const id = String(input?.id ?? '');
      const ids = exists(from, id) ? records.associated(from, id) : [];
      if (ids.length === 0) missing.push(id);
      else results.push({ from: { id }, to: ids.map((other) => ({ id: other, type: label })) });
    }
    const errors = missing.length > 0 ? [batchError('NO_ASSOCIATIONS_FOUND', `No ${SINGULAR[to]}s are associated with ${SINGULAR[from]} ${missing.join(', ')}.`, { fromObjectId: missing })] : [];
    const result = batchResult(200, results, errors, startedAt, ctx.clock.now());
    res.status(result.status).json(result.body);
  });

  router.post('/crm/v3/associations/:from/:to/batch/create', (req, res) => {
    const types = pair(req, res, 'from', 'to');
    const inputs = types && batchInputs(req.body, res);
    if (!types || !inputs) return;
    const [from, to] = types;
    const startedAt = ctx.clock.now();
    const label = `${SINGULAR[from]}_to_${SINGULAR[to]}`;
    const results: unknown[] = [];
    const errors: Array<Record<string, unknown>> = [];
    for (const input of inputs) {
      const fromId = String(input?.from?.id ?? '');
      const toId = String(input?.to?.id ?? '');
      if (!exists(from, fromId) || !exists(to, toId)) {
        errors.push(batchError('OBJECT_NOT_FOUND', `Object ${fromId} or ${toId} does not exist`, { fromObjectId: [fromId], toObjectId: [toId] }));
        continue;
      }
      connect(from, fromId, toId);
      results.push({ from: { id: fromId }, to: { id: toId }, type: label });
    }
    const result = batchResult(201, results, errors, startedAt, ctx.clock.now());
    res.status(result.status).json(result.body);
  });

  router.post('/crm/v3/associations/:from/:to/batch/archive', (req, res) => {
    const types = pair(req, res, 'from', 'to');
    const inputs = types && batchInputs(req.body, res);
    if (!types || !inputs) return;
    for (const input of inputs) disconnect(types[0], String(input?.from?.id ?? ''), String(input?.to?.id ?? ''));
    res.status(204).end();
  });

  return router;
}

function validSpecs(specs: unknown, from: ObjectType): boolean {
  return (
    Array.isArray(specs) &&
    specs.length > 0 &&
    specs.every((s) => s?.associationCategory === 'HUBSPOT_DEFINED' && Number(s?.associationTypeId) === ASSOCIATION_TYPE_ID[from])
  );
}

function labelsBetween(from: ObjectType, fromId: string, to: ObjectType, toId: string): Record<string, unknown> {
  return { fromObjectTypeId: OBJECT_TYPE_ID[from], fromObjectId: Number(fromId), toObjectTypeId: OBJECT_TYPE_ID[to], toObjectId: Number(toId), labels: [] };
}
