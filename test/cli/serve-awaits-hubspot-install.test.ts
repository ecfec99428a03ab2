import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { newcomerEnv, startCli, stopLeftOver } from './cli-child.js';
import { freePort } from '../free-port.js';

const home = mkdtempSync(join(tmpdir(), 'leadlift-await-install-'));
let child: ChildProcess | null = null;
afterEach(async () => {
  await stopLeftOver(child);
  child = null;
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('leadlift serve with a HubSpot OAuth app not installed yet', () => {
  const app = { HUBSPOT_CLIENT_ID: 'app-id', HUBSPOT_CLIENT_SECRET: 'app-secret-never-printed', LEADLIFT_SECRET_KEY: randomBytes(32).toString('base64') };

  it('starts anyway (its install page is how HubSpot gets connected) and says where to connect it; `run` still refuses, naming serve', async () => {
    const port = await freePort();
    const cli = startCli(['serve', '--port', String(port)], newcomerEnv(home, { ...app, LEADLIFT_ADMIN_USER: 'admin', LEADLIFT_ADMIN_PASSWORD: 'correct horse battery', LOG_FORMAT: 'text' }));
    child = cli.child;
    await cli.waitFor(/Scheduler running/, 60_000, 'the scheduler line');
    expect(cli.stderr()).toContain(`HubSpot is not connected yet: open http://localhost:${port}/install and choose "Connect HubSpot"`);
    expect(cli.stderr()).not.toContain('app-secret-never-printed');
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);

    const run = startCli(['run'], newcomerEnv(home, app));
    child = run.child;
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toMatch(/no HubSpot tokens yet: run `npx leadlift serve` and connect HubSpot from its install page/);
  });
});
