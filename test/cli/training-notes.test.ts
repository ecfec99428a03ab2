import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useCliWorkspace } from './synthetic-leads.js';

const ws = useCliWorkspace('leadlift-notes-');

/** The workspace's leads with each data line rewritten (header kept). */
function variant(name: string, rewrite: (lines: string[]) => string[]): string {
  const [header, ...rows] = readFileSync(ws.csv, 'utf8').trim().split('\n');
  const path = join(ws.dir, name);
  writeFileSync(path, `${[header, ...rewrite(rows)].join('\n')}\n`);
  return path;
}
const relabel = (line: string, label: string) => line.replace(/,(yes|no)$/, `,${label}`);
const yes = ['Yes', 'TRUE', '1'];
const no = ['No', 'FALSE', '0'];
const mixed = () => variant('mixed.csv', (rows) => rows.map((l, i) => relabel(l, (l.endsWith(',yes') ? yes : no)[i % 3])));
const positives = (lines: string[]) => lines.filter((l) => l.endsWith(',yes')).length;

describe('evaluate and train say how they read the file', () => {
  it('counts every converted spelling of a mixed label, and says which values counted', () => {
    const file = mixed();
    const r = ws.run(['evaluate', '--input', file, '--label', 'converted', '--order', 'created', '--exclude', 'id', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    const testLines = readFileSync(ws.csv, 'utf8').trim().split('\n').slice(1).slice(-report.test);
    expect(report.positiveRateTest).toBeCloseTo(positives(testLines) / report.test, 4);
    expect(report.positiveValues.sort()).toEqual(['1', 'TRUE', 'Yes']);
    expect(report.negativeValues.sort()).toEqual(['0', 'FALSE', 'No']);
    expect(r.stderr).toMatch(/note: in the label column "converted", .*"TRUE".* count as converted and .*"FALSE".* as not converted/);

    // Several --positive values, comma-separated or repeated, give the same reading.
    for (const flags of [['--positive', 'Yes,TRUE,1'], ['--positive', 'Yes', '--positive', 'TRUE', '--positive', '1']]) {
      const again = ws.run(['evaluate', '--input', file, '--label', 'converted', '--order', 'created', '--exclude', 'id', '--json', ...flags]);
      expect(again.status, again.stderr).toBe(0);
      expect(JSON.parse(again.stdout).positiveRateTest).toBe(report.positiveRateTest);
    }
  });

  it('warns when a file without --order runs newest first, in evaluate and train', () => {
    const file = variant('newest-first.csv', (rows) => [...rows].reverse());
    const r = ws.run(['evaluate', '--input', file, '--label', 'converted', '--exclude', 'id']);
    expect(r.status, r.stderr).toBe(0);
    const hint = 'but "created" runs newest first down the file';
    expect(r.stderr).toContain(hint);
    expect(r.stderr).toContain('Pass --order "created"');
    expect(r.stdout.startsWith('CAUTION: no --order was given')).toBe(true);

    const train = ws.run(['train', '--input', file, '--label', 'converted', '--exclude', 'id', '--output', join(ws.dir, 'nf.json')]);
    expect(train.status, train.stderr).toBe(0);
    expect(train.stderr).toContain(hint);

    // In file order (oldest first), or with --order, nothing to say.
    const fine = ws.run(['evaluate', '--input', ws.csv, '--label', 'converted', '--exclude', 'id', '--json']);
    expect(fine.stderr).not.toContain('newest first');
    const ordered = ws.run(['evaluate', '--input', file, '--label', 'converted', '--order', 'created', '--exclude', 'id', '--json']);
    expect(ordered.stderr).not.toContain('newest first');
  });

  it('counts the rows left out for having no outcome, in the table and the JSON', () => {
    const file = variant('unlabelled.csv', (rows) => rows.map((l, i) => (i % 5 === 4 ? l.replace(/,(yes|no)$/, ',') : l)));
    const json = ws.run(['evaluate', '--input', file, '--label', 'converted', '--exclude', 'id,created', '--json']);
    expect(json.status, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.unlabelledRows).toBe(120);
    expect(report.train + report.test + report.unlabelledRows).toBe(report.rows);
    expect(json.stderr).toContain('120 rows with no outcome left out');
    const table = ws.run(['evaluate', '--input', file, '--label', 'converted', '--exclude', 'id,created']);
    // On the Leads line, so its parts add up to the file's rows.
    expect(table.stdout).toMatch(/Leads\s+│ 600 \(train \d+ older, test \d+ newest; 120 rows with no outcome left out\)/);
  });

  it('shows what normalisation changed: in the tables of evaluate and train, and under "normalisation" in --json', () => {
    const json = ws.run(['evaluate', '--input', ws.csv, '--label', 'converted', '--exclude', 'id,created', '--json']);
    const source = JSON.parse(json.stdout).normalisation.columns.find((c: { column: string }) => c.column === 'source');
    // "web " is trimmed into "web", "Web" folded into "web".
    expect(source.type).toBe('categorical');
    expect(source.caseFolded).toBeGreaterThan(0);
    const visits = JSON.parse(json.stdout).normalisation.columns.find((c: { column: string }) => c.column === 'visits');
    expect(visits.placeholdersAsMissing['']).toBeGreaterThan(0);

    const table = ws.run(['evaluate', '--input', ws.csv, '--label', 'converted', '--exclude', 'id,created']);
    expect(table.stdout).toContain('What was normalised');
    expect(table.stdout).toMatch(/│ visits\s+│ numeric\s+│ placeholders read as missing: empty x\d+/);
    expect(table.stdout).toMatch(/│ source\s+│ categorical\s+│ \d+ cells trimmed\/case-folded/);

    const train = ws.run(['train', '--input', ws.csv, '--label', 'converted', '--exclude', 'id,created', '--output', join(ws.dir, 'm.json')]);
    expect(train.status, train.stderr).toBe(0);
    expect(train.stdout).toContain('What was normalised');
  });
});
