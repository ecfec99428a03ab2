import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { validationError, notFound, sendHubspotError } from './errors.js';
import { HISTORY_READ_LIMIT, type HubspotDeps } from './deps.js';
import { objectTypeOf, SINGULAR, type ObjectType } from './object-types.js';
import { asksHistory, historyProperties, listParam, selectProperties, viewAssociations, viewObject } from './object-view.js';
import { checkPropertyValues, propertyErrorsMessage } from './property-values.js';
import { associationTarget } from './association-input.js';
import type { HsObject } from './store.js';

const LIST_LIMIT = 100;

const mergeInput = z.object({ primaryObjectId: z.string().min(1), objectIdToMerge: z.string().min(1) });

/** Single-object endpoints of /crm/v3/objects/{type}: list with paging, get, create, update, archive. */
export function objectsRoutes(deps: HubspotDeps): Router {
  const router = Router();
  const { records } = deps;

  router.get('/crm/v3/objects/:type', (req, res) => {
    const type = typeOr404(req, res);
    if (!type) return;
    const limit = req.query.limit === undefined ? 10 : Number(req.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > LIST_LIMIT) {
      return validationError(res, `limit must be an integer between 1 and ${LIST_LIMIT}, got ${req.query.limit}`);
    }
    if (limit > HISTORY_READ_LIMIT && asksHistory(listParam(req.query.propertiesWithHistory))) {
      // HubSpot answers 400 here too; these words are the sandbox's, not HubSpot's.
      return validationError(res, `limit must be at most ${HISTORY_READ_LIMIT} when propertiesWithHistory is requested, got ${limit}`);
    }
    const after = req.query.after === undefined ? 0 : Number(req.query.after);
    if (!Number.isFinite(after)) return validationError(res, `after must be a paging token from a previous page, got ${req.query.after}`);
    const archived = req.query.archived === 'true';
    const names = selectProperties(records, type, listParam(req.query.properties));
    const wanted = associationTypes(listParam(req.query.associations));
    const history = historyProperties(records, type, listParam(req.query.propertiesWithHistory));
    const order = records.state.order[type];
    const page: HsObject[] = [];
    let next: HsObject | undefined;
    for (let i = lowerBound(order, after); i < order.length; i++) {
      const obj = records.get(type, String(order[i]));
      if (!obj || obj.archived !== archived || obj.mergedInto) continue;
      if (page.length === limit) {
        next = obj;
        break;
      }
      page.push(obj);
    }
    const body: Record<string, unknown> = {
      results: page.map((obj) => withAssociations(deps, type, obj, names, wanted, history)),
    };
    if (next) {
      const link = `${deps.ctx.options.baseUrl}/crm/v3/objects/${type}?after=${next.id}&limit=${limit}`;
      body.paging = { next: { after: next.id, link } };
    }
    res.json(body);
  });

  router.get('/crm/v3/objects/:type/:id', (req, res) => {
    const type = typeOr404(req, res);
    if (!type) return;
    const found = findObject(deps, type, req.params.id, req.query.idProperty as string | undefined);
    // A merged-away id leads to the record it was merged into, which answers with its own id.
    const obj = found?.mergedInto && req.query.archived !== 'true' ? records.getMerged(type, found.id) : found;
    if (!obj || obj.archived !== (req.query.archived === 'true') || obj.mergedInto) return notFound(res, req.params.id);
    const names = selectProperties(records, type, listParam(req.query.properties));
    const history = historyProperties(records, type, listParam(req.query.propertiesWithHistory));
    res.json(withAssociations(deps, type, obj, names, associationTypes(listParam(req.query.associations)), history));
  });

  router.post('/crm/v3/objects/:type', (req, res) => {
    const type = typeOr404(req, res);
    if (!type) return;
    const checked = checkPropertyValues(records.state.properties[type], req.body?.properties ?? {});
    if (!checked.ok) return validationError(res, propertyErrorsMessage(checked.errors));
    const links = associationTarget(deps, type, req.body?.associations);
    if (typeof links === 'string') return validationError(res, links);
    if (type === 'contacts' && conflictOnEmail(deps, res, checked.values.email)) return;
    const obj = records.create(type, checked.values, 'INTEGRATION');
    for (const other of links) link(deps, type, obj.id, other);
    res.status(201).json(viewObject(obj, selectProperties(records, type, Object.keys(obj.properties))));
  });

  // HubSpot's merge (records.merge): 200 with the record both ids now lead to, under a new id.
  router.post('/crm/v3/objects/:type/merge', (req, res) => {
    const type = typeOr404(req, res);
    if (!type) return;
    const input = mergeInput.safeParse(req.body);
    if (!input.success) return validationError(res, `Invalid input JSON: ${input.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    const { primaryObjectId, objectIdToMerge } = input.data;
    // The sandbox merges contacts only; these words are the sandbox's, not HubSpot's.
    if (type !== 'contacts') return validationError(res, 'The sandbox merges contacts only.');
    if (primaryObjectId === objectIdToMerge) return validationError(res, 'primaryObjectId and objectIdToMerge must be different records.');
    const primary = records.get(type, primaryObjectId);
    const secondary = records.get(type, objectIdToMerge);
    if (!primary || primary.archived) return notFound(res, primaryObjectId);
    if (!secondary || secondary.archived) return notFound(res, objectIdToMerge);
    const merged = records.merge(primary, secondary, 'INTEGRATION');
    res.json(viewObject(merged, selectProperties(records, type, undefined)));
  });

  router.patch('/crm/v3/objects/:type/:id', (req, res) => {
    const type = typeOr404(req, res);
    if (!type) return;
    const obj = findObject(deps, type, req.params.id, req.query.idProperty as string | undefined);
    if (!obj || obj.archived) return notFound(res, req.params.id);
    const checked = checkPropertyValues(records.state.properties[type], req.body?.properties ?? {});
    if (!checked.ok) return validationError(res, propertyErrorsMessage(checked.errors));
    if (type === 'contacts' && checked.values.email && records.contactByEmail(checked.values.email)?.id !== obj.id) {
      if (conflictOnEmail(deps, res, checked.values.email)) return;
    }
    records.update(type, obj, checked.values, 'INTEGRATION');
    res.json(viewObject(obj, selectProperties(records, type, Object.keys(obj.properties))));
  });

  router.delete('/crm/v3/objects/:type/:id', (req, res) => {
    const type = typeOr404(req, res);
    if (!type) return;
    const obj = records.get(type, req.params.id);
    if (obj) records.archive(type, obj, 'INTEGRATION');
    res.status(204).end();
  });

  return router;
}

export function typeOr404(req: Request, res: Response): ObjectType | null {
  const type = objectTypeOf(req.params.type);
  if (!type) {
    sendHubspotError(res, 404, 'OBJECT_NOT_FOUND', `Unable to infer object type from: ${req.params.type}. The sandbox serves contacts and deals.`);
  }
  return type;
}

/** Looks an object up by id, or by a unique property (only `email` on contacts is unique here). */
export function findObject(deps: HubspotDeps, type: ObjectType, id: string, idProperty?: string): HsObject | undefined {
  if (!idProperty || idProperty === 'hs_object_id') return deps.records.get(type, id);
  if (type === 'contacts' && idProperty === 'email') return deps.records.contactByEmail(id);
  return undefined;
}

function conflictOnEmail(deps: HubspotDeps, res: Response, email: string | undefined): boolean {
  const existing = email ? deps.records.contactByEmail(email) : undefined;
  if (!existing) return false;
  sendHubspotError(res, 409, 'CONFLICT', `Contact already exists. Existing ID: ${existing.id}`);
  return true;
}

export function link(deps: HubspotDeps, type: ObjectType, id: string, otherId: string): void {
  if (type === 'contacts') deps.records.associate(id, otherId);
  else deps.records.associate(otherId, id);
}

function associationTypes(names: string[] | undefined): ObjectType[] {
  return (names ?? []).map((n) => objectTypeOf(n)).filter((t): t is ObjectType => t !== null);
}

function withAssociations(deps: HubspotDeps, type: ObjectType, obj: HsObject, names: string[], wanted: ObjectType[], history: string[]): Record<string, unknown> {
  const view = viewObject(obj, names, history);
  const associations = wanted.length > 0 ? viewAssociations(deps.records, type, obj.id, wanted) : undefined;
  return associations ? { ...view, associations } : view;
}

/** First index whose id is >= after. */
function lowerBound(order: number[], after: number): number {
  let lo = 0;
  let hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (order[mid] < after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export const objectLabel = (type: ObjectType) => SINGULAR[type].toUpperCase();
