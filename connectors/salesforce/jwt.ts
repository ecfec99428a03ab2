import { createPrivateKey, sign } from 'node:crypto';
import type { TokenResponse } from 'jsforce';
import { ConfigError } from '../../src/domain/errors.js';
import { oauth2WithDeadline, SALESFORCE_OAUTH_TIMEOUT_MS, withinSalesforceDeadline } from './oauth-deadline.js';

/**
 * The JWT bearer flow (server-to-server): the app signs {iss: consumer key, sub: username,
 * aud: login URL, exp} with the private key whose certificate the connected app holds, and
 * trades it at the token endpoint for an access token. There is no refresh token: a new
 * assertion is signed whenever the session expires.
 */

export interface JwtSettings {
  clientId: string;
  username: string;
  privateKey: string;
  loginUrl: string;
  /** How long the token endpoint may take to answer (default SALESFORCE_OAUTH_TIMEOUT_MS). */
  timeoutMs?: number;
}

/** Salesforce accepts assertions valid for at most 3 minutes. */
const LIFETIME_SECONDS = 180;

export function signJwtAssertion(settings: JwtSettings, nowMs = Date.now()): string {
  let key;
  try {
    key = createPrivateKey(settings.privateKey);
  } catch (err) {
    throw new ConfigError('SALESFORCE_JWT_KEY_FILE', `is not a PEM private key this machine can read (${(err as Error).message.split('\n')[0]})`);
  }
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const claims = {
    iss: settings.clientId,
    sub: settings.username,
    aud: settings.loginUrl.replace(/\/+$/, ''),
    exp: Math.floor(nowMs / 1000) + LIFETIME_SECONDS,
  };
  const unsigned = `${encode({ alg: 'RS256' })}.${encode(claims)}`;
  return `${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), key).toString('base64url')}`;
}

/** A fresh access token for the configured user, through jsforce's token endpoint call. */
export async function requestJwtToken(settings: JwtSettings): Promise<TokenResponse> {
  const timeoutMs = settings.timeoutMs ?? SALESFORCE_OAUTH_TIMEOUT_MS;
  const oauth2 = oauth2WithDeadline({ loginUrl: settings.loginUrl }, timeoutMs);
  const assertion = signJwtAssertion(settings);
  const advice = 'Nothing was lost and the next run signs in again; if this repeats, check that this server reaches {loginUrl} (SALESFORCE_LOGIN_URL, or a proxy or firewall between them).';
  return withinSalesforceDeadline({ action: 'signing in with the JWT bearer flow', loginUrl: settings.loginUrl, timeoutMs, advice }, () =>
    oauth2.requestToken({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }),
  );
}
