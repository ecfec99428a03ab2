import { refreshHubspotToken, type HubspotTokens } from '../../connectors/hubspot/index.js';

export interface OAuthApp {
  clientId: string;
  clientSecret: string;
  basePath?: string;
}

/**
 * An access-token provider for the HubSpot connector from a refresh token: the access token is
 * reused until a minute before it expires, refreshed once for concurrent callers, and each new
 * pair is handed to `save` (the store keeps them encrypted) because HubSpot may rotate them.
 */
export function hubspotTokenProvider(
  app: OAuthApp,
  initial: { refreshToken: string; accessToken?: string; expiresAt?: number },
  save?: (tokens: HubspotTokens) => Promise<void>,
): (options: { forceRefresh: boolean }) => Promise<string> {
  let tokens: { refreshToken: string; accessToken?: string; expiresAt?: number } = initial;
  let refreshing: Promise<string> | null = null;
  return async ({ forceRefresh }) => {
    if (!forceRefresh && tokens.accessToken && (tokens.expiresAt ?? 0) - 60_000 > Date.now()) return tokens.accessToken;
    refreshing ??= (async () => {
      try {
        const fresh = await refreshHubspotToken({ ...app, refreshToken: tokens.refreshToken });
        tokens = fresh;
        await save?.(fresh);
        return fresh.accessToken;
      } finally {
        refreshing = null;
      }
    })();
    return refreshing;
  };
}
