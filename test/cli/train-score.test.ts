import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useCliWorkspace } from './synthetic-leads.js';

const ws = useCliWorkspace('leadlift-train-');

describe('leadlift train and score', () => {
  it('train saves a model that score uses to write probability, score, tier and reasons per row', () => {
    const model = join(ws.dir, 'model.json');
    const out = join(ws.dir, 'scored.ws.csv');
    const t = ws.run(['train', '--input', ws.csv, '--label', 'converted', '--order', 'created', '--exclude', 'id', '--output', model]);
    expect(t.status, t.stderr).toBe(0);
    const bundle = JSON.parse(readFileSync(model, 'utf8'));
    expect(bundle.format).toBe('leadlift-model');
    expect(bundle.training.rows).toBe(600);
    expect(bundle.training.orderColumn).toBe('created');
    expect(bundle.evaluation.test).toBe(120);
    // The summary gives the measured figures as evaluate does (AUC to 3 places, lift to 2).
    expect(t.stdout).toContain(`Measured on the newest 120 leads before: AUC ${bundle.evaluation.auc.toFixed(3)}, top-decile lift ${bundle.evaluation.liftTopDecile.toFixed(2)} (baseline AUC ${bundle.evaluation.baseline.auc.toFixed(3)})`);
    const s = ws.run(['score', '--input', ws.csv, '--model', model, '--output', out]);
    expect(s.status, s.stderr).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(601);
    expect(lines[0]).toBe('id,created,source,visits,country,converted,leadlift_probability,leadlift_score,leadlift_tier,leadlift_reasons');
    expect(lines[1]).toMatch(/^L0,/);
    expect(lines.slice(1).some((l) => /[+-]\d+ [A-Z]/.test(l))).toBe(true);
  });

  it('score closes each lead\'s reasons with the unlisted factors\' line as the loop does, so every row adds up to one typical lead', () => {
    const model = join(ws.dir, 'model-others.json');
    const out = join(ws.dir, 'scored-others.csv');
    // One reason each way listed, the rest in the closing line whenever it is not 0.
    const config = join(ws.dir, 'config-others.json');
    writeFileSync(config, JSON.stringify({ model: { trees: 30, threads: 1 }, reasons: { for: 1, against: 1, others: 0 } }));
    const env = { ...ws.env, LEADLIFT_CONFIG: config };
    expect(ws.run(['train', '--input', ws.csv, '--label', 'converted', '--order', 'created', '--exclude', 'id', '--output', model], env).status).toBe(0);
    const s = ws.run(['score', '--input', ws.csv, '--model', model, '--output', out, '--raw-cells'], env);
    expect(s.status, s.stderr).toBe(0);
    const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Array<Record<string, string>>;
    const bases = new Set<number>();
    let closed = 0;
    for (const row of rows) {
      const reasons = row.leadlift_reasons.split('; ').filter(Boolean);
      if (reasons.at(-1)?.endsWith(' Other factors together')) closed += 1;
      bases.add(Number(row.leadlift_score) - reasons.reduce((t, r) => t + Number(r.split(' ')[0]), 0));
    }
    expect(closed).toBeGreaterThan(rows.length / 2);
    // Score minus the listed points is the same typical lead's score on every row.
    expect(bases.size).toBe(1);
  });
});
