import { Router } from 'express';
import { callerOf } from './auth.js';
import type { HubspotDeps } from './deps.js';
import type { DailyCount } from './rate-limit.js';

/**
 * HubSpot's account information API, behind the CRM APIs' bearer auth and rate limits.
 *
 * GET /account-info/v3/details: the portal a token belongs to, private-app tokens included, which
 * token introspection does not describe.
 *
 * GET /account-info/v3/api-usage/daily/private-apps: the portal's private-app calls today against
 * the daily allowance, as HubSpot's API reference ("Retrieve private app daily API usage", legacy
 * v3) shows it: { results: [{ name: "private-apps-api-calls-daily", usageLimit, currentUsage,
 * collectedAt, fetchStatus, resetsAt }] }, the instants ISO 8601 UTC. The day runs midnight to
 * midnight in the portal's time zone (HubSpot's API guidelines; the sandbox portal's is UTC, as its
 * details say). The call itself counts and, the allowance spent, is refused 429 DAILY like any
 * other: HubSpot's legacy usage endpoint said "A call to this endpoint counts against your API
 * limits", and its usage guidelines that an app past its limit gets a 429 "for all subsequent API
 * calls". HubSpot serves the figures from a cache up to 5 minutes old (fetchStatus CACHED); the
 * sandbox always answers fresh (SUCCESS).
 */
export function accountInfoRoute(deps: HubspotDeps, daily: DailyCount): Router {
  const router = Router();
  router.get('/account-info/v3/details', (_req, res) => {
    const app = deps.records.state.app;
    // An OAuth token names the portal its install was into, as its token details do.
    const caller = callerOf(res);
    res.json({
      portalId: (caller?.kind === 'oauth' ? caller.portalId : undefined) ?? app.portalId,
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
  router.get('/account-info/v3/api-usage/daily/private-apps', (_req, res) => {
    const { used, max, resetsAt } = daily.usage();
    res.json({
      results: [
        {
          name: 'private-apps-api-calls-daily',
          usageLimit: max,
          currentUsage: used,
          collectedAt: new Date(deps.ctx.clock.now()).toISOString(),
          fetchStatus: 'SUCCESS',
          resetsAt: new Date(resetsAt).toISOString(),
        },
      ],
    });
  });
  return router;
}
