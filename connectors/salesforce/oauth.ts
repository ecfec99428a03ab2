import { createHash, randomBytes } from 'node:crypto';
import type { OAuth2 } from 'jsforce';
import { z } from 'zod';
import { loadManifest } from '../../src/domain/manifest.js';
import { SALESFORCE_LOGIN_URL, salesforceLoginUrlSchema } from './config.js';
import { SalesforceError, translate } from './errors.js';
import { oauth2WithDeadline, REFRESH_ADVICE, SALESFORCE_OAUTH_TIMEOUT_MS, withinSalesforceDeadline } from './oauth-deadline.js';
import type { SalesforceTokens, TokenVault } from './token-vault.js';
import { CONNECT_SALESFORCE } from './connect-words.js';

/**
 * The OAuth 2.0 web-server flow of the install: send the admin to Salesforce's authorize page
 * (with a `state` the server checks on the way back and a PKCE challenge), trade the code and
 * the challenge's verifier for tokens, keep them encrypted in the store. The connector refreshes
 * the access token itself (session.ts).
 *
 * PKCE (RFC 7636, S256) binds the code to whoever started the flow: a code caught on its way
 * back is useless without the verifier, which never leaves this server. It is also what lets a
 * connected app without a consumer secret (SALESFORCE_CLIENT_SECRET unset) trade its code at
 * all, and what orgs that require PKCE ask for. jsforce 3 passes extra authorize and token
 * parameters through; its own `useVerifier` keeps the verifier on one OAuth2 object, which a
 * server that builds one per request (and per install) cannot use, so the verifier is ours.
 */

const appSettings = z.object({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1).optional(),
  redirectUri: z.string().url(),
  loginUrl: salesforceLoginUrlSchema.default(SALESFORCE_LOGIN_URL),
  /** How long the code exchange or a refresh may wait for Salesforce (oauth-deadline.ts). */
  timeoutMs: z.number().int().positive().default(SALESFORCE_OAUTH_TIMEOUT_MS),
});
export type SalesforceApp = z.input<typeof appSettings>;

function oauth2Of(app: SalesforceApp): { oauth2: OAuth2; loginUrl: string; timeoutMs: number } {
  const { clientId, clientSecret, redirectUri, loginUrl, timeoutMs } = appSettings.parse(app);
  return { oauth2: oauth2WithDeadline({ clientId, clientSecret, redirectUri, loginUrl }, timeoutMs), loginUrl, timeoutMs };
}

/** A PKCE code verifier: 64 random bytes as base64url (86 characters; RFC 7636 allows 43-128). */
export function newCodeVerifier(): string {
  return randomBytes(64).toString('base64url');
}

/**
 * Where to send the admin. `state` is random unless given: the server stores it (session or
 * cookie) and refuses a callback whose state differs, which stops cross-site request forgery.
 * `codeVerifier` (new unless given) must be kept with the state, server-side, and handed to
 * exchangeSalesforceCode: the URL carries only its S256 challenge.
 */
export function salesforceAuthorizeUrl(
  app: SalesforceApp,
  state = randomBytes(24).toString('base64url'),
  scopes: readonly string[] = loadManifest().salesforce.scopes,
  codeVerifier = newCodeVerifier(),
): { url: string; state: string; codeVerifier: string } {
  const scope = scopes.join(' ');
  const challenge = createHash('sha256').update(codeVerifier).digest('base64url');
  const url = oauth2Of(app).oauth2.getAuthorizationUrl({ scope, state, code_challenge: challenge, code_challenge_method: 'S256' });
  return { url, state, codeVerifier };
}

/**
 * Trades the code Salesforce sent to the redirect URI (with the verifier of the challenge the
 * authorize URL carried) for tokens, and saves them. Also returns the
 * org the admin connected (`orgId`, from the identity URL the token response carries), which is
 * not saved with the tokens.
 */
export async function exchangeSalesforceCode(app: SalesforceApp, code: string, vault?: TokenVault, codeVerifier?: string): Promise<SalesforceTokens & { orgId: string | null }> {
  const action = 'exchanging the OAuth code for tokens';
  try {
    const { oauth2, loginUrl, timeoutMs } = oauth2Of(app);
    // Nothing is saved before the answer: tokens stored earlier (a previous install) stay as they are.
    const advice = `No tokens were received and any stored before are kept: check that this server reaches {loginUrl} (SALESFORCE_LOGIN_URL, or a proxy or firewall between them), then start the install again: ${CONNECT_SALESFORCE}.`;
    const res = await withinSalesforceDeadline({ action, loginUrl, timeoutMs, advice }, () => oauth2.requestToken(code, codeVerifier ? { code_verifier: codeVerifier } : {}));
    if (!res.refresh_token) {
      // The connected app's setting, not a refusal: said as it is, not as translate() words an unknown failure.
      throw new SalesforceError('Salesforce issued no refresh token: add the "refresh_token" / "offline_access" scopes to the connected app', 'NO_REFRESH_TOKEN');
    }
    const tokens: SalesforceTokens = { accessToken: res.access_token, refreshToken: res.refresh_token, instanceUrl: res.instance_url, issuedAt: Number(res.issued_at) || Date.now() };
    await vault?.save(tokens);
    return { ...tokens, orgId: orgIdOf(res.id) };
  } catch (err) {
    throw translate(err, action, [code, app.clientSecret, codeVerifier]);
  }
}

/** A new access token from the saved refresh token (the refresh token itself stays). */
export async function refreshSalesforceToken(app: SalesforceApp, refreshToken: string): Promise<SalesforceTokens> {
  const action = 'refreshing the access token';
  try {
    const { oauth2, loginUrl, timeoutMs } = oauth2Of(app);
    const res = await withinSalesforceDeadline({ action, loginUrl, timeoutMs, advice: REFRESH_ADVICE }, () => oauth2.refreshToken(refreshToken));
    return { accessToken: res.access_token, refreshToken: res.refresh_token ?? refreshToken, instanceUrl: res.instance_url, issuedAt: Number(res.issued_at) || Date.now() };
  } catch (err) {
    throw translate(err, action, [refreshToken, app.clientSecret]);
  }
}

/** The org id in an identity URL (https://login.salesforce.com/id/<org id>/<user id>); null when it is not one. */
export function orgIdOf(identityUrl: unknown): string | null {
  if (typeof identityUrl !== 'string') return null;
  const match = /\/id\/(00D[0-9A-Za-z]{12}(?:[0-9A-Za-z]{3})?)\/[0-9A-Za-z]+\/?$/.exec(identityUrl);
  return match ? match[1] : null;
}
