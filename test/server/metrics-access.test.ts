import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import pino, { type Logger } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { loadManifest } from '../../src/domain/manifest.js';
import { isLoopback, metricsAccess, tokenAttempt } from '../../src/server/security/metrics-access.js';
import { metricsTokenRateLimit } from '../../src/server/security/rate-limits.js';
import { buildServerDeps } from '../../src/server/server-deps.js';
import { describeSettings, serverSettingsFromEnv } from '../../src/server/settings.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import { openStore, type Store } from '../../src/store/store.js';
import { capturedLog, WARN } from './captured-log.js';
import { ADMIN, Session } from './server-fixture.js';

const TOKEN = 'metrics-token-for-tests-0123456789abcdef';
const home = mkdtempSync(join(tmpdir(), 'leadlift-metrics-'));
let store: Store;
const servers: RunningServer[] = [];

/** The real app on a real SQLite store, with the given environment; no CRM connected. */
async function serve(env: Record<string, string>, logger: Logger = pino({ level: 'silent' })): Promise<string> {
  const settings = serverSettingsFromEnv({ LEADLIFT_ADMIN_USER: ADMIN.user, LEADLIFT_ADMIN_PASSWORD: ADMIN.password, ...env }, 0);
  const deps = buildServerDeps({ store, config: loadConfig({ env: {} }), manifest: loadManifest(), settings, logger });
  const server = await startServer(deps, { port: 0, host: '127.0.0.1', publicUrlFromAddress: true });
  servers.push(server);
  return server.url;
}

