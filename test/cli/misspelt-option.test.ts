import { describe, expect, it } from 'vitest';
import { useCliWorkspace } from './synthetic-leads.js';

const ws = useCliWorkspace('leadlift-misspelt-option-');

describe('a misspelt option is named, with the closest real one', () => {
  it('evaluate --lable names --lable and suggests --label, not "--label not specified"', () => {
    const r = ws.run(['evaluate', '--input', ws.csv, '--lable', 'converted']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("error: unknown option '--lable'");
    expect(r.stderr).toContain('(Did you mean --label?)');
    expect(r.stderr).not.toContain('not specified');
    expect(r.stderr.trim().split('\n').at(-1)).toBe('see `leadlift evaluate --help`');
  });

  it('score --moddel likewise; an option that is simply absent is still named as required', () => {
    const typo = ws.run(['score', '--input', ws.csv, '--moddel', 'm.json', '--output', 'out.csv']);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toContain("error: unknown option '--moddel'\n(Did you mean --model?)");
    const absent = ws.run(['train', '--input', ws.csv, '--label', 'converted']);
    expect(absent.status).toBe(2);
    expect(absent.stderr).toContain("error: required option '--output <file>' not specified");
  });
});
