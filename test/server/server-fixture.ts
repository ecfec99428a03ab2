import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@hubspot/api-client';
import pino from 'pino';
import { createHubspotConnector } from '../../connectors/hubspot/index.js';
import { startSandbox, type RunningSandbox } from '../../connectors/sandbox/server.js';
import { loadConfig } from '../../src/config/load.js';
import { loadManifest } from '../../src/domain/manifest.js';
import { runCycle, type CycleSummary } from '../../src/jobs/cycle.js';
import { demoSeedFile, loadDemoSeed } from '../../src/jobs/local-sandbox.js';
import type { ServerDeps } from '../../src/server/deps.js';
import { buildServerDeps } from '../../src/server/server-deps.js';
import { serverSettingsFromEnv } from '../../src/server/settings.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import { openStore, type Store } from '../../src/store/store.js';

export const ADMIN = { user: 'manager@example.com', password: 'correct horse battery staple' };
const SANDBOX_LIMIT = 2000;

export interface ServerFixture {
  sandbox: RunningSandbox;
  store: Store;
  deps: ServerDeps;
  server: RunningServer;
  url: string;
  firstCycle: CycleSummary;
  /** The sandbox's HubSpot app; `portalId` is the portal the server is connected to (its token's). */
  app: { appId: number; clientId: string; clientSecret: string; portalId: number };
  hubspot: Client;
  close(): Promise<void>;
}

/**
 * The real server against the real sandbox: a bank-marketing sandbox portal, a SQLite store, one
 * loop cycle so a model and scores exist, then the app on a free port. Nothing is mocked.
 */
export async function startServerFixture(options: { every?: number; trees?: number } = {}): Promise<ServerFixture> {
  const source = demoSeedFile();
  const seed = await loadDemoSeed({ file: source.file, every: source.sample ? 1 : (options.every ?? 10) });
  const sandbox = await startSandbox({
    port: 0,
    crm: 'hubspot',
    seed,
    hubspotRateLimit: SANDBOX_LIMIT,
    hubspotSearchRateLimit: 50,
    hubspot: { webhooks: { batchMs: 50, maxAttempts: 1, retryBaseMs: 100 } },
  });
  const home = mkdtempSync(join(tmpdir(), 'leadlift-server-'));
  const store = await openStore({ home, databaseUrl: '', secretKey: Buffer.alloc(32, 7).toString('base64') });
  const manifest = loadManifest();
  const config = loadConfig({ env: {}, overrides: { model: { trees: options.trees ?? 25 } } });
  const app = (await (await fetch(`${sandbox.url}/__sandbox/hubspot/app`)).json()) as ServerFixture['app'];
  const connector = createHubspotConnector({
    accessToken: sandbox.token,
    basePath: sandbox.url,
    rateLimit: { requestsPerWindow: SANDBOX_LIMIT, share: 0.5, searchPerSecond: 50 },
    search: { indexLagMs: 0 },
    retry: { retries: 1, minDelayMs: 20, maxDelayMs: 100 },
  });
  const first = await runCycle({ store, config, manifest, connector });
  if (!first.ran) throw new Error(`the first cycle did not run: ${first.reason}`);

  const settings = serverSettingsFromEnv(
    {
      LEADLIFT_ADMIN_USER: ADMIN.user,
      LEADLIFT_ADMIN_PASSWORD: ADMIN.password,
      LEADLIFT_SESSION_SECRET: 'a-test-session-secret-that-is-long-enough-0123456789',
      HUBSPOT_CLIENT_ID: app.clientId,
      HUBSPOT_CLIENT_SECRET: app.clientSecret,
      HUBSPOT_BASE_URL: sandbox.url,
    },
    0,
  );
  const deps = buildServerDeps({ store, config, manifest, settings, connectors: [connector], logger: pino({ level: 'silent' }), busyRetryMs: 100 });
  const server = await startServer(deps, { port: 0, publicUrlFromAddress: true });
  const hubspot = new Client({ accessToken: sandbox.token, basePath: sandbox.url, numberOfApiCallRetries: 0 });
  return {
    sandbox,
    store,
    deps,
    server,
    url: server.url,
    firstCycle: first.summary,
    app,
    hubspot,
    async close() {
      await server.close();
      await deps.loop.idle();
      await store.close();
      await sandbox.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** A cookie jar of one session for fetch: what a browser keeps between requests. */
export class Session {
  private cookies = new Map<string, string>();
  constructor(private readonly base: string) {}

  async request(path: string, init: { method?: string; form?: Record<string, string | string[]>; json?: unknown; headers?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | undefined;
    if (init.form) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(init.form)) for (const item of Array.isArray(v) ? v : [v]) params.append(k, item);
      body = params.toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else if (init.json !== undefined) {
      body = JSON.stringify(init.json);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(`${this.base}${path}`, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return res;
  }

  /** The CSRF token of the current session, as a page carries it. */
  async csrf(path = '/login'): Promise<string> {
    const html = await (await this.request(path)).text();
    const match = /name="csrf-token" content="([^"]+)"/.exec(html);
    if (!match) throw new Error(`no CSRF token on ${path}`);
    return match[1];
  }

  async login(user = ADMIN.user, password = ADMIN.password): Promise<Response> {
    const csrf = await this.csrf('/login');
    return this.request('/login', { form: { _csrf: csrf, user, password, next: '/admin' } });
  }
}
