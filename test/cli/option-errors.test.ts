import { describe, expect, it } from 'vitest';
import { useCliWorkspace } from './synthetic-leads.js';

const ws = useCliWorkspace('leadlift-option-errors-');

describe('option errors: the message, then one line pointing to the help', () => {
  it('--test-fraction 0 says the share must be above 0 and below 1', () => {
    const r = ws.run(['evaluate', '--input', ws.csv, '--label', 'converted', '--test-fraction', '0']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--test-fraction must be a number above 0 and below 1');
    expect(r.stderr.trim().split('\n').at(-1)).toBe('see `leadlift evaluate --help`');
    expect(r.stderr).not.toContain('Options:');
  });

  it('points each command to its own help, and the program to its', () => {
    const score = ws.run(['score', '--input', ws.csv]);
    expect(score.status).toBe(2);
    expect(score.stderr).toContain("error: required options '--model <file>' and '--output <file>' not specified");
    expect(score.stderr).toContain('see `leadlift score --help`');
    expect(score.stderr).not.toContain('Usage:');
    const train = ws.run(['train', '--input', ws.csv, '--label', 'converted', '--output', 'x.json', '--engine', 'slow']);
    expect(train.stderr).toContain('see `leadlift train --help`');
    const unknown = ws.run(['nosuch']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('see `leadlift --help`');
    expect(unknown.stderr).not.toContain('Usage:');
  });
});
