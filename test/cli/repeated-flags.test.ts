import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { leadliftBin, newcomerEnv } from './cli-child.js';

const env = newcomerEnv(mkdtempSync(join(tmpdir(), 'leadlift-repeated-')));
// Each case also ends without the refusal (the last value is bad, or a file is absent): a
// sandbox that started instead would run until the timeout.
const cli = (args: string[]) => spawnSync(process.execPath, [leadliftBin, ...args], { encoding: 'utf8', env, timeout: 20_000 });

// Commander kept the last of a repeated flag: `--label y --label z` trained on "z" without a word.
describe('a flag that takes one value, given twice', () => {
  it.each([
    [['evaluate', '--input', 'leads.csv', '--label', 'y', '--label', 'z'], 'error: --label was given twice (y, z): give it once', 'evaluate'],
    [['train', '--input', 'a.csv', '--input=b.csv', '--label', 'y', '--output', 'm.json'], 'error: --input was given twice (a.csv, b.csv): give it once', 'train'],
    [['sandbox', '--port', '0', '--port', 'abc'], 'error: --port was given twice (0, abc): give it once', 'sandbox'],
  ])('is refused, exit 2, naming both values: %j', (args, line, command) => {
    const r = cli(args);
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n').slice(0, 2)).toEqual([line, `see \`leadlift ${command} --help\``]);
  });

  it('never repeats a secret it refuses', () => {
    const r = cli(['sandbox', '--token', 'first-secret-token', '--token', 'secret']);
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('error: --token was given twice: give it once');
    expect(r.stderr).not.toContain('secret');
  });

  it('leaves the flags meant to repeat, and on/off flags, alone (--help then exits 0)', () => {
    for (const args of [
      ['evaluate', '--positive', 'yes', '--positive', 'TRUE', '--exclude', 'a', '--exclude', 'b,c', '--json', '--json', '--help'],
      ['forget', '--lead', '101', '--lead', '102', '--help'],
    ]) {
      const r = cli(args);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    }
  });
});
