import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSalesforceConnector, salesforceConfigFromEnv, storeTokenVault } from '../../connectors/salesforce/index.js';
import type { Connector, CrmName } from '../../connectors/types.js';
import { loadConfig } from '../../src/config/load.js';
import { loadManifest } from '../../src/domain/manifest.js';
import { startHttpService } from '../../src/server/serve-http.js';
import { openStore, type Store } from '../../src/store/store.js';
import { freePort } from '../free-port.js';
import { capturedLog, WARN } from './captured-log.js';

/**
 * The start-up warnings of `serve` (startHttpService, as the CLI wires it, no sandbox) speak of a
 * CRM's settings only when that CRM is served. Nothing here talks to a CRM.
 */
const salesforceEnv = {
  SALESFORCE_INSTANCE_URL: 'http://127.0.0.1:1',
  SALESFORCE_LOGIN_URL: 'http://127.0.0.1:1',
  SALESFORCE_CLIENT_ID: 'connected-app-id',
  SALESFORCE_CLIENT_SECRET: 'connected-app-secret',
  SALESFORCE_REDIRECT_URI: 'http://localhost:3000/install/salesforce/callback',
};
let home: string;
let store: Store;
beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'leadlift-served-warnings-'));
  store = await openStore({ home, databaseUrl: '', secretKey: Buffer.alloc(32, 4).toString('base64') });
});
afterAll(async () => {
  await store?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

async function startupWarnings(connectors: Connector[], awaitingInstall?: CrmName[]): Promise<string[]> {
  const log = capturedLog();
  const service = await startHttpService({
    connections: { connectors, ...(awaitingInstall ? { awaitingInstall } : {}), store, sandbox: null, close: async () => {} },
    config: loadConfig({ env: {} }),
    manifest: loadManifest(),
    port: await freePort(),
    host: '127.0.0.1',
    env: salesforceEnv,
    logger: log.logger,
  });
  await service.close();
  return log.lines.filter((l) => l.level === WARN).map((l) => l.msg);
}

describe('serve warns about a CRM\'s settings only when it serves that CRM', () => {
  it('serve --crm salesforce: nothing about HUBSPOT_CLIENT_SECRET', async () => {
    const salesforce = createSalesforceConnector(salesforceConfigFromEnv(salesforceEnv), storeTokenVault(store.tokens));
    const warnings = await startupWarnings([salesforce]);
    expect(warnings.some((w) => w.includes('LEADLIFT_METRICS_TOKEN'))).toBe(true);
    expect(warnings.filter((w) => /HUBSPOT_/.test(w))).toEqual([]);
  });

  it('HubSpot served (here: waiting for its install) without HUBSPOT_CLIENT_SECRET: the warning is there', async () => {
    const warnings = await startupWarnings([], ['hubspot']);
    expect(warnings).toContain('HUBSPOT_CLIENT_SECRET is not set: HubSpot webhooks are refused and the HubSpot install is unavailable');
  });
});
