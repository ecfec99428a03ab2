import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signatureV3 } from '../../connectors/sandbox/hubspot/webhook-signature.js';
import { startSandbox, type RunningSandbox } from '../../connectors/sandbox/server.js';
import { cycleLockName } from '../../src/jobs/cycle.js';
import { openStore, type Store } from '../../src/store/store.js';
import { freePort } from '../free-port.js';
import { control, seedLeads } from '../sandbox/helpers.js';
import { ADMIN, Session } from '../server/server-fixture.js';
import { newcomerEnv, startCli, stopLeftOver, type RunningCli } from './cli-child.js';

/**
 * `serve` asked to stop while work the server started holds the cycle lock: a "Retrain now"
 * cycle, a webhook's rescore. Each stops at its next safe point, as a scheduled cycle does, and
 * shutdown waits for nothing past that. The sandbox answers every CRM request 1.5 s late, so
 * that work is mid-request when the signal comes and would run on for many seconds otherwise.
 */
const LATE_MS = 1500;
let sandbox: RunningSandbox;
let app: { clientSecret: string; portalId: number };
let home: string;
let child: ChildProcess | null = null;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, crm: 'hubspot', seed: seedLeads(60) });
  app = (await (await fetch(`${sandbox.url}/__sandbox/hubspot/app`)).json()) as typeof app;
});
afterEach(async () => {
  await stopLeftOver(child);
  child = null;
  await control(sandbox, 'DELETE', '/faults');
  if (home) rmSync(home, { recursive: true, force: true });
});
afterAll(async () => {
  await sandbox?.close();
});

/** serve on the sandbox, its first cycle done and no scheduled cycle due while the test runs. */
async function serveReady(): Promise<{ cli: RunningCli; url: string; store: Store }> {
  home = mkdtempSync(join(tmpdir(), 'leadlift-serve-stop-admin-'));
  const config = join(home, 'config.json');
  writeFileSync(config, JSON.stringify({ model: { trees: 10 }, loop: { schedule: { sync: '0 2 1 1 *', retrain: '0 3 1 1 *' } } }));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = newcomerEnv(home, {
    HUBSPOT_BASE_URL: sandbox.url,
    HUBSPOT_ACCESS_TOKEN: sandbox.token,
    HUBSPOT_CLIENT_SECRET: app.clientSecret,
    LEADLIFT_ADMIN_USER: ADMIN.user,
    LEADLIFT_ADMIN_PASSWORD: ADMIN.password,
    LEADLIFT_PUBLIC_URL: url,
    LEADLIFT_CONFIG: config,
    LOG_FORMAT: 'text',
  });
  const cli = startCli(['serve', '--port', String(port)], env);
  child = cli.child;
  await cli.waitFor(/Scheduler running/, 60_000, 'the scheduler line');
  return { cli, url, store: await openStore({ home, databaseUrl: '' }) };
}

async function untilCycleLockHeld(store: Store): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await store.runLock.holder(cycleLockName('hubspot'))) return;
    await sleep(100);
  }
  throw new Error('the cycle lock was never taken');
}

/** SIGTERM now: the exit code and how long the process took to go. */
async function stopNow(cli: RunningCli): Promise<{ code: number | string | null; ms: number }> {
  const sent = Date.now();
  cli.child.kill('SIGTERM');
  const code = await cli.exited;
  return { code, ms: Date.now() - sent };
}

const lateCrm = () => control(sandbox, 'POST', '/faults', { id: 'late', pathPattern: '^/crm/', kind: 'latency', ms: LATE_MS });

describe('leadlift serve stopped while the server’s own work runs', () => {
  it('"Retrain now" under way: its cycle stops at its next safe point, recorded with what it kept; exit 143 within seconds, lock released', async () => {
    const { cli, url, store } = await serveReady();
    try {
      const session = new Session(url);
      await session.login();
      const csrf = await session.csrf('/admin/model');
      await lateCrm();
      expect((await session.request('/admin/model/retrain', { form: { _csrf: csrf, crm: 'hubspot' } })).status).toBe(303);
      await untilCycleLockHeld(store);
      const { code, ms } = await stopNow(cli);
      const stderr = cli.stderr();
      expect(code, stderr).toBe(143);
      // The request under way, then its next safe point; a retrain run to the end takes many times that.
      expect(ms).toBeLessThan(LATE_MS + 6500);
      expect(stderr).toMatch(/ WARN +hubspot: retrain stopped: Stopped by SIGTERM (after|while)[^\n]*the next run resumes from there\./);
      expect(stderr).not.toMatch(/ ERROR /);
      expect(stderr).toMatch(/leadlift: Stopped by SIGTERM (after|while)[^\n]*the next run resumes from there\.\n$/);
      const [latest] = await store.runs.list({ kind: 'cycle', crm: 'hubspot' });
      expect(latest.status).toBe('failed');
      expect(latest.error).toMatch(/^Stopped by SIGTERM (after|while) /);
      expect(await store.runLock.holder(cycleLockName('hubspot'))).toBeNull();
    } finally {
      await store.close();
    }
  }, 60_000);

  it('a webhook’s rescore under way: it stops at its next safe point; exit 143 within seconds, lock released', async () => {
    const { cli, url, store } = await serveReady();
    try {
      const listed = await fetch(`${sandbox.url}/crm/v3/objects/contacts?limit=1`, { headers: { authorization: `Bearer ${sandbox.token}` } });
      const [lead] = ((await listed.json()) as { results: Array<{ id: string }> }).results;
      await lateCrm();
      const body = JSON.stringify([{ eventId: 1, portalId: app.portalId, subscriptionType: 'contact.propertyChange', objectId: Number(lead.id), propertyName: 'jobtitle', occurredAt: Date.now() }]);
      const timestamp = Date.now();
      const target = `${url}/webhooks/hubspot`;
      const res = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hubspot-signature-v3': signatureV3(app.clientSecret, 'POST', target, body, timestamp), 'x-hubspot-request-timestamp': String(timestamp) }, body });
      expect(res.status, await res.clone().text()).toBe(200);
      expect(((await res.json()) as { accepted: number }).accepted).toBe(1);
      await untilCycleLockHeld(store);
      const { code, ms } = await stopNow(cli);
      const stderr = cli.stderr();
      expect(code, stderr).toBe(143);
      expect(ms).toBeLessThan(LATE_MS + 6500);
      expect(stderr).toMatch(/ WARN +hubspot: rescore stopped: Stopped by SIGTERM (after|while)[^\n]*the next run resumes from there\./);
      expect(stderr).not.toMatch(/ ERROR /);
      expect(await store.runLock.holder(cycleLockName('hubspot'))).toBeNull();
    } finally {
      await store.close();
    }
  }, 60_000);
});
