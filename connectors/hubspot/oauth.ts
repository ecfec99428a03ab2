import { Client } from '@hubspot/api-client';
import { z } from 'zod';
import { HUBSPOT_API_BASE, hubspotBaseUrlSchema } from './config.js';
import { translate } from './api-caller.js';
import { HubspotError } from './errors.js';

/**
 * The OAuth steps of the install flow, through the SDK's token endpoint
 * (POST /oauth/v1/token). The server stores the tokens; the connector only ever receives an
 * access-token provider built on refreshHubspotToken.
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
});

const exchangeInput = appCredentials.extend({ code: z.string().min(1), redirectUri: z.string().url() });
const refreshInput = appCredentials.extend({ refreshToken: z.string().min(1) });

/** Trades the code HubSpot sent to the redirect URL for the portal's tokens. */
export async function exchangeHubspotOAuthCode(input: z.input<typeof exchangeInput>): Promise<HubspotTokens> {
  const { code, redirectUri, clientId, clientSecret, basePath } = exchangeInput.parse(input);
  return requestTokens('exchanging the OAuth code for tokens', basePath, [code, clientSecret], (client) =>
    client.oauth.tokensApi.create('authorization_code', code, redirectUri, clientId, clientSecret),
  );
}

/** A fresh access token from the refresh token (access tokens last 30 minutes). */
export async function refreshHubspotToken(input: z.input<typeof refreshInput>): Promise<HubspotTokens> {
  const { refreshToken, clientId, clientSecret, basePath } = refreshInput.parse(input);
  return requestTokens('refreshing the access token', basePath, [refreshToken, clientSecret], (client) =>
    client.oauth.tokensApi.create('refresh_token', undefined, undefined, clientId, clientSecret, refreshToken),
  );
}

/** Which portal and scopes an access token belongs to (for the admin page after install). */
export async function hubspotTokenInfo(accessToken: string, basePath = HUBSPOT_API_BASE): Promise<{ hubId: number; hubDomain?: string; scopes: string[]; expiresAt: number }> {
  const client = new Client({ basePath, numberOfApiCallRetries: 0 });
  try {
    const info = await client.oauth.accessTokensApi.get(accessToken);
    return { hubId: info.hubId, hubDomain: info.hubDomain, scopes: info.scopes, expiresAt: Date.now() + info.expiresIn * 1000 };
  } catch (err) {
    throw asOAuthError(err, 'reading the access token details', [accessToken]);
  }
}

async function requestTokens(
  action: string,
  basePath: string,
  secrets: string[],
  send: (client: Client) => Promise<{ accessToken: string; refreshToken: string; expiresIn: number }>,
): Promise<HubspotTokens> {
  const client = new Client({ basePath, numberOfApiCallRetries: 0 });
  try {
    const tokens = await send(client);
    return { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: Date.now() + tokens.expiresIn * 1000 };
  } catch (err) {
    throw asOAuthError(err, action, secrets);
  }
}

function asOAuthError(err: unknown, action: string, secrets: string[]): HubspotError {
  const translated = translate(err, action, secrets);
  // On the token endpoint a 400 means the code or refresh token is no longer valid.
  if (translated.status === 400) {
    return new HubspotError(`${translated.message}. Start the install again from leadlift's admin page ("Connect HubSpot").`, 400);
  }
  return translated;
}
