import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { Tier } from '../../src/config/tiers.js';
import { readCsvFile } from '../../src/features/read-csv.js';
import { loadModel } from '../../src/model/bundle.js';
import { scoreInChunks } from '../../src/scoring/score-in-chunks.js';
import { useCliWorkspace } from './synthetic-leads.js';

const TIERS: Tier[] = [
  { name: 'Call today', perDay: 7 },
  { name: 'Warm', min: 50 },
  { name: 'Cold', min: 0 },
];

const ws = useCliWorkspace('leadlift-score-capacity-');
let modelPath = '';

beforeAll(() => {
  modelPath = join(ws.dir, 'model.json');
  const t = ws.run(['train', '--input', ws.csv, '--label', 'converted', '--order', 'created', '--exclude', 'id', '--output', modelPath]);
  expect(t.status, t.stderr).toBe(0);
});

describe('leadlift score with a "top N leads a day" tier', () => {
  // The 600-row file in chunks of 100 stands for a file of several 10,000-row chunks.
  function scored(chunk: number, rankWithinFile = false) {
    const { model } = loadModel(modelPath);
    const table = readCsvFile(ws.csv);
    const dataset = model.pipeline.datasetFrom(table);
    const now = Date.UTC(2024, 6, 1);
    const settings = { tiers: TIERS, reasons: { for: 2, against: 2 }, scale: 'rank' as const };
    return scoreInChunks(model, table.rowCount, (rows) => model.pipeline.transform(dataset, { rows, referenceTime: now }), settings, { chunk, rankWithinFile });
  }

  for (const rankWithinFile of [false, true]) {
    it(`takes the N best of the whole file, not of each chunk${rankWithinFile ? ' (--rank-within-file)' : ''}`, () => {
      const chunked = scored(100, rankWithinFile);
      expect(chunked).toHaveLength(600);
      const bestFirst = chunked.map((s, row) => ({ row, p: s.probability })).sort((a, b) => b.p - a.p || a.row - b.row);
      const inTier = chunked.flatMap((s, row) => (s.tier === 'Call today' ? [row] : []));
      expect(inTier).toEqual(bestFirst.slice(0, 7).map((l) => l.row).sort((a, b) => a - b));
      // Chunking changes nothing a lead is given.
      const whole = scored(600, rankWithinFile);
      expect(chunked.map((s) => [s.probability, s.score, s.tier])).toEqual(whole.map((s) => [s.probability, s.score, s.tier]));
      for (const [row, s] of chunked.entries()) if (s.tier !== 'Call today') expect(s.tier, `row ${row}`).toBe(s.score >= 50 ? 'Warm' : 'Cold');
    });
  }

  it('the command writes N leads in the tier', () => {
    const config = join(ws.dir, 'capacity-config.json');
    writeFileSync(config, JSON.stringify({ model: { trees: 30, threads: 1 }, tiers: TIERS }));
    expect(loadConfig({ env: { LEADLIFT_CONFIG: config } }).tiers).toEqual(TIERS);
    const output = join(ws.dir, 'capacity-scored.csv');
    const r = ws.run(['score', '--input', ws.csv, '--model', modelPath, '--output', output], { ...ws.env, LEADLIFT_CONFIG: config });
    expect(r.status, r.stderr).toBe(0);
    const records = parse(readFileSync(output, 'utf8'), { columns: true }) as Array<Record<string, string>>;
    expect(records.filter((rec) => rec.leadlift_tier === 'Call today')).toHaveLength(7);
  });
});