beforeAll(async () => {
  store = await openStore({ home, databaseUrl: '', secretKey: Buffer.alloc(32, 7).toString('base64') });
});
// The wrong-token count is kept in the store, which every server here shares: each test starts from none.
afterEach(async () => {
  await store.db.deleteFrom('rate_limit_hits').execute();
});
afterAll(async () => {
  for (const s of servers) await s.close();
  await store?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('/metrics with LEADLIFT_METRICS_TOKEN set', () => {
  let url: string;
  beforeAll(async () => {
    url = await serve({ LEADLIFT_METRICS_TOKEN: TOKEN });
  });

  it('refuses a loopback client without the token, with a Bearer challenge', async () => {
    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
    expect(((await res.json()) as { error: string }).error).toContain('LEADLIFT_METRICS_TOKEN');
  });

  it('refuses a wrong token (and a right one sent as Basic) without echoing either', async () => {
    for (const authorization of ['Bearer not-the-token', `Bearer ${TOKEN}x`, `Basic ${TOKEN}`]) {
      const res = await fetch(`${url}/metrics`, { headers: { authorization } });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
      const body = await res.text();
      expect(body).not.toContain('not-the-token');
      expect(body).not.toContain(TOKEN);
    }
  });

  it('serves the Prometheus text to the right token', async () => {
    const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(await res.text()).toMatch(/^# HELP leadlift_/m);
  });

  it('keeps /healthz open', async () => {
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });
});

describe('/readyz', () => {
  let url: string;
  beforeAll(async () => {
    url = await serve({ LEADLIFT_METRICS_TOKEN: TOKEN });
  });

  it('answers a probe without credentials with the status only', async () => {
    const res = await fetch(`${url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ready: true });
  });

  it('gives the details to the metrics token and to a logged-in admin', async () => {
    const expected = { status: 'ready', store: 'sqlite', connected: [], models: { hubspot: null, salesforce: null } };
    const byToken = await fetch(`${url}/readyz`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(await byToken.json()).toEqual(expected);
    const admin = new Session(url);
    expect((await admin.login()).status).toBe(303);
    expect(await (await admin.request('/readyz')).json()).toEqual(expected);
    const anon = new Session(url);
    await anon.csrf('/login');
    expect(await (await anon.request('/readyz')).json()).toEqual({ ready: true });
  });

  it('stops giving the details to a copy of the admin cookie once that session logged out', async () => {
    const admin = new Session(url);
    const login = await admin.login();
    expect(login.status).toBe(303);
    const copied = login.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ');
    const withCopy = () => fetch(`${url}/readyz`, { headers: { cookie: copied } });
    expect(await (await withCopy()).json()).toMatchObject({ status: 'ready' });
    expect((await admin.request('/logout', { form: { _csrf: await admin.csrf('/admin') } })).status).toBe(303);
    const after = await withCopy();
    expect(after.status).toBe(200);
    expect(await after.json()).toEqual({ ready: true });
  });

  it('refuses a wrong token rather than quietly showing less', async () => {
    const res = await fetch(`${url}/readyz`, { headers: { authorization: 'Bearer wrong' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
  });
});

describe('the wrong-token limit on /metrics and /readyz', () => {
  const bearer = (token: string, more: Record<string, string> = {}) => ({ headers: { authorization: `Bearer ${token}`, ...more } });
  const statuses = async (count: number, path: string, init: RequestInit) => {
    const seen: number[] = [];
    for (let i = 0; i < count; i++) seen.push((await fetch(path, init)).status);
    return seen;
  };

  it('never counts the right token, even scrapes running at once: ten wrong ones after them still get 401, the 11th 429', async () => {
    const url = await serve({ LEADLIFT_METRICS_TOKEN: TOKEN });
    const scrapes = await Promise.all(Array.from({ length: 12 }, (_, i) => fetch(`${url}/${i % 2 ? 'metrics' : 'readyz'}`, bearer(TOKEN)).then((r) => r.status)));
    expect(scrapes).toEqual(Array(12).fill(200));
    expect(await statuses(10, `${url}/metrics`, bearer('wrong-guess'))).toEqual(Array(10).fill(401));
    const blocked = await fetch(`${url}/metrics`, bearer('wrong-guess'));
    expect(blocked.status).toBe(429);
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    const { error } = (await blocked.json()) as { error: string };
    expect(error).toMatch(/^Too many wrong metrics tokens from this address \(10 in 15 minutes\): .* for 15 minutes more \(until \d\d:\d\d UTC\)\. Check that the scraper sends LEADLIFT_METRICS_TOKEN/);
    expect(error).not.toContain('wrong-guess');
  });

  it('counts guesses through either route together, then refuses the right token too, but never a probe without one', async () => {
    const log = capturedLog();
    const url = await serve({ LEADLIFT_METRICS_TOKEN: TOKEN }, log.logger);
    expect([...(await statuses(5, `${url}/readyz`, bearer('guess-one'))), ...(await statuses(5, `${url}/metrics`, bearer('guess-two')))]).toEqual(Array(10).fill(401));
    // Ten wrong tokens used the allowance: the right one now gets what the next guess gets, on both routes.
    expect((await fetch(`${url}/readyz`, bearer(TOKEN))).status).toBe(429);
    expect((await fetch(`${url}/metrics`, bearer(TOKEN))).status).toBe(429);
    expect((await fetch(`${url}/readyz`, bearer('guess-three'))).status).toBe(429);
    const probe = await fetch(`${url}/readyz`);
    expect(probe.status).toBe(200);
    expect(await probe.json()).toEqual({ ready: true });
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    // Said once, with the address and until when; no token sent, wrong or right.
    const said = log.lines.filter((l) => l.msg.startsWith('metrics token: too many wrong tokens'));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatchObject({ level: WARN, ip: '127.0.0.1', until: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    for (const secret of [TOKEN, 'guess-one', 'guess-two', 'guess-three']) expect(log.raw.join('')).not.toContain(secret);
  });

  it('counts the address the trusted proxy saw, whatever the client writes into X-Forwarded-For', async () => {
    const url = await serve({ LEADLIFT_METRICS_TOKEN: TOKEN, LEADLIFT_TRUST_PROXY: '1' });
    const through = (client: string, forged: number) => bearer('wrong-guess', { 'x-forwarded-for': `10.0.0.${forged}, ${client}` });
    const seen: number[] = [];
    for (let i = 1; i <= 11; i++) seen.push((await fetch(`${url}/metrics`, through('203.0.113.7', i))).status);
    expect(seen).toEqual([...Array(10).fill(401), 429]);
    // Another client behind the same proxy keeps its own allowance and its right token.
    expect((await fetch(`${url}/metrics`, through('203.0.113.8', 1))).status).toBe(401);
    expect((await fetch(`${url}/metrics`, bearer(TOKEN, { 'x-forwarded-for': '203.0.113.8' }))).status).toBe(200);
  });

  it('does not count a right-token request the scraper gave up on (a scrape timeout while the store is slow)', async () => {
    // The limiter as health.ts mounts it, before a handler that answers only wrong tokens at once.
    const limit = metricsTokenRateLimit((req) => tokenAttempt({ metricsToken: TOKEN }, req.get('authorization')), pino({ level: 'silent' }), store);
    let reached = () => {};
    const app = express();
    app.get('/scrape', limit, (req, res) => {
      if (tokenAttempt({ metricsToken: TOKEN }, req.get('authorization')) === 'wrong') return void res.status(401).end();
      reached();
    });
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/scrape`;
    try {
      for (let i = 0; i < 10; i++) {
        const inHandler = new Promise<void>((resolve) => (reached = resolve));
        const timeout = new AbortController();
        const scrape = fetch(url, { ...bearer(TOKEN), signal: timeout.signal }).catch((err: Error) => err.name);
        await inHandler;
        timeout.abort();
        expect(await scrape).toBe('AbortError');
      }
      expect((await fetch(url, bearer('wrong-guess'))).status).toBe(401);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('counts nothing when no token is set: a Bearer token to /readyz is told to set one, not blocked', async () => {
    const url = await serve({});
    expect(await statuses(11, `${url}/readyz`, bearer('anything'))).toEqual(Array(11).fill(401));
  });
});

describe('/metrics without LEADLIFT_METRICS_TOKEN', () => {
  it('answers a client on the loopback address', async () => {
    const url = await serve({});
    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^# HELP leadlift_/m);
  });

  it('refuses a loopback connection that came through a proxy (X-Forwarded-For)', async () => {
    const url = await serve({});
    const res = await fetch(`${url}/metrics`, { headers: { 'x-forwarded-for': '127.0.0.1' } });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: string }).error).toContain('set LEADLIFT_METRICS_TOKEN and send it as a Bearer token');
  });

  it('refuses everyone when a proxy is trusted, so X-Forwarded-For cannot claim loopback', async () => {
    const url = await serve({ LEADLIFT_TRUST_PROXY: '1' });
    expect((await fetch(`${url}/metrics`, { headers: { 'x-forwarded-for': '127.0.0.1' } })).status).toBe(403);
    expect((await fetch(`${url}/metrics`)).status).toBe(403);
  });
});

describe('the /metrics decision', () => {
  const open = { metricsToken: null, trustProxy: false as const };
  const from = (remoteAddress: string | undefined, forwarded = false) => metricsAccess(open, { remoteAddress, authorization: undefined, forwarded }).allowed;

  it('counts 127.0.0.0/8, ::1 and IPv4-mapped loopback as this machine, and nothing else', () => {
    for (const a of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) expect(isLoopback(a), a).toBe(true);
    for (const a of ['192.0.2.10', '10.0.0.1', '::ffff:192.0.2.10', '2001:db8::1', '128.0.0.1', 'localhost', '', undefined]) expect(isLoopback(a), String(a)).toBe(false);
    expect(from('127.0.0.1')).toBe(true);
    expect(from('203.0.113.5')).toBe(false);
    expect(from('127.0.0.1', true)).toBe(false);
  });

  it('ignores a token sent when none is configured, and refuses remote clients with 403', () => {
    const d = metricsAccess(open, { remoteAddress: '203.0.113.5', authorization: 'Bearer anything', forwarded: false });
    expect(d).toMatchObject({ allowed: false, status: 403 });
    expect(metricsAccess(open, { remoteAddress: '127.0.0.1', authorization: 'Bearer anything', forwarded: false })).toEqual({ allowed: true });
  });

  it('tells the admin at start what an unset token means', () => {
    expect(describeSettings(serverSettingsFromEnv({}, 0), []).join('\n')).toContain('LEADLIFT_METRICS_TOKEN is not set');
    expect(describeSettings(serverSettingsFromEnv({ LEADLIFT_METRICS_TOKEN: TOKEN }, 0), []).join('\n')).not.toContain('LEADLIFT_METRICS_TOKEN');
    expect(() => serverSettingsFromEnv({ LEADLIFT_METRICS_TOKEN: 'short' }, 0)).toThrow(/LEADLIFT_METRICS_TOKEN/);
  });
});
