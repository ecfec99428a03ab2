import { Client } from '@hubspot/api-client';
import { z } from 'zod';
import { HUBSPOT_API_BASE, hubspotBaseUrlSchema } from './config.js';
import { translate } from './api-caller.js';
import { HubspotError } from './errors.js';
import { maskUrlCredentials } from '../shared/url-credentials.js';
import { HUBSPOT_OAUTH_TIMEOUT_MS, withinDeadline, type OAuthCallOptions } from './oauth-deadline.js';
import { CONNECT_HUBSPOT } from './connect-words.js';

/**
 * The OAuth steps of the install flow, through the SDK's token endpoint
 * (POST /oauth/v1/token). The server stores the tokens; the connector only ever receives an
 * access-token provider built on refreshHubspotToken. Each request is bounded in time
 * (oauth-deadline.ts): a HubSpot that never answers fails it with a HubspotTimeoutError.
 */

export interface HubspotTokens {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms when the access token stops working. */
  expiresAt: number;
}

const appCredentials = z.object({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  basePath: hubspotBaseUrlSchema.default(HUBSPOT_API_BASE),
  timeoutMs: z.number().int().positive().default(HUBSPOT_OAUTH_TIMEOUT_MS),
});

const exchangeInput = appCredentials.extend({ code: z.string().min(1), redirectUri: z.string().url() });
const refreshInput = appCredentials.extend({ refreshToken: z.string().min(1) });

/** Trades the code HubSpot sent to the redirect URL for the portal's tokens. */
export async function exchangeHubspotOAuthCode(input: z.input<typeof exchangeInput>): Promise<HubspotTokens> {
  const { code, redirectUri, clientId, clientSecret, basePath, timeoutMs } = exchangeInput.parse(input);
  const advice = `No tokens were received: check that this server reaches ${maskUrlCredentials(basePath)} (HUBSPOT_BASE_URL, or a proxy or firewall between them), then start the install again: ${CONNECT_HUBSPOT}.`;
  return requestTokens('exchanging the OAuth code for tokens', { basePath, timeoutMs, advice }, [code, clientSecret], (client, options) =>
    client.oauth.tokensApi.create('authorization_code', code, redirectUri, clientId, clientSecret, undefined, options),
  );
}

/** A fresh access token from the refresh token (access tokens last 30 minutes). */
export async function refreshHubspotToken(input: z.input<typeof refreshInput>): Promise<HubspotTokens> {
  const { refreshToken, clientId, clientSecret, basePath, timeoutMs } = refreshInput.parse(input);
  const advice = `The stored tokens are kept and the next run refreshes again; if this repeats, check that this server reaches ${maskUrlCredentials(basePath)} (HUBSPOT_BASE_URL, or a proxy or firewall between them).`;
  return requestTokens('refreshing the access token', { basePath, timeoutMs, advice }, [refreshToken, clientSecret], (client, options) =>
    client.oauth.tokensApi.create('refresh_token', undefined, undefined, clientId, clientSecret, refreshToken, options),
  );
}

/**
 * Which portal and scopes an access token belongs to (for the admin page after install), within
 * `timeoutMs`. The token is the caller's to keep: a failure here, a timeout included, never names it.
 */
export async function hubspotTokenInfo(
  accessToken: string,
  basePath = HUBSPOT_API_BASE,
  timeoutMs = HUBSPOT_OAUTH_TIMEOUT_MS,
): Promise<{ hubId: number; hubDomain?: string; scopes: string[]; expiresAt: number }> {
  const action = 'reading which portal the access token belongs to';
  const advice = `Nothing was lost; if this repeats, check that this server reaches ${maskUrlCredentials(basePath)} (HUBSPOT_BASE_URL, or a proxy or firewall between them).`;
  try {
    const client = new Client({ basePath, numberOfApiCallRetries: 0 });
    const info = await withinDeadline(basePath, timeoutMs, action, advice, (options) => client.oauth.accessTokensApi.get(accessToken, options));
    return { hubId: info.hubId, hubDomain: info.hubDomain, scopes: info.scopes, expiresAt: Date.now() + info.expiresIn * 1000 };
  } catch (err) {
    throw asOAuthError(err, action, [accessToken]);
  }
}

async function requestTokens(
  action: string,
  { basePath, timeoutMs, advice }: { basePath: string; timeoutMs: number; advice: string },
  secrets: string[],
  send: (client: Client, options: OAuthCallOptions) => Promise<{ accessToken: string; refreshToken: string; expiresIn: number }>,
): Promise<HubspotTokens> {
  const client = new Client({ basePath, numberOfApiCallRetries: 0 });
  try {
    const tokens = await withinDeadline(basePath, timeoutMs, action, advice, (options) => send(client, options));
    return { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: Date.now() + tokens.expiresIn * 1000 };
  } catch (err) {
    throw asOAuthError(err, action, secrets);
  }
}

/**
 * What fixes a refusal the token endpoint names (its body's `status`): the app's own credentials
 * are settings, which a new install would send unchanged and see refused the same way.
 */
const APP_SETTING_FIXES: Record<string, string> = {
  BAD_CLIENT_SECRET: 'Check HUBSPOT_CLIENT_SECRET: it must be the client secret of the app whose client id is HUBSPOT_CLIENT_ID (HubSpot developer account > Apps > the app > Auth). An install again would be refused the same way until it is fixed; the stored tokens are kept.',
  BAD_CLIENT_ID: 'Check HUBSPOT_CLIENT_ID: it must be the client id of the app that was installed (HubSpot developer account > Apps > the app > Auth), with its client secret in HUBSPOT_CLIENT_SECRET. The stored tokens are kept.',
};

function asOAuthError(err: unknown, action: string, secrets: string[]): HubspotError {
  const translated = translate(err, action, secrets);
  if (translated.status === 400) {
    const refusal = ((err as { body?: { status?: unknown } } | null)?.body?.status);
    const fix = typeof refusal === 'string' ? APP_SETTING_FIXES[refusal] : undefined;
    if (fix) return new HubspotError(`${translated.message}. ${fix}`, 400);
    // Otherwise the code or refresh token is no longer valid: only a new install gives new ones.
    return new HubspotError(`${translated.message}. Start the install again: ${CONNECT_HUBSPOT}.`, 400);
  }
  return translated;
}
