import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { useCliWorkspace } from './synthetic-leads.js';

const ws = useCliWorkspace('leadlift-score-');
let model = '';
let header = '';
let rows: string[] = [];

/** Writes the given data lines under the synthetic file's header and returns the path. */
function leadsFile(name: string, lines: string[], head = header): string {
  const path = join(ws.dir, name);
  writeFileSync(path, `${[head, ...lines].join('\n')}\n`);
  return path;
}

/** Scores a file and returns id -> written score columns. */
function scoreFile(input: string, extra: string[] = []): Map<string, { probability: string; score: number; tier: string }> {
  const output = `${input}.scored.csv`;
  const r = ws.run(['score', '--input', input, '--model', model, '--output', output, ...extra]);
  expect(r.status, r.stderr).toBe(0);
  const records = parse(readFileSync(output, 'utf8'), { columns: true }) as Array<Record<string, string>>;
  return new Map(records.map((rec) => [rec.id, { probability: rec.leadlift_probability, score: Number(rec.leadlift_score), tier: rec.leadlift_tier }]));
}

beforeAll(() => {
  model = join(ws.dir, 'model.json');
  const t = ws.run(['train', '--input', ws.csv, '--label', 'converted', '--order', 'created', '--exclude', 'id', '--output', model]);
  expect(t.status, t.stderr).toBe(0);
  [header, ...rows] = readFileSync(ws.csv, 'utf8').trim().split('\n');
});

describe('leadlift score: what a score means', () => {
  /** Five leads of the newest rows with distinct probabilities, so a within-file ranking has no ties. */
  function fiveDistinctLeads(all: ReturnType<typeof scoreFile>): string[] {
    const seen = new Set<string>();
    const picked: string[] = [];
    for (const line of rows.slice(-100)) {
      const p = all.get(line.split(',')[0])!.probability;
      if (seen.has(p)) continue;
      seen.add(p);
      picked.push(line);
      if (picked.length === 5) break;
    }
    expect(picked).toHaveLength(5);
    return picked;
  }

  // The whole file scored once, read by both tests below (each CLI run costs a start-up).
  let whole: ReturnType<typeof scoreFile> | undefined;
  const wholeFile = () => (whole ??= scoreFile(ws.csv));

  it('gives a lead the same score alone, in a five-row file and in the whole file', () => {
    const all = wholeFile();
    const five = fiveDistinctLeads(all);
    const inFive = scoreFile(leadsFile('five.csv', five));
    for (const line of five) {
      const id = line.split(',')[0];
      const alone = scoreFile(leadsFile(`alone-${id}.csv`, [line])).get(id)!;
      expect(alone.score).toBe(all.get(id)!.score);
      expect(inFive.get(id)!.score).toBe(all.get(id)!.score);
      expect(alone.tier).toBe(all.get(id)!.tier);
    }
  });

  it('--rank-within-file ranks each lead among the file rows', () => {
    const five = fiveDistinctLeads(wholeFile());
    const inFive = scoreFile(leadsFile('five-ranked.csv', five), ['--rank-within-file']);
    // Five distinct leads stand at 10, 30, 50, 70 and 90 percent of their own file, in probability order.
    const byProbability = [...inFive.values()].sort((a, b) => Number(a.probability) - Number(b.probability));
    expect(byProbability.map((s) => s.score)).toEqual([10, 30, 50, 70, 90]);
    const id = five[0].split(',')[0];
    expect(scoreFile(leadsFile('alone-ranked.csv', [five[0]]), ['--rank-within-file']).get(id)!.score).toBe(50);
  });

  it('--help says what the score means', () => {
    const r = ws.run(['score', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--rank-within-file');
    expect(r.stdout).toContain('never on the other rows of the file');
  });
});

describe('leadlift score: output separator', () => {
  it('writes a ;-separated file back with ; when the separator was detected', () => {
    const input = leadsFile('semicolon.csv', rows.slice(0, 20).map((l) => l.replaceAll(',', ';')), header.replaceAll(',', ';'));
    const output = join(ws.dir, 'semicolon-scored.csv');
    const r = ws.run(['score', '--input', input, '--model', model, '--output', output]);
    expect(r.status, r.stderr).toBe(0);
    const written = parse(readFileSync(output, 'utf8'), { delimiter: ';' }) as string[][];
    expect(written[0]).toEqual([...header.split(','), 'leadlift_probability', 'leadlift_score', 'leadlift_tier', 'leadlift_reasons']);
    expect(written).toHaveLength(21);
    for (const record of written) expect(record).toHaveLength(10);
  });
});

describe('leadlift score: model input columns missing from the file', () => {
  // One of the three inputs: a file lacking most of them is refused (score-foreign-file.test.ts).
  const dropped = ['country'];
  function withoutColumns(name: string): string {
    const keep = header.split(',').map((c, i) => (dropped.includes(c) ? -1 : i)).filter((i) => i >= 0);
    const pick = (line: string) => keep.map((i) => line.split(',')[i]).join(',');
    return leadsFile(name, rows.slice(0, 30).map(pick), pick(header));
  }

  it('warns on stderr naming every absent input column, and still scores', () => {
    const output = join(ws.dir, 'dropped-scored.csv');
    const r = ws.run(['score', '--input', withoutColumns('dropped.csv'), '--model', model, '--output', output]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: .*lacks 1 of the model's input columns: "country"/);
    expect(readFileSync(output, 'utf8').trim().split('\n')).toHaveLength(31);
  });

  it('--strict refuses such a file with exit 2 and writes nothing', () => {
    const output = join(ws.dir, 'strict-scored.csv');
    const r = ws.run(['score', '--input', withoutColumns('strict.csv'), '--model', model, '--output', output, '--strict']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('"country"');
    expect(existsSync(output)).toBe(false);
  });

  it('says nothing when every input column is there', () => {
    const input = leadsFile('complete.csv', rows.slice(0, 10));
    const r = ws.run(['score', '--input', input, '--model', model, '--output', `${input}.out`, '--strict']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('warning');
  });
});

describe('leadlift score: where the output goes', () => {
  it('exits 2 saying the folder does not exist, before scoring', () => {
    const output = join(ws.dir, 'no-such-folder', 'o.csv');
    const r = ws.run(['score', '--input', ws.csv, '--model', model, '--output', output]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`Cannot write ${output}: the folder ${join(ws.dir, 'no-such-folder')} does not exist`);
    expect(r.stderr).not.toContain('Scoring');
  });

  it('exits 2 when --output names a folder', () => {
    const r = ws.run(['score', '--input', ws.csv, '--model', model, '--output', ws.dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`Cannot write ${ws.dir}: it is a folder, not a file`);
  });

  it('refuses an --output that is the --input file, however spelled, and leaves the input as it was', () => {
    const input = leadsFile('same.csv', rows.slice(0, 10));
    const before = readFileSync(input, 'utf8');
    const spelled = join(ws.dir, '.', 'x', '..', 'same.csv');
    mkdirSync(join(ws.dir, 'x'), { recursive: true });
    const r = ws.run(['score', '--input', input, '--model', model, '--output', spelled]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('is the --input file');
    expect(r.stderr).toContain('Pick another --output file');
    expect(readFileSync(input, 'utf8')).toBe(before);
  });
});
