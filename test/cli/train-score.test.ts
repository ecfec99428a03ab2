import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
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
});
