import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../connectors/sandbox/server.js';
import { loadManifest } from '../../src/domain/manifest.js';
import { control, hubspotClient, sdkError, seedLeads, startHubspot } from './helpers.js';

describe('HubSpot sandbox rate limits and OAuth', () => {
  let sandbox: RunningSandbox;
  afterEach(() => sandbox?.close());

  it('counts requests on a rolling 10-second window: X-HubSpot-RateLimit-* headers, then 429 with Retry-After', async () => {
    sandbox = await startHubspot({ seed: seedLeads(20), hubspotRateLimit: 5 });
    const first = await fetch(`${sandbox.url}/crm/v3/objects/contacts?limit=1`, { headers: { authorization: `Bearer ${sandbox.token}` } });
    expect(first.status).toBe(200);
    expect(first.headers.get('x-hubspot-ratelimit-max')).toBe('5');
    expect(first.headers.get('x-hubspot-ratelimit-remaining')).toBe('4');
    expect(first.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('10000');
    // The sandbox token is a private app's: it has a daily limit, and the daily headers with it.
    expect(first.headers.get('x-hubspot-ratelimit-daily')).toBe('250000');
    expect(first.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe('249999');
    // CRM search answers without the standard rate-limit headers, though it takes a slot.
    const search = await fetch(`${sandbox.url}/crm/v3/objects/contacts/search`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sandbox.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ filterGroups: [], limit: 1 }),
    });
    expect(search.status).toBe(200);
    const kinds = ['max', 'remaining', 'interval-milliseconds', 'daily', 'daily-remaining'];
    expect(kinds.filter((kind) => search.headers.has(`x-hubspot-ratelimit-${kind}`))).toEqual([]);
    const api = hubspotClient(sandbox).crm.contacts.basicApi;
    for (let i = 0; i < 3; i++) await api.getPage(1);
    const err = await sdkError(api.getPage(1));
    expect(err.code).toBe(429);
    expect(err.body).toMatchObject({ status: 'error', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING', category: 'RATE_LIMITS' });
    const retryAfter = Number(err.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(10);
    expect(err.headers['x-hubspot-ratelimit-remaining']).toBe('0');
    // Raising the limit through the control API lets requests through again at once.
    await control(sandbox, 'PATCH', '/options', { hubspotRateLimit: 100 });
    expect((await api.getPage(1)).results).toHaveLength(1);
  });

  it('refuses a private app past its daily allowance with 429 DAILY until the day ends; OAuth calls have no daily limit', async () => {
    sandbox = await startHubspot({ seed: seedLeads(5), hubspotDailyLimit: 2 });
    const api = hubspotClient(sandbox).crm.contacts.basicApi;
    await api.getPage(1);
    await api.getPage(1);
    const spent = await sdkError(api.getPage(1));
    expect(spent.code).toBe(429);
    expect(spent.body).toMatchObject({ status: 'error', message: 'You have reached your daily limit.', errorType: 'RATE_LIMIT', policyName: 'DAILY' });
    expect(spent.headers['x-hubspot-ratelimit-daily']).toBe('2');
    expect(spent.headers['x-hubspot-ratelimit-daily-remaining']).toBe('0');
    // The ten-second window is not what ran out: waiting it out would not help.
    expect(spent.headers['retry-after']).toBeUndefined();
    expect((await sdkError(api.getPage(1))).body.policyName).toBe('DAILY');
    // Midnight UTC (the sandbox portal's time zone) gives a new day's allowance.
    const { now } = await control<{ now: number }>(sandbox, 'GET', '/clock');
    const midnight = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate() + 1);
    await control(sandbox, 'POST', '/clock/advance', { ms: midnight - now });
    expect((await api.getPage(1)).results).toHaveLength(1);
    // Raised through the control API, it lets requests through again the same day.
    await api.getPage(1);
    expect((await sdkError(api.getPage(1))).code).toBe(429);
    await control(sandbox, 'PATCH', '/options', { hubspotDailyLimit: 10 });
    expect((await api.getPage(1)).results).toHaveLength(1);
  });

  it("reports the day's private-app usage, limit and reset on HubSpot's usage endpoint, itself counted and refused once the allowance is spent", async () => {
    sandbox = await startHubspot({ seed: seedLeads(5), hubspotDailyLimit: 4 });
    const client = hubspotClient(sandbox);
    await client.crm.contacts.basicApi.getPage(1);
    // The SDK has no account-info client: its generic request, as HubSpot's reference calls the path.
    const read = () => client.apiRequest({ method: 'GET', path: '/account-info/v3/api-usage/daily/private-apps' });
    const res = await read();
    expect(res.status).toBe(200);
    const { now } = await control<{ now: number }>(sandbox, 'GET', '/clock');
    const midnight = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate() + 1);
    const body = (await res.json()) as { results: Array<Record<string, unknown>> };
    expect(body.results).toHaveLength(1);
    // The usage read itself is the second call today.
    expect(body.results[0]).toMatchObject({ name: 'private-apps-api-calls-daily', usageLimit: 4, currentUsage: 2, fetchStatus: 'SUCCESS', resetsAt: new Date(midnight).toISOString() });
    expect(Math.abs(Date.parse(body.results[0].collectedAt as string) - now)).toBeLessThan(5_000);
    await read();
    await read();
    const spent = await read();
    expect(spent.status).toBe(429);
    expect(await spent.json()).toMatchObject({ policyName: 'DAILY' });
  });

  it('runs the OAuth code flow, expires access tokens on the sandbox clock and refreshes them', async () => {
    sandbox = await startHubspot({ seed: seedLeads(5) });
    const app = await control<{ clientId: string; clientSecret: string; appId: number; portalId: number }>(sandbox, 'GET', '/hubspot/app');
    const redirectUri = 'http://127.0.0.1:1/callback';
    const scope = encodeURIComponent(loadManifest().hubspot.scopes.join(' '));
    const authorize = await fetch(`${sandbox.url}/oauth/authorize?client_id=${app.clientId}&redirect_uri=${encodeURIComponent(redirectUri)}&scope=${scope}&state=xyz`, { redirect: 'manual' });
    expect(authorize.status).toBe(302);
    const location = new URL(authorize.headers.get('location')!);
    expect(location.searchParams.get('state')).toBe('xyz');
    const code = location.searchParams.get('code')!;

    const oauth = hubspotClient(sandbox).oauth;
    const wrongSecret = await sdkError(oauth.tokensApi.create('authorization_code', code, redirectUri, app.clientId, 'not-the-secret'));
    expect(wrongSecret.code).toBe(400);
    expect(wrongSecret.body.status).toBe('BAD_CLIENT_SECRET');
    const tokens = await oauth.tokensApi.create('authorization_code', code, redirectUri, app.clientId, app.clientSecret);
    expect(tokens.tokenType).toBe('bearer');
    expect(tokens.expiresIn).toBe(1800);
    const reused = await sdkError(oauth.tokensApi.create('authorization_code', code, redirectUri, app.clientId, app.clientSecret));
    expect(reused.body.status).toBe('BAD_AUTH_CODE');

    const info = await oauth.accessTokensApi.get(tokens.accessToken);
    expect(info).toMatchObject({ hubId: app.portalId, appId: app.appId, tokenType: 'access' });
    expect(info.scopes).toContain('crm.objects.contacts.read');

    const asApp = hubspotClient(sandbox, { accessToken: tokens.accessToken }).crm.contacts.basicApi;
    expect((await asApp.getPage(1)).results).toHaveLength(1);
    // OAuth calls have no daily limit: the ten-second headers only.
    const oauthCall = await fetch(`${sandbox.url}/crm/v3/objects/contacts?limit=1`, { headers: { authorization: `Bearer ${tokens.accessToken}` } });
    expect(oauthCall.headers.get('x-hubspot-ratelimit-max')).toBe('100');
    expect(oauthCall.headers.has('x-hubspot-ratelimit-daily')).toBe(false);
    expect(oauthCall.headers.has('x-hubspot-ratelimit-daily-remaining')).toBe(false);
    await control(sandbox, 'POST', '/clock/advance', { ms: 31 * 60_000 });
    const expired = await sdkError(asApp.getPage(1));
    expect(expired.code).toBe(401);
    expect(expired.body.category).toBe('EXPIRED_AUTHENTICATION');

    const refreshed = await oauth.tokensApi.create('refresh_token', undefined, undefined, app.clientId, app.clientSecret, tokens.refreshToken);
    expect(refreshed.accessToken).not.toBe(tokens.accessToken);
    expect(refreshed.refreshToken).toBe(tokens.refreshToken);
    expect((await hubspotClient(sandbox, { accessToken: refreshed.accessToken }).crm.contacts.basicApi.getPage(1)).results).toHaveLength(1);
    const badRefresh = await sdkError(oauth.tokensApi.create('refresh_token', undefined, undefined, app.clientId, app.clientSecret, 'nope'));
    expect(badRefresh.body.status).toBe('BAD_REFRESH_TOKEN');
  });
});

