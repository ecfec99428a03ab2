import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedLeadsFromCsv } from '../../connectors/sandbox/seed.js';
import { startSandbox, type RunningSandbox } from '../../connectors/sandbox/server.js';
import { loadConfig } from '../../src/config/load.js';
import type { HttpService } from '../../src/server/serve-http.js';
import { crmAccountSetting } from '../../src/store/crm-account.js';
import { openStore, type Store } from '../../src/store/store.js';
import { syntheticCsv } from '../connectors/hubspot/sandbox-fixture.js';
import { startServeOnSandbox } from './serve-fixture.js';
import { Session } from './server-fixture.js';

/**
 * An admin who tried leadlift on a test portal installs it on another one: the install page says,
 * right after the OAuth return, that the store holds the first portal and what to do, and neither
 * creates fields nor runs a cycle there; after `forget --all`'s clear, installing again runs. `serve`
 * on the sandbox (PATCH /app { portalId } puts the next install in another portal), nothing mocked.
 */
let sandbox: RunningSandbox;
let store: Store;
let home: string;
let service: HttpService;
let app: { portalId: number };

beforeAll(async () => {
  const seed = seedLeadsFromCsv(syntheticCsv(120), { label: 'y', positive: 'yes', order: 'order', openFraction: 0.2 }, Date.now());
  sandbox = await startSandbox({ port: 0, crm: 'hubspot', seed });
  app = (await (await fetch(`${sandbox.url}/__sandbox/hubspot/app`)).json()) as typeof app;
  home = mkdtempSync(join(tmpdir(), 'leadlift-install-other-portal-'));
  store = await openStore({ home, databaseUrl: '', secretKey: Buffer.alloc(32, 9).toString('base64') });
  service = await startServeOnSandbox({
    sandbox,
    store,
    config: loadConfig({ env: {}, overrides: { model: { trees: 10 }, loop: { minimumHistory: { closedLeads: 50, conversions: 10 }, minAuc: 0 } } }),
  });
});

afterAll(async () => {
  await service?.deps.loop.idle();
  await service?.close();
  await store?.close();
  await sandbox?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

async function install(s: Session): Promise<string> {
  const start = await s.request('/install/hubspot/start');
  const consent = await fetch(start.headers.get('location')!, { redirect: 'manual' });
  const callback = new URL(consent.headers.get('location')!);
  expect((await s.request(callback.pathname + callback.search)).status).toBe(303);
  return (await s.request('/install')).text();
}

const writes = (from: number) => sandbox.ctx.log.slice(from).filter((r) => r.method !== 'GET');
const recorded = async () => (await store.settings.get<{ id: string }>(crmAccountSetting('hubspot')))?.value.id ?? null;

describe('installing into another portal than the store holds', () => {
  it('is said on the install page, with no field created and no cycle run; after the clear, installing again runs', async () => {
    const s = new Session(service.url);
    await s.login();
    await install(s);
    await service.deps.loop.idle();
    expect(service.deps.loop.activity('hubspot').state).toBe('done');
    expect(await recorded()).toBe(String(app.portalId));

    const other = app.portalId + 7;
    await fetch(`${sandbox.url}/__sandbox/hubspot/app`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ portalId: other }) });
    const mark = sandbox.ctx.log.length;
    const runsBefore = (await store.runs.list({ crm: 'hubspot' })).length;
    const page = await install(s);
    await service.deps.loop.idle();
    expect(page).toContain('another portal than the one this store holds');
    expect(page).toContain(`portal ${app.portalId}`);
    expect(page).toContain(`portal ${other}`);
    expect(page).toContain('leadlift forget --crm hubspot --all');
    // The OAuth code exchange is the only write: no property, no score reached the new portal.
    expect(writes(mark).map((r) => r.path)).toEqual(['/oauth/v1/token']);
    expect((await store.runs.list({ crm: 'hubspot' })).length).toBe(runsBefore);
    expect(await recorded()).toBe(String(app.portalId));

    await store.forgetCrm('hubspot', { actor: 'test' });
    await install(s);
    await service.deps.loop.idle();
    expect(service.deps.loop.activity('hubspot').state).toBe('done');
    expect(await recorded()).toBe(String(other));
  });
});
