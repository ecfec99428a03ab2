import { describe, expect, it } from 'vitest';
import { useCliWorkspace } from './synthetic-leads.js';

const ws = useCliWorkspace('leadlift-help-');

describe('--help texts', () => {
  it('say defaults in words, not as commander prints raw values', () => {
    for (const command of ['evaluate', 'train', 'sandbox']) {
      const r = ws.run([command, '--help']);
      expect(r.status).toBe(0);
      expect(r.stdout, command).not.toMatch(/\(default: (\[\]|"[^"]*")\)/);
    }
    const sandbox = ws.run(['sandbox', '--help']).stdout;
    expect(sandbox).toContain('default 4010');
    expect(sandbox).toMatch(/both\s+\(default both\)/);
    expect(ws.run(['evaluate', '--help']).stdout).toMatch(/\(default: none beyond config\s+features\.exclude\)/);
  });

  it('mark the options a command cannot run without as required, and only those', () => {
    const score = ws.run(['score', '--help']).stdout.replace(/\s+/g, ' ');
    expect(score).toContain('--input <file> CSV file of leads to score (required)');
    expect(score).toContain('--model <file> model file written by `leadlift train --output` (required)');
    expect(score).toMatch(/--output <file> CSV file to write: .* line endings \(required\)/);
    expect(score).not.toMatch(/--sep <char>[^-]*\(required\)/);
    const train = ws.run(['train', '--help']).stdout.replace(/\s+/g, ' ');
    for (const flag of ['--input <file> CSV file of past leads, one row per lead (required)', '--label <column> column holding the outcome (converted or not) (required)', '--output <file> where to write the model (JSON) (required)']) expect(train).toContain(flag);
    expect(train.match(/\(required\)/g)).toHaveLength(3);
  });

  it('bench --help says its defaults in words, and start --help the ports and the login it uses', () => {
    const bench = ws.run(['bench', '--help']).stdout;
    expect(bench).not.toMatch(/\(default: (false|"[^"]*")\)/);
    expect(bench).toContain('(default: 120 seconds)');
    expect(bench.replace(/\s+/g, ' ')).toContain('(default: ../shared/data/bank-marketing/bank-additional-full.csv)');
    const start = ws.run(['start', '--help']).stdout.replace(/\s+/g, ' ');
    expect(start).toContain('PORT for the admin pages (default 3000), LEADLIFT_SANDBOX_PORT for the sandbox (default 4010); 0 = any free port.');
    expect(start).toContain('LEADLIFT_ADMIN_USER and LEADLIFT_ADMIN_PASSWORD');
    const serve = ws.run(['serve', '--help']).stdout.replace(/\s+/g, ' ');
    expect(serve).toContain('LEADLIFT_SANDBOX_PORT for the local sandbox serve starts when no CRM is configured (default any free port); 0 = any free port.');
  });

  it('forget --help is wrapped and says which store it uses plainly', () => {
    const r = ws.run(['forget', '--help']);
    expect(r.status).toBe(0);
    for (const line of r.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(100);
    expect(r.stdout).not.toContain('CRM configured DATABASE_URL');
    expect(r.stdout).toContain('the database DATABASE_URL names');
  });

  it('forget --help and prune --help state when they stop with exit 2: no CRM setting, no sandbox store, and a CRM store or DATABASE_URL', () => {
    for (const command of ['forget', 'prune']) {
      const help = ws.run([command, '--help']).stdout.replace(/\s+/g, ' ');
      expect(help, command).toContain('With no CRM setting and no sandbox store yet (LEADLIFT_HOME/sandbox/leadlift.db), it stops with exit 2');
      expect(help, command).toContain("when LEADLIFT_HOME/leadlift.db exists (a configured CRM's store) or when DATABASE_URL is set (a PostgreSQL deployment)");
    }
  });
});
