import { Router } from 'express';
import type { HubspotDeps } from './deps.js';

/**
 * HubSpot's account details (GET /account-info/v3/details): the portal a token belongs to,
 * private-app tokens included, which token introspection does not describe. Behind the CRM
 * APIs' bearer auth.
 */
export function accountInfoRoute(deps: HubspotDeps): Router {
  const router = Router();
  router.get('/account-info/v3/details', (_req, res) => {
    const app = deps.records.state.app;
    res.json({
      portalId: app.portalId,
      accountType: 'STANDARD',
      timeZone: 'UTC',
      companyCurrency: 'EUR',
      additionalCurrencies: [],
      utcOffset: '+00:00',
      utcOffsetMilliseconds: 0,
      uiDomain: 'app.hubspot.com',
      dataHostingLocation: 'na1',
    });
  });
  return router;
}
