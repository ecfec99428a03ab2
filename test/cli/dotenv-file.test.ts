import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../src/cli/leadlift.mjs', import.meta.url));
const sample = fileURLToPath(new URL('../../config/sample/bank-marketing-sample.csv', import.meta.url));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'leadlift-dotenv-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** `evaluate` run in `dir`, as an admin runs it from the folder holding their .env. */
function evaluate(env: NodeJS.ProcessEnv = {}) {
  const { LEADLIFT_CONFIG: _ignored, ...parent } = process.env;
  return spawnSync(process.execPath, [bin, 'evaluate', '--input', sample, '--label', 'y', '--positive', 'yes', '--exclude', 'duration', '--json'], {
    cwd: dir,
    env: { ...parent, ...env },
    encoding: 'utf8',
  });
}

describe('.env in the working folder', () => {
  it('is read by every command: a LEADLIFT_CONFIG named there is loaded (here: missing, so refused)', () => {
    writeFileSync(join(dir, '.env'), `# copied from .env.example\nLEADLIFT_CONFIG=${join(dir, 'no-such-config.json')}\n`);
    const r = evaluate();
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no-such-config.json');
  });

  it('gives way to a variable already set in the environment', () => {
    writeFileSync(join(dir, '.env'), `LEADLIFT_CONFIG=${join(dir, 'no-such-config.json')}\n`);
    const config = join(dir, 'mine.json');
    writeFileSync(config, JSON.stringify({ model: { trees: 10 } }));
    const r = evaluate({ LEADLIFT_CONFIG: config });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).auc).toBeGreaterThan(0.5);
  });
});
