import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loopProgress } from '../../src/cli/loop-progress.js';
import { pipe } from './pipe-stream.js';
import { freePort } from '../free-port.js';
import { leadliftBin, newcomerEnv } from './cli-child.js';

describe('a step that does not finish never reads "finished"', () => {
  it('ends the step under way as failed or stopped, with what it had done, once', () => {
    const out = pipe();
    let ms = 0;
    const bars = loopProgress('', { stream: out.stream, now: () => ms });
    bars.listener('sync', 0, null);
    ms += 88_100;
    bars.fail('failed');
    bars.fail('failed');
    bars.done();
    const stopped = loopProgress('salesforce: ', { stream: out.stream, now: () => ms });
    stopped.listener('sync', 0, null);
    stopped.listener('sync', 1200, null);
    stopped.listener('train', 0, 1);
    ms += 3000;
    stopped.fail('stopped');
    // Writes still in flight when the stop came report after it: no new bar opens.
    stopped.listener('push', 600, 1237);
    stopped.listener('push', 800, 1237);
    expect(out.lines).toEqual([
      'Syncing leads and outcomes: started',
      'Syncing leads and outcomes: failed after 0 in 88.1 s',
      'salesforce: Syncing leads and outcomes: started',
      'salesforce: Syncing leads and outcomes: finished, 1,200 in 0.0 s (n/a)',
      'salesforce: Training model: started',
      'salesforce: Training model: stopped after 3.0 s',
    ]);
  });
});

const home = mkdtempSync(join(tmpdir(), 'leadlift-unreachable-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('leadlift run against a CRM address where nothing listens', () => {
  it('fails within seconds, the sync ended as failed, then the reason', async () => {
    const port = await freePort();

    const started = Date.now();
    const r = spawnSync(process.execPath, [leadliftBin, 'run', '--crm', 'hubspot'], {
      encoding: 'utf8',
      env: newcomerEnv(home, { HUBSPOT_ACCESS_TOKEN: 'pat-test', HUBSPOT_BASE_URL: `http://127.0.0.1:${port}` }),
      timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(1);
    // Start-up included; the retries alone would take 15 s and more.
    expect(Date.now() - started).toBeLessThan(12_000);
    expect(r.stderr).toMatch(/^Syncing leads and outcomes: started\nSyncing leads and outcomes: failed after 0 in \d+\.\d s\nleadlift: HubSpot could not be reached while [^\n]*ECONNREFUSED[^\n]*\n$/);
    expect(r.stderr).not.toContain('finished');
  }, 60_000);
});