const REDIRECT = 'http://127.0.0.1:1/callback';

/**
 * An OAuth token may call only what its scopes open: HubSpot's 403 MISSING_SCOPES names the
 * scopes the call needs under errors[0].context.requiredGranularScopes.
 */
describe('HubSpot sandbox: scopes of OAuth tokens', () => {
  let sandbox: RunningSandbox;
  let app: { clientId: string; clientSecret: string };
  /** Installs the app as if its scopes were `scopes`, and returns the access token the install gives. */
  const tokenWith = async (scopes: string[]) => {
    await control(sandbox, 'PATCH', '/hubspot/app', { scopes });
    const { code } = await control<{ code: string }>(sandbox, 'POST', '/hubspot/oauth/code', { redirectUri: REDIRECT });
    const tokens = await hubspotClient(sandbox).oauth.tokensApi.create('authorization_code', code, REDIRECT, app.clientId, app.clientSecret);
    return tokens.accessToken;
  };
  beforeAll(async () => {
    sandbox = await startHubspot({ seed: seedLeads(10) });
    app = await control(sandbox, 'GET', '/hubspot/app');
  });
  afterAll(() => sandbox?.close());

  it('refuses a read the token has no scope for with 403 MISSING_SCOPES naming the scope, and serves what it has', async () => {
    const withoutDeals = loadManifest().hubspot.scopes.filter((s) => s !== 'crm.objects.deals.read');
    const client = hubspotClient(sandbox, { accessToken: await tokenWith(withoutDeals) });
    const err = await sdkError(client.crm.deals.basicApi.getPage(1));
    expect(err.code).toBe(403);
    expect(err.body).toMatchObject({
      status: 'error',
      category: 'MISSING_SCOPES',
      message: expect.stringMatching(/^This app hasn't been granted all required scopes to make this call\./),
      errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: ['crm.objects.deals.read'] } }],
    });
    expect(err.body.correlationId).toEqual(expect.any(String));
    // Associations read from deals need the deals scope too; contacts are open to the token.
    const assoc = await sdkError(client.crm.associations.v4.batchApi.getPage('deals', 'contacts', { inputs: [{ id: '1' }] }));
    expect(assoc.code).toBe(403);
    expect((await client.crm.contacts.basicApi.getPage(2)).results).toHaveLength(2);
    // The sandbox's own token stands for a private app granted every scope.
    await expect(hubspotClient(sandbox).crm.deals.basicApi.getPage(1)).resolves.toMatchObject({ results: expect.any(Array) });
  });

  it('tells writes from reads: a read-only contacts token reads contacts and property definitions, and may not write', async () => {
    const client = hubspotClient(sandbox, { accessToken: await tokenWith(['oauth', 'crm.objects.contacts.read']) });
    const [contact] = (await client.crm.contacts.basicApi.getPage(1)).results;
    expect(contact.id).toMatch(/^\d+$/);
    const searched = await client.crm.contacts.searchApi.doSearch({ filterGroups: [], limit: 1 });
    expect(searched.results).toHaveLength(1);
    expect((await client.crm.properties.coreApi.getAll('contacts')).results.length).toBeGreaterThan(0);

    const update = await sdkError(client.crm.contacts.batchApi.update({ inputs: [{ id: contact.id, properties: { firstname: 'x' } }] }));
    expect(update.code).toBe(403);
    expect(update.body).toMatchObject({ category: 'MISSING_SCOPES', errors: [{ context: { requiredGranularScopes: ['crm.objects.contacts.write'] } }] });
    const create = await sdkError(client.crm.properties.coreApi.create('contacts', { name: 'x_prop', label: 'X', type: 'string' as never, fieldType: 'text' as never, groupName: 'contactinformation' }));
    expect(create.code).toBe(403);
    expect(create.body).toMatchObject({ category: 'MISSING_SCOPES', errors: [{ context: { requiredGranularScopes: ['crm.schemas.contacts.write'] } }] });
  });

  it('keeps the scopes a token was issued with, whatever the app asks for since', async () => {
    const token = await tokenWith(['oauth', 'crm.objects.contacts.read']);
    const info = await hubspotClient(sandbox).oauth.accessTokensApi.get(token);
    expect(info.scopes).toEqual(['oauth', 'crm.objects.contacts.read']);
    await control(sandbox, 'PATCH', '/hubspot/app', { scopes: loadManifest().hubspot.scopes });
    const denied = await sdkError(hubspotClient(sandbox, { accessToken: token }).crm.deals.basicApi.getPage(1));
    expect(denied.code).toBe(403);
  });

  it('serves the account details to a token with the oauth scope only (HubSpot lists that one)', async () => {
    const details = (token: string) => fetch(`${sandbox.url}/account-info/v3/details`, { headers: { authorization: `Bearer ${token}` } });
    const without = await details(await tokenWith(['crm.objects.contacts.read']));
    expect(without.status).toBe(403);
    expect(await without.json()).toMatchObject({ category: 'MISSING_SCOPES', errors: [{ context: { requiredGranularScopes: ['oauth'] } }] });
    const withOauth = await details(await tokenWith(['oauth']));
    expect(withOauth.status).toBe(200);
    expect(await withOauth.json()).toMatchObject({ portalId: expect.any(Number) });
    // The sandbox's own token stands for a private app, which reads them with no scope to pick.
    expect((await details(sandbox.token)).status).toBe(200);
    await control(sandbox, 'PATCH', '/hubspot/app', { scopes: loadManifest().hubspot.scopes });
  });
});

