import { HUBSPOT_OAUTH_TIMEOUT_MS } from '../../connectors/hubspot/oauth-deadline.js';
import { hubspotTokenInfo } from '../../connectors/hubspot/oauth.js';
import { maskUrlCredentials } from '../../connectors/shared/url-credentials.js';

/**
 * Which account an install from /install connected, for the one line the server logs: the admin
 * running `serve` sees in the terminal what the Connections page shows. Ids and hosts only,
 * never a token. HubSpot's token details are waited for at most `timeoutMs`: the tokens are
 * stored before this runs, so a HubSpot that never answers costs the line its portal id, not the
 * install (the callback used to hold the admin's page open for good).
 */
export async function hubspotAccount(
  accessToken: string,
  basePath: string | null,
  timeoutMs = HUBSPOT_OAUTH_TIMEOUT_MS,
): Promise<{ portalId: number | null; text: string }> {
  try {
    const info = await hubspotTokenInfo(accessToken, basePath ?? undefined, timeoutMs);
    return { portalId: info.hubId, text: `portal ${info.hubId}${info.hubDomain ? ` (${info.hubDomain})` : ''}` };
  } catch (err) {
    // The install itself went through: the line is still logged, saying why the portal is not named.
    // The line goes on after the text ("; creating its fields ..."): the message's full stop is dropped.
    return { portalId: null, text: `portal id not read (the install went through and its tokens are stored): ${(err as Error).message.replace(/\.$/, '')}` };
  }
}

/**
 * Salesforce's counterpart sends no request: the org id comes from the identity URL in the token
 * response itself (orgIdOf), so no identity or userinfo lookup can hold the install page.
 */
export function salesforceAccount(orgId: string | null, instanceUrl: string | undefined): string {
  return `org ${orgId ?? '(id not in the token response)'}${instanceUrl ? ` at ${maskUrlCredentials(instanceUrl)}` : ''}`;
}
