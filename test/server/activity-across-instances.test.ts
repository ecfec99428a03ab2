import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector } from '../../connectors/types.js';
import { loadConfig } from '../../src/config/load.js';
import { loadManifest } from '../../src/domain/manifest.js';
import { cycleLockName } from '../../src/jobs/cycle.js';
import type { ServerDeps } from '../../src/server/deps.js';
import { buildServerDeps } from '../../src/server/server-deps.js';
import { serverSettingsFromEnv } from '../../src/server/settings.js';
import { DIED_WORDS } from '../../src/server/shared-activity.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import type { Store } from '../../src/store/store.js';
import { startHubspotFixture, type HubspotFixture } from '../connectors/hubspot/sandbox-fixture.js';
import { backends, type TestDatabase } from '../store/backends.js';
import { ADMIN, Session } from './server-fixture.js';

const config = loadConfig({ env: {}, overrides: { model: { trees: 10 }, loop: { minimumHistory: { closedLeads: 50, conversions: 10 }, minAuc: 0 } } });
const settings = serverSettingsFromEnv(
  { LEADLIFT_ADMIN_USER: ADMIN.user, LEADLIFT_ADMIN_PASSWORD: ADMIN.password, LEADLIFT_SESSION_SECRET: 'a-test-session-secret-that-is-long-enough-0123456789' },
  0,
);

/**
 * The sandbox behind a door that holds the score write-back (HubSpot's batch update) while shut:
 * the cycle then stands still at its push step, with known counts, for as long as the test reads.
 */
async function writeBackDoor(target: string): Promise<{ url: string; shut(): void; open(): void; held(): number; close(): Promise<void> }> {
  let shut = false;
  let waiting: Array<() => void> = [];
  let held = 0;
  const server: Server = createServer((req, res) => {
    const forward = () => {
      const url = new URL(req.url!, target);
      const upstream = request(url, { method: req.method, headers: { ...req.headers, host: url.host } }, (answer) => {
        res.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', (err) => res.destroy(err));
      req.pipe(upstream);
    };
    if (shut && /\/batch\/update/.test(req.url!)) {
      held++;
      waiting.push(forward);
    } else forward();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    shut: () => (shut = true),
    open() {
      shut = false;
      for (const go of waiting) go();
      waiting = [];
    },
    held: () => held,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

interface Instance {
  store: Store;
  deps: ServerDeps;
  server: RunningServer;
  session: Session;
}

async function instance(store: Store, connectors: Connector[]): Promise<Instance> {
  const deps = buildServerDeps({ store, config, manifest: loadManifest(), settings, connectors, logger: pino({ level: 'silent' }), busyRetryMs: 50 });
  const server = await startServer(deps, { port: 0, publicUrlFromAddress: true });
  const session = new Session(server.url);
  await session.login();
  return { store, deps, server, session };
}

const statusOf = async (i: Instance) => ((await (await i.session.request('/install/status.json')).json()) as { hubspot: Record<string, unknown> }).hubspot;
const activityOf = async (i: Instance) => (await (await i.session.request('/admin/model/activity.json?crm=hubspot')).json()) as Record<string, unknown>;
const until = async (what: string, check: () => Promise<boolean> | boolean) => {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`never happened: ${what}`);
};
/** What a status poll shows of the work, without the time its "Finished …:" line names to the minute. */
const shown = (a: Record<string, unknown>) => ({ task: a.task, state: a.state, step: a.step, done: a.done, total: a.total, message: a.message, startedAt: a.startedAt, text: String(a.text).replace(/^(Finished|Failed) [^:]+:\d\d UTC: /, '$1: ') });

describe.each(backends)('the install card and model page on two instances sharing one store ($name)', (backend) => {
  let fixture: HubspotFixture;
  let door: Awaited<ReturnType<typeof writeBackDoor>>;
  let database: TestDatabase;
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    fixture = await startHubspotFixture({ leads: 150, hubspotRateLimit: 1000, hubspotSearchRateLimit: 50 });
    door = await writeBackDoor(fixture.sandbox.url);
    database = await backend.fresh();
    // Two handles, as two processes would have; only A is connected, B merely answers the polls.
    a = await instance(await database.open(), [fixture.connector({ basePath: door.url, rateLimit: { requestsPerWindow: 1000, searchPerSecond: 50 } })]);
    b = await instance(await database.open(), []);
  });
  afterAll(async () => {
    door?.open();
    for (const i of [a, b]) {
      await i?.server.close();
      await i?.deps.loop.idle();
      await i?.store.close();
    }
    await database?.cleanup();
    await door?.close();
    await fixture?.close();
  });

  it('B shows the retrain A runs at the same step and counts, and then the same outcome', async () => {
    expect((await statusOf(b)).state).toBe('idle');
    door.shut();
    expect(a.deps.loop.startRetrain('hubspot').started).toBe(true);
    await until('the write-back is held', () => door.held() > 0);
    // A stands still at its push; B catches up within one write (a second at most) and shows A's words.
    const onA = await statusOf(a);
    expect(onA).toMatchObject({ task: 'retrain', state: 'running', step: 'push', done: 0 });
    expect(onA.total as number).toBeGreaterThan(0);
    await until("B's status is A's", async () => JSON.stringify(shown(await statusOf(b))) === JSON.stringify(shown(onA)));
    expect(shown(await activityOf(b))).toEqual(shown(await activityOf(a)));
    expect(String((await activityOf(b)).text)).toMatch(/^Retraining: Writing scores back to the CRM… \(0 of \d+\)$/);

    door.open();
    await a.deps.loop.idle();
    const endedOnA = await statusOf(a);
    expect(endedOnA.state, String(endedOnA.message)).toBe('done');
    expect(endedOnA.message).toMatch(/^Trained model \S+: .* synced, \d+ scored, \d+ written/);
    // Its outcome was written before the run closed: B never shows it finished in other words.
    expect(shown(await statusOf(b))).toEqual(shown(endedOnA));
    expect(shown(await activityOf(b))).toEqual(shown(await activityOf(a)));
  });

  it('a run whose instance died shows as interrupted once its lock expires, not as running for ever', async () => {
    const lock = cycleLockName('hubspot');
    const owner = 'app-2:4242:gone';
    // As an instance on another machine leaves it when killed mid-push: the lock taken, the run open with its last progress.
    expect(await b.store.runLock.acquire(lock, owner, 60_000)).toBe(true);
    const run = await b.store.runs.start('cycle', 'hubspot');
    const at = new Date().toISOString();
    await b.store.runs.setProgress(run.id, { task: 'install', step: 'push', done: 20, total: 30, message: 'Writing scores back to the CRM…', startedAt: run.startedAt, at });
    expect(shown(await statusOf(a))).toMatchObject({ task: 'install', state: 'running', step: 'push', done: 20, total: 30, text: 'Installing: Writing scores back to the CRM… (20 of 30)' });

    // It stops renewing: once the lock is past its expiry, nobody shows it running.
    await b.store.db.updateTable('run_locks').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('name', '=', lock).execute();
    for (const i of [a, b]) {
      const status = await statusOf(i);
      expect(status).toMatchObject({ task: 'install', state: 'failed', message: DIED_WORDS, step: 'push', done: 20, total: 30 });
      expect((await activityOf(i)).state).toBe('failed');
    }
    await b.store.runLock.release(lock, owner);
    await b.store.runs.finish(run.id, { status: 'failed', error: 'interrupted: test' });
  });
});
