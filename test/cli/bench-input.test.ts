import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { leadliftBin } from './cli-child.js';

const dir = mkdtempSync(join(tmpdir(), 'leadlift-bench-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bench = (input: string) => spawnSync(process.execPath, [leadliftBin, 'bench', '--quick', '--input', input], { encoding: 'utf8', cwd: dir });

describe('leadlift bench --input a file that is not there', () => {
  it('stops at once with exit 2, naming the file, before any measurement starts', () => {
    const r = bench('missing.csv');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('leadlift bench --input: cannot read missing.csv: file not found');
    expect(r.stderr).not.toContain('skipping');
    expect(r.stderr).not.toMatch(/^bench: /m);
    expect(r.stdout).toBe('');
  });
});
