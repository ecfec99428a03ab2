import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useCliWorkspace } from './synthetic-leads.js';

const ws = useCliWorkspace('leadlift-train-notes-');

/** Leads whose outcome is a smooth sum of three numbers: a one-split forest loses to the logistic baseline. */
function linearLeads(path: string): void {
  let s = 99;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const lines = ['created,a,b,c,converted'];
  for (let i = 0; i < 800; i++) {
    const [a, b, c] = [rnd() * 10, rnd() * 10, rnd() * 10];
    const logit = -3 + 0.3 * a + 0.3 * b + 0.3 * c;
    lines.push(`${new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString()},${a.toFixed(2)},${b.toFixed(2)},${c.toFixed(2)},${rnd() < 1 / (1 + Math.exp(-logit)) ? 'yes' : 'no'}`);
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

describe('what train says besides the figures', () => {
  it('lists the columns the model went without and why, as evaluate does', () => {
    const input = join(ws.dir, 'with-identifiers.csv');
    const [header, ...rows] = readFileSync(ws.csv, 'utf8').trim().split('\n');
    writeFileSync(input, `${[`${header},First Name,won_at`, ...rows.map((l, i) => `${l},${['Ann', 'Bob'][i % 2]},${l.endsWith(',yes') ? '2024-09-01' : ''}`)].join('\n')}\n`);
    const r = ws.run(['train', '--input', input, '--label', 'converted', '--order', 'created', '--output', join(ws.dir, 'm.json')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('Not used as input');
    expect(r.stdout).toMatch(/│ id +│ record identifier: its header names a record id/);
    expect(r.stdout).toMatch(/│ First Name +│ personal identifier: a person's name/);
    expect(r.stdout).toMatch(/│ won_at +│ single-feature AUC 1\.00 > 0\.90/);
  });

  it('train and evaluate both warn, alike, when the model loses to the baseline', () => {
    const input = join(ws.dir, 'linear.csv');
    linearLeads(input);
    const config = join(ws.dir, 'stump.json');
    writeFileSync(config, JSON.stringify({ model: { trees: 1, maxDepth: 1, threads: 1, blend: { linearWeight: 0 } } }));
    const env = { ...ws.env, LEADLIFT_CONFIG: config };
    const args = ['--input', input, '--label', 'converted', '--order', 'created'];
    const e = ws.run(['evaluate', ...args, '--json'], env);
    expect(e.status, e.stderr).toBe(0);
    const report = JSON.parse(e.stdout);
    expect(report.auc).toBeLessThan(report.baseline.auc);
    const warning = `leadlift: warning: the model's AUC ${report.auc.toFixed(3)} is below the logistic-regression baseline's ${report.baseline.auc.toFixed(3)} on the same test leads`;
    expect(e.stderr).toContain(warning);
    const t = ws.run(['train', ...args, '--output', join(ws.dir, 'stump-model.json')], env);
    expect(t.status, t.stderr).toBe(0);
    expect(t.stderr).toContain(warning);
  });
});
