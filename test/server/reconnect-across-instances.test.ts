import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedLeadsFromCsv } from '../../connectors/sandbox/seed.js';
import { startSandbox, type RunningSandbox } from '../../connectors/sandbox/server.js';
import { signatureV3 } from '../../connectors/sandbox/hubspot/webhook-signature.js';
import type { Connector } from '../../connectors/types.js';
import { loadConfig } from '../../src/config/load.js';
import { ConnectionReplacedError } from '../../src/server/replaced-connector.js';
import type { HttpService } from '../../src/server/serve-http.js';
import type { Store } from '../../src/store/store.js';
import { syntheticCsv } from '../connectors/hubspot/sandbox-fixture.js';
import { freePort } from '../free-port.js';
import { backends, type TestDatabase } from '../store/backends.js';
import { capturedLog, WARN } from './captured-log.js';
import { startServeOnSandbox } from './serve-fixture.js';
import { Session } from './server-fixture.js';

/**
 * Two `serve` on one store (two handles, as two processes would have), both waiting for the
 * HubSpot install; the admin installs through A, then reconnects through A to another portal (the
 * sandbox's PATCH /app { portalId }: the next install is into that portal, its tokens say so).
 * B hears of neither callback: it must follow the store, as a restart would. The sandbox's OAuth
 * endpoints and the official SDK are real; nothing is mocked.
 */
const config = loadConfig({ env: {}, overrides: { model: { trees: 10 } } });
const FIRST_PORTAL = 9_000_001;
const SECOND_PORTAL = 9_000_002;

describe.each(backends)('a reconnect or disconnect through one instance, seen by another ($name)', (backend) => {
  let sandbox: RunningSandbox;
  let database: TestDatabase;
  let stores: Store[];
  let a: HttpService & { direct: string };
  let b: HttpService & { direct: string };
  const logB = capturedLog();
  let clientSecret: string;

  beforeAll(async () => {
    const seed = seedLeadsFromCsv(syntheticCsv(120), { label: 'y', positive: 'yes', order: 'order', openFraction: 0.2 }, Date.now());
    sandbox = await startSandbox({ port: 0, crm: 'hubspot', seed });
    clientSecret = ((await (await fetch(`${sandbox.url}/__sandbox/hubspot/app`)).json()) as { clientSecret: string }).clientSecret;
    database = await backend.fresh();
    stores = [await database.open(), await database.open()];
    const [portA, portB] = [await freePort(), await freePort()];
    const env = { LEADLIFT_PUBLIC_URL: `http://127.0.0.1:${portA}` };
    const start = async (store: Store, port: number, logger?: typeof logB.logger) =>
      Object.assign(await startServeOnSandbox({ sandbox, store, config, env, port, awaitingInstall: ['hubspot'], connectionRecheckMs: 0, ...(logger && { logger }) }), {
        direct: `http://127.0.0.1:${port}`,
      });
    a = await start(stores[0], portA);
    b = await start(stores[1], portB, logB.logger);
  });
  afterAll(async () => {
    for (const s of [a, b]) await s?.close();
    for (const s of stores ?? []) await s.close();
    await database?.cleanup();
    await sandbox?.close();
  });

  /** The whole install through A: consent, callback, and its first cycle. */
  const installThroughA = async () => {
    const onA = new Session(a.direct);
    await onA.login();
    const consent = await fetch((await onA.request('/install/hubspot/start')).headers.get('location')!, { redirect: 'manual' });
    const callback = new URL(consent.headers.get('location')!);
    expect((await onA.request(callback.pathname + callback.search)).status).toBe(303);
    await a.deps.loop.idle();
  };
  const portalOf = (connector: Connector | null) => (connector as (Connector & { portalId(): Promise<number> }) | null)?.portalId();
  const webhookTo = (to: string, portalId: number, objectId: number) => {
    const body = JSON.stringify([{ eventId: objectId, portalId, subscriptionType: 'contact.privacyDeletion', objectId, occurredAt: Date.now() }]);
    const timestamp = Date.now();
    const signature = signatureV3(clientSecret, 'POST', `${a.url}/webhooks/hubspot`, body, timestamp);
    return fetch(`${to}/webhooks/hubspot`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': String(timestamp) }, body });
  };
  const warnings = (words: string) => logB.lines.filter((l) => l.level === WARN && l.msg.includes(words));

  it('a reconnect to another portal through A replaces B\'s connector, said once, and B\'s old one calls the old portal no more', async () => {
    await installThroughA();
    await b.deps.storedConnections.pickUp({ force: true });
    const old = b.deps.connections.get('hubspot');
    expect(await portalOf(old)).toBe(FIRST_PORTAL);

    const patched = await fetch(`${sandbox.url}/__sandbox/hubspot/app`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ portalId: SECOND_PORTAL }) });
    expect(patched.status).toBe(200);
    await installThroughA();
    expect(await portalOf(a.deps.connections.get('hubspot'))).toBe(SECOND_PORTAL);
    expect((await stores[1].tokens.load('hubspot'))?.portalId).toBe(SECOND_PORTAL);

    // B has not looked yet: it still holds the first portal's connector.
    expect(b.deps.connections.get('hubspot')).toBe(old);
    await b.deps.storedConnections.pickUp();
    const now = b.deps.connections.get('hubspot');
    expect(now).not.toBe(old);
    expect(await portalOf(now)).toBe(SECOND_PORTAL);
    // What a cycle or rescore still holding the old one meets at its next call: a refusal, nothing sent.
    const before = sandbox.ctx.log.length;
    const refused = await old!.pushScores([]).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(ConnectionReplacedError);
    expect((refused as Error).message).toContain(`portal ${SECOND_PORTAL}, was portal ${FIRST_PORTAL}`);
    await expect(old!.pullLeads(null)[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(ConnectionReplacedError);
    expect(sandbox.ctx.log.length).toBe(before);

    for (let i = 0; i < 3; i++) await b.deps.storedConnections.pickUp({ force: true });
    expect(b.deps.connections.get('hubspot')).toBe(now);
    expect(warnings('HubSpot reconnected through another instance')).toHaveLength(1);
    expect(warnings('HubSpot reconnected through another instance')[0].msg).toContain(`(portal ${SECOND_PORTAL}, was portal ${FIRST_PORTAL})`);

    // B's webhooks now belong to the new portal: the old one's events are another portal's.
    expect(await (await webhookTo(b.direct, SECOND_PORTAL, 801)).json()).toMatchObject({ forgotten: 1, otherPortal: 0 });
    expect(await (await webhookTo(b.direct, FIRST_PORTAL, 802)).json()).toMatchObject({ forgotten: 0, otherPortal: 1 });
  });

  it('a disconnect (the tokens removed through A) drops B\'s connector, said once, and a new install is picked up again', async () => {
    const held = b.deps.connections.get('hubspot');
    expect(held).not.toBeNull();
    await stores[0].tokens.remove('hubspot');
    await b.deps.storedConnections.pickUp();
    await b.deps.storedConnections.pickUp({ force: true });
    expect(b.deps.connections.get('hubspot')).toBeNull();
    expect(warnings('HubSpot disconnected')).toHaveLength(1);
    await expect(held!.pushScores([])).rejects.toBeInstanceOf(ConnectionReplacedError);
    expect((await webhookTo(b.direct, SECOND_PORTAL, 803)).status).toBe(503);

    await installThroughA();
    await b.deps.storedConnections.pickUp();
    expect(await portalOf(b.deps.connections.get('hubspot'))).toBe(SECOND_PORTAL);
  });
});
