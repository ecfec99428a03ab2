import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  exchangeHubspotOAuthCode,
  HubspotError,
  HubspotScopeError,
  hubspotTokenInfo,
  refreshHubspotToken,
  type HubspotTokens,
} from '../../../connectors/hubspot/index.js';
import { loadManifest } from '../../../src/domain/manifest.js';
import { allPages, startHubspotFixture, type HubspotFixture } from './sandbox-fixture.js';

const REDIRECT = 'http://127.0.0.1:3000/oauth/hubspot/callback';

describe('HubSpot OAuth helpers and a token-provider connector', () => {
  let fx: HubspotFixture;
  let app: { clientId: string; clientSecret: string; portalId: number };
  const newCode = async () => (await fx.control<{ code: string }>('POST', '/hubspot/oauth/code', { redirectUri: REDIRECT })).code;
  beforeAll(async () => {
    fx = await startHubspotFixture({ leads: 20, hubspotRateLimit: 100_000, hubspotSearchRateLimit: 10_000 });
    app = await fx.control('GET', '/hubspot/app');
  });
  afterAll(() => fx?.close());

  it('exchanges an install code for tokens and reads which portal and scopes they carry', async () => {
    const tokens = await exchangeHubspotOAuthCode({ code: await newCode(), redirectUri: REDIRECT, clientId: app.clientId, clientSecret: app.clientSecret, basePath: fx.sandbox.url });
    expect(tokens.accessToken).toMatch(/\S{20,}/);
    expect(tokens.expiresAt).toBeGreaterThan(Date.now() + 25 * 60_000);
    const info = await hubspotTokenInfo(tokens.accessToken, fx.sandbox.url);
    expect(info.hubId).toBe(app.portalId);
    expect(info.scopes).toContain('crm.objects.contacts.write');
  });

  it('refuses a used code with a message that says to start the install again, without the code', async () => {
    const code = await newCode();
    const input = { code, redirectUri: REDIRECT, clientId: app.clientId, clientSecret: app.clientSecret, basePath: fx.sandbox.url };
    await exchangeHubspotOAuthCode(input);
    const err = (await exchangeHubspotOAuthCode(input).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(HubspotError);
    expect(err.message).toMatch(/\. Start the install again: open the Connections page of `leadlift serve` \(\/install\) and choose "Connect HubSpot"\.$/);
    expect(err.message).not.toContain(code);
    expect(err.message).not.toContain(app.clientSecret);
  });

  it('keeps syncing after the access token expires, by asking the provider for a fresh one once', async () => {
    let tokens: HubspotTokens = await exchangeHubspotOAuthCode({ code: await newCode(), redirectUri: REDIRECT, clientId: app.clientId, clientSecret: app.clientSecret, basePath: fx.sandbox.url });
    let refreshes = 0;
    const connector = fx.connector({
      accessTokenProvider: async ({ forceRefresh }) => {
        if (forceRefresh) {
          refreshes += 1;
          tokens = await refreshHubspotToken({ refreshToken: tokens.refreshToken, clientId: app.clientId, clientSecret: app.clientSecret, basePath: fx.sandbox.url });
        }
        return tokens.accessToken;
      },
    });
    expect((await allPages(connector.pullLeads(null))).flatMap((p) => p.records)).toHaveLength(20);
    await fx.control('POST', '/clock/advance', { ms: 31 * 60_000 }); // past the 30-minute token life
    expect((await allPages(connector.pullLeads(null))).flatMap((p) => p.records)).toHaveLength(20);
    expect(refreshes).toBe(1);
  });

  /** Installs the app as if its scopes were `scopes` (the sandbox holds the token to them). */
  const installWith = async (scopes: string[]) => {
    await fx.control('PATCH', '/hubspot/app', { scopes });
    const tokens = await exchangeHubspotOAuthCode({ code: await newCode(), redirectUri: REDIRECT, clientId: app.clientId, clientSecret: app.clientSecret, basePath: fx.sandbox.url });
    return fx.connector({ accessToken: tokens.accessToken, rateLimit: { requestsPerWindow: 100_000, searchPerSecond: 10_000 } });
  };
  afterEach(() => fx.control('PATCH', '/hubspot/app', { scopes: loadManifest().hubspot.scopes }));

  it('does all it does with exactly the scopes manifest.json asks for', async () => {
    const connector = await installWith(loadManifest().hubspot.scopes);
    await connector.ensureSchema([{ key: 'tier', label: 'Tier', type: 'enumeration', options: ['Hot', 'Cold'] }]);
    const leads = (await allPages(connector.pullLeads(null))).flatMap((p) => p.records);
    expect(leads).toHaveLength(20);
    expect((await allPages(connector.pullOutcomes(null))).flatMap((p) => p.records).length).toBeGreaterThan(0);
    const report = await connector.pushScores([{ leadId: leads[0].id, score: 50, tier: 'Hot', probability: 0.5, reasons: 'r', trend: 'new', modelVersion: 'm', scoredAt: '2025-01-02T03:04:05.000Z' }]);
    expect(report.written).toEqual([leads[0].id]);
  });

  it('names the scope an install lacks, and what the admin does about it', async () => {
    const connector = await installWith(loadManifest().hubspot.scopes.filter((s) => s !== 'crm.objects.deals.read'));
    const err = (await allPages(connector.pullOutcomes(null)).catch((e: unknown) => e)) as HubspotScopeError;
    expect(err).toBeInstanceOf(HubspotScopeError);
    expect(err.scopes).toEqual(['crm.objects.deals.read']);
    expect(err.message).toMatch(/^HubSpot refused .+: the app lacks the scope crm\.objects\.deals\.read\. Add it to the private app's scopes \(or reinstall the OAuth app so it asks for the scopes in manifest\.json\) and try again\.$/);
  });
});
