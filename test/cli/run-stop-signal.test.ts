import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.js';
import { savedSandboxHome } from '../sandbox/saved-sandbox-home.js';
import { newcomerEnv, startCli, stopLeftOver } from './cli-child.js';

// A fresh sandbox with the whole demo seed, for the stop mid-sync: only a sync that long (over the
// heartbeat's 10 s) says a count before it ends. The stops after the sync (training, the lock taken
// over, serve) share a saved sandbox of every 10th demo lead, which syncs in seconds and still
// trains for seconds (two forest fits), so a signal sent at "Training model: started" lands in
// the fit; the whole seed took a minute to sync before each of them reached training.
const fresh = mkdtempSync(join(tmpdir(), 'leadlift-run-stop-'));
const saved = mkdtempSync(join(tmpdir(), 'leadlift-run-stop-saved-'));
let home = fresh;
let child: ChildProcess | null = null;

beforeAll(() => savedSandboxHome(saved, { crm: 'hubspot' }));
afterEach(async () => {
  await stopLeftOver(child);
  child = null;
});
afterAll(() => {
  rmSync(fresh, { recursive: true, force: true });
  rmSync(saved, { recursive: true, force: true });
});

async function inStore<T>(read: (store: Awaited<ReturnType<typeof openStore>>) => Promise<T>): Promise<T> {
  const store = await openStore({ home: join(home, 'sandbox'), databaseUrl: '' });
  try {
    return await read(store);
  } finally {
    await store.close();
  }
}

const cycles = () => inStore((store) => store.runs.list({ kind: 'cycle' }));
const lockHolder = () => inStore((store) => store.runLock.holder('cycle:hubspot'));

function run() {
  const cli = startCli(['run'], newcomerEnv(home));
  child = cli.child;
  return cli;
}

describe('leadlift run stopped by a signal mid-cycle', () => {
  it('SIGINT during the sync: one line says what was kept, exit 130, the run failed with that reason, lock and store released', async () => {
    home = fresh;
    const cli = run();
    // A heartbeat line with a count: some pages are stored by then.
    await cli.waitFor(/Syncing leads and outcomes: [\d,]+ so far/, 150_000, 'a sync progress line');
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(130);
    const stopped = /leadlift: (Stopped by SIGINT after syncing [\d,]+ records \(leads and outcomes\); what was synced is kept and the next run resumes from there\.)\n/.exec(cli.stderr());
    expect(stopped, cli.stderr()).not.toBeNull();
    expect(cli.stderr()).not.toContain('unexpected failure');
    expect(cli.stderr()).toMatch(/Syncing leads and outcomes: stopped after [\d,]+ in /);
    const [latest] = await cycles();
    expect(latest).toMatchObject({ status: 'failed', error: stopped![1] });
    expect(latest.finishedAt).not.toBeNull();
    expect(await lockHolder()).toBeNull();
    expect(existsSync(join(home, 'sandbox.lock'))).toBe(false);
  }, 180_000);

  it('SIGTERM during training: stops after the fit under way, exit 143, says the sync is kept', async () => {
    home = saved;
    const cli = run();
    await cli.waitFor(/Training model: started/, 150_000, 'training to start');
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(143);
    expect(cli.stderr()).toMatch(/leadlift: Stopped by SIGTERM while training, after syncing [\d,]+ leads and [\d,]+ outcomes; what was synced is kept and the next run resumes from there\.\n/);
    // The step the stop cut short is not reported as finished.
    expect(cli.stderr()).toMatch(/Training model: stopped after /);
    expect(cli.stderr()).not.toMatch(/Training model: finished/);
    const [latest] = await cycles();
    expect(latest.status).toBe('failed');
    expect(latest.error).toMatch(/^Stopped by SIGTERM while training/);
    expect(await lockHolder()).toBeNull();
  }, 180_000);

  it('a second signal exits at once; the next run takes the dead process’s lock over and closes its run as interrupted', async () => {
    home = saved;
    const first = run();
    await first.waitFor(/Training model: started/, 150_000, 'training to start');
    first.child.kill('SIGTERM');
    await first.waitFor(/SIGTERM received/, 10_000, 'the stop to be acknowledged');
    const secondSignalAt = Date.now();
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(130);
    // At once: exit 130 is the second signal's (the first, SIGTERM, would have ended in 143 after
    // the fit under way); the bound only keeps a hang from passing on a loaded machine.
    expect(Date.now() - secondSignalAt).toBeLessThan(5000);
    const pid = first.child.pid!;
    const [left] = await cycles();
    expect(left.status).toBe('running');
    expect((await lockHolder())?.owner).toContain(`:${pid}:`);

    const next = run();
    // The cycle lock is taken (and the dead holder's run closed) before the sync starts.
    await next.waitFor(/Syncing leads and outcomes: started/, 60_000, 'the next run to start syncing');
    next.child.kill('SIGINT');
    expect(await next.exited).toBe(130);
    const closed = (await cycles()).find((r) => r.id === left.id)!;
    expect(closed.status).toBe('failed');
    expect(closed.finishedAt).not.toBeNull();
    expect(closed.error).toContain(`interrupted: the process running it (pid ${pid}`);
    expect(await inStore((store) => store.runs.list({ crm: 'hubspot', limit: 500 }))).not.toContainEqual(expect.objectContaining({ status: 'running' }));
    expect(await lockHolder()).toBeNull();
  }, 240_000);
});

describe('leadlift serve stopped during its first cycle', () => {
  it('stops the cycle, closes the server and the sandbox, exit 130, and never starts the scheduler', async () => {
    home = saved;
    // The text log (the plain lines `run` writes); LOG_FORMAT=json is serve-log-format.test.ts's.
    const cli = startCli(['serve', '--port', '0'], newcomerEnv(home, { LOG_FORMAT: 'text' }));
    child = cli.child;
    await cli.waitFor(/Syncing leads and outcomes: started/, 90_000, 'the first cycle to start syncing');
    cli.child.kill('SIGINT');
    // Exits by itself: neither the HTTP server nor the sandbox's worker keeps it alive.
    expect(await cli.exited).toBe(130);
    expect(cli.stderr()).toMatch(/leadlift: Stopped by SIGINT (after|while)[^\n]*the next run resumes from there\.\n/);
    expect(cli.stderr()).not.toMatch(/the first cycle failed/i);
    expect(cli.stderr()).not.toContain('Scheduler running');
    expect((await cycles())[0].status).toBe('failed');
    expect(await lockHolder()).toBeNull();
    expect(existsSync(join(home, 'sandbox.lock'))).toBe(false);
  }, 120_000);
});
