import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useCliWorkspace } from './synthetic-leads.js';

const ws = useCliWorkspace('leadlift-unreadable-');

describe('values a column\'s type cannot read are named, not silently missing', () => {
  it('evaluate warns about a column forced numeric that holds text: column, count, an example', () => {
    const config = join(ws.dir, 'forced.json');
    writeFileSync(config, JSON.stringify({ model: { trees: 30, threads: 1 }, features: { types: { country: 'numeric' } } }));
    const r = ws.run(['evaluate', '--input', ws.csv, '--label', 'converted', '--exclude', 'id,created', '--json'], { ...ws.env, LEADLIFT_CONFIG: config });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: column "country" is numeric, but 600 of its values cannot be read as numbers \(e\.g\. "(PT|ES)"\); they count as missing: fix them in the file, or change features\.types/);
    expect(JSON.parse(r.stdout).normalisation.columns.find((c: { column: string }) => c.column === 'country').unreadable.count).toBe(600);
  });

  it('score warns about unreadable numbers in new leads, and reads "1,200" as twelve hundred', () => {
    const model = join(ws.dir, 'model.json');
    const train = ws.run(['train', '--input', ws.csv, '--label', 'converted', '--exclude', 'id,created', '--output', model]);
    expect(train.status, train.stderr).toBe(0);
    const [header, ...rows] = readFileSync(ws.csv, 'utf8').trim().split('\n');
    const visits = header.split(',').indexOf('visits');
    const fresh = rows.slice(0, 20).map((line, i) => {
      const cells = line.split(',');
      cells[visits] = i < 3 ? 'many' : i === 3 ? '"1,200"' : cells[visits];
      return cells.join(',');
    });
    const input = join(ws.dir, 'new.csv');
    writeFileSync(input, `${[header, ...fresh].join('\n')}\n`);
    const r = ws.run(['score', '--input', input, '--model', model, '--output', join(ws.dir, 'scored.csv')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`warning: ${input}: column "visits" is numeric, but 3 of its values cannot be read as numbers (e.g. "many"); they count as missing`);
  });
});
