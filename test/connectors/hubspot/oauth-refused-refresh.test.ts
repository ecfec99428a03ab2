import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exchangeHubspotOAuthCode, HubspotError } from '../../../connectors/hubspot/index.js';
import { hubspotTokenProvider } from '../../../src/jobs/oauth-token-provider.js';
import { allPages, startHubspotFixture, type HubspotFixture } from './sandbox-fixture.js';

const REDIRECT = 'http://127.0.0.1:3000/oauth/hubspot/callback';

/**
 * A refresh HubSpot refuses (400 on POST /oauth/v1/token) is refused the same way every time:
 * the connector retried it with back-off (half a minute, silently) before the cycle said why.
 * And a wrong client secret was told to "start the install again", which sends the same secret.
 */
describe('a token refresh HubSpot refuses', () => {
  let fx: HubspotFixture;
  let app: { clientId: string; clientSecret: string };
  beforeAll(async () => {
    fx = await startHubspotFixture({ leads: 5 });
    app = await fx.control('GET', '/hubspot/app');
  });
  afterAll(() => fx?.close());

  /** The production provider, counting how often the connector asks it for a token. */
  function countingProvider(clientSecret: string, refreshToken: string) {
    const provider = hubspotTokenProvider({ clientId: app.clientId, clientSecret, basePath: fx.sandbox.url }, { refreshToken });
    const counted = { asked: 0, provider: (options: { forceRefresh: boolean }) => ((counted.asked += 1), provider(options)) };
    return counted;
  }

  it('a wrong client secret ends the call at its first refusal, not after every retry', async () => {
    const { refreshToken } = await exchangeHubspotOAuthCode({
      code: (await fx.control<{ code: string }>('POST', '/hubspot/oauth/code', { redirectUri: REDIRECT })).code,
      redirectUri: REDIRECT, clientId: app.clientId, clientSecret: app.clientSecret, basePath: fx.sandbox.url,
    });
    const counted = countingProvider('not-the-app-secret', refreshToken);
    // The default back-off (500 ms doubling, five retries) is what an admin's cycle waits through.
    const connector = fx.connector({ accessTokenProvider: counted.provider, retry: { minDelayMs: 500 } });
    const started = Date.now();
    const err = (await allPages(connector.pullLeads(null)).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(HubspotError);
    expect(err.message).toMatch(/^HubSpot refused refreshing the access token \(400\): missing or invalid client secret/);
    expect(counted.asked).toBe(1);
    expect(Date.now() - started).toBeLessThan(2_000);
    // A new install sends the same secret and is refused the same: the message names the setting.
    expect(err.message).toContain('Check HUBSPOT_CLIENT_SECRET: it must be the client secret of the app whose client id is HUBSPOT_CLIENT_ID');
    expect(err.message).not.toContain('Start the install again');
    expect(err.message).not.toContain('not-the-app-secret');
    expect(err.message).not.toContain(refreshToken);
  });

  it('so does a refresh token HubSpot does not know', async () => {
    const counted = countingProvider(app.clientSecret, 'refresh-token-from-another-portal');
    const connector = fx.connector({ accessTokenProvider: counted.provider, retry: { minDelayMs: 500 } });
    const err = (await allPages(connector.pullLeads(null)).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/^HubSpot refused refreshing the access token \(400\): missing or invalid refresh token/);
    expect(err.message).not.toContain('refresh-token-from-another-portal');
    expect(err.message).toMatch(/Start the install again: open the Connections page of `leadlift serve` \(\/install\) and choose "Connect HubSpot"\.$/);
    expect(counted.asked).toBe(1);
  });
});
