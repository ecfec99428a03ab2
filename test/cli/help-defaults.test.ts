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

  it('forget --help is wrapped and says which store it uses plainly', () => {
    const r = ws.run(['forget', '--help']);
    expect(r.status).toBe(0);
    for (const line of r.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(100);
    expect(r.stdout).not.toContain('CRM configured DATABASE_URL');
    expect(r.stdout).toContain('the database DATABASE_URL names');
  });
});
