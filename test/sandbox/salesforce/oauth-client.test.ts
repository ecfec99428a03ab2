import { Connection, OAuth2 } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../connectors/sandbox/server.js';
import { DEFAULT_SALESFORCE_APP, salesforceConnectedApp } from '../../../connectors/sandbox/salesforce/index.js';
import { TOKEN, VERSION, control, rejection, startSalesforce } from './helpers.js';

const REDIRECT = 'http://localhost:9999/callback';

describe('Salesforce sandbox: the token endpoint knows one connected app', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSalesforce();
  });
  afterAll(async () => sandbox.close());

  const login = (clientId: string, clientSecret: string) =>
    new Connection({ oauth2: { loginUrl: sandbox.url, clientId, clientSecret, redirectUri: REDIRECT }, version: VERSION }).login('admin@example.com', TOKEN);
  const tokenBody = async (form: Record<string, string>) => {
    const res = await fetch(`${sandbox.url}/services/oauth2/token`, { method: 'POST', body: new URLSearchParams(form) });
    return { status: res.status, body: await res.json() };
  };

  it('logs in with the default consumer key and secret, which the control API tells', async () => {
    const info = await control<{ salesforce: { app: { clientId: string; clientSecret: string } } }>(sandbox, 'GET', '/');
    expect(info.salesforce.app).toEqual(DEFAULT_SALESFORCE_APP);
    expect((await login(DEFAULT_SALESFORCE_APP.clientId, DEFAULT_SALESFORCE_APP.clientSecret)).organizationId).toMatch(/^00D/);
  });

  it("an unknown consumer key is Salesforce's 400 invalid_client_id", async () => {
    const err = await rejection(login('3MVG9-someone-else', DEFAULT_SALESFORCE_APP.clientSecret));
    expect(err.message).toMatch(/client identifier invalid/);
    const raw = await tokenBody({ grant_type: 'password', client_id: 'nope', client_secret: 'x', username: 'u', password: TOKEN });
    expect(raw).toEqual({ status: 400, body: { error: 'invalid_client_id', error_description: 'client identifier invalid' } });
  });

  it("a wrong consumer secret, or none on the password grant, is 400 invalid_client", async () => {
    const wrong = await tokenBody({ grant_type: 'password', client_id: DEFAULT_SALESFORCE_APP.clientId, client_secret: 'guess', username: 'u', password: TOKEN });
    expect(wrong).toEqual({ status: 400, body: { error: 'invalid_client', error_description: 'invalid client credentials' } });
    const none = await tokenBody({ grant_type: 'password', client_id: DEFAULT_SALESFORCE_APP.clientId, username: 'u', password: TOKEN });
    expect(none.body.error).toBe('invalid_client');
    const refresh = await tokenBody({ grant_type: 'refresh_token', client_id: DEFAULT_SALESFORCE_APP.clientId, client_secret: 'guess', refresh_token: 'r' });
    expect(refresh.body.error).toBe('invalid_client');
  });

  it('authorize refuses an unknown client id before redirecting anywhere', async () => {
    const url = new OAuth2({ loginUrl: sandbox.url, clientId: 'nope', redirectUri: REDIRECT }).getAuthorizationUrl({});
    const res = await fetch(url, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('error=invalid_client_id');
  });

  it('takes the app from its options, else from LEADLIFT_SANDBOX_SALESFORCE_CLIENT_ID / _CLIENT_SECRET', () => {
    const env = { LEADLIFT_SANDBOX_SALESFORCE_CLIENT_ID: 'env-id', LEADLIFT_SANDBOX_SALESFORCE_CLIENT_SECRET: 'env-secret' };
    expect(salesforceConnectedApp({}, env)).toEqual({ clientId: 'env-id', clientSecret: 'env-secret' });
    expect(salesforceConnectedApp({ clientId: 'given' }, env)).toEqual({ clientId: 'given', clientSecret: 'env-secret' });
    expect(salesforceConnectedApp({}, {})).toEqual(DEFAULT_SALESFORCE_APP);
  });
});
