import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeTokenVault } from '../../connectors/salesforce/index.js';
import { loadConfig } from '../../src/config/load.js';
import { loadManifest } from '../../src/domain/manifest.js';
import { buildServerDeps } from '../../src/server/server-deps.js';
import { serverSettingsFromEnv } from '../../src/server/settings.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import { openStore, type Store } from '../../src/store/store.js';
import { capturedLog } from './captured-log.js';
import { ADMIN, Session } from './server-fixture.js';

/**
 * The Salesforce install callback when the login host takes the connection and never answers
 * the code exchange: the admin's page answers at the deadline with what to do, the tokens an
 * earlier install stored stay as they were, and neither page nor log names a secret. Before,
 * jsforce waited up to 30 minutes.
 */
let hang: Server;
let loginUrl: string;
let store: Store;
let home: string;
let server: RunningServer;
const held = new Set<Socket>();
const log = capturedLog();
const earlier = { accessToken: 'earlier-access-token', refreshToken: 'earlier-refresh-token', instanceUrl: 'https://acme.my.salesforce.com', issuedAt: 1_700_000_000_000 };

beforeAll(async () => {
  hang = createServer((socket) => {
    held.add(socket);
    socket.on('data', () => {}); // read, never answer
    socket.on('close', () => held.delete(socket));
  });
  await new Promise<void>((resolve) => hang.listen(0, '127.0.0.1', resolve));
  loginUrl = `http://127.0.0.1:${(hang.address() as { port: number }).port}`;
  home = mkdtempSync(join(tmpdir(), 'leadlift-sf-install-timeout-'));
  store = await openStore({ home, databaseUrl: '', secretKey: Buffer.alloc(32, 6).toString('base64') });
  await storeTokenVault(store.tokens).save(earlier);
  const settings = serverSettingsFromEnv(
    {
      LEADLIFT_ADMIN_USER: ADMIN.user,
      LEADLIFT_ADMIN_PASSWORD: ADMIN.password,
      LEADLIFT_SESSION_SECRET: 'a-test-session-secret-that-is-long-enough-0123456789',
      SALESFORCE_CLIENT_ID: 'connected-app-id',
      SALESFORCE_CLIENT_SECRET: 'connected-app-secret',
      SALESFORCE_LOGIN_URL: loginUrl,
    },
    0,
  );
  settings.codeExchangeTimeoutMs = 400;
  const deps = buildServerDeps({ store, config: loadConfig({ env: {} }), manifest: loadManifest(), settings, logger: log.logger });
  server = await startServer(deps, { port: 0, host: '127.0.0.1', publicUrlFromAddress: true });
});

afterAll(async () => {
  await server?.close();
  for (const socket of held) socket.destroy();
  await new Promise((resolve) => hang?.close(resolve));
  await store?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('the Salesforce install callback when the login host never answers', () => {
  it('answers at the deadline saying what to do, and keeps the tokens stored before', async () => {
    const s = new Session(server.url);
    await s.login();
    const start = await s.request('/install/salesforce/start');
    expect(start.status).toBe(302);
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!;

    const started = Date.now();
    const done = await s.request(`/install/salesforce/callback?code=one-time-code-value&state=${encodeURIComponent(state)}`);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(done.status).toBe(500);
    const page = (await done.text()).replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&#96;/g, '`');
    expect(page).toContain(
      `Salesforce did not answer while exchanging the OAuth code for tokens: no answer within 400 ms, so leadlift stopped waiting and closed the connection. ` +
        `No tokens were received and any stored before are kept: check that this server reaches ${loginUrl} (SALESFORCE_LOGIN_URL, or a proxy or firewall between them), ` +
        'then start the install again: open the Connections page of `leadlift serve` (/install) and choose "Connect Salesforce".',
    );
    await expect.poll(() => held.size, { timeout: 2000 }).toBe(0);
    expect(await storeTokenVault(store.tokens).load()).toEqual(earlier);
    for (const secret of ['one-time-code-value', 'connected-app-secret']) {
      expect(page).not.toContain(secret);
      expect(log.raw.join('')).not.toContain(secret);
    }
  });
});
