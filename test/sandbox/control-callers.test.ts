import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningSandbox } from '../../connectors/sandbox/server.js';
import { hubspotClient, seedLeads, startHubspot } from './helpers.js';

/**
 * The control API has no auth and listens on 127.0.0.1, which keeps other machines out but not
 * the pages open in this machine's browser. Real chromium, on a page of another origin, posts a
 * form to /__sandbox/reset; a DNS-rebinding page reaches the sandbox under its own host name.
 */
let sandbox: RunningSandbox;
let context: BrowserContext;
let profile: string;
let other: Server;

beforeAll(async () => {
  sandbox = await startHubspot({ seed: seedLeads(20) });
  profile = mkdtempSync(join(tmpdir(), 'leadlift-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.LEADLIFT_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  other = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html');
    res.end(`<!doctype html><form id="f" method="post" action="${sandbox.url}/__sandbox/reset"><input name="reseed" value="no"></form><script>document.getElementById('f').submit()</script>`);
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
}, 60_000);

afterAll(async () => {
  await new Promise((resolve) => other?.close(resolve));
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  await sandbox?.close();
});

/** A request with the Host header a rebinding page's requests carry (node's fetch will not set Host). */
function withHost(path: string, host: string): Promise<{ status: number; body: string }> {
  const { port } = new URL(sandbox.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

it('refuses a form another site posts to /__sandbox/reset in a real browser, and keeps the data', async () => {
  const api = hubspotClient(sandbox).crm.contacts.basicApi;
  const added = await api.create({ properties: { email: 'kept@example.com' }, associations: [] });
  const page = context.pages()[0] ?? (await context.newPage());
  const [answer] = await Promise.all([
    page.waitForResponse((r) => r.url() === `${sandbox.url}/__sandbox/reset`),
    page.goto(`http://localhost:${(other.address() as AddressInfo).port}/`),
  ]);
  expect(answer.status()).toBe(403);
  expect(await answer.text()).toContain('answers scripts on this machine only');
  // Not reset: the contact added after the seed is still there.
  expect((await api.getById(added.id)).properties.email).toBe('kept@example.com');
}, 60_000);

it('refuses another host name (DNS rebinding) and keeps answering scripts on this machine', async () => {
  const rebound = await withHost('/__sandbox/', `attacker.example:${new URL(sandbox.url).port}`);
  expect(rebound.status).toBe(403);
  expect(rebound.body).not.toContain(sandbox.token);
  for (const host of ['127.0.0.1', 'localhost', 'LOCALHOST']) {
    const local = await withHost('/__sandbox/', `${host}:${new URL(sandbox.url).port}`);
    expect(local.status, host).toBe(200);
    expect(JSON.parse(local.body).token).toBe(sandbox.token);
  }
  // The CRM API beside it is not guarded: a real CRM does not check the Host either.
  expect((await withHost('/crm/v3/objects/contacts?limit=1', 'attacker.example')).status).not.toBe(403);
  // A script's request (no Origin) and a page of the sandbox's own origin pass.
  expect((await fetch(`${sandbox.url}/__sandbox/clock`)).status).toBe(200);
  expect((await fetch(`${sandbox.url}/__sandbox/clock`, { headers: { origin: sandbox.url } })).status).toBe(200);
  expect((await fetch(`${sandbox.url}/__sandbox/clock`, { headers: { origin: 'http://localhost:9' } })).status).toBe(403);
});
