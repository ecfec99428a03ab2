import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Connector } from '../../connectors/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServerDeps } from '../../src/server/server-deps.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import { openStore, type Store } from '../../src/store/store.js';
import { Session, startServerFixture, type ServerFixture } from './server-fixture.js';

let fx: ServerFixture;
beforeAll(async () => {
  fx = await startServerFixture({ every: 40, trees: 5 });
});
afterAll(async () => {
  await fx?.close();
});

const decode = (html: string) => html.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

/** A second server on the same sandbox, with its own store opened with `secretKey` as LEADLIFT_SECRET_KEY. */
async function serverWithKey(secretKey: string, hubspot = fx.deps.settings.hubspot, connectors: Connector[] = []): Promise<{ url: string; store: Store; close(): Promise<void> }> {
  const home = mkdtempSync(join(tmpdir(), 'leadlift-install-'));
  const store = await openStore({ home, databaseUrl: '', secretKey });
  const settings = { ...fx.deps.settings, hubspot, sandboxUrl: fx.sandbox.url };
  const deps = buildServerDeps({ store, config: fx.deps.config, manifest: fx.deps.manifest, settings, connectors, logger: pino({ level: 'silent' }) });
  const server: RunningServer = await startServer(deps, { port: 0, publicUrlFromAddress: true });
  return {
    url: server.url,
    store,
    async close() {
      await server.close();
      await store.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

describe('the install page', () => {
  it('says before the consent screen that LEADLIFT_SECRET_KEY is missing, and does not start the install', async () => {
    const app = await serverWithKey('');
    try {
      const s = new Session(app.url);
      await s.login();
      const page = decode(await (await s.request('/install')).text());
      expect(page).toContain('<button type="button" class="primary" disabled aria-describedby="hubspot-blocked">Connect HubSpot</button>');
      const note = /<p class="error small" id="hubspot-blocked">(.*?)<\/p>/s.exec(page)![1];
      expect(note).toMatch(/^HubSpot cannot be connected yet\. Configuration "LEADLIFT_SECRET_KEY": is not set; it encrypts the stored CRM tokens\. Set it to 32 random bytes, generate one with: node -e ".*" Then restart leadlift\.$/);
      // Said once: the key's name, what it is for, and setting it.
      expect(note.match(/LEADLIFT_SECRET_KEY/g)).toHaveLength(1);
      expect(note.match(/encrypt/g)).toHaveLength(1);
      expect(note.match(/\bset\b/gi)).toHaveLength(2); // "is not set", "Set it to"
      expect(page).not.toContain('href="/install/hubspot/start"');
      const start = await s.request('/install/hubspot/start');
      expect(start.status).toBe(409);
      expect(start.headers.get('location')).toBeNull();
      const refused = decode(await start.text());
      expect(refused).toContain('Configuration "LEADLIFT_SECRET_KEY": is not set; it encrypts the stored CRM tokens.');
      expect(refused).toContain('Then restart leadlift.');
    } finally {
      await app.close();
    }
  });

  it('names a malformed key without showing any of it', async () => {
    const secret = 'hunter2-is-not-32-bytes';
    const app = await serverWithKey(secret);
    try {
      const s = new Session(app.url);
      await s.login();
      const page = decode(await (await s.request('/install')).text());
      expect(page).toContain('"LEADLIFT_SECRET_KEY": must be 32 random bytes');
      expect(page).not.toContain(secret);
      expect(page).not.toContain('hunter2');
    } finally {
      await app.close();
    }
  });

  it('marks a CRM served by the in-process sandbox, and only that one', async () => {
    const app = await serverWithKey(Buffer.alloc(32, 3).toString('base64'));
    try {
      const s = new Session(app.url);
      await s.login();
      const page = decode(await (await s.request('/install')).text());
      expect(page).toContain(`Local sandbox at ${fx.sandbox.url} — not a real portal.`);
      expect(page).not.toContain('not a real org');
      expect(page).toContain('href="/install/hubspot/start"');
    } finally {
      await app.close();
    }
    // The fixture's own server is not told of a sandbox: nothing is marked.
    const s = new Session(fx.url);
    await s.login();
    expect(await (await s.request('/install')).text()).not.toContain('data-sandbox');
  });

  it('gives both ways to connect HubSpot, the private app token first as the README does, with or without an OAuth app', async () => {
    const hubspotCard = (page: string) => /<section class="card crm-card" data-crm="hubspot">(.*?)<\/section>/s.exec(page)![1];
    const cardOf = async (hubspot: typeof fx.deps.settings.hubspot) => {
      const app = await serverWithKey(Buffer.alloc(32, 3).toString('base64'), hubspot);
      try {
        const s = new Session(app.url);
        await s.login();
        return hubspotCard(decode(await (await s.request('/install')).text()));
      } finally {
        await app.close();
      }
    };
    const withApp = await cardOf(fx.deps.settings.hubspot);
    expect(withApp).toContain('href="/install/hubspot/start"');
    expect(withApp).toContain('Install the leadlift app in your HubSpot portal here, or set HUBSPOT_ACCESS_TOKEN (a private app token) on the server instead.');
    const card = await cardOf({ ...fx.deps.settings.hubspot, clientId: null, clientSecret: null });
    expect(card).not.toContain('href="/install/hubspot/start"');
    expect(card).toContain('Set HUBSPOT_ACCESS_TOKEN (a private app token) on the server, or HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET (your HubSpot app) to install through OAuth here. .env.example lists each setting; restart leadlift after setting them.');
  });

  it('gives both ways to connect Salesforce without a connected app configured: an access token, or the OAuth app, and that a restart reads them', async () => {
    const s = new Session(fx.url);
    await s.login();
    const page = decode(await (await s.request('/install')).text());
    const card = /<section class="card crm-card" data-crm="salesforce">(.*?)<\/section>/s.exec(page)![1];
    expect(card).not.toContain('href="/install/salesforce/start"');
    expect(card).toContain('Set SALESFORCE_INSTANCE_URL and SALESFORCE_ACCESS_TOKEN (a session you already have) on the server, or SALESFORCE_CLIENT_ID (and SALESFORCE_CLIENT_SECRET) of your connected app to install through OAuth here. .env.example lists each setting; restart leadlift after setting them.');
  });

  it('on a connected in-process sandbox, says the key is needed only for an OAuth connect, not that it cannot be connected', async () => {
    const app = await serverWithKey('', fx.deps.settings.hubspot, fx.deps.connections.list());
    try {
      const s = new Session(app.url);
      await s.login();
      const page = decode(await (await s.request('/install')).text());
      expect(page).toContain(`Local sandbox at ${fx.sandbox.url} — not a real portal.`);
      expect(page).not.toContain('HubSpot cannot be connected');
      const note = /<p class="muted small blocked-note" id="hubspot-blocked">(.*?)<\/p>/s.exec(page)![1];
      expect(note).toMatch(/^The local sandbox is connected without a key; connecting HubSpot through OAuth \(a real HubSpot, or reconnecting here\) needs one\. Configuration "LEADLIFT_SECRET_KEY": is not set;/);
      expect(note.match(/LEADLIFT_SECRET_KEY/g)).toHaveLength(1);
    } finally {
      await app.close();
    }
  });
});
