import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { loadManifest } from '../../src/domain/manifest.js';
import type { HttpService } from '../../src/server/serve-http.js';
import { openStore, type Store } from '../../src/store/store.js';
import { DEFAULT_SALESFORCE_APP } from '../../connectors/sandbox/salesforce/index.js';
import { startSalesforceFixture, type SalesforceFixture } from '../connectors/salesforce/fixture.js';
import { startServeOnSandbox } from './serve-fixture.js';
import { ADMIN, Session } from './server-fixture.js';

/**
 * The Salesforce install as `leadlift serve` wires it (startHttpService) on a Salesforce-only
 * sandbox: no Salesforce connector at start, the admin connects through OAuth (jsforce against
 * the sandbox's login host), and the install creates the fields and runs the first cycle.
 */
let fx: SalesforceFixture;
let store: Store;
let home: string;
let service: HttpService;

beforeAll(async () => {
  fx = await startSalesforceFixture({ leads: 400 });
  home = mkdtempSync(join(tmpdir(), 'leadlift-sf-install-'));
  store = await openStore({ home, databaseUrl: '', secretKey: Buffer.alloc(32, 9).toString('base64') });
  service = await startServeOnSandbox({ sandbox: fx.sandbox, store, config: loadConfig({ env: {}, overrides: { model: { trees: 15 } } }) });
});

afterAll(async () => {
  await service?.close();
  await store?.close();
  await fx?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

const leadFieldNames = async () => (await fx.jsforce().sobject('Lead').describe()).fields.map((f) => f.name);

describe('Salesforce install (OAuth against the sandbox, as serve wires it)', () => {
  it('redirects to the sandbox authorize URL with state and scopes, stores the tokens encrypted, creates the fields and runs the first cycle', async () => {
    expect(await leadFieldNames()).not.toContain('Lead_Score__c');
    const s = new Session(service.url);
    await s.login();

    const start = await s.request('/install/salesforce/start');
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('location')!);
    expect(authorize.origin).toBe(fx.sandbox.url);
    expect(authorize.pathname).toBe('/services/oauth2/authorize');
    expect(authorize.searchParams.get('scope')).toBe(loadManifest().salesforce.scopes.join(' '));
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${service.url}/install/salesforce/callback`);
    const state = authorize.searchParams.get('state')!;
    expect(state.length).toBeGreaterThanOrEqual(40);
    // PKCE with the secret too: the verifier stays on the server with the state.
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // The sandbox approves at once and sends the browser back with a code.
    const consent = await fetch(authorize, { redirect: 'manual' });
    const callback = new URL(consent.headers.get('location')!);
    expect(callback.searchParams.get('state')).toBe(state);

    // A forged state is refused and the code is not spent on it.
    const forged = await s.request(`/install/salesforce/callback?code=${encodeURIComponent(callback.searchParams.get('code')!)}&state=forged`);
    expect(forged.status).toBe(400);
    expect(await store.tokens.load('salesforce')).toBeNull();

    const done = await s.request(callback.pathname + callback.search);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/install');
    const tokens = (await store.tokens.load('salesforce')) as { accessToken: string; refreshToken: string; instanceUrl: string };
    expect(tokens.refreshToken).toMatch(/^5Aep861/);
    expect(tokens.instanceUrl).toBe(fx.sandbox.url);
    const row = await store.db.selectFrom('oauth_tokens').select('ciphertext').where('crm', '=', 'salesforce').executeTakeFirstOrThrow();
    expect(row.ciphertext).not.toContain(tokens.accessToken);
    expect(row.ciphertext).not.toContain(tokens.refreshToken);

    // The same state cannot be used twice.
    expect((await s.request(callback.pathname + callback.search)).status).toBe(400);

    await service.deps.loop.idle();
    const status = (await (await s.request('/install/status.json')).json()) as { salesforce: { task: string; state: string; message: string } };
    expect(status.salesforce).toMatchObject({ task: 'install', state: 'done' });
    expect(status.salesforce.message).toMatch(/400 leads synced/);
    expect(await leadFieldNames()).toContain('Lead_Score__c');

    // The first cycle wrote scores through the OAuth session onto open leads.
    const scored = await fx.jsforce().query<{ Id: string }>('SELECT Id FROM Lead WHERE Lead_Score__c != null');
    expect(scored.totalSize).toBeGreaterThan(0);

    const page = await (await s.request('/install')).text();
    expect(page).toContain('connected');
    expect(page).not.toContain(tokens.refreshToken);
  });
});

describe('Salesforce install without a consumer secret (PKCE only, as the install page offers)', () => {
  let secretless: HttpService;
  let secretlessStore: Store;
  let secretlessHome: string;
  beforeAll(async () => {
    secretlessHome = mkdtempSync(join(tmpdir(), 'leadlift-sf-pkce-'));
    secretlessStore = await openStore({ home: secretlessHome, databaseUrl: '', secretKey: Buffer.alloc(32, 5).toString('base64') });
    // SALESFORCE_LOGIN_URL set: the server uses this connected app, not the sandbox's with its secret.
    secretless = await startServeOnSandbox({
      sandbox: fx.sandbox,
      store: secretlessStore,
      config: loadConfig({ env: {}, overrides: { model: { trees: 15 } } }),
      env: { SALESFORCE_LOGIN_URL: fx.sandbox.url, SALESFORCE_CLIENT_ID: DEFAULT_SALESFORCE_APP.clientId },
    });
  });
  afterAll(async () => {
    await secretless?.close();
    await secretlessStore?.close();
    if (secretlessHome) rmSync(secretlessHome, { recursive: true, force: true });
  });

  it('trades the code with the verifier kept beside the state, and stores the tokens', async () => {
    expect(secretless.deps.settings.salesforce.clientSecret).toBeNull();
    const s = new Session(secretless.url);
    await s.login();
    const authorize = new URL((await s.request('/install/salesforce/start')).headers.get('location')!);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    const callback = new URL((await fetch(authorize, { redirect: 'manual' })).headers.get('location')!);
    const done = await s.request(callback.pathname + callback.search);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/install');
    expect(((await secretlessStore.tokens.load('salesforce')) as { refreshToken: string }).refreshToken).toMatch(/^5Aep861/);
    await secretless.deps.loop.idle();
  });
});
