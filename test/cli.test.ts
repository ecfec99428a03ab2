import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../src/cli/leadlift.mjs', import.meta.url));

describe('leadlift CLI', () => {
  // One `--help` run read by both tests that check it: each spawn costs a CLI start-up.
  let help = '';
  beforeAll(() => {
    help = execFileSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
  });

  it('prints help with its name', () => {
    expect(help).toContain('Usage: leadlift');
  });

  it('prints the package.json version with --version and -V', () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    for (const flag of ['--version', '-V']) {
      const r = spawnSync(process.execPath, [bin, flag], { encoding: 'utf8' });
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(`${version}\n`);
    }
    expect(help).toContain('-V, --version');
  });

  it('exits 2 on an unknown subcommand', () => {
    const r = spawnSync(process.execPath, [bin, 'no-such-command'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown command|too many arguments/i);
  });
});
