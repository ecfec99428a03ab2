import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHubspotConnector } from '../../connectors/hubspot/index.js';
import { signatureV3 } from '../../connectors/sandbox/hubspot/webhook-signature.js';
import { startSandbox, type RunningSandbox } from '../../connectors/sandbox/server.js';
import { loadConfig } from '../../src/config/load.js';
import { loadManifest } from '../../src/domain/manifest.js';
import { buildServerDeps } from '../../src/server/server-deps.js';
import { serverSettingsFromEnv } from '../../src/server/settings.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import type { Store } from '../../src/store/store.js';
import { WEBHOOK_EVENT_HORIZON_MS } from '../../src/store/webhook-events.js';
import { backends, type TestDatabase } from '../store/backends.js';
import { failInsertsInto, stopFailingInsertsInto } from '../store/inject-failure.js';
import { capturedLog, WARN } from './captured-log.js';

/**
 * Two instances behind one load balancer, each its own app and its own handle on one store, as two
 * processes would run them, receiving the deliveries HubSpot repeats: an event is handled (and a
 * rescore started) by the first instance to claim it, whichever receives the repeat. The HubSpot
 * connection is the SDK against the sandbox; the rescores are the real loop's, counted on the way in.
 */
let sandbox: RunningSandbox;
let app: { clientSecret: string; portalId: number };

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, crm: 'hubspot' });
  app = (await (await fetch(`${sandbox.url}/__sandbox/hubspot/app`)).json()) as typeof app;
});
afterAll(async () => {
  await sandbox?.close();
});

interface Instance {
  server: RunningServer;
  log: ReturnType<typeof capturedLog>;
  rescores: number;
  send(events: unknown[]): Promise<{ status: number; body: Record<string, number> }>;
}

async function instance(store: Store): Promise<Instance> {
  const log = capturedLog();
  const settings = serverSettingsFromEnv({ HUBSPOT_CLIENT_SECRET: app.clientSecret, HUBSPOT_CLIENT_ID: 'x', HUBSPOT_BASE_URL: sandbox.url }, 0);
  const connectors = [createHubspotConnector({ accessToken: sandbox.token, basePath: sandbox.url, retry: { retries: 0, minDelayMs: 1, maxDelayMs: 1 } })];
  const deps = buildServerDeps({ store, config: loadConfig({ env: {} }), manifest: loadManifest(), settings, connectors, logger: log.logger });
  const rescore = deps.loop.rescore.bind(deps.loop);
  const self: Instance = {
    server: undefined as unknown as RunningServer,
    log,
    rescores: 0,
    async send(events) {
      const url = `${self.server.url}/webhooks/hubspot`;
      const body = JSON.stringify(events);
      const timestamp = Date.now();
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hubspot-signature-v3': signatureV3(app.clientSecret, 'POST', url, body, timestamp), 'x-hubspot-request-timestamp': String(timestamp) }, body });
      return { status: res.status, body: (await res.json()) as Record<string, number> };
    },
  };
  deps.loop.rescore = (crm) => {
    self.rescores++;
    // The real rescore runs (no model here, so it scores nothing); only its start is counted.
    return rescore(crm).catch(() => null);
  };
  self.server = await startServer(deps, { port: 0, host: '127.0.0.1', publicUrlFromAddress: true });
  return self;
}

const change = (eventId: number, objectId: number, attemptNumber = 0) => ({
  eventId, subscriptionId: 1, portalId: app.portalId, occurredAt: Date.now(), subscriptionType: 'contact.propertyChange',
  attemptNumber, objectId, propertyName: 'poutcome', propertyValue: 'success', changeSource: 'CRM_UI',
});
const privacyDeletion = (eventId: number, objectId: number) => ({ eventId, portalId: app.portalId, subscriptionType: 'contact.privacyDeletion', objectId, occurredAt: Date.now() });

