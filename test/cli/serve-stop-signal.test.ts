import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newcomerEnv, startCli, stopLeftOver } from './cli-child.js';
import { savedSandboxHome } from '../sandbox/saved-sandbox-home.js';

let home: string;
let child: ChildProcess | null = null;

beforeEach(async () => {
  home = mkdtempSync(join(tmpdir(), 'leadlift-serve-stop-'));
  // A tenth of the demo history: the stop under test comes after the first cycle, whatever its size.
  await savedSandboxHome(home);
});
afterEach(async () => {
  await stopLeftOver(child);
  child = null;
  rmSync(home, { recursive: true, force: true });
});

describe('leadlift serve stopped the moment it says the scheduler is running', () => {
  it('closes cleanly on SIGTERM: exit code 0, the stop message, the sandbox lock gone', async () => {
    const serve = startCli(['serve', '--port', '0'], newcomerEnv(home));
    child = serve.child;
    await serve.waitFor(/Scheduler running .*\n/, 180_000, 'a "Scheduler running" line');
    expect(existsSync(join(home, 'sandbox.lock'))).toBe(true);
    // It restarted from the saved sandbox, as a newcomer's second serve does, rather than seeding.
    expect(serve.stderr()).not.toContain('Seeding the local sandbox');
    serve.child.kill('SIGTERM');
    expect(await serve.exited).toBe(0);
    expect(serve.stderr()).toContain('Stopping: waiting for the cycle under way, if any');
    // The last word, so an admin knows it finished rather than hung.
    expect(serve.stderr().trim().split('\n').at(-1)).toContain('Stopped: no cycle was under way, so nothing was cut short.');
    expect(existsSync(join(home, 'sandbox.lock'))).toBe(false);
  }, 210_000);
});
