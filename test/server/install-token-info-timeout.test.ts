import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedLeadsFromCsv } from '../../connectors/sandbox/seed.js';
import { startSandbox, type RunningSandbox } from '../../connectors/sandbox/server.js';
import { loadConfig } from '../../src/config/load.js';
import type { HttpService } from '../../src/server/serve-http.js';
import { openStore, type Store } from '../../src/store/store.js';
import { syntheticCsv } from '../connectors/hubspot/sandbox-fixture.js';
import { capturedLog } from './captured-log.js';
import { startServeOnSandbox } from './serve-fixture.js';
import { ADMIN, Session } from './server-fixture.js';

/**
 * The HubSpot install callback against a HubSpot whose token-details endpoint takes the
 * connection and never answers (every other request reaches the sandbox through a proxy): the
 * callback finishes at the lookup's deadline, the tokens stay stored, and the log line says why
 * the portal is not named, never quoting a token. Before, the admin's page waited for good.
 */
let sandbox: RunningSandbox;
let proxy: Server;
let proxyUrl: string;
let store: Store;
let home: string;
let service: HttpService;
const held = new Set<Socket>();
/** Each token-details lookup's connection, in order: the callback's first, then the first cycle's account check. */
const lookups: Socket[] = [];
let tokenInfoAsked = 0;
const log = capturedLog();

beforeAll(async () => {
  const seed = seedLeadsFromCsv(syntheticCsv(120), { label: 'y', positive: 'yes', order: 'order', openFraction: 0.2 }, Date.now());
  sandbox = await startSandbox({ port: 0, crm: 'hubspot', seed });
  const target = new URL(sandbox.url);
  proxy = createServer((req, res) => {
    if (req.method === 'GET' && req.url?.startsWith('/oauth/v1/access-tokens/')) {
      tokenInfoAsked += 1;
      held.add(req.socket);
      lookups.push(req.socket);
      req.socket.on('close', () => held.delete(req.socket));
      return; // accepted, read, never answered
    }
    const upstream = httpRequest({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
  home = mkdtempSync(join(tmpdir(), 'leadlift-install-token-info-'));
  store = await openStore({ home, databaseUrl: '', secretKey: Buffer.alloc(32, 7).toString('base64') });
  service = await startServeOnSandbox({
    sandbox: { url: proxyUrl, token: sandbox.token },
    store,
    config: loadConfig({ env: {}, overrides: { model: { trees: 10 } } }),
    logger: log.logger,
  });
  service.deps.settings.accountLookupTimeoutMs = 400;
});

afterAll(async () => {
  await service?.deps.loop.idle();
  await service?.close();
  for (const socket of held) socket.destroy();
  await new Promise((resolve) => proxy?.close(resolve));
  await store?.close();
  await sandbox?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('the HubSpot install callback when HubSpot never answers the token-details lookup', () => {
  it('finishes at the deadline: tokens stored, the install goes on, the log says the portal id was not read and why', async () => {
    const s = new Session(service.url);
    await s.login();
    const start = await s.request('/install/hubspot/start');
    expect(start.status).toBe(302);
    const consent = await fetch(start.headers.get('location')!, { redirect: 'manual' });
    const callback = new URL(consent.headers.get('location')!);

    const started = Date.now();
    const done = await Promise.race([
      s.request(callback.pathname + callback.search),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the install callback did not answer within 8 s')), 8000)),
    ]);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/install');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(tokenInfoAsked).toBe(1);
    // The callback's lookup gave up its connection; nothing waits on it any more. (The install's
    // first cycle reads the portal again for its account check, on a connection of its own.)
    await expect.poll(() => lookups[0].destroyed, { timeout: 2000 }).toBe(true);

    const saved = (await store.tokens.load('hubspot')) as Record<string, unknown>;
    const tokens = [saved.accessToken, saved.refreshToken].filter((v): v is string => typeof v === 'string' && v !== '');
    expect(tokens).toHaveLength(2);

    const said = log.lines.filter((l) => /connected from \/install/.test(l.msg));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatchObject({ crm: 'hubspot', portalId: null });
    expect(said[0].msg).toBe(
      `HubSpot connected from /install by ${ADMIN.user}: portal id not read (the install went through and its tokens are stored): ` +
        `HubSpot did not answer while reading which portal the access token belongs to: no answer within 400 ms, so leadlift stopped waiting and closed the connection. ` +
        `Nothing was lost; if this repeats, check that this server reaches ${proxyUrl} (HUBSPOT_BASE_URL, or a proxy or firewall between them); creating its fields and running the first cycle`,
    );
    for (const token of tokens) expect(log.raw.join('')).not.toContain(token);
  });
});
