import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSyntheticLeads } from './synthetic-leads.js';

const bin = fileURLToPath(new URL('../../src/cli/leadlift.mjs', import.meta.url));
let dir: string;
let csv: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'leadlift-train-'));
  csv = join(dir, 'leads.csv');
  writeSyntheticLeads(csv);
  const config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({ model: { trees: 30, threads: 1 } }));
  env = { ...process.env, LEADLIFT_CONFIG: config };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env });

describe('leadlift train and score', () => {
  it('train saves a model that score uses to write probability, score, tier and reasons per row', () => {
    const model = join(dir, 'model.json');
    const out = join(dir, 'scored.csv');
    const t = run(['train', '--input', csv, '--label', 'converted', '--order', 'created', '--exclude', 'id', '--output', model]);
    expect(t.status, t.stderr).toBe(0);
    const bundle = JSON.parse(readFileSync(model, 'utf8'));
    expect(bundle.format).toBe('leadlift-model');
    expect(bundle.training.rows).toBe(600);
    expect(bundle.training.orderColumn).toBe('created');
    expect(bundle.evaluation.test).toBe(120);
    const s = run(['score', '--input', csv, '--model', model, '--output', out]);
    expect(s.status, s.stderr).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(601);
    expect(lines[0]).toBe('id,created,source,visits,country,converted,leadlift_probability,leadlift_score,leadlift_tier,leadlift_reasons');
    expect(lines[1]).toMatch(/^L0,/);
    expect(lines.slice(1).some((l) => /[+-]\d+ [A-Z]/.test(l))).toBe(true);
  });
});
