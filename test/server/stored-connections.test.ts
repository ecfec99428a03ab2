import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { loadManifest } from '../../src/domain/manifest.js';
import { buildServerDeps } from '../../src/server/server-deps.js';
import { serverSettingsFromEnv } from '../../src/server/settings.js';
import { salesforceConnectorForInstall } from '../../src/server/salesforce-connector-for.js';
import { backends, useStore } from '../store/backends.js';

/**
 * How often a server waiting for an install reads the store for tokens another instance saved:
 * at most once per recheck interval while not connected (or at once when forced), and never once
 * connected. Counted on the store's real token reads; no CRM is called (the connector is only built).
 */
describe.each(backends)('picking up a connection another instance installed ($name)', (backend) => {
  const { store } = useStore(backend);

  const depsWith = (awaitingInstall: ('hubspot' | 'salesforce')[]) => {
    const settings = serverSettingsFromEnv({ HUBSPOT_CLIENT_ID: 'app-id', HUBSPOT_CLIENT_SECRET: 'app-secret', HUBSPOT_BASE_URL: 'http://127.0.0.1:1' }, 0);
    return buildServerDeps({ store: store(), config: loadConfig({ env: {} }), manifest: loadManifest(), settings, logger: pino({ level: 'silent' }), awaitingInstall, connectionRecheckMs: 60_000 });
  };

  it('reads the store at most once per interval, waiting or connected, and at once when forced', async () => {
    const deps = depsWith(['hubspot']);
    const reads = vi.spyOn(store().tokens, 'load');
    await Promise.all([deps.storedConnections.pickUp(), deps.storedConnections.pickUp()]);
    await deps.storedConnections.pickUp();
    expect(reads).toHaveBeenCalledTimes(1);
    expect(deps.connections.get('hubspot')).toBeNull();

    await store().tokens.save('hubspot', { accessToken: 'at', refreshToken: 'rt', expiresAt: Date.now() + 3_600_000 });
    // Within the interval the new tokens are not looked for; the Connections page forces it.
    await deps.storedConnections.pickUp();
    expect(deps.connections.get('hubspot')).toBeNull();
    await deps.storedConnections.pickUp({ force: true });
    expect(reads).toHaveBeenCalledTimes(2);
    expect(deps.connections.get('hubspot')?.crm).toBe('hubspot');

    // Connected, it is still watched (another instance may reconnect it), at the same pace.
    for (let i = 0; i < 5; i++) await deps.storedConnections.pickUp();
    expect(reads).toHaveBeenCalledTimes(2);
    await deps.storedConnections.pickUp({ force: true });
    expect(reads).toHaveBeenCalledTimes(3);
    reads.mockRestore();
  });

  it('a Salesforce refresh that rotates the refresh token is not a reconnect: the connector stays; another org replaces it', async () => {
    const settings = serverSettingsFromEnv({ SALESFORCE_CLIENT_ID: 'key', SALESFORCE_CLIENT_SECRET: 'secret', SALESFORCE_LOGIN_URL: 'http://127.0.0.1:1' }, 0);
    const manifest = loadManifest();
    const deps = buildServerDeps({ store: store(), config: loadConfig({ env: {} }), manifest, settings, logger: pino({ level: 'silent' }), awaitingInstall: ['salesforce'], connectionRecheckMs: 60_000, salesforceConnectorFor: salesforceConnectorForInstall({ settings, store: store(), manifest }) });
    const install = { accessToken: 'at', refreshToken: 'rt-1', instanceUrl: 'https://acme.my.salesforce.com', issuedAt: Date.now() };
    await store().tokens.save('salesforce', install);
    await deps.storedConnections.pickUp({ force: true });
    const first = deps.connections.get('salesforce');
    expect(first?.crm).toBe('salesforce');
    // An org with refresh-token rotation on: each refresh saves a new refresh token for the same org.
    await store().tokens.save('salesforce', { ...install, accessToken: 'at-2', refreshToken: 'rt-2' });
    await deps.storedConnections.pickUp({ force: true });
    expect(deps.connections.get('salesforce')).toBe(first);
    await store().tokens.save('salesforce', { ...install, refreshToken: 'rt-3', instanceUrl: 'https://other.my.salesforce.com' });
    await deps.storedConnections.pickUp({ force: true });
    expect(deps.connections.get('salesforce')).not.toBe(first);
  });

  it('leaves out a CRM this server does not wait for, as a restart would', async () => {
    await store().tokens.save('hubspot', { accessToken: 'at', refreshToken: 'rt', expiresAt: Date.now() + 3_600_000 });
    const deps = depsWith([]);
    await deps.storedConnections.pickUp({ force: true });
    expect(deps.connections.get('hubspot')).toBeNull();
  });
});
