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

const home = mkdtempSync(join(tmpdir(), 'leadlift-first-cycle-each-'));
let sandbox: RunningSandbox;
let child: ChildProcess | null = null;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, crm: 'both', seed: seedLeads(40) });
});
afterAll(async () => {
  await stopLeftOver(child);
  await sandbox?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('`serve` with two CRMs, one whose cycle another instance is running', () => {
  it('skips that CRM’s first cycle only: the other CRM’s first cycle runs and is reported', async () => {
    // HubSpot's cycle comes first; another machine's instance holds its lock.
    const store = await openStore({ home, databaseUrl: '' });
    expect(await store.runLock.acquire(cycleLockName('hubspot'), 'app-1.internal:4242:first-instance', 10 * 60_000)).toBe(true);
    await store.close();

    const config = join(home, 'config.json');
    writeFileSync(config, JSON.stringify({ model: { trees: 10 }, loop: { schedule: { sync: '0 2 1 1 *', retrain: '0 3 1 1 *' } } }));
    const env = newcomerEnv(home, {
      HUBSPOT_BASE_URL: sandbox.url,
      HUBSPOT_ACCESS_TOKEN: sandbox.token,
      SALESFORCE_INSTANCE_URL: sandbox.url,
      SALESFORCE_ACCESS_TOKEN: sandbox.token,
      LOG_FORMAT: 'text',
      LEADLIFT_CONFIG: config,
    });
    const cli = startCli(['serve', '--port', '0'], env);
    child = cli.child;
    let stdout = '';
    cli.child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    await cli.waitFor(/Scheduler running/, 60_000, 'the scheduler line');
    const stderr = cli.stderr();
    expect(stderr).toMatch(/ INFO +hubspot cycle skipped: another instance \(pid 4242 on host app-1\.internal, since [^)]+\) holds the hubspot cycle lock/);
    // Salesforce's cycle ran after it, and its summary is the first cycle's table.
    expect(stderr).toMatch(/Syncing leads and outcomes: started crm=salesforce/);
    expect(stdout).toMatch(/salesforce/);
    expect(stdout).not.toMatch(/hubspot/);
    expect(stderr).not.toMatch(/ ERROR /);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);

    const again = await openStore({ home, databaseUrl: '' });
    try {
      const [salesforce] = await again.runs.list({ kind: 'cycle', crm: 'salesforce' });
      expect(salesforce).toMatchObject({ status: 'ok' });
      const [hubspot] = await again.runs.list({ kind: 'cycle', crm: 'hubspot' });
      expect(hubspot).toMatchObject({ status: 'skipped' });
    } finally {
      await again.close();
    }
  }, 90_000);
});
