import { Connection, type TokenResponse } from 'jsforce';
import { withOneRetryLayer } from './one-retry-layer.js';
import { authMode, type SalesforceConfig } from './config.js';
import { SalesforceError, SalesforceGrantError, translate } from './errors.js';
import { requestJwtToken } from './jwt.js';
import { oauth2WithDeadline, REFRESH_ADVICE, withinSalesforceDeadline } from './oauth-deadline.js';
import type { SalesforceTokens, TokenVault } from './token-vault.js';
import { CONNECT_SALESFORCE } from './connect-words.js';
import { ConfigError } from '../../src/domain/errors.js';

/**
 * One jsforce Connection per connector, opened on first use. With OAuth or JWT, jsforce's
 * session-refresh hook (refreshFn) gets a new access token whenever Salesforce answers
 * INVALID_SESSION_ID and repeats the request; a refreshed OAuth token is saved back to the vault.
 * A refresh that Salesforce refuses (invalid_grant) is remembered so the caller can report it as
 * SalesforceGrantError rather than jsforce's generic "Unable to refresh session".
 */

export interface SalesforceSession {
  connection(): Promise<Connection>;
  /** Every token this session has held, so error text can be scrubbed of them. */
  secrets(): string[];
  /** Set when a refresh was refused: the saved grant is dead and only a reconnect helps. */
  readonly refreshFailure: SalesforceError | null;
}

export function createSession(config: SalesforceConfig, vault?: TokenVault): SalesforceSession {
  const mode = authMode(config);
  const seen = new Set<string>();
  const remember = (...tokens: Array<string | null | undefined>) => tokens.forEach((t) => t && seen.add(t));
  remember(config.accessToken, config.oauth?.clientSecret);
  let refreshFailure: SalesforceError | null = null;
  let opening: Promise<Connection> | null = null;

  const refreshFailed = (err: unknown): Error => {
    // A key that will not sign is our settings' fault, not a refusal by Salesforce: said as such (exit 2).
    if (err instanceof ConfigError) return err;
    let translated = translate(err, mode === 'jwt' ? 'signing in with the JWT bearer flow' : 'refreshing the Salesforce session', [...seen]);
    // A refused JWT sign-in is fixed in the connected app or the settings: no install to redo.
    if (mode === 'jwt' && translated instanceof SalesforceGrantError) translated = new SalesforceGrantError(translated.detail, 'jwt');
    refreshFailure = translated instanceof SalesforceGrantError ? translated : null;
    return translated;
  };

  const open = async (): Promise<Connection> => {
    if (mode === 'access-token') {
      return withOneRetryLayer(new Connection({ instanceUrl: config.instanceUrl, accessToken: config.accessToken, version: config.apiVersion }));
    }
    if (mode === 'jwt') {
      const jwt = { ...config.jwt!, loginUrl: config.loginUrl, timeoutMs: config.oauthTimeoutMs };
      const first = await requestJwtToken(jwt).catch((err) => {
        throw refreshFailed(err);
      });
      remember(first.access_token);
      return withOneRetryLayer(new Connection({
        instanceUrl: first.instance_url,
        accessToken: first.access_token,
        version: config.apiVersion,
        refreshFn: (conn, callback) => {
          requestJwtToken(jwt).then(
            (res) => {
              remember(res.access_token);
              conn.instanceUrl = res.instance_url;
              callback(null, res.access_token, res);
            },
            (err) => callback(refreshFailed(err)),
          );
        },
      }));
    }

    const saved = (await vault?.load()) ?? null;
    const refreshToken = saved?.refreshToken;
    if (!refreshToken) {
      throw new SalesforceError(
        `Salesforce is not connected yet: ${CONNECT_SALESFORCE} (OAuth), or set SALESFORCE_INSTANCE_URL and SALESFORCE_ACCESS_TOKEN.`,
        'NOT_CONNECTED',
      );
    }
    remember(refreshToken, saved.accessToken);
    const oauth2 = oauth2WithDeadline({ ...config.oauth!, loginUrl: config.loginUrl }, config.oauthTimeoutMs);
    const deadline = { action: 'refreshing the Salesforce session', loginUrl: config.loginUrl, timeoutMs: config.oauthTimeoutMs, advice: REFRESH_ADVICE };
    const refresh = async (): Promise<TokenResponse> => {
      try {
        const res = await withinSalesforceDeadline(deadline, () => oauth2.refreshToken(refreshToken));
        remember(res.access_token);
        const tokens: SalesforceTokens = { ...saved, accessToken: res.access_token, instanceUrl: res.instance_url, issuedAt: Number(res.issued_at) || Date.now() };
        await vault?.save(tokens);
        return res;
      } catch (err) {
        throw refreshFailed(err);
      }
    };
    // No saved access token (or no instance URL): start with a refresh.
    const start = saved.accessToken && saved.instanceUrl ? { access_token: saved.accessToken, instance_url: saved.instanceUrl } : await refresh();
    return withOneRetryLayer(new Connection({
      oauth2,
      instanceUrl: start.instance_url,
      accessToken: start.access_token,
      version: config.apiVersion,
      refreshFn: (conn, callback) => {
        refresh().then(
          (res) => {
            conn.instanceUrl = res.instance_url;
            callback(null, res.access_token, res);
          },
          (err) => callback(err as Error),
        );
      },
    }));
  };

  return {
    connection() {
      opening ??= open().catch((err) => {
        opening = null;
        throw err instanceof SalesforceError ? err : translate(err, 'connecting to Salesforce', [...seen]);
      });
      return opening;
    },
    secrets: () => [...seen],
    get refreshFailure() {
      return refreshFailure;
    },
  };
}
