import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubspotTimeoutError, HubspotUnavailableError } from '../../../connectors/hubspot/errors.js';
import { exchangeHubspotOAuthCode, hubspotTokenInfo, refreshHubspotToken } from '../../../connectors/hubspot/index.js';
import { startSilentServer, type SilentServer } from '../silent-server.js';

/**
 * A HubSpot that takes the connection and never answers: each OAuth request gives up at its
 * deadline with an error the admin can act on, closes its connection, and never names a token.
 */
describe('HubSpot OAuth requests to a server that never answers', () => {
  let silent: SilentServer;
  let base: string;
  beforeAll(async () => {
    silent = await startSilentServer();
    base = `http://${silent.host}`;
  });
  afterAll(async () => {
    await silent?.close();
  });

  const timed = (call: () => Promise<unknown>) => silent.timed(call);

  it('token details (the install callback reads which portal it connected): a HubspotTimeoutError at the deadline, the token not in it', async () => {
    const token = 'pat-na1-secret-access-token-0123456789';
    const { err, ms } = await timed(() => hubspotTokenInfo(token, base, 300));
    expect(err).toBeInstanceOf(HubspotTimeoutError);
    expect(err).toBeInstanceOf(HubspotUnavailableError);
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(3000);
    expect(err!.message).toBe(
      `HubSpot did not answer while reading which portal the access token belongs to: no answer within 300 ms, so leadlift stopped waiting and closed the connection. ` +
        `Nothing was lost; if this repeats, check that this server reaches ${base} (HUBSPOT_BASE_URL, or a proxy or firewall between them).`,
    );
    expect(err!.message).not.toContain(token);
    expect(silent.openConnections()).toBe(0);
  });

  it('code exchange and refresh give up the same way, each saying what to do next, without the code, secret or refresh token', async () => {
    const app = { clientId: 'app-id', clientSecret: 'app-secret-value', basePath: base, timeoutMs: 300 };
    const exchange = await timed(() => exchangeHubspotOAuthCode({ ...app, code: 'one-time-code-value', redirectUri: 'http://127.0.0.1:3000/install/hubspot/callback' }));
    expect(exchange.err).toBeInstanceOf(HubspotTimeoutError);
    expect(exchange.err!.message).toMatch(/while exchanging the OAuth code for tokens: no answer within 300 ms.*No tokens were received.*start the install again/);
    const refresh = await timed(() => refreshHubspotToken({ ...app, refreshToken: 'refresh-token-value' }));
    expect(refresh.err).toBeInstanceOf(HubspotTimeoutError);
    expect(refresh.err!.message).toMatch(/while refreshing the access token: no answer within 300 ms.*The stored tokens are kept/);
    for (const { err } of [exchange, refresh]) {
      for (const secret of ['one-time-code-value', 'app-secret-value', 'refresh-token-value']) expect(err!.message).not.toContain(secret);
    }
    expect(silent.openConnections()).toBe(0);
  });
});
