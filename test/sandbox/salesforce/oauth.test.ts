import { generateKeyPairSync, sign } from 'node:crypto';
import { Connection } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../connectors/sandbox/server.js';
import { registerSalesforceJwtKey } from '../../../connectors/sandbox/salesforce/index.js';
import { TOKEN, VERSION, connect, control, rejection, startSalesforce } from './helpers.js';

const CLIENT = { clientId: '3MVG9-leadlift-test', clientSecret: 'secret-1', redirectUri: 'http://localhost:9999/callback' };

function oauthConnection(sandbox: RunningSandbox): Connection {
  return new Connection({ oauth2: { loginUrl: sandbox.url, ...CLIENT }, version: VERSION });
}

function jwt(claims: Record<string, unknown>, privateKey: import('node:crypto').KeyObject): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const unsigned = `${enc({ alg: 'RS256' })}.${enc(claims)}`;
  return `${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), privateKey).toString('base64url')}`;
}

describe('Salesforce sandbox: OAuth, versions and sessions', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSalesforce({ salesforce: { clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret } });
  });
  afterAll(async () => sandbox.close());

  it('lists API versions without a session, 60.0 labelled Spring \'24', async () => {
    const res = await fetch(`${sandbox.url}/services/data`);
    const versions = (await res.json()) as Array<{ label: string; url: string; version: string }>;
    expect(res.status).toBe(200);
    expect(versions).toContainEqual({ label: "Spring '24", url: '/services/data/v60.0', version: '60.0' });
    expect(versions.at(-1)!.version).toBe('68.0');
  });

  it("serves the releases after Winter '25 to jsforce, labelled as Salesforce lists them", async () => {
    const res = await fetch(`${sandbox.url}/services/data/`);
    const versions = (await res.json()) as Array<{ label: string; url: string; version: string }>;
    expect(versions.slice(-7)).toEqual([
      { label: "Winter '25", url: '/services/data/v62.0', version: '62.0' },
      { label: "Spring '25", url: '/services/data/v63.0', version: '63.0' },
      { label: "Summer '25", url: '/services/data/v64.0', version: '64.0' },
      { label: "Winter '26", url: '/services/data/v65.0', version: '65.0' },
      { label: "Spring '26", url: '/services/data/v66.0', version: '66.0' },
      { label: "Summer '26", url: '/services/data/v67.0', version: '67.0' },
      { label: "Winter '27", url: '/services/data/v68.0', version: '68.0' },
    ]);
    expect(versions[0]).toEqual({ label: "Summer '14", url: '/services/data/v31.0', version: '31.0' });
    for (const version of ['63.0', '66.0', '68.0']) {
      const conn = new Connection({ instanceUrl: sandbox.url, accessToken: sandbox.token, version });
      expect((await conn.query('SELECT Id FROM Lead')).totalSize).toBe(0);
    }
    const err = await rejection(new Connection({ instanceUrl: sandbox.url, accessToken: sandbox.token, version: '69.0' }).query('SELECT Id FROM Lead'));
    expect(err.errorCode).toBe('NOT_FOUND');
  });

  it('password grant: logs in with the sandbox token as password, refuses another', async () => {
    const conn = oauthConnection(sandbox);
    const user = await conn.login('admin@example.com', TOKEN);
    expect(user.organizationId).toMatch(/^00D[A-Za-z0-9]{15}$/);
    expect(conn.instanceUrl).toBe(sandbox.url);
    expect(conn.accessToken).not.toBe(TOKEN);
    const result = await conn.query('SELECT Id FROM Lead');
    expect(result.totalSize).toBe(0);

    const err = await rejection(oauthConnection(sandbox).login('admin@example.com', 'wrong'));
    expect(err.name).toBe('invalid_grant');
    expect(err.message).toBe('authentication failure');
  });

  it('authorization code flow with PKCE, then refresh; an unknown refresh token is refused', async () => {
    const conn = new Connection({ oauth2: { loginUrl: sandbox.url, ...CLIENT, useVerifier: true }, version: VERSION });
    const authUrl = conn.oauth2.getAuthorizationUrl({ state: 'xyz', scope: 'api refresh_token' });
    const res = await fetch(authUrl, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(CLIENT.redirectUri);
    expect(location.searchParams.get('state')).toBe('xyz');
    const code = location.searchParams.get('code')!;

    const userInfo = await conn.authorize(code);
    expect(userInfo.id).toMatch(/^005/);
    expect(conn.refreshToken).toBeTruthy();
    const identity = await conn.identity();
    expect(identity.user_id).toBe(userInfo.id);

    // A code is single-use.
    const reused = await rejection(conn.oauth2.requestToken(code));
    expect(reused.name).toBe('invalid_grant');

    const refreshed = await conn.oauth2.refreshToken(conn.refreshToken!);
    expect(refreshed.instance_url).toBe(sandbox.url);
    expect(refreshed.access_token).not.toBe(conn.accessToken);
    expect(refreshed.token_type).toBe('Bearer');
    expect(Number(refreshed.issued_at)).toBeGreaterThan(0);
    expect(refreshed.signature).toMatch(/^[A-Za-z0-9+/]+=*$/);

    const bad = await rejection(conn.oauth2.refreshToken('5Aep861-not-issued'));
    expect(bad.name).toBe('invalid_grant');
    expect(bad.message).toBe('expired access/refresh token');
  });

  it('an issued access token expires after two sandbox hours and jsforce refreshes it on the 401', async () => {
    const conn = new Connection({ oauth2: { loginUrl: sandbox.url, ...CLIENT }, version: VERSION });
    const res = await fetch(conn.oauth2.getAuthorizationUrl({}), { redirect: 'manual' });
    await conn.authorize(new URL(res.headers.get('location')!).searchParams.get('code')!);
    const before = conn.accessToken;
    let refreshed = 0;
    conn.on('refresh', () => refreshed++);
    await control(sandbox, 'POST', '/clock/advance', { ms: 2 * 3600_000 + 1000 });
    const stale = await rejection(connect(sandbox, before!).query('SELECT Id FROM Lead'));
    expect(stale.errorCode).toBe('INVALID_SESSION_ID');
    const result = await conn.query('SELECT Id FROM Lead');
    expect(result.done).toBe(true);
    expect(refreshed).toBe(1);
    expect(conn.accessToken).not.toBe(before);
  });

  it('JWT bearer: accepts a well-formed assertion; verifies the signature once a key is registered', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const claims = (iss: string, expInSeconds = 180) => ({
      iss, sub: 'integration@example.com', aud: sandbox.url, exp: Math.floor(Date.now() / 1000) + expInSeconds,
    });
    const grant = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

    const conn = new Connection({ loginUrl: sandbox.url, version: VERSION });
    const userInfo = await conn.authorize({ grant_type: grant, assertion: jwt(claims('any-client'), privateKey) });
    expect(userInfo.organizationId).toMatch(/^00D/);
    expect((await conn.query('SELECT Id FROM Lead')).done).toBe(true);

    registerSalesforceJwtKey(sandbox.ctx, 'signed-client', publicKey.export({ type: 'spki', format: 'pem' }) as string);
    const good = await new Connection({ loginUrl: sandbox.url }).authorize({ grant_type: grant, assertion: jwt(claims('signed-client'), privateKey) });
    expect(good.id).toMatch(/^005/);
    const forged = await rejection(new Connection({ loginUrl: sandbox.url }).authorize({ grant_type: grant, assertion: jwt(claims('signed-client'), other.privateKey) }));
    expect(forged.name).toBe('invalid_grant');
    const expired = await rejection(new Connection({ loginUrl: sandbox.url }).authorize({ grant_type: grant, assertion: jwt(claims('signed-client', -60), privateKey) }));
    expect(expired.name).toBe('invalid_grant');
    const garbage = await rejection(new Connection({ loginUrl: sandbox.url }).authorize({ grant_type: grant, assertion: 'not-a-jwt' }));
    expect(garbage.name).toBe('invalid_grant');
  });

  it('answers a bad or missing token with 401 INVALID_SESSION_ID in the error array shape', async () => {
    const err = await rejection(connect(sandbox, 'not-the-token').query('SELECT Id FROM Lead'));
    expect(err.errorCode).toBe('INVALID_SESSION_ID');
    expect(err.message).toBe('Session expired or invalid');
    const res = await fetch(`${sandbox.url}/services/data/v60.0/limits`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
  });

  it('lists the version resources, and 404s an unknown version', async () => {
    const conn = connect(sandbox);
    const resources = await conn.request<Record<string, string>>('/services/data/v60.0/');
    expect(resources.query).toBe('/services/data/v60.0/query');
    expect(resources.tooling).toBe('/services/data/v60.0/tooling');
    const err = await rejection(conn.request('/services/data/v12.0/limits'));
    expect(err.errorCode).toBe('NOT_FOUND');
  });
});
