import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORG_ID } from '../../connectors/sandbox/salesforce/ids.js';
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
 * An admin connects HubSpot and Salesforce from /install while `serve` runs (startHttpService, as
 * the CLI wires it, on a sandbox serving both): the terminal gets one line per install naming the
 * CRM and the account, never a token.
 */
let sandbox: RunningSandbox;
let store: Store;
let home: string;
let service: HttpService;
const log = capturedLog();

beforeAll(async () => {
  const seed = seedLeadsFromCsv(syntheticCsv(150), { label: 'y', positive: 'yes', order: 'order', openFraction: 0.2 }, Date.now());
  sandbox = await startSandbox({ port: 0, crm: 'both', seed });
  home = mkdtempSync(join(tmpdir(), 'leadlift-install-log-'));
  store = await openStore({ home, databaseUrl: '', secretKey: Buffer.alloc(32, 3).toString('base64') });
  service = await startServeOnSandbox({ sandbox, store, config: loadConfig({ env: {}, overrides: { model: { trees: 10 } } }), logger: log.logger });
});

afterAll(async () => {
  await service?.close();
  await store?.close();
  await sandbox?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

/** Start, the sandbox's consent, and the callback, as a browser follows them. */
async function install(s: Session, crm: 'hubspot' | 'salesforce'): Promise<void> {
  const start = await s.request(`/install/${crm}/start`);
  expect(start.status).toBe(302);
  const consent = await fetch(start.headers.get('location')!, { redirect: 'manual' });
  const callback = new URL(consent.headers.get('location')!);
  const done = await s.request(callback.pathname + callback.search);
  expect(done.status).toBe(303);
}

const tokenValues = async (crm: 'hubspot' | 'salesforce') => {
  const saved = (await store.tokens.load(crm)) as Record<string, unknown>;
  return [saved.accessToken, saved.refreshToken].filter((v): v is string => typeof v === 'string' && v !== '');
};

describe('a CRM connected from /install is said in the server log', () => {
  it('HubSpot: one line naming the portal id', async () => {
    const s = new Session(service.url);
    await s.login();
    const before = log.lines.length;
    await install(s, 'hubspot');
    const { portalId } = (await (await fetch(`${sandbox.url}/__sandbox/hubspot/app`)).json()) as { portalId: number };
    const said = log.lines.slice(before).filter((l) => /connected from \/install/.test(l.msg));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatchObject({ crm: 'hubspot', portalId });
    expect(said[0].msg).toMatch(new RegExp(`^HubSpot connected from /install by ${ADMIN.user}: portal ${portalId}\\b`));
    await service.deps.loop.idle();
    const tokens = await tokenValues('hubspot');
    expect(tokens.length).toBe(2);
    for (const token of tokens) expect(log.raw.join('')).not.toContain(token);
  });

  it('Salesforce: one line naming the org id', async () => {
    const s = new Session(service.url);
    await s.login();
    const before = log.lines.length;
    await install(s, 'salesforce');
    const said = log.lines.slice(before).filter((l) => /connected from \/install/.test(l.msg));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatchObject({ crm: 'salesforce', orgId: ORG_ID });
    expect(said[0].msg).toBe(`Salesforce connected from /install by ${ADMIN.user}: org ${ORG_ID} at ${sandbox.url}; creating its fields and running the first cycle`);
    await service.deps.loop.idle();
    const tokens = await tokenValues('salesforce');
    expect(tokens.length).toBe(2);
    for (const token of tokens) expect(log.raw.join('')).not.toContain(token);
  });
});
