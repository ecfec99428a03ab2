import { hubspotTokenInfo } from '../../connectors/hubspot/oauth.js';

/**
 * Which account an install from /install connected, for the one line the server logs: the admin
 * running `serve` sees in the terminal what the Connections page shows. Ids and hosts only,
 * never a token.
 */
export async function hubspotAccount(accessToken: string, basePath: string | null): Promise<{ portalId: number | null; text: string }> {
  try {
    const info = await hubspotTokenInfo(accessToken, basePath ?? undefined);
    return { portalId: info.hubId, text: `portal ${info.hubId}${info.hubDomain ? ` (${info.hubDomain})` : ''}` };
  } catch (err) {
    // The install itself went through: the line is still logged, saying why the portal is not named.
    return { portalId: null, text: `portal id not read: ${(err as Error).message}` };
  }
}

export function salesforceAccount(orgId: string | null, instanceUrl: string | undefined): string {
  return `org ${orgId ?? '(id not in the token response)'}${instanceUrl ? ` at ${instanceUrl}` : ''}`;
}
