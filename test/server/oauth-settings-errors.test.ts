import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SalesforceError } from '../../connectors/salesforce/errors.js';
import { exchangeSalesforceCode } from '../../connectors/salesforce/index.js';
import { loadConfig } from '../../src/config/load.js';
import { InputError } from '../../src/domain/errors.js';
import { loadManifest } from '../../src/domain/manifest.js';
import { salesforceConnectorForInstall } from '../../src/server/salesforce-connector-for.js';
import { buildServerDeps } from '../../src/server/server-deps.js';
import { serverSettingsFromEnv } from '../../src/server/settings.js';
import { backends, useStore } from '../store/backends.js';

/** The server's OAuth installs without the connected app's settings: leadlift's own errors, so the error page shows their words. */
describe('an OAuth install whose app settings are missing', () => {
  const settings = serverSettingsFromEnv({}, 0);
  const { store } = useStore(backends.find((b) => b.name === 'sqlite')!);

  it('HubSpot: names HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET', () => {
    const deps = buildServerDeps({ store: store(), config: loadConfig({ env: {} }), manifest: loadManifest(), settings });
    const tokens = { accessToken: 'a', refreshToken: 'r', expiresAt: Date.now() + 60_000 };
    const err = (() => { try { deps.hubspotConnectorFor(tokens as never); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toBe('HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET are needed to keep an OAuth install connected');
  });

  it('Salesforce: names SALESFORCE_CLIENT_ID', async () => {
    const err = await salesforceConnectorForInstall({ settings, store: store(), manifest: loadManifest() })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toBe('SALESFORCE_CLIENT_ID is needed to keep a Salesforce OAuth install connected');
  });
});

/** A login host whose connected app lacks the refresh_token scope: Salesforce answers the code exchange with an access token only. */
describe('a Salesforce code exchange answered without a refresh token', () => {
  let server: Server;
  let loginUrl: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ access_token: '00D000000000001!access-only', instance_url: 'https://acme.my.salesforce.com', id: 'https://login.salesforce.com/id/00D000000000001AAA/005000000000001AAA', token_type: 'Bearer', scope: 'api', issued_at: '1700000000000' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    loginUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("says which connected app scopes to add, as Salesforce's setting and not as a refusal", async () => {
    const app = { clientId: 'connected-app-id', clientSecret: 'connected-app-secret', redirectUri: 'http://127.0.0.1:3000/install/salesforce/callback', loginUrl };
    const err = await exchangeSalesforceCode(app, 'one-time-code').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SalesforceError);
    expect((err as SalesforceError).errorCode).toBe('NO_REFRESH_TOKEN');
    expect((err as Error).message).toBe('Salesforce issued no refresh token: add the "refresh_token" / "offline_access" scopes to the connected app');
  });
});
