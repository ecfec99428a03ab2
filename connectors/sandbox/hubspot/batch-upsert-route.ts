import { Router } from 'express';
import { partialBatchFailures } from '../fault-rules.js';
import { batchInputs, INJECTED } from './batch-routes.js';
import { batchError, batchResult } from './batch-response.js';
import type { HubspotDeps } from './deps.js';
import { sendHubspotError, validationError } from './errors.js';
import { findObject, objectLabel, typeOr404 } from './objects-routes.js';
import { selectProperties, viewObject } from './object-view.js';
import { invalidEmailMessage, isValidEmail } from './email-address.js';
import { checkPropertyValues, fail, propertyErrorsMessage } from './property-values.js';
import { isRefusal, upsertEmailClash, upsertKeys } from './upsert-inputs.js';

/**
 * POST /crm/v3/objects/{type}/batch/upsert (batchApi.upsert): each input names its record by
 * `idProperty`, a unique property (here `email` on contacts), or by record id when `idProperty`
 * is absent or hs_object_id. A unique value no record has creates one with that value; a record
 * id must exist (HubSpot does not create records with given ids), else that input fails in a 207.
 * An input without an id, or two naming one record or leaving one email on two contacts, fail the
 * whole batch (upsert-inputs.ts), as in HubSpot, so a batch never makes an emailless or twin contact.
 * Results are SimplePublicUpsertObject: the object plus `new`. Answers 200, or 207 with errors.
 */
export function batchUpsertRoute(deps: HubspotDeps): Router {
  const router = Router();
  const { records, ctx } = deps;

  router.post('/crm/v3/objects/:type/batch/upsert', (req, res) => {
    const type = typeOr404(req, res);
    const inputs = type && batchInputs(req.body, res);
    if (!type || !inputs) return;
    const startedAt = ctx.clock.now();
    const keys = upsertKeys(type, inputs, req.query.idProperty);
    if (isRefusal(keys)) return res.status(keys.status).json(keys.body);
    const checked = inputs.map((input) => checkPropertyValues(records.state.properties[type], input?.properties ?? {}));
    const targets = keys.map((k) => findObject(deps, type, k.id, k.by));
    // An email key no contact has becomes the new contact's email, so it must be one HubSpot takes.
    const badKeys = keys.flatMap((k, i) => (k.by === 'email' && !targets[i] && !isValidEmail(k.id) ? [fail('email', 'INVALID_EMAIL', invalidEmailMessage(k.id))] : []));
    const invalid = [...checked.flatMap((c) => (c.ok ? [] : c.errors)), ...badKeys];
    if (invalid.length > 0) return validationError(res, propertyErrorsMessage(invalid));
    if (type === 'contacts') {
      // A written email another contact has clashes as in a create or update.
      for (const [i, c] of checked.entries()) {
        const owner = c.ok && c.values.email ? records.contactByEmail(c.values.email) : undefined;
        if (owner && owner.id !== targets[i]?.id) return sendHubspotError(res, 409, 'CONFLICT', `Contact already exists. Existing ID: ${owner.id}`);
      }
      // So does one email two inputs would leave on two contacts, new or existing: nothing is written.
      const clash = upsertEmailClash(keys, checked.map((c) => (c.ok ? c.values.email : undefined)), targets);
      if (clash) return sendHubspotError(res, 409, 'CONFLICT', clash);
    }
    const failing = partialBatchFailures(ctx, req, inputs.length);
    const results: unknown[] = [];
    const missing: string[] = [];
    const injected: string[] = [];
    const at = ctx.clock.now();
    checked.forEach((c, i) => {
      if (!c.ok) return;
      const { id, by } = keys[i];
      const obj = targets[i];
      if (failing.has(i)) return injected.push(id);
      if (obj && !obj.archived) {
        records.update(type, obj, c.values, 'INTEGRATION', at);
        return results.push({ ...viewObject(obj, selectProperties(records, type, Object.keys(c.values))), new: false });
      }
      if (by === 'hs_object_id') return missing.push(id);
      const created = records.create(type, { ...c.values, [by]: id }, 'INTEGRATION');
      results.push({ ...viewObject(created, selectProperties(records, type, Object.keys(created.properties))), new: true });
    });
    const errors = [];
    if (missing.length > 0) errors.push(batchError('OBJECT_NOT_FOUND', `Could not get some ${objectLabel(type)} objects, they may be deleted or not exist. Check that ids are valid.`, { ids: missing }));
    if (injected.length > 0) errors.push(batchError('INTERNAL_ERROR', INJECTED, { ids: injected }));
    const result = batchResult(200, results, errors, startedAt, ctx.clock.now());
    res.status(result.status).json(result.body);
  });

  return router;
}