describe.each(backends)('webhook events across two instances on one store ($name)', (backend) => {
  let database: TestDatabase;
  const stores: Store[] = [];
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    database = await backend.fresh();
    stores.push(await database.open(), await database.open());
    a = await instance(stores[0]);
    b = await instance(stores[1]);
  });
  afterEach(async () => {
    a.rescores = 0;
    b.rescores = 0;
  });
  afterAll(async () => {
    for (const i of [a, b]) await i?.server.close();
    for (const s of stores) await s.close();
    await database?.cleanup();
  });

  it('rescores a repeat that reaches the other instance once, not twice, and a distinct event again', async () => {
    expect(await a.send([change(7001, 301)])).toEqual({ status: 200, body: expect.objectContaining({ accepted: 1, duplicates: 0, contacts: 1 }) });
    // HubSpot's retry, sent by the balancer to B.
    expect(await b.send([change(7001, 301, 1)])).toEqual({ status: 200, body: expect.objectContaining({ accepted: 0, duplicates: 1, contacts: 0 }) });
    expect(a.rescores + b.rescores).toBe(1);
    expect(await b.send([change(7002, 301)])).toEqual({ status: 200, body: expect.objectContaining({ accepted: 1, duplicates: 0 }) });
    expect(b.rescores).toBe(1);
    const rows = await stores[1].db.selectFrom('webhook_events').select(['crm', 'event_id']).orderBy('event_id').execute();
    expect(rows).toEqual([{ crm: 'hubspot', event_id: `${app.portalId}:7001` }, { crm: 'hubspot', event_id: `${app.portalId}:7002` }]);
  });

  it('gives one event delivered to both at once to one of them only', async () => {
    const answers = await Promise.all([a.send([change(7101, 302), change(7102, 303)]), b.send([change(7102, 303, 1), change(7101, 302, 1)])]);
    expect(answers.map((x) => x.status)).toEqual([200, 200]);
    expect(answers.map((x) => x.body.accepted).reduce((x, y) => x + y)).toBe(2);
    expect(answers.map((x) => x.body.duplicates).reduce((x, y) => x + y)).toBe(2);
  });

  it('keeps no claim for a batch whose deletions failed, so the retry is applied on the other instance', async () => {
    await failInsertsInto(stores[0], 'forgotten_leads');
    try {
      const failed = await a.send([privacyDeletion(7201, 401), change(7202, 402)]);
      expect(failed.status).toBe(500);
      expect(a.rescores).toBe(0);
    } finally {
      await stopFailingInsertsInto(stores[0], 'forgotten_leads');
    }
    expect(await stores[1].db.selectFrom('webhook_events').select('event_id').where('event_id', 'like', '%:720%').execute()).toEqual([]);
    expect(await b.send([privacyDeletion(7201, 401), change(7202, 402)])).toEqual({ status: 200, body: expect.objectContaining({ forgotten: 1, accepted: 1, duplicates: 0 }) });
    expect((await stores[1].forgottenLeads.among('hubspot', ['401'])).has('401')).toBe(true);
  });

  it('prunes the ids claimed longer ago than HubSpot retries over when a batch claims one', async () => {
    const now = Date.now();
    const at = (ms: number) => new Date(now - ms).toISOString();
    await stores[0].db.insertInto('webhook_events').values([
      { crm: 'hubspot', event_id: `${app.portalId}:old`, received_at: at(WEBHOOK_EVENT_HORIZON_MS + 60_000) },
      { crm: 'hubspot', event_id: `${app.portalId}:recent`, received_at: at(WEBHOOK_EVENT_HORIZON_MS - 60_000) },
    ]).execute();
    expect((await b.send([change(7301, 304)])).status).toBe(200);
    const left = (await stores[0].db.selectFrom('webhook_events').select('event_id').execute()).map((r) => r.event_id);
    expect(left).toContain(`${app.portalId}:recent`);
    expect(left).toContain(`${app.portalId}:7301`);
    expect(left).not.toContain(`${app.portalId}:old`);
  });
});

describe('an instance whose store cannot claim webhook events', () => {
  let database: TestDatabase;
  let store: Store;
  let one: Instance;

  beforeAll(async () => {
    database = await backends[0].fresh();
    store = await database.open();
    one = await instance(store);
  });
  afterAll(async () => {
    await one?.server.close();
    await store?.close();
    await database?.cleanup();
  });

  it('tells repeats apart in its own memory meanwhile, still applies deletions, says so once, and uses the store again once it answers', async () => {
    await failInsertsInto(store, 'webhook_events');
    try {
      expect(await one.send([change(7401, 305), privacyDeletion(7402, 406)])).toEqual({ status: 200, body: expect.objectContaining({ accepted: 1, forgotten: 1, duplicates: 0 }) });
      expect(await one.send([change(7401, 305, 1), privacyDeletion(7402, 406)])).toEqual({ status: 200, body: expect.objectContaining({ accepted: 0, forgotten: 0, duplicates: 2 }) });
      expect(one.rescores).toBe(1);
      expect((await store.forgottenLeads.among('hubspot', ['406'])).has('406')).toBe(true);
      const said = one.log.lines.filter((l) => l.level === WARN && String(l.msg).startsWith('hubspot webhooks: the store did not answer'));
      expect(said).toHaveLength(1);
      expect(said[0].err).toMatch(/injected failure/);
    } finally {
      await stopFailingInsertsInto(store, 'webhook_events');
    }
    // Back: a new event is claimed in the store, and the one handled meanwhile is still a repeat here.
    expect(await one.send([change(7403, 307), change(7401, 305, 2)])).toEqual({ status: 200, body: expect.objectContaining({ accepted: 1, duplicates: 1 }) });
    expect(one.log.messages()).toContain('hubspot webhooks: the store answers again; repeated events are told apart across instances again');
    expect((await store.db.selectFrom('webhook_events').select('event_id').execute()).map((r) => r.event_id)).toContain(`${app.portalId}:7403`);
  });
});
