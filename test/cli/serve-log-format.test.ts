import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Migrator } from 'kysely';
import { migrationProvider } from '../../src/store/migrations/index.js';
import { connectSqlite } from '../../src/store/sqlite-connection.js';
import { openStore } from '../../src/store/store.js';
import { seedLeads } from '../sandbox/helpers.js';
import { savedSandboxHome } from '../sandbox/saved-sandbox-home.js';
import { startHubspotFixture, type HubspotFixture } from '../connectors/hubspot/sandbox-fixture.js';
import { freePort } from '../free-port.js';
import { newcomerEnv, startCli, stopLeftOver } from './cli-child.js';

// serve against a running HubSpot sandbox (as HUBSPOT_BASE_URL points a real deployment at one),
// small enough that the first cycle takes seconds, with a sync every 2 s: a scheduled cycle soon.
let fixture: HubspotFixture;
let home: string;
let child: ChildProcess | null = null;

beforeAll(async () => {
  fixture = await startHubspotFixture({ leads: 600, hubspotRateLimit: 1000, hubspotSearchRateLimit: 50 });
});
afterAll(async () => {
  await fixture?.close();
});
afterEach(async () => {
  await stopLeftOver(child);
  child = null;
  fixture.sandbox.ctx.faults.length = 0;
  rmSync(home, { recursive: true, force: true });
});

function newHome(): string {
  home = mkdtempSync(join(tmpdir(), 'leadlift-serve-log-'));
  return home;
}

function serve(extra: Record<string, string>, port = 0, at = newHome()) {
  home = at;
  const config = join(home, 'config.json');
  writeFileSync(config, JSON.stringify({ loop: { schedule: { sync: '*/2 * * * * *', retrain: '0 2 1 1 *' }, minimumHistory: { closedLeads: 100, conversions: 20 } } }));
  const cli = startCli(
    ['serve', '--port', String(port)],
    newcomerEnv(home, { HUBSPOT_BASE_URL: fixture.sandbox.url, HUBSPOT_ACCESS_TOKEN: fixture.sandbox.token, LEADLIFT_CONFIG: config, ...extra }),
  );
  child = cli.child;
  return cli;
}

const LEVELS = ['debug', 'info', 'warn', 'error'];

/** Every stderr line as its JSON event; a line that is not one fails the test, naming it. */
function events(stderr: string): Array<Record<string, unknown>> {
  return stderr
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      let event: Record<string, unknown>;
      try {
        event = JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`not a JSON line: ${line}`);
      }
      expect(LEVELS, line).toContain(event.level);
      expect(typeof event.time, line).toBe('string');
      expect(typeof event.msg, line).toBe('string');
      return event;
    });
}

