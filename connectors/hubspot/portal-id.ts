import { z } from 'zod';
import { HUBSPOT_API_BASE } from './config.js';
import { translate } from './api-caller.js';
import { HubspotError, HubspotUnavailableError } from './errors.js';
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
  let tokenUnavailable: boolean;
  try {
    return (await hubspotTokenInfo(accessToken, basePath, timeoutMs)).hubId;
  } catch (err) {
    tokenProblem = (err as Error).message;
    tokenUnavailable = err instanceof HubspotUnavailableError;
  }
  const action = 'reading which portal the access token belongs to (account details)';
  // Aborted once the read settles: at the deadline that closes the request's socket.
  const abort = new AbortController();
  try {
    const advice = `Nothing was lost; check that this server reaches ${maskUrlCredentials(basePath)} (HUBSPOT_BASE_URL, or a proxy or firewall between them).`;
    // withinDeadline's per-call options (its agent) are the SDK's; this request's socket is closed by `abort`.
    const { res, body } = await withinDeadline(basePath, timeoutMs, action, advice, () => accountDetailsRequest(accessToken, basePath, abort.signal));
    if (!res.ok) throw translate({ code: res.status, body }, action, [accessToken]);
    const parsed = accountDetails.safeParse(body);
    if (!parsed.success) throw new HubspotError(`HubSpot's account details carry no portal id (${parsed.error.issues[0].message})`, res.status);
    return parsed.data.portalId;
  } catch (err) {
    // The translated error only, never the raw one as cause: its message can quote the request URL (translate's rule).
    const account = translate(err, action, [accessToken]);
    // HubSpot down or out of reach for both reads: that is the whole story, said as every other
    // call says it (and retried as one), not as the same failure twice.
    if (tokenUnavailable && account instanceof HubspotUnavailableError) throw account;
    throw new HubspotError(`leadlift could not read which HubSpot portal its access token belongs to. Token details: ${tokenProblem.replace(/\.$/, '')}. Account details: ${account.message.replace(/\.$/, '')}.`, account.status);
  } finally {
    abort.abort();
  }
}

/**
 * GET /account-info/v3/details, body read too. Not through the SDK: its apiRequest hands
 * node-fetch neither an agent nor a signal, so a HubSpot that never answered kept the socket
 * open after the deadline. The platform's fetch takes `signal`. It refuses a URL with
 * credentials; node-fetch ignored them here anyway (Node sends a URL's user:password only when
 * no Authorization header is set, and the bearer token is one), so they are dropped.
 */
async function accountDetailsRequest(accessToken: string, basePath: string, signal: AbortSignal): Promise<{ res: Response; body: unknown }> {
  const url = new URL(`${basePath}/account-info/v3/details`);
  url.username = '';
  url.password = '';
  let res: Response;
  try {
    res = await fetch(url, { headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' }, signal });
  } catch (err) {
    // fetch says only "fetch failed"; the reason (ECONNREFUSED ...) is its cause, which names no URL.
    const reason = (err as { cause?: { message?: unknown } }).cause?.message ?? (err as Error).message;
    throw new Error(`request failed, reason: ${String(reason)}`);
  }
  return { res, body: (await res.json().catch(() => ({}))) as unknown };
}
