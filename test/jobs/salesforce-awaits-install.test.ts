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
    } finally {
      await connections.close();
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
