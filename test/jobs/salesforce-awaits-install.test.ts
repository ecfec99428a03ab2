import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectFromEnv } from '../../src/jobs/connectors-from-env.js';

let home: string;
// A connected app with no tokens yet, as .env.example describes it for an OAuth install.
const env = (): NodeJS.ProcessEnv => ({
  LEADLIFT_HOME: home,
  DATABASE_URL: '',
  LEADLIFT_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
  SALESFORCE_LOGIN_URL: 'https://login.salesforce.com',
  SALESFORCE_CLIENT_ID: 'connected-app-id',
  SALESFORCE_CLIENT_SECRET: 'connected-app-secret',
  SALESFORCE_REDIRECT_URI: 'http://127.0.0.1:3000/install/salesforce/callback',
});

const key = process.env.LEADLIFT_SECRET_KEY;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'leadlift-sf-await-'));
  // The store reads its key from the process environment, as under serve.
  process.env.LEADLIFT_SECRET_KEY = env().LEADLIFT_SECRET_KEY;
});
afterEach(() => {
  if (key === undefined) delete process.env.LEADLIFT_SECRET_KEY;
  else process.env.LEADLIFT_SECRET_KEY = key;
  rmSync(home, { recursive: true, force: true });
});

describe('a Salesforce OAuth app with no tokens yet', () => {
  it('waits for its install under serve (awaitingInstall), as HubSpot does, instead of a connector whose cycles fail', async () => {
    const connections = await connectFromEnv({ env: env(), crm: 'salesforce', awaitInstall: true });
    try {
      expect(connections.connectors).toEqual([]);
      expect(connections.awaitingInstall).toEqual(['salesforce']);
    } finally {
      await connections.close();
    }
  });

  it('is connected once the install saved its tokens', async () => {
    const first = await connectFromEnv({ env: env(), crm: 'salesforce', awaitInstall: true });
    await first.store.tokens.save('salesforce', { refreshToken: 'saved-by-the-install', instanceUrl: 'https://example.my.salesforce.com' });
    await first.close();
    const connections = await connectFromEnv({ env: env(), crm: 'salesforce', awaitInstall: true });
    try {
      expect(connections.connectors.map((c) => c.crm)).toEqual(['salesforce']);
      expect(connections.awaitingInstall).toBeUndefined();
      // From the store's install: serve follows it there (another instance may reconnect it).
      expect(connections.fromStore).toEqual(['salesforce']);
    } finally {
      await connections.close();
    }
  });

  it('is not followed in the store when connected with an access token from the environment', async () => {
    const first = await connectFromEnv({ env: env(), crm: 'salesforce', awaitInstall: true });
    await first.store.tokens.save('salesforce', { refreshToken: 'saved-by-the-install', instanceUrl: 'https://example.my.salesforce.com' });
    await first.close();
    const withToken = { ...env(), SALESFORCE_CLIENT_ID: '', SALESFORCE_INSTANCE_URL: 'https://example.my.salesforce.com', SALESFORCE_ACCESS_TOKEN: 'a-session-id' };
    const connections = await connectFromEnv({ env: withToken, crm: 'salesforce', awaitInstall: true });
    try {
      expect(connections.connectors.map((c) => c.crm)).toEqual(['salesforce']);
      expect(connections.fromStore).toBeUndefined();
    } finally {
      await connections.close();
    }
  });

  it('HubSpot alike: an OAuth app connected from the store\'s tokens is followed there; a private app token is not', async () => {
    const hubspotApp = { LEADLIFT_HOME: home, DATABASE_URL: '', LEADLIFT_SECRET_KEY: env().LEADLIFT_SECRET_KEY, HUBSPOT_CLIENT_ID: 'app-id', HUBSPOT_CLIENT_SECRET: 'app-secret' };
    const first = await connectFromEnv({ env: hubspotApp, crm: 'hubspot', awaitInstall: true });
    expect(first.awaitingInstall).toEqual(['hubspot']);
    await first.store.tokens.save('hubspot', { accessToken: 'at', refreshToken: 'rt', expiresAt: Date.now() + 3_600_000, portalId: 1 });
    await first.close();
    const installed = await connectFromEnv({ env: hubspotApp, crm: 'hubspot', awaitInstall: true });
    try {
      expect(installed.fromStore).toEqual(['hubspot']);
    } finally {
      await installed.close();
    }
    const privateApp = await connectFromEnv({ env: { ...hubspotApp, HUBSPOT_ACCESS_TOKEN: 'pat-na1-x' }, crm: 'hubspot', awaitInstall: true });
    try {
      expect(privateApp.connectors.map((c) => c.crm)).toEqual(['hubspot']);
      expect(privateApp.fromStore).toBeUndefined();
    } finally {
      await privateApp.close();
    }
  });

  it('says a wrong LEADLIFT_SECRET_KEY instead of reading as not installed yet', async () => {
    const first = await connectFromEnv({ env: env(), crm: 'salesforce', awaitInstall: true });
    await first.store.tokens.save('salesforce', { refreshToken: 'saved-by-the-install', instanceUrl: 'https://example.my.salesforce.com' });
    await first.close();
    // Another key than the one the install saved under (a .env restored from elsewhere).
    const other = { ...env(), LEADLIFT_SECRET_KEY: Buffer.alloc(32, 9).toString('base64') };
    process.env.LEADLIFT_SECRET_KEY = other.LEADLIFT_SECRET_KEY;
    await expect(connectFromEnv({ env: other, crm: 'salesforce', awaitInstall: true })).rejects.toThrow(
      'The stored salesforce token cannot be decrypted with the current LEADLIFT_SECRET_KEY',
    );
  });
});