/**
 * The install URL's scopes against the app's, as HubSpot checks them: every required scope in
 * `scope`, nothing the app does not configure in `scope` or `optional_scope`, or its install page
 * says "Couldn't complete the connection ... mismatch between the scopes in the install URL and
 * the app's configured scopes" and sends nobody back to the redirect URL.
 */
describe('HubSpot sandbox: the scopes of an install URL', () => {
  let sandbox: RunningSandbox;
  let app: { clientId: string; clientSecret: string };
  const required = loadManifest().hubspot.scopes;
  const authorize = (params: Record<string, string>) => {
    const url = new URL(`${sandbox.url}/oauth/authorize`);
    url.search = new URLSearchParams({ client_id: app.clientId, redirect_uri: REDIRECT, ...params }).toString();
    return fetch(url, { redirect: 'manual' });
  };
  /** The scopes the install's code grants, read back from the access token it trades for. */
  const grantedBy = async (res: Response) => {
    expect(res.status).toBe(302);
    const code = new URL(res.headers.get('location')!).searchParams.get('code')!;
    const oauth = hubspotClient(sandbox).oauth;
    const tokens = await oauth.tokensApi.create('authorization_code', code, REDIRECT, app.clientId, app.clientSecret);
    return (await oauth.accessTokensApi.get(tokens.accessToken)).scopes;
  };
  const refusal = async (res: Response) => {
    expect(res.status).toBe(400);
    expect(res.headers.has('location')).toBe(false);
    return (await res.json()) as { status: string; message: string; context: { missingRequiredScopes: string[]; scopesNotConfigured: string[] } };
  };
  beforeAll(async () => {
    sandbox = await startHubspot({ seed: seedLeads(2) });
    app = await control(sandbox, 'GET', '/hubspot/app');
  });
  afterEach(() => control(sandbox, 'PATCH', '/hubspot/app', { scopes: required, optionalScopes: [] }));
  afterAll(() => sandbox?.close());

  it("grants leadlift's own install URL (the manifest's scopes, in any order) exactly those scopes", async () => {
    expect(await grantedBy(await authorize({ scope: required.join(' '), state: 's' }))).toEqual(required);
    expect((await grantedBy(await authorize({ scope: [...required].reverse().join(' ') }))).sort()).toEqual([...required].sort());
  });

  it('refuses an install URL that leaves out a required scope, or asks for one the app does not configure, naming them', async () => {
    const missing = await refusal(await authorize({ scope: required.filter((s) => s !== 'crm.objects.deals.read').join(' ') }));
    expect(missing).toMatchObject({
      status: 'SCOPE_MISMATCH',
      message: "Couldn't complete the connection. Authorization failed because there is a mismatch between the scopes in the install URL and the app's configured scopes. Please contact the app developer.",
      context: { missingRequiredScopes: ['crm.objects.deals.read'], scopesNotConfigured: [] },
    });
    expect((await refusal(await authorize({}))).context.missingRequiredScopes).toEqual(required);
    const extra = await refusal(await authorize({ scope: [...required, 'crm.objects.deals.write'].join(' ') }));
    expect(extra.context).toEqual({ missingRequiredScopes: [], scopesNotConfigured: ['crm.objects.deals.write'] });
    // A required scope asked for as optional is still missing from `scope`.
    const asOptional = await refusal(await authorize({ scope: required.filter((s) => s !== 'oauth').join(' '), optional_scope: 'oauth' }));
    expect(asOptional.context).toEqual({ missingRequiredScopes: ['oauth'], scopesNotConfigured: [] });
  });

  it("follows the app's scopes as the control API sets them: optional scopes are granted when asked for, unasked ones are not", async () => {
    await control(sandbox, 'PATCH', '/hubspot/app', { scopes: ['oauth', 'crm.objects.contacts.read'], optionalScopes: ['crm.objects.deals.read'] });
    // The manifest's scopes are now more than this app configures.
    expect((await refusal(await authorize({ scope: required.join(' ') }))).context.scopesNotConfigured).toEqual(
      required.filter((s) => s !== 'oauth' && s !== 'crm.objects.contacts.read' && s !== 'crm.objects.deals.read'),
    );
    expect(await grantedBy(await authorize({ scope: 'oauth crm.objects.contacts.read', optional_scope: 'crm.objects.deals.read' }))).toEqual(['oauth', 'crm.objects.contacts.read', 'crm.objects.deals.read']);
    expect(await grantedBy(await authorize({ scope: 'oauth crm.objects.contacts.read' }))).toEqual(['oauth', 'crm.objects.contacts.read']);
    const unknownOptional = await refusal(await authorize({ scope: 'oauth crm.objects.contacts.read', optional_scope: 'crm.objects.custom.read' }));
    expect(unknownOptional.context).toEqual({ missingRequiredScopes: [], scopesNotConfigured: ['crm.objects.custom.read'] });
  });
});
