import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.js';
import { startHubspotFixture, type HubspotFixture } from '../connectors/hubspot/sandbox-fixture.js';
import { backends, type TestDatabase } from '../store/backends.js';
import { leadliftBin, newcomerEnv } from './cli-child.js';

/** The real CLI as a child; asynchronous, so the sandbox in this process answers it. */
function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [leadliftBin, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const CONTACTS = '^/crm/v3/objects/contacts(/search)?$';

/**
 * `leadlift status` on the store of a real `leadlift run` against the sandbox (a configured
 * HubSpot: the store is LEADLIFT_HOME's or DATABASE_URL's), then after a run that failed.
 */
describe.each(backends)('leadlift status after real runs ($name store)', (backend) => {
  let fixture: HubspotFixture;
  let database: TestDatabase;
  let dir = '';
  let env: NodeJS.ProcessEnv = {};
  let password = '';
  beforeAll(async () => {
    fixture = await startHubspotFixture({ leads: 300 });
    database = await backend.fresh();
    // Creates the schema (PostgreSQL) the CLI then reaches through DATABASE_URL's search_path.
    await (await database.open()).close();
    dir = mkdtempSync(join(tmpdir(), 'leadlift-status-'));
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ model: { trees: 30, threads: 1 }, loop: { minimumHistory: { closedLeads: 50, conversions: 10 } } }));
    let databaseUrl = '';
    if (backend.name === 'postgres') {
      const url = new URL(database.options.databaseUrl!);
      // The test database's password may be its user's name too: the URL's userinfo is what must not show.
      password = `${url.username}:${url.password}@`;
      url.searchParams.set('options', `-c search_path=${database.options.pgSchema}`);
      databaseUrl = url.toString();
    }
    env = newcomerEnv(backend.name === 'sqlite' ? database.options.home! : dir, {
      LEADLIFT_CONFIG: config,
      HUBSPOT_ACCESS_TOKEN: fixture.sandbox.token,
      HUBSPOT_BASE_URL: fixture.sandbox.url,
      DATABASE_URL: databaseUrl,
    });
  }, 60_000);
  afterAll(async () => {
    await fixture?.close();
    await database?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  const noSecret = (text: string) => {
    expect(text).not.toContain(fixture.sandbox.token);
    if (password) expect(text).not.toContain(password);
  };

  it('says what the run did and exits 0; after a failed run, exits 1 with its reason', async () => {
    const run = await cli(['run', '--json'], env);
    expect(run.status, run.stderr).toBe(0);
    const [summary] = JSON.parse(run.stdout);

    const r = await cli(['status', '--json'], env);
    expect(r.status, r.stderr).toBe(0);
    noSecret(r.stdout + r.stderr);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ ok: true, problems: [], schedule: { sync: '0 * * * *', syncIntervalMinutes: 60 } });
    expect(Date.parse(report.schedule.nextSync)).toBeGreaterThan(Date.now() - 60_000);
    expect(report.store).toEqual(
      backend.name === 'sqlite'
        ? { kind: 'sqlite', file: join(database.options.home!, 'leadlift.db'), bytes: expect.any(Number) }
        : { kind: 'postgres', host: '127.0.0.1', port: '5432', database: expect.any(String), user: expect.any(String) },
    );
    const [hub] = report.crms;
    expect(hub).toMatchObject({
      crm: 'hubspot',
      ok: true,
      account: { id: expect.stringMatching(/^\d+$/) },
      tokensStored: false,
      running: null,
      lastCycle: { status: 'ok', synced: summary.sync.leads, scored: summary.score.scored, written: summary.push.written, failed: 0, error: null },
      model: { version: summary.model.version, auc: summary.model.auc, evaluatedOnLeads: summary.train.testLeads },
      lastRetrain: { status: 'ok', version: summary.model.version, promoted: true, outcome: expect.stringMatching(/^Promoted/) },
      pushes: { pending: 0, failed: 0 },
    });
    expect(hub.lastSuccessAt).toBe(hub.lastCycle.finishedAt);
    expect(hub.model.trainedOnLeads).toBeGreaterThan(hub.model.evaluatedOnLeads);
    expect(hub.openLeads.scored).toBe(summary.score.scored);
    expect(hub.openLeads.byTier.reduce((n: number, t: { leads: number }) => n + t.leads, 0)).toBe(summary.score.scored);

    const text = await cli(['status'], env);
    expect(text.status, text.stderr).toBe(0);
    noSecret(text.stdout + text.stderr);
    expect(text.stdout).toMatch(/│ State +│ working/);
    expect(text.stdout).toMatch(new RegExp(`Synced / scored / written / failed │ ${summary.sync.leads} / ${summary.score.scored} / ${summary.push.written} / 0`));
    expect(text.stdout).toMatch(/Next sync \d{4}-\d\d-\d\d \d\d:00:00 UTC/);

    // HubSpot refuses every contacts read: the next run fails, and status says so.
    fixture.sandbox.ctx.faults.push({ id: 'refused', pathPattern: CONTACTS, kind: 'server-error', status: 400 });
    try {
      const failed = await cli(['run'], env);
      expect(failed.status).toBe(1);
    } finally {
      fixture.sandbox.ctx.faults.length = 0;
    }
    const after = await cli(['status', '--json'], env);
    expect(after.status, after.stderr).toBe(1);
    noSecret(after.stdout + after.stderr);
    const down = JSON.parse(after.stdout).crms[0];
    expect(down.ok).toBe(false);
    expect(down.lastCycle).toMatchObject({ status: 'failed', synced: null, error: expect.stringMatching(/HubSpot/) });
    // The last success is still the first run's, and the model it trained stays in service.
    expect(down.lastSuccessAt).toBe(hub.lastSuccessAt);
    expect(down.model.version).toBe(summary.model.version);
    expect(JSON.parse(after.stdout).problems).toEqual([expect.stringContaining(`hubspot: the latest cycle failed (ended ${down.lastCycle.finishedAt}): ${down.lastCycle.error}`)]);

    const said = await cli(['status'], env);
    expect(said.status).toBe(1);
    expect(said.stdout).toMatch(/│ State +│ NEEDS ATTENTION/);
    expect(said.stderr).toContain(`leadlift: hubspot: the latest cycle failed`);
  }, 240_000);
});

