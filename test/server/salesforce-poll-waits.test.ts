import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SALESFORCE_APP } from '../../connectors/sandbox/salesforce/index.js';
import { createSalesforceConnector, salesforceConfigFromEnv, storeTokenVault } from '../../connectors/salesforce/index.js';
import { loadConfig } from '../../src/config/load.js';
import { loadManifest } from '../../src/domain/manifest.js';
import { startHttpService, type HttpService } from '../../src/server/serve-http.js';
import { openStore, type Store } from '../../src/store/store.js';
import { startSalesforceFixture, type SalesforceFixture } from '../connectors/salesforce/fixture.js';
import { freePort } from '../free-port.js';
import { capturedLog, ERROR } from './captured-log.js';
import { ADMIN, Session } from './server-fixture.js';

/**
 * `serve --crm salesforce` configured for OAuth (a connector exists, no tokens yet), as the CLI
 * wires it (startHttpService), against the Salesforce sandbox as the org, with the change poll
 * every second instead of every minute.
 */
let fx: SalesforceFixture;
let home: string;
let store: Store;
let service: HttpService;
const log = capturedLog();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  fx = await startSalesforceFixture({ leads: 120 });
  home = mkdtempSync(join(tmpdir(), 'leadlift-sf-poll-'));
  store = await openStore({ home, databaseUrl: '', secretKey: Buffer.alloc(32, 6).toString('base64') });
  const port = await freePort();
  const env = {
    SALESFORCE_INSTANCE_URL: fx.sandbox.url,
    SALESFORCE_LOGIN_URL: fx.sandbox.url,
    // The sandbox org's own connected app: its OAuth endpoints refuse any other.
    SALESFORCE_CLIENT_ID: DEFAULT_SALESFORCE_APP.clientId,
    SALESFORCE_CLIENT_SECRET: DEFAULT_SALESFORCE_APP.clientSecret,
    SALESFORCE_REDIRECT_URI: `http://127.0.0.1:${port}/install/salesforce/callback`,
    LEADLIFT_PUBLIC_URL: `http://127.0.0.1:${port}`,
    LEADLIFT_ADMIN_USER: ADMIN.user,
    LEADLIFT_ADMIN_PASSWORD: ADMIN.password,
    LEADLIFT_SESSION_SECRET: 'a-test-session-secret-that-is-long-enough-0123456789',
  };
  const manifest = loadManifest();
  const everySecond = { ...manifest, salesforce: { ...manifest.salesforce, changeNotifications: { mode: 'polling' as const, intervalSeconds: 1 } } };
  const connector = createSalesforceConnector(salesforceConfigFromEnv(env), storeTokenVault(store.tokens), everySecond);
  service = await startHttpService({
    connections: { connectors: [connector], store, sandbox: null, close: async () => {} },
    config: loadConfig({ env: {}, overrides: { model: { trees: 10 } } }),
    manifest: everySecond,
    port,
    host: '127.0.0.1',
    env,
    logger: log.logger,
  });
});

afterAll(async () => {
  await service?.close();
  await store?.close();
  await fx?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

const pollLines = () => log.lines.filter((l) => /change poll/.test(l.msg));
const rescores = async () => {
  const text = await (await fetch(`${service.url}/metrics`)).text();
  return Number(/^leadlift_rescores_total\{crm="salesforce"\} (\d+)/m.exec(text)?.[1] ?? 0);
};

describe('the Salesforce change poll before and after the install', () => {
  it('before: says once that it waits for the install, and no error, however many intervals pass', async () => {
    await sleep(3_500);
    expect(pollLines().map((l) => l.msg)).toEqual(['Salesforce change poll waits for the install: choose "Connect Salesforce" on /install; polling starts once it is connected']);
    expect(log.lines.filter((l) => l.level >= ERROR)).toEqual([]);
    expect(await rescores()).toBe(0);
  });

  it('after the install: it polls (rescores), still without an error or another waiting line', async () => {
    const s = new Session(service.url);
    await s.login();
    const start = await s.request('/install/salesforce/start');
    const consent = await fetch(start.headers.get('location')!, { redirect: 'manual' });
    const callback = new URL(consent.headers.get('location')!);
    expect((await s.request(callback.pathname + callback.search)).status).toBe(303);
    const until = Date.now() + 20_000;
    while ((await rescores()) === 0 && Date.now() < until) await sleep(200);
    expect(await rescores()).toBeGreaterThan(0);
    await service.deps.loop.idle();
    expect(pollLines()).toHaveLength(1);
    expect(log.lines.filter((l) => l.level >= ERROR)).toEqual([]);
  }, 30_000);
});
