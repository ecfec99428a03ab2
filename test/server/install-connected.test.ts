import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSalesforceConnector, salesforceConfigFromEnv, storeTokenVault } from '../../connectors/salesforce/index.js';
import { loadConfig } from '../../src/config/load.js';
import { loadManifest } from '../../src/domain/manifest.js';
import { buildServerDeps } from '../../src/server/server-deps.js';
import { serverSettingsFromEnv } from '../../src/server/settings.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import { openStore, type Store } from '../../src/store/store.js';
import { ADMIN, Session } from './server-fixture.js';

/**
 * `serve --crm salesforce` with SALESFORCE_INSTANCE_URL and the OAuth app settings but no token:
 * the connector exists, yet nobody has connected. Nothing here talks to Salesforce.
 */
const env = {
  SALESFORCE_INSTANCE_URL: 'http://127.0.0.1:1',
  SALESFORCE_LOGIN_URL: 'http://127.0.0.1:1',
  SALESFORCE_CLIENT_ID: 'connected-app-id',
  SALESFORCE_CLIENT_SECRET: 'connected-app-secret',
  SALESFORCE_REDIRECT_URI: 'http://localhost:3000/install/salesforce/callback',
};
let home: string;
let store: Store;
let server: RunningServer;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'leadlift-install-connected-'));
  store = await openStore({ home, databaseUrl: '', secretKey: Buffer.alloc(32, 5).toString('base64') });
  const connector = createSalesforceConnector(salesforceConfigFromEnv(env), storeTokenVault(store.tokens));
  const settings = serverSettingsFromEnv({ ...env, LEADLIFT_ADMIN_USER: ADMIN.user, LEADLIFT_ADMIN_PASSWORD: ADMIN.password, LEADLIFT_SESSION_SECRET: 'a-test-session-secret-that-is-long-enough-0123456789' }, 0);
  const deps = buildServerDeps({ store, config: loadConfig({ env: {} }), manifest: loadManifest(), settings, connectors: [connector], logger: pino({ level: 'silent' }) });
  server = await startServer(deps, { port: 0, publicUrlFromAddress: true });
});
afterAll(async () => {
  await server?.close();
  await store?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

const pageText = async (path: string) => {
  const s = new Session(server.url);
  await s.login();
  return (await (await s.request(path)).text()).replace(/&quot;/g, '"');
};
const installPage = () => pageText('/install');
const retrainButton = async () => /<button type="submit" class="primary"[^>]*>Retrain now<\/button>/.exec(await pageText('/admin/model?crm=salesforce'))?.[0];

describe('the Connections page says connected only with a credential that can sign in', () => {
  it('Salesforce configured for OAuth but never connected: "not connected" and a "Connect Salesforce" button, as the cycle error names it', async () => {
    const page = await installPage();
    expect(page).toMatch(/<h2>Salesforce <span class="pill retired">not connected<\/span><\/h2>/);
    expect(page).toContain('>Connect Salesforce</a>');
    expect(page).not.toContain('Reconnect Salesforce');
    // HubSpot has no connector at all here: not connected either.
    expect(page).toMatch(/<h2>HubSpot <span class="pill retired">not connected<\/span><\/h2>/);
    // The model page's "Retrain now" would only fail the same way.
    expect(await retrainButton()).toContain('disabled title="Connect Salesforce first"');
  });

  it('once the install stored tokens: connected, and the button reconnects', async () => {
    await store.tokens.save('salesforce', { accessToken: 'at', refreshToken: 'rt', instanceUrl: env.SALESFORCE_INSTANCE_URL, issuedAt: Date.now() });
    const page = await installPage();
    expect(page).toMatch(/<h2>Salesforce <span class="pill active">connected<\/span><\/h2>/);
    expect(page).toContain('>Reconnect Salesforce</a>');
    expect(await retrainButton()).not.toContain('disabled');
  });
});
