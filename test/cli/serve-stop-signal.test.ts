import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../src/cli/leadlift.mjs', import.meta.url));

let home: string;
let child: ChildProcess | null = null;

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'leadlift-serve-stop-'));
});
afterEach(async () => {
  // A child left running by a failed test is stopped here, not left behind.
  if (child && child.exitCode === null && child.signalCode === null) {
    const gone = new Promise<void>((resolve) => child!.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await gone;
  }
  child = null;
  rmSync(home, { recursive: true, force: true });
});

/** A newcomer's environment (no CRM settings: the local sandbox), in a folder of its own. */
function childEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(HUBSPOT|SALESFORCE)_|^DATABASE_URL$|^PORT$|^LEADLIFT_/.test(key)));
  return { ...env, LEADLIFT_HOME: home };
}

describe('leadlift serve stopped the moment it says the scheduler is running', () => {
  it('closes cleanly on SIGTERM: exit code 0, the stop message, the sandbox lock gone', async () => {
    const serve = spawn(process.execPath, [bin, 'serve', '--port', '0'], { env: childEnv() });
    child = serve;
    let stderr = '';
    const exited = new Promise<number | string | null>((resolve) => serve.once('exit', (code, signal) => resolve(code ?? signal)));
    // Bounded below the test timeout, so a serve that never gets there fails with what it did say.
    let timer: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        serve.stderr!.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          if (/Scheduler running .*\n/.test(stderr)) resolve();
        });
        serve.once('exit', (code, signal) => reject(new Error(`exited (${code ?? signal}) before the scheduler ran: ${stderr}`)));
        timer = setTimeout(() => reject(new Error(`no "Scheduler running" line within 90 s; stderr so far: ${stderr || '(nothing)'}`)), 90_000);
      });
    } finally {
      clearTimeout(timer);
    }
    expect(existsSync(join(home, 'sandbox.lock'))).toBe(true);
    serve.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toContain('Stopping: waiting for the cycle under way, if any');
    expect(existsSync(join(home, 'sandbox.lock'))).toBe(false);
  }, 120_000);
});
