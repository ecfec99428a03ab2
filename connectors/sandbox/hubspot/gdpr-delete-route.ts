import { Router } from 'express';
import { z } from 'zod';
import type { HubspotDeps } from './deps.js';
import { notFound, validationError } from './errors.js';
import { findObject } from './objects-routes.js';

const gdprDeleteInput = z.object({
  objectId: z.string().min(1, 'objectId must name the contact (its id, or its email with idProperty "email")'),
  idProperty: z.string().optional(),
});

/**
 * POST /crm/v3/objects/contacts/gdpr-delete (the SDK's basicApi.purge): erases a contact for good,
 * archived or not, and answers 204 with no body as HubSpot does. Unlike an archive it cannot be
 * undone, so nothing lists the contact afterwards, not even `archived=true`.
 */
export function gdprDeleteRoute(deps: HubspotDeps): Router {
  const router = Router();
  router.post('/crm/v3/objects/contacts/gdpr-delete', (req, res) => {
    const parsed = gdprDeleteInput.safeParse(req.body);
    if (!parsed.success) return validationError(res, `Invalid input JSON: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    const { objectId, idProperty } = parsed.data;
    if (idProperty && idProperty !== 'hs_object_id' && idProperty !== 'email') return validationError(res, `idProperty ${idProperty} is not a unique contact property; use hs_object_id or email`);
    const contact = findObject(deps, 'contacts', objectId, idProperty);
    if (!contact) return notFound(res, objectId);
    deps.records.purge(contact, 'INTEGRATION');
    res.status(204).end();
  });
  return router;
}
