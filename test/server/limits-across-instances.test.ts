import pino, { type Logger } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { loadManifest } from '../../src/domain/manifest.js';
import { buildServerDeps } from '../../src/server/server-deps.js';
import { serverSettingsFromEnv } from '../../src/server/settings.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import type { Store } from '../../src/store/store.js';
import { backends, type TestDatabase } from '../store/backends.js';
import { capturedLog, WARN } from './captured-log.js';
import { ADMIN, Session } from './server-fixture.js';

/**
 * Two instances behind one load balancer, as two processes would run them: each its own app and
 * its own handle on one store. The login and metrics-token limits must hold for both together,
 * not once per instance. No CRM is connected; nothing is mocked.
 */
const TOKEN = 'metrics-token-for-tests-0123456789abcdef';
const env = { LEADLIFT_ADMIN_USER: ADMIN.user, LEADLIFT_ADMIN_PASSWORD: ADMIN.password, LEADLIFT_SESSION_SECRET: 'a-test-session-secret-that-is-long-enough-0123456789', LEADLIFT_METRICS_TOKEN: TOKEN };

async function serve(store: Store, logger: Logger = pino({ level: 'silent' })): Promise<RunningServer> {
  const deps = buildServerDeps({ store, config: loadConfig({ env: {} }), manifest: loadManifest(), settings: serverSettingsFromEnv(env, 0), logger });
  return startServer(deps, { port: 0, host: '127.0.0.1', publicUrlFromAddress: true });
}

const wrongLogin = async (url: string) => {
  const s = new Session(url);
  return (await s.request('/login', { form: { _csrf: await s.csrf('/login'), user: ADMIN.user, password: 'a wrong guess', next: '/admin' } })).status;
};
const rightLogin = async (url: string) => (await new Session(url).login()).status;
const scrape = async (url: string, token: string) => (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).status;

describe.each(backends)('the login and metrics-token limits across two instances on one store ($name)', (backend) => {
  let database: TestDatabase;
  const stores: Store[] = [];
  const servers: RunningServer[] = [];
  let a: string;
  let b: string;

  beforeAll(async () => {
    database = await backend.fresh();
    stores.push(await database.open(), await database.open());
    servers.push(await serve(stores[0]), await serve(stores[1]));
    [a, b] = servers.map((s) => s.url);
  });
  afterEach(async () => {
    await stores[0].db.deleteFrom('rate_limit_hits').execute();
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    for (const s of stores) await s.close();
    await database?.cleanup();
  });

  it('counts wrong logins on A and B together: after ten, the 11th is refused on either, the right password too', async () => {
    const seen: number[] = [];
    for (let i = 0; i < 10; i++) seen.push(await wrongLogin(i % 2 ? b : a));
    expect(seen).toEqual(Array(10).fill(401));
    const onA = new Session(a);
    const blocked = await onA.request('/login', { form: { _csrf: await onA.csrf('/login'), user: ADMIN.user, password: 'an 11th guess', next: '/admin' } });
    expect(blocked.status).toBe(429);
    expect(await blocked.text()).toBe('Too many login attempts from this address; wait 15 minutes and try again.');
    expect(blocked.headers.get('ratelimit-policy')).toBe('10;w=900');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(14 * 60);
    expect(await wrongLogin(b)).toBe(429);
    expect(await rightLogin(b)).toBe(429);
  });

  it('lets the right password in after failures below the limit, on either instance, and does not count it', async () => {
    for (let i = 0; i < 9; i++) expect(await wrongLogin(i % 2 ? a : b)).toBe(401);
    expect(await rightLogin(a)).toBe(303);
    expect(await rightLogin(b)).toBe(303);
    // The logins were taken back: the tenth failure is still a plain refusal, the 11th the limit.
    expect(await wrongLogin(b)).toBe(401);
    expect(await wrongLogin(a)).toBe(429);
  });

  it('counts wrong metrics tokens on A and B together, never the right one, and keeps the address only', async () => {
    expect(await scrape(a, TOKEN)).toBe(200);
    for (let i = 0; i < 10; i++) expect(await scrape(i % 2 ? a : b, `guess-${i}`)).toBe(401);
    expect(await scrape(b, 'guess-10')).toBe(429);
    expect(await scrape(a, TOKEN)).toBe(429);
    // Eleven guesses and the refused right token; the served one before them was never counted.
    const rows = await stores[1].db.selectFrom('rate_limit_hits').selectAll().execute();
    expect(rows.map((r) => [r.limiter, r.client_key, Number(r.hits)])).toEqual([['metrics-token', '127.0.0.1', 12]]);
    expect(JSON.stringify(rows)).not.toMatch(/guess|metrics-token-for-tests/);
  });
});

describe('an instance whose store stops answering', () => {
  let database: TestDatabase;
  let server: RunningServer;
  const log = capturedLog();

  beforeAll(async () => {
    database = await backends[0].fresh();
    const store = await database.open();
    server = await serve(store, log.logger);
    // Gone, as a database that went down: every statement on this handle fails from now on.
    await store.close();
  });
  afterAll(async () => {
    await server?.close();
    await database?.cleanup();
  });

  it('still lets the admin in, and counts wrong logins in its own memory meanwhile, saying so once', async () => {
    for (let i = 0; i < 9; i++) expect(await wrongLogin(server.url)).toBe(401);
    expect(await rightLogin(server.url)).toBe(303);
    expect(await wrongLogin(server.url)).toBe(401);
    expect(await wrongLogin(server.url)).toBe(429);
    const said = log.lines.filter((l) => l.level === WARN && String(l.msg).startsWith('login limit: the store did not answer'));
    expect(said).toHaveLength(1);
    expect(log.raw.join('')).not.toContain(ADMIN.password);
  });
});
