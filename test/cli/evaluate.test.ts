import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useCliWorkspace, writeSyntheticLeads } from './synthetic-leads.js';

const ws = useCliWorkspace('leadlift-cli-');

const contractKeys = [
  'rows', 'train', 'test', 'positiveRateTest', 'auc', 'prAuc', 'logLoss', 'brier', 'ece', 'liftTopDecile',
  'trainSeconds', 'scoreSeconds', 'engine', 'features', 'excluded', 'tiers', 'baseline',
];
// Keys added after the contract (it allows additions, never renames or removals).
const addedKeys = ['positiveValues', 'negativeValues', 'unlabelledRows', 'normalisation'];

describe('leadlift evaluate', () => {
  // A 299-lead file, and its evaluation without --json, read by the caution test and the tables
  // test alike: each CLI run costs a start-up.
  let small = '';
  let human: ReturnType<typeof ws.run> | undefined;
  const smallFile = () => (small ||= (writeSyntheticLeads(join(ws.dir, 'small.csv'), 299), join(ws.dir, 'small.csv')));
  const humanReport = () => (human ??= ws.run(['evaluate', '--input', smallFile(), '--label', 'converted', '--exclude', 'id,created']));

  it('--json prints exactly one JSON object with the contract keys on stdout', () => {
    const r = ws.run(['evaluate', '--input', ws.csv, '--label', 'converted', '--order', 'created', '--exclude', 'id', '--seed', '7', '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report).sort()).toEqual([...contractKeys, ...addedKeys].sort());
    expect(report.rows).toBe(600);
    expect(report.train + report.test).toBe(600);
    expect(report.test).toBe(120);
    expect(report.engine).toBe('fast');
    // The signal is strong (referrals, visits): the model must rank clearly better than chance.
    expect(report.auc).toBeGreaterThan(0.65);
    expect(report.baseline.auc).toBeGreaterThan(0.6);
    expect(Object.keys(report.baseline).sort()).toEqual(['auc', 'liftTopDecile', 'name']);
    expect(report.tiers.map((t: { tier: string }) => t.tier)).toEqual(['Hot', 'Warm', 'Cool', 'Cold']);
    expect(report.tiers.reduce((s: number, t: { leads: number }) => s + t.leads, 0)).toBe(120);
    const excluded = report.excluded.map((e: { column: string }) => e.column);
    expect(excluded).toContain('id');
    expect(excluded).toContain('created');
    for (const e of report.excluded) expect(Object.keys(e).sort()).toEqual(['column', 'reason']);
    // 55 conversions and 65 non-conversions among the 120 test leads: enough, so no caveat.
    // (The baseline warning may show: this synthetic signal is linear, the baseline's home ground.)
    expect(r.stderr).not.toContain('warning: the test part');
  });

  it('warns on stderr, not stdout, when the test part has too few conversions to mean much', () => {
    const r = ws.run(['evaluate', '--input', smallFile(), '--label', 'converted', '--exclude', 'id,created', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report).sort()).toEqual([...contractKeys, ...addedKeys].sort());
    const conversions = Math.round(report.positiveRateTest * report.test);
    expect(conversions).toBeLessThan(40);
    expect(r.stderr).toContain(`warning: the test part (60 newest leads) holds ${conversions} conversions and ${60 - conversions} non-conversions`);
    expect(r.stderr).toMatch(/AUC's 95% interval is 0\.\d\d to (0\.\d\d|1\.00)/);

    const human = humanReport();
    expect(human.status, human.stderr).toBe(0);
    expect(human.stdout.startsWith('CAUTION: the test part (60 newest leads)')).toBe(true);
  });

  it('prints readable tables without --json', () => {
    const r = humanReport();
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/AUC/);
    expect(r.stdout).toMatch(/Hot/);
    expect(() => JSON.parse(r.stdout)).toThrow();
  });

  it('exits 2 naming a missing label column', () => {
    const r = ws.run(['evaluate', '--input', ws.csv, '--label', 'won', '--json']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('"won"');
    expect(r.stdout).toBe('');
  });

  it('exits 2 for a missing input file and for a bad tier config', () => {
    expect(ws.run(['evaluate', '--input', join(ws.dir, 'nope.ws.csv'), '--label', 'converted']).status).toBe(2);
    const bad = join(ws.dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ tiers: [{ name: 'Hot', min: 40 }, { name: 'Warm', min: 60 }, { name: 'Cold', min: 0 }] }));
    const r = ws.run(['evaluate', '--input', ws.csv, '--label', 'converted'], { ...ws.env, LEADLIFT_CONFIG: bad });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('Configuration "tiers[1].min"');
  });

  it('refuses a --test-fraction that leaves too few leads to train or to test on, naming the sizes', () => {
    for (const [share, train, test] of [['0.999', 1, 599], ['1e-9', 599, 1]] as const) {
      const r = ws.run(['evaluate', '--input', ws.csv, '--label', 'converted', '--exclude', 'id,created', '--test-fraction', share, '--json']);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`the test fraction ${share} (--test-fraction`);
      expect(r.stderr).toContain(`600 labelled leads into ${train} older for training and ${test} newest for testing`);
      expect(r.stderr).toContain('Pass a --test-fraction from 0.004 to 0.983');
    }
    // The ends of the range it names are accepted: 10 leads train, 2 test.
    const top = ws.run(['evaluate', '--input', ws.csv, '--label', 'converted', '--exclude', 'id,created', '--test-fraction', '0.983', '--json']);
    expect(top.status, top.stderr).toBe(0);
    expect(JSON.parse(top.stdout)).toMatchObject({ train: 10, test: 590 });
  });

  it('says a header-only file has no data rows, naming the file', () => {
    const empty = join(ws.dir, 'header-only.csv');
    writeFileSync(empty, 'id,created,source,visits,country,converted\n');
    const r = ws.run(['evaluate', '--input', empty, '--label', 'converted']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${empty}: the file has no data rows, only the header`);
    expect(r.stderr).not.toContain('Cannot tell which value');
  });

  it('names the file first when --exclude names a column it lacks, as other input errors do', () => {
    const r = ws.run(['evaluate', '--input', ws.csv, '--label', 'converted', '--exclude', 'nosuch']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`leadlift: ${ws.csv}: cannot exclude "nosuch": there is no such column`);
  });

});
