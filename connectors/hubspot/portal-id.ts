import { Client } from '@hubspot/api-client';
import { z } from 'zod';
import { HUBSPOT_API_BASE } from './config.js';
import { translate } from './api-caller.js';
import { HubspotError } from './errors.js';
import { hubspotTokenInfo } from './oauth.js';
import { HUBSPOT_OAUTH_TIMEOUT_MS, withinDeadline } from './oauth-deadline.js';
import { maskUrlCredentials } from '../shared/url-credentials.js';

const accountDetails = z.object({ portalId: z.number().int().positive() }).passthrough();

/**
 * Which portal (hub id) an access token belongs to. An OAuth token is described by HubSpot's
 * token details (/oauth/v1/access-tokens/:token); a private-app token is not an OAuth token, so
 * HubSpot has no details for it, and the account details (/account-info/v3/details) name the
 * portal instead. Neither names the token on failure.
 */
export async function hubspotPortalIdOf(accessToken: string, basePath = HUBSPOT_API_BASE, timeoutMs = HUBSPOT_OAUTH_TIMEOUT_MS): Promise<number> {
  let tokenProblem: string;
  try {
    return (await hubspotTokenInfo(accessToken, basePath, timeoutMs)).hubId;
  } catch (err) {
    tokenProblem = (err as Error).message;
  }
  const action = 'reading which portal the access token belongs to (account details)';
  try {
    const client = new Client({ accessToken, basePath, numberOfApiCallRetries: 0 });
    const advice = `Nothing was lost; check that this server reaches ${maskUrlCredentials(basePath)} (HUBSPOT_BASE_URL, or a proxy or firewall between them).`;
    // apiRequest takes no per-call agent, so the deadline ends the wait, not the socket: a rare, one-off request.
    const res = await withinDeadline(basePath, timeoutMs, action, advice, () => client.apiRequest({ method: 'GET', path: '/account-info/v3/details' }));
    const body = (await res.json().catch(() => ({}))) as unknown;
    if (!res.ok) throw translate({ code: res.status, body }, action, [accessToken]);
    const parsed = accountDetails.safeParse(body);
    if (!parsed.success) throw new HubspotError(`HubSpot's account details carry no portal id (${parsed.error.issues[0].message})`, res.status);
    return parsed.data.portalId;
  } catch (err) {
    // The translated error only, never the raw one as cause: its message can quote the request URL (translate's rule).
    const account = translate(err, action, [accessToken]);
    throw new HubspotError(`leadlift could not read which HubSpot portal its access token belongs to. Token details: ${tokenProblem.replace(/\.$/, '')}. Account details: ${account.message.replace(/\.$/, '')}.`, account.status);
  }
}
