import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../connectors/sandbox/server.js';
import { cycleLockName } from '../../src/jobs/cycle.js';
import { openStore } from '../../src/store/store.js';
import { seedLeads } from '../sandbox/helpers.js';
import { newcomerEnv, startCli, stopLeftOver } from './cli-child.js';

const home = mkdtempSync(join(tmpdir(), 'leadlift-second-instance-'));
let sandbox: RunningSandbox;
let child: ChildProcess | null = null;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, crm: 'hubspot', seed: seedLeads(30) });
});
afterAll(async () => {
  await stopLeftOver(child);
  await sandbox?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('a second `serve` on a store whose cycle another instance is running', () => {
  it('says its first cycle was skipped for that instance, at info level and without "failed", and keeps serving', async () => {
    // The first instance, on another machine: its lock is not taken over before it expires.
    const store = await openStore({ home, databaseUrl: '' });
    expect(await store.runLock.acquire(cycleLockName('hubspot'), 'app-1.internal:4242:first-instance', 10 * 60_000)).toBe(true);
    const since = (await store.runLock.holder(cycleLockName('hubspot')))!.acquiredAt;
    await store.close();

    // A sync every 2 s, so a scheduled cycle meets the same lock soon.
    const config = join(home, 'config.json');
    writeFileSync(config, JSON.stringify({ loop: { schedule: { sync: '*/2 * * * * *', retrain: '0 2 1 1 *' } } }));
    const cli = startCli(['serve', '--port', '0'], newcomerEnv(home, { HUBSPOT_BASE_URL: sandbox.url, HUBSPOT_ACCESS_TOKEN: sandbox.token, LOG_FORMAT: 'text', LEADLIFT_CONFIG: config }));
    child = cli.child;
    await cli.waitFor(/Scheduler running/, 60_000, 'the scheduler line');
    const words = `another instance (pid 4242 on host app-1.internal, since ${since}) holds the hubspot cycle lock; this one keeps serving, and its schedule runs the next cycle that finds the lock free`;
    // One log event at info level (LOG_FORMAT=text: "time LEVEL message fields"); the log names
    // itself, so no "leadlift: " in the message.
    const line = cli.stderr().split('\n').find((l) => l.includes('hubspot cycle skipped'));
    expect(line).toMatch(/^\S+ INFO +hubspot cycle skipped: /);
    expect(line).toContain(`hubspot cycle skipped: ${words} crm=hubspot`);
    // A scheduled cycle that meets the lock says it in the same words, with its kind.
    await cli.waitFor(/sync cycle skipped/, 30_000, 'a scheduled cycle to be skipped');
    const scheduled = cli.stderr().split('\n').find((l) => l.includes('hubspot sync cycle skipped'));
    expect(scheduled).toMatch(/^\S+ INFO +hubspot sync cycle skipped: /);
    expect(scheduled).toContain(`hubspot sync cycle skipped: ${words} crm=hubspot kind=sync`);
    expect(cli.stderr()).not.toMatch(/failed/i);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);

    const again = await openStore({ home, databaseUrl: '' });
    try {
      const [run] = await again.runs.list({ kind: 'cycle', crm: 'hubspot' });
      expect(run).toMatchObject({ status: 'skipped', error: `another hubspot cycle is running (pid 4242 on host app-1.internal, since ${since}); this one was skipped` });
    } finally {
      await again.close();
    }
  }, 90_000);
});
