import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SalesforceTimeoutError, SalesforceUnavailableError } from '../../../connectors/salesforce/errors.js';
import { exchangeSalesforceCode, parseSalesforceConfig, refreshSalesforceToken, storeTokenVault } from '../../../connectors/salesforce/index.js';
import { createSession } from '../../../connectors/salesforce/session.js';
import { openStore, type Store } from '../../../src/store/store.js';
import { startSilentServer, type SilentServer } from '../silent-server.js';

/**
 * A Salesforce login host that takes the connection and never answers: the code exchange and
 * the refreshes (the install's and the connector's session) give up at their deadline with an
 * error the admin can act on, close their connection, name the login URL with its credentials
 * masked, carry no raw jsforce error, and leave the stored tokens as they were. The JWT bearer
 * sign-in gives up the same way. Real store.
 */
describe('Salesforce OAuth requests to a login host that never answers', () => {
  let silent: SilentServer;
  let base: string;
  let loginUrl: string;
  let store: Store;
  let home: string;
  const stored = { accessToken: 'stored-access-token-value', refreshToken: 'stored-refresh-token-value', instanceUrl: 'https://acme.my.salesforce.com', issuedAt: 1_700_000_000_000 };

  beforeAll(async () => {
    silent = await startSilentServer();
    base = silent.host;
    loginUrl = `http://gateway-user:gateway-password@${base}`;
    home = mkdtempSync(join(tmpdir(), 'leadlift-sf-oauth-timeout-'));
    store = await openStore({ home, databaseUrl: '', secretKey: Buffer.alloc(32, 4).toString('base64') });
  });
  afterAll(async () => {
    await silent?.close();
    await store?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  const timed = (call: () => Promise<unknown>) => silent.timed(call);

  const app = () => ({ clientId: 'connected-app-id', clientSecret: 'connected-app-secret', redirectUri: 'http://127.0.0.1:3000/install/salesforce/callback', loginUrl, timeoutMs: 300 });
  const secrets = ['gateway-password', 'gateway-user', 'connected-app-secret', 'one-time-code-value', 'verifier-value', stored.refreshToken, stored.accessToken];

  it('code exchange: a SalesforceTimeoutError at the deadline naming the masked login URL, the tokens stored before kept', async () => {
    const vault = storeTokenVault(store.tokens);
    await vault.save(stored);
    const { err, ms } = await timed(() => exchangeSalesforceCode(app(), 'one-time-code-value', vault, 'verifier-value'));
    expect(err).toBeInstanceOf(SalesforceTimeoutError);
    expect(err).toBeInstanceOf(SalesforceUnavailableError);
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(3000);
    expect(err!.message).toBe(
      `Salesforce did not answer while exchanging the OAuth code for tokens: no answer within 300 ms, so leadlift stopped waiting and closed the connection. ` +
        `No tokens were received and any stored before are kept: check that this server reaches http://****@${base} (SALESFORCE_LOGIN_URL, or a proxy or firewall between them), ` +
        'then start the install again: open the Connections page of `leadlift serve` (/install) and choose "Connect Salesforce".',
    );
    expect(err!.cause).toBeUndefined();
    for (const secret of secrets) expect(err!.message).not.toContain(secret);
    expect(await vault.load()).toEqual(stored);
    expect(silent.openConnections()).toBe(0);
  });

  it('refresh (the install\'s helper and the connector\'s session): the same, saying the stored tokens are kept', async () => {
    const refresh = await timed(() => refreshSalesforceToken(app(), stored.refreshToken));
    expect(refresh.err).toBeInstanceOf(SalesforceTimeoutError);
    expect(refresh.err!.message).toMatch(/^Salesforce did not answer while refreshing the access token: no answer within 300 ms.*The stored tokens are kept/);

    const vault = storeTokenVault(store.tokens);
    await vault.save({ refreshToken: stored.refreshToken });
    const config = parseSalesforceConfig({ loginUrl, oauth: { clientId: 'connected-app-id', clientSecret: 'connected-app-secret', redirectUri: app().redirectUri }, oauthTimeoutMs: 300 });
    // No access token stored: opening the session starts with a refresh.
    const session = await timed(() => createSession(config, vault).connection());
    expect(session.err).toBeInstanceOf(SalesforceTimeoutError);
    expect(session.ms).toBeLessThan(3000);
    expect(session.err!.message).toMatch(/^Salesforce did not answer while refreshing the Salesforce session: no answer within 300 ms.*The stored tokens are kept.*reaches http:\/\/\*\*\*\*@127\.0\.0\.1:\d+ \(SALESFORCE_LOGIN_URL/);
    for (const { err } of [refresh, session]) {
      expect(err!.cause).toBeUndefined();
      for (const secret of secrets) expect(err!.message).not.toContain(secret);
    }
    expect(await vault.load()).toEqual({ refreshToken: stored.refreshToken });
    expect(silent.openConnections()).toBe(0);
  });
  it('JWT bearer sign-in: a SalesforceTimeoutError at the deadline, saying the next run signs in again, without the key', async () => {
    const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const config = parseSalesforceConfig({ loginUrl, jwt: { clientId: 'connected-app-id', username: 'integration@acme.example', privateKey }, oauthTimeoutMs: 300 });
    const { err, ms } = await timed(() => createSession(config).connection());
    expect(err).toBeInstanceOf(SalesforceTimeoutError);
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(3000);
    expect(err!.message).toBe(
      'Salesforce did not answer while signing in with the JWT bearer flow: no answer within 300 ms, so leadlift stopped waiting and closed the connection. ' +
        `Nothing was lost and the next run signs in again; if this repeats, check that this server reaches http://****@${base} (SALESFORCE_LOGIN_URL, or a proxy or firewall between them).`,
    );
    expect(err!.cause).toBeUndefined();
    for (const secret of [...secrets, privateKey.split('\n')[1]]) expect(err!.message).not.toContain(secret);
    expect(silent.openConnections()).toBe(0);
  });
});
