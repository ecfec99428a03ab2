import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../connectors/sandbox/server.js';
import { exchangeHubspotOAuthCode, hubspotTokenInfo } from '../../connectors/hubspot/oauth.js';
import { control, hubspotClient, seedLeads, startHubspot } from './helpers.js';

/**
 * An admin installing the app in another portal, as the sandbox plays it: PATCH /app { portalId }
 * says which portal the next install is into; each install's tokens keep naming theirs, in the
 * token details and the account details, through a refresh too. Official SDK and leadlift's own
 * OAuth client; nothing mocked.
 */
describe('HubSpot sandbox: installs into different portals', () => {
  let sandbox: RunningSandbox;
  let app: { clientId: string; clientSecret: string; portalId: number };
  const redirectUri = 'http://127.0.0.1:1/install/hubspot/callback';
  beforeAll(async () => {
    sandbox = await startHubspot({ seed: seedLeads(5) });
    app = await control(sandbox, 'GET', '/hubspot/app');
  });
  afterAll(() => sandbox?.close());

  const install = async () => {
    const { code } = await control<{ code: string }>(sandbox, 'POST', '/hubspot/oauth/code', { redirectUri });
    return exchangeHubspotOAuthCode({ code, redirectUri, clientId: app.clientId, clientSecret: app.clientSecret, basePath: sandbox.url });
  };
  const accountPortal = async (accessToken: string) => (await hubspotClient(sandbox, { accessToken }).apiRequest({ method: 'GET', path: '/account-info/v3/details' }).then((r) => r.json())).portalId as number;

  it('each install names the portal it was into; earlier tokens keep theirs', async () => {
    const first = await install();
    const patched = await control<{ portalId: number }>(sandbox, 'PATCH', '/hubspot/app', { portalId: 9_000_002 });
    expect(patched.portalId).toBe(9_000_002);
    const second = await install();
    expect((await hubspotTokenInfo(first.accessToken, sandbox.url)).hubId).toBe(app.portalId);
    expect((await hubspotTokenInfo(second.accessToken, sandbox.url)).hubId).toBe(9_000_002);
    expect(await accountPortal(first.accessToken)).toBe(app.portalId);
    expect(await accountPortal(second.accessToken)).toBe(9_000_002);
    const refreshed = await fetch(`${sandbox.url}/oauth/v1/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: first.refreshToken, client_id: app.clientId, client_secret: app.clientSecret }),
    }).then((r) => r.json() as Promise<{ access_token: string }>);
    expect((await hubspotTokenInfo(refreshed.access_token, sandbox.url)).hubId).toBe(app.portalId);
    const refreshInfo = await fetch(`${sandbox.url}/oauth/v1/refresh-tokens/${second.refreshToken}`).then((r) => r.json() as Promise<{ hub_id: number }>);
    expect(refreshInfo.hub_id).toBe(9_000_002);
  });

  it('refuses a portal id that is not a positive whole number', async () => {
    const res = await fetch(`${sandbox.url}/__sandbox/hubspot/app`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ portalId: 'x' }) });
    expect(res.status).toBe(400);
  });
});
