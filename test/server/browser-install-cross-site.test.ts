import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBrowserFixture, type BrowserFixture } from './browser-fixture.js';
import { Session } from './server-fixture.js';

/**
 * The install starts are GET links, and the SameSite=Lax session cookie rides along with another
 * site's link to them: the sandbox (like Salesforce for an app approved before) consents at once,
 * so such a link used to reconnect leadlift with no click on leadlift. Real chromium, logged in,
 * follows a link on a page of another site (localhost, where leadlift is 127.0.0.1), then the
 * Connect link on the Connections page.
 */
let b: BrowserFixture;
let other: Server;
let otherUrl: string;

beforeAll(async () => {
  b = await startBrowserFixture({ signIn: true });
  other = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html');
    res.end(`<!doctype html><a id="go" href="${b.fx.url}/install/hubspot/start">Win a prize</a><a id="sf" href="${b.fx.url}/install/salesforce/start">More</a>`);
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  otherUrl = `http://localhost:${(other.address() as AddressInfo).port}/`;
}, 120_000);

afterAll(async () => {
  await new Promise((resolve) => other?.close(resolve));
  await b?.close();
});

it('refuses an install start linked from another site, and starts it from the Connections page', async () => {
  const { page, fx } = b;
  expect(await fx.store.tokens.load('hubspot')).toBeNull();

  await page.goto(otherUrl);
  const refused = await Promise.all([page.waitForNavigation(), page.click('#go')]).then(([res]) => res!);
  expect(refused.status()).toBe(403);
  expect(new URL(page.url()).pathname).toBe('/install/hubspot/start');
  expect(await page.textContent('main')).toContain('opened from another site');
  // Nothing was authorized or stored: the consent screen was never reached.
  expect(await fx.store.tokens.load('hubspot')).toBeNull();

  await page.click('text=Go to Connections');
  await page.waitForURL(`${fx.url}/install`);
  await Promise.all([page.waitForURL(`${fx.url}/install`, { waitUntil: 'load' }), page.click('a[href="/install/hubspot/start"]')]);
  await page.waitForSelector('.notice');
  expect(await page.textContent('.notice')).toContain('HubSpot connected');
  expect(await fx.store.tokens.load('hubspot')).not.toBeNull();
  await fx.deps.loop.idle();
}, 120_000);

it('lets an address typed in, and a client that sends no Fetch Metadata, start the install as before', async () => {
  const s = new Session(b.fx.url);
  await s.login();
  for (const headers of [{} as Record<string, string>, { 'sec-fetch-site': 'none' }, { 'sec-fetch-site': 'same-origin' }]) {
    const res = await s.request('/install/hubspot/start', { headers });
    expect(res.status, JSON.stringify(headers)).toBe(302);
    expect(new URL(res.headers.get('location')!).origin).toBe(b.fx.sandbox.url);
  }
  for (const site of ['cross-site', 'same-site']) {
    for (const crm of ['hubspot', 'salesforce']) {
      const res = await s.request(`/install/${crm}/start`, { headers: { 'sec-fetch-site': site } });
      expect(res.status, `${crm} ${site}`).toBe(403);
      expect(res.headers.get('location')).toBeNull();
    }
  }
});
