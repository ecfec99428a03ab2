import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useCliWorkspace } from './synthetic-leads.js';

const ws = useCliWorkspace('leadlift-foreign-');
let model = '';

beforeAll(() => {
  model = join(ws.dir, 'model.json');
  const t = ws.run(['train', '--input', ws.csv, '--label', 'converted', '--order', 'created', '--exclude', 'id', '--output', model]);
  expect(t.status, t.stderr).toBe(0);
});

/** The synthetic rows with only `keep` of their columns. */
function leadsWith(name: string, keep: string[]): string {
  const [header, ...rows] = readFileSync(ws.csv, 'utf8').trim().split('\n');
  const names = header.split(',');
  const at = keep.map((c) => names.indexOf(c));
  const path = join(ws.dir, name);
  writeFileSync(path, `${[keep.join(','), ...rows.slice(0, 20).map((l) => at.map((i) => l.split(',')[i]).join(','))].join('\n')}\n`);
  return path;
}

describe('leadlift score: a file for another model', () => {
  it('refuses (exit 2) a file with none of the model inputs, even without --strict, naming what is there and what is not', () => {
    const input = join(ws.dir, 'other.csv');
    writeFileSync(input, 'age,job,month\n30,admin,may\n41,services,jun\n');
    const output = join(ws.dir, 'other-scored.csv');
    const r = ws.run(['score', '--input', input, '--model', model, '--output', output]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${input} looks like it is for another model: it has 0 of the model's 3 input columns (present: none; missing: "source", "visits", "country")`);
    expect(existsSync(output)).toBe(false);
  });

  it('refuses one that lacks most of them', () => {
    const r = ws.run(['score', '--input', leadsWith('most.csv', ['id', 'created', 'source']), '--model', model, '--output', join(ws.dir, 'most-scored.csv')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('it has 1 of the model\'s 3 input columns (present: "source"; missing: "visits", "country")');
  });

  it('still scores, with a warning, one that lacks a few', () => {
    const r = ws.run(['score', '--input', leadsWith('few.csv', ['id', 'created', 'source', 'visits']), '--model', model, '--output', join(ws.dir, 'few-scored.csv')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: .*lacks 1 of the model's input columns: "country"/);
  });
});
