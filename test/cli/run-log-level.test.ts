import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { leadliftBin, newcomerEnv } from './cli-child.js';

const home = mkdtempSync(join(tmpdir(), 'leadlift-run-log-level-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

// `run` logs in plain lines, not through serve's log, and took any LOG_LEVEL: a typo in the .env
// that serve shares passed unseen there, and a whole cycle ran against the sandbox.
describe('leadlift run with a LOG_LEVEL that is no level', () => {
  it('exits 2 naming LOG_LEVEL, its value and the levels allowed, before any store or sandbox is made', () => {
    const r = spawnSync(process.execPath, [leadliftBin, 'run'], { encoding: 'utf8', env: newcomerEnv(home, { LOG_LEVEL: 'verbose' }), timeout: 60_000 });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain('Configuration "LOG_LEVEL": must be error, warn, info or debug (it is "verbose")');
    expect(r.stderr).not.toContain('sandbox');
    expect(readdirSync(home)).toEqual([]);
  });
});