describe('leadlift status on the local sandbox\'s store (no CRM configured)', () => {
  let home = '';
  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'leadlift-status-sandbox-'));
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('refuses bad input with exit 2: an unknown --crm, no store, a configured CRM\'s store without its settings', async () => {
    const env = newcomerEnv(home);
    const crm = await cli(['status', '--crm', 'pipedrive'], env);
    expect(crm.status).toBe(2);
    expect(crm.stderr).toContain('leadlift status --crm: must be hubspot or salesforce (got "pipedrive")');

    const none = await cli(['status'], env);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain(`No leadlift store in ${join(home, 'sandbox')}: the local sandbox has not run with LEADLIFT_HOME=${home}`);

    // A configured HubSpot whose LEADLIFT_HOME holds no store: nothing is created.
    const configured = await cli(['status'], newcomerEnv(home, { HUBSPOT_ACCESS_TOKEN: 'pat-never-sent' }));
    expect(configured.status).toBe(2);
    expect(configured.stderr).toContain(`No leadlift store at ${join(home, 'leadlift.db')}`);

    await (await openStore({ home, databaseUrl: '' })).close();
    const elsewhere = await cli(['status'], env);
    expect(elsewhere.status).toBe(2);
    expect(elsewhere.stderr).toContain(`but ${join(home, 'leadlift.db')} exists`);
    expect(elsewhere.stderr).toContain('Nothing was read.');
    rmSync(join(home, 'leadlift.db'), { force: true });
  });

  it('reads the sandbox\'s store: a cycle running now, then a last success older than twice the sync interval (exit 1)', async () => {
    const sandboxDir = join(home, 'sandbox');
    const store = await openStore({ home: sandboxDir, databaseUrl: '' });
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
    try {
      const run = await store.runs.start('cycle', 'hubspot');
      await store.runs.finish(run.id, { status: 'ok', summary: { sync: { leads: 12 }, score: { scored: 3 }, push: { written: 2, failed: 1 } } });
      // It ended three hours ago: more than twice the hourly sync.
      await store.db.updateTable('runs').set({ started_at: hoursAgo(3.1), finished_at: hoursAgo(3) }).where('id', '=', run.id).execute();
      await store.runLock.acquire('cycle:hubspot', 'box:4242:abc', 600_000);
      await store.runs.start('cycle', 'hubspot');
    } finally {
      await store.close();
    }
    const r = await cli(['status', '--json'], newcomerEnv(home, { DATABASE_URL: 'postgres://leadlift:hunter2secret@127.0.0.1:1/unused' }));
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toContain('DATABASE_URL is set but not used');
    expect(r.stdout + r.stderr).not.toContain('hunter2secret');
    const report = JSON.parse(r.stdout);
    expect(report.store).toMatchObject({ kind: 'sqlite', file: join(sandboxDir, 'leadlift.db') });
    expect(report.crms[0]).toMatchObject({
      crm: 'hubspot',
      ok: false,
      running: { holder: expect.stringContaining('pid 4242 on host box') },
      lastCycle: { status: 'ok', synced: 12, scored: 3, written: 2, failed: 1 },
      model: null,
      lastRetrain: null,
      openLeads: { scored: 0, byTier: [] },
    });
    expect(report.problems).toEqual([expect.stringMatching(/^hubspot: the last successful cycle ended \S+, 3\.0 h ago: more than twice the sync interval \(60 min/)]);
  });
});
