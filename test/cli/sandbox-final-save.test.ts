import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SeedLead } from '../../connectors/sandbox/context.js';
import { newcomerEnv, startCli, stopLeftOver } from './cli-child.js';
import { loadDemoSeed } from '../../src/jobs/local-sandbox.js';
import { savedSandboxHome } from '../sandbox/saved-sandbox-home.js';

const sample = fileURLToPath(new URL('../../config/sample/bank-marketing-sample.csv', import.meta.url));
let seed: SeedLead[];
let home: string;
let child: ChildProcess | null = null;

// Every 2nd lead of the demo sample (1,030, as many as every 40th of the whole demo seed, read
// without parsing its 41,188 rows): enough history for a cycle that trains and writes (the point
// here is its end). Read once; each test gets its own saved sandbox of it.
beforeAll(async () => {
  seed = await loadDemoSeed({ file: sample, every: 2 });
});
beforeEach(async () => {
  home = mkdtempSync(join(tmpdir(), 'leadlift-final-save-'));
  await savedSandboxHome(home, { crm: 'hubspot', seed });
});
afterEach(async () => {
  await stopLeftOver(child);
  child = null;
  rmSync(home, { recursive: true, force: true });
});

/**
 * Once the sandbox has loaded its state file, a directory takes the file's place: the final save
 * cannot rename onto it, as a full disk or a removed folder would stop it too.
 */
function blockTheStateFile(): string {
  const stateFile = join(home, 'sandbox', 'state.json');
  rmSync(stateFile);
  mkdirSync(stateFile);
  writeFileSync(join(stateFile, 'keep'), '');
  return stateFile;
}

describe('the local sandbox cannot save what a command wrote to it', () => {
  it('run: the cycle\'s table is printed, then the failed save is the error, exit 1, the lock released', async () => {
    const run = startCli(['run'], newcomerEnv(home));
    child = run.child;
    let stdout = '';
    run.child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    await run.waitFor(/No CRM configured: using a local sandbox/, 60_000, 'the local sandbox line');
    const stateFile = blockTheStateFile();
    expect(await run.exited).toBe(1);
    expect(stdout).toMatch(/hubspot/);
    expect(stdout).toMatch(/Written to the CRM\s*│\s*[1-9]/);
    expect(run.stderr()).toContain(`leadlift: Could not save the sandbox state to ${stateFile}`);
    expect(run.stderr()).toContain('the sandbox is stopping, so a restart from that file will not have it');
    expect(run.stderr()).not.toContain('warning: Could not save');
    expect(existsSync(join(home, 'sandbox.lock'))).toBe(false);
  }, 120_000);

  it('serve stopped while idle: exit 1 with the failed save, where a clean stop exits 0', async () => {
    const serve = startCli(['serve', '--port', '0'], newcomerEnv(home, { LOG_FORMAT: 'text' }));
    child = serve.child;
    await serve.waitFor(/Scheduler running .*\n/, 120_000, 'a "Scheduler running" line');
    const stateFile = blockTheStateFile();
    serve.child.kill('SIGTERM');
    expect(await serve.exited).toBe(1);
    expect(serve.stderr()).toContain('Stopping: waiting for the cycle under way, if any');
    expect(serve.stderr()).toContain(`Could not save the sandbox state to ${stateFile}`);
    expect(existsSync(join(home, 'sandbox.lock'))).toBe(false);
  }, 150_000);
});
