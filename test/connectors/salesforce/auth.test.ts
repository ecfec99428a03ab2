import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SALESFORCE_APP, registerSalesforceJwtKey } from '../../../connectors/sandbox/salesforce/index.js';
import {
  SalesforceGrantError,
  SalesforceSessionError,
  exchangeSalesforceCode,
  salesforceAuthorizeUrl,
  storeTokenVault,
  type SalesforceTokens,
} from '../../../connectors/salesforce/index.js';
import { openStore, type Store } from '../../../src/store/store.js';
import { allPages, startSalesforceFixture, type SalesforceFixture } from './fixture.js';

// The sandbox's own connected app: its token endpoint refuses any other.
const APP = { ...DEFAULT_SALESFORCE_APP, redirectUri: 'http://localhost:4000/oauth/salesforce/callback' };
const TWO_HOURS = 2 * 3_600_000;

describe('Salesforce auth: OAuth web-server flow with refresh, JWT bearer, session errors', () => {
  let fx: SalesforceFixture;
  let store: Store;
  let home: string;
  beforeAll(async () => {
    fx = await startSalesforceFixture({ leads: 30 });
    home = mkdtempSync(join(tmpdir(), 'leadlift-sf-auth-'));
    store = await openStore({ home, secretKey: randomBytes(32).toString('base64') });
  });
  afterAll(async () => {
    await store.close();
    await fx.close();
    rmSync(home, { recursive: true, force: true });
  });

  /** The consent step: the sandbox approves at once and sends back a code. */
  async function authorize(app: Parameters<typeof salesforceAuthorizeUrl>[0]): Promise<{ code: string; codeVerifier: string; url: URL }> {
    const { url, state, codeVerifier } = salesforceAuthorizeUrl(app);
    expect(new URL(url).searchParams.get('scope')).toBe('api refresh_token offline_access');
    const res = await fetch(url, { redirect: 'manual' });
    const back = new URL(res.headers.get('location')!);
    expect(back.searchParams.get('state')).toBe(state);
    return { code: back.searchParams.get('code')!, codeVerifier, url: new URL(url) };
  }

  async function install(): Promise<SalesforceTokens> {
    const app = { ...APP, loginUrl: fx.sandbox.url };
    const { code, codeVerifier } = await authorize(app);
    return exchangeSalesforceCode(app, code, storeTokenVault(store.tokens), codeVerifier);
  }

  it('PKCE: the authorize URL carries an S256 challenge of the verifier, never the verifier itself', async () => {
    const { url, codeVerifier } = await authorize({ ...APP, loginUrl: fx.sandbox.url });
    expect(codeVerifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toBe(createHash('sha256').update(codeVerifier).digest('base64url'));
    expect(url.toString()).not.toContain(codeVerifier);
  });

  it('PKCE: without a consumer secret the verifier trades the code; without the verifier, or with another, the code is refused', async () => {
    const { clientSecret: _secret, ...secretless } = { ...APP, loginUrl: fx.sandbox.url };
    const first = await authorize(secretless);
    const tokens = await exchangeSalesforceCode(secretless, first.code, undefined, first.codeVerifier);
    expect(tokens.refreshToken).toMatch(/^5Aep861/);

    const second = await authorize(secretless);
    const noVerifier = (await exchangeSalesforceCode(secretless, second.code).catch((e: unknown) => e)) as Error;
    expect(noVerifier.message).toMatch(/invalid client credentials/);
    expect(noVerifier.message).not.toContain(second.code);

    // The code a challenge was sent for is bound to its verifier, with the secret as well.
    const third = await authorize({ ...APP, loginUrl: fx.sandbox.url });
    const otherVerifier = (await exchangeSalesforceCode({ ...APP, loginUrl: fx.sandbox.url }, third.code, undefined, first.codeVerifier).catch((e: unknown) => e)) as Error;
    expect(otherVerifier).toBeInstanceOf(SalesforceGrantError);
    expect(otherVerifier.message).not.toContain(first.codeVerifier);
  });

  const oauthConnector = () => fx.connector({ instanceUrl: undefined, accessToken: undefined, loginUrl: fx.sandbox.url, oauth: APP }, storeTokenVault(store.tokens));

  it('code exchange saves the tokens encrypted; an expired access token is refreshed by jsforce and saved again', async () => {
    const tokens = await install();
    expect(tokens.refreshToken).toBeTruthy();
    const saved = (await store.tokens.load('salesforce')) as SalesforceTokens;
    expect(saved.refreshToken).toBe(tokens.refreshToken);
    const row = await store.db.selectFrom('oauth_tokens').select('ciphertext').executeTakeFirstOrThrow();
    expect(row.ciphertext).not.toContain(tokens.refreshToken!);

    const leads = await allPages(oauthConnector().pullLeads(null));
    expect(leads.flatMap((p) => p.records)).toHaveLength(30);

    fx.sandbox.ctx.clock.advance(TWO_HOURS + 60_000); // the access token is now expired
    const connector = oauthConnector();
    const again = await allPages(connector.pullLeads(null));
    expect(again.flatMap((p) => p.records)).toHaveLength(30);
    const after = (await store.tokens.load('salesforce')) as SalesforceTokens;
    expect(after.accessToken).not.toBe(saved.accessToken);
    expect(after.refreshToken).toBe(tokens.refreshToken);
    const log = await fx.control<{ results: Array<{ path: string; status: number }> }>('GET', '/requests?crm=salesforce');
    expect(log.results.some((r) => r.status === 401)).toBe(true);
    expect(log.results.filter((r) => r.path.startsWith('/services/oauth2/token')).length).toBeGreaterThanOrEqual(2);
  });

  it('a revoked grant gives the reconnect message, without the token in it', async () => {
    const tokens = await install();
    const revoke = await fetch(`${fx.sandbox.url}/services/oauth2/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${encodeURIComponent(tokens.refreshToken!)}` });
    expect(revoke.status).toBe(200);
    fx.sandbox.ctx.clock.advance(TWO_HOURS + 60_000);
    const err = await allPages(oauthConnector().pullLeads(null)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SalesforceGrantError);
    expect((err as Error).message).toMatch(/^Salesforce refused the saved authorization \(invalid_grant\).*: to reconnect leadlift, open the Connections page of `leadlift serve` \(\/install\) and choose "Connect Salesforce"\.$/);
    expect((err as Error).message).not.toContain(tokens.refreshToken!);
    expect((err as Error).message).not.toContain(tokens.accessToken!);
  });

  it('JWT bearer: an RS256 assertion signed with the registered key opens a session; another key is refused', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    registerSalesforceJwtKey(fx.sandbox.ctx, 'jwt-app', publicKey.export({ type: 'spki', format: 'pem' }).toString());
    const jwt = { clientId: 'jwt-app', username: 'integration@acme.example', privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
    const connector = fx.connector({ instanceUrl: undefined, accessToken: undefined, loginUrl: fx.sandbox.url, jwt });
    expect((await allPages(connector.pullLeads(null))).flatMap((p) => p.records)).toHaveLength(30);

    // Expired session: jsforce's refresh hook signs a new assertion.
    fx.sandbox.ctx.clock.advance(TWO_HOURS + 60_000);
    expect((await allPages(connector.pullLeads(null))).flatMap((p) => p.records)).toHaveLength(30);

    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const refused = fx.connector({ instanceUrl: undefined, accessToken: undefined, loginUrl: fx.sandbox.url, jwt: { ...jwt, privateKey: other } });
    const err = await allPages(refused.pullLeads(null)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SalesforceGrantError);
    // Nothing to reconnect in a JWT setup: the advice names the certificate, not the install page.
    expect((err as Error).message).toBe(
      'Salesforce refused the JWT bearer sign-in (invalid_grant) (Salesforce said: invalid assertion): check that the connected app holds the certificate of the private key in ' +
        "SALESFORCE_JWT_KEY_FILE (or SALESFORCE_JWT_KEY), and SALESFORCE_CLIENT_ID is that app's consumer key. No reconnect is needed: the next run signs in again with the same settings.",
    );
  });

  it('INVALID_SESSION_ID with a plain access token says to reconnect, without the token', async () => {
    const token = '00Dfake!not-a-real-session-token';
    const err = await allPages(fx.connector({ accessToken: token }).pullLeads(null)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SalesforceSessionError);
    expect((err as Error).message).toMatch(/INVALID_SESSION_ID\): the access token expired or was revoked\. To reconnect leadlift, open the Connections page of `leadlift serve` \(\/install\) and choose "Connect Salesforce", or set SALESFORCE_ACCESS_TOKEN/);
    expect((err as Error).message).not.toContain(token);
  });

  it('OAuth without a saved grant says how to connect', async () => {
    await store.tokens.remove('salesforce');
    await expect(allPages(oauthConnector().pullLeads(null))).rejects.toThrow(/Salesforce is not connected yet/);
  });
});