describe('leadlift serve with LOG_FORMAT=json', () => {
  // One serve, on a store an older leadlift left, from start-up through a first and a scheduled
  // cycle to the SIGTERM that stops the next one mid-sync; the checks below read what it said.
  describe('one serve from an older store to a SIGTERM mid-sync', () => {
    const OLDER = '007-score-reference-population-quantiles';
    let port: number;
    let stderr: string;
    let exitCode: number | string | null;
    let stopSeconds: number;
    let latest: unknown;
    let lockHolder: unknown;

    beforeAll(async () => {
      // A store an older leadlift left: migrations up to 007 only.
      const at = newHome();
      const { db } = connectSqlite(at);
      const { error } = await new Migrator({ db, provider: migrationProvider }).migrateTo(OLDER);
      await db.destroy();
      if (error) throw error;
      port = await freePort();
      const cli = serve({ LOG_FORMAT: 'json' }, port, at);
      await cli.waitFor(/"msg":"sync cycle done"/, 120_000, 'a scheduled cycle to finish');
      // The next scheduled sync waits 3 s on each search request, as a slow CRM would.
      fixture.sandbox.ctx.faults.push({ id: 'slow', method: 'POST', pathPattern: '^/crm/v3/objects/contacts/search$', kind: 'latency', ms: 3000 });
      const before = cli.stderr().length;
      await cli.waitFor(new RegExp(`^[^]{${before}}[^]*"msg":"Syncing leads and outcomes: started"`), 30_000, 'the next scheduled sync to start');
      // Inside the request the fault holds, so the cycle is mid-sync.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const sentAt = Date.now();
      cli.child.kill('SIGTERM');
      exitCode = await cli.exited;
      stopSeconds = (Date.now() - sentAt) / 1000;
      stderr = cli.stderr();
      fixture.sandbox.ctx.faults.length = 0;
      const store = await openStore({ home, databaseUrl: '' });
      try {
        [latest] = await store.runs.list({ kind: 'cycle', crm: 'hubspot' });
        lockHolder = await store.runLock.holder('cycle:hubspot');
      } finally {
        await store.close();
      }
    }, 180_000);
    // A start-up that failed or timed out leaves no serve running behind (afterEach runs for tests only).
    afterAll(() => stopLeftOver(child));

    it('writes one JSON event per stderr line, to the SIGTERM that stops a scheduled cycle mid-sync (exit 143, run stopped, lock free)', () => {
      expect(exitCode).toBe(143);
      expect(stopSeconds).toBeLessThan(10);

      const all = events(stderr);
      // The summary of a cycle is one event of fields, not a table.
      const first = all.find((e) => e.msg === 'first cycle done')!;
      expect(first).toMatchObject({ level: 'info', crm: 'hubspot', leadsRead: 600, scored: expect.any(Number), written: expect.any(Number) });
      expect(all.find((e) => e.msg === 'sync cycle done')).toMatchObject({ level: 'info', crm: 'hubspot', leadsRead: expect.any(Number), seconds: expect.any(Number) });
      // Scheduled cycles say which step they are on: a line as each starts and ends, with the CRM and the run.
      const steps = all.filter((e) => e.kind === 'sync');
      expect(steps.map((e) => e.msg)).toContainEqual(expect.stringMatching(/^Scoring leads: started/));
      expect(steps.map((e) => e.msg)).toContainEqual(expect.stringMatching(/^Scoring leads: finished/));
      expect(steps.every((e) => e.crm === 'hubspot' && typeof e.runId === 'string')).toBe(true);
      // A start-up warning carries its level.
      expect(all.find((e) => String(e.msg).includes('LEADLIFT_SESSION_SECRET'))?.level).toBe('warn');
      // The last word: the stop, what was kept, at warn (a requested stop is no error).
      expect(all.at(-1)).toMatchObject({ level: 'warn', exitCode: 143, msg: expect.stringMatching(/^Stopped by SIGTERM after syncing [\d,]+ records \(leads and outcomes\); what was synced is kept and the next run resumes from there\.$/) });
      expect(all.find((e) => /^Syncing leads and outcomes: stopped after [\d,]+ in [\d.]+ s$/.test(String(e.msg)))).toMatchObject({ level: 'warn', kind: 'sync' });

      expect(latest).toMatchObject({ status: 'failed', error: all.at(-1)!.msg });
      expect(lockHolder).toBeNull();
    });

    it('announces the admin address once', () => {
      const admin = events(stderr).filter((e) => String(e.msg).includes(`:${port}/admin`));
      expect(admin.map((e) => e.msg)).toEqual([expect.stringMatching(/^Admin pages: http:\/\/\S+\/admin \(health /)]);
    });

    it('says a schema upgrade of an older store as a JSON event at info, like every other line', async () => {
      const newer = Object.keys(await migrationProvider.getMigrations()).filter((name) => name > OLDER).map((name) => name.slice(0, 3));
      expect(events(stderr).find((e) => String(e.msg).startsWith('store schema updated'))).toMatchObject({ level: 'info', msg: `store schema updated: ${newer.join(', ')}` });
    });
  });

  it('LOG_LEVEL=error hides warnings and info', async () => {
    const port = await freePort();
    const cli = serve({ LOG_FORMAT: 'json', LOG_LEVEL: 'error' }, port);
    await until(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.ok === true, 60_000, 'the server to answer');
    cli.child.kill('SIGTERM');
    await cli.exited;
    const all = events(cli.stderr());
    expect(all.filter((e) => e.level !== 'error')).toEqual([]);
    expect(cli.stderr()).not.toContain('LEADLIFT_SESSION_SECRET');
  }, 90_000);

  it('says an ignored DATABASE_URL (the local sandbox) as a JSON event at warn, without its password', async () => {
    const at = newHome();
    // A small saved sandbox, so serve loads it instead of the 41,188-lead demo seed.
    await savedSandboxHome(at, { crm: 'hubspot', seed: seedLeads(30) });
    const port = await freePort();
    const cli = startCli(['serve', '--port', String(port)], newcomerEnv(at, { LOG_FORMAT: 'json', LOG_LEVEL: 'warn', DATABASE_URL: 'postgres://someone:s3cret-pass@127.0.0.1:1/leads' }));
    child = cli.child;
    await until(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.ok === true, 60_000, 'the server to answer');
    cli.child.kill('SIGTERM');
    await cli.exited;
    const all = events(cli.stderr());
    expect(all.find((e) => String(e.msg).startsWith('DATABASE_URL is set but not used'))).toMatchObject({ level: 'warn', msg: expect.stringContaining(join(at, 'sandbox', 'leadlift.db')) });
    expect(cli.stderr()).not.toContain('s3cret-pass');
  }, 90_000);

  it('refuses a LOG_LEVEL it does not know, naming the values (exit 2)', async () => {
    const cli = serve({ LOG_LEVEL: 'verbose' });
    expect(await cli.exited).toBe(2);
    expect(cli.stderr()).toBe('leadlift: Configuration "LOG_LEVEL": must be error, warn, info or debug (it is "verbose")\n');
  }, 30_000);
});

async function until(done: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`no ${what} within ${ms / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
