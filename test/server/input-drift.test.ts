import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDataset } from '../../src/features/build-dataset.js';
import { parseDatasetOptions } from '../../src/features/options.js';
import { FeaturePipeline } from '../../src/features/pipeline.js';
import { tableFromRecords } from '../../src/features/raw-table.js';
import { driftOfColumns } from '../../src/server/input-drift.js';
import { inputDriftCard } from '../../src/server/views/input-drift-card.js';
import { withoutShares } from '../features/without-shares.js';
import { Session, startServerFixture, type ServerFixture } from './server-fixture.js';

const options = parseDatasetOptions({ rarePooling: { minCount: 1 } });

/** 42 training leads: visits 0..20 once each then 21 without a value; source half "a", half "b". */
function fitted(): FeaturePipeline {
  const rows = Array.from({ length: 42 }, (_, i) => ({ visits: i <= 20 ? String(i) : null, source: i % 2 ? 'a' : 'b' }));
  const y = Uint8Array.from(rows, (_, i) => i % 3 === 0 ? 1 : 0);
  return new FeaturePipeline(options).fit(buildDataset(tableFromRecords(rows), options), rows.map((_, i) => i), y, { columns: ['visits', 'source'] });
}

function openLeads(pipeline: FeaturePipeline, rows: Array<Record<string, string | null>>) {
  return pipeline.transform(pipeline.datasetFrom(tableFromRecords(rows)));
}

describe('input drift per column', () => {
  const pipeline = fitted();
  // Half the open leads above the training maximum, half without a value; all of source "a".
  const shifted = Array.from({ length: 40 }, (_, i) => ({ visits: i % 2 ? '30' : null, source: 'a' }));

  it('compares numeric bins and the missing share, and categories, against training (known answers)', () => {
    const drift = driftOfColumns(pipeline, openLeads(pipeline, shifted));
    expect(drift.openLeads).toBe(40);
    expect(drift.categoricalWithoutShares).toBe(0);
    // visits: 20 bins of 2.5% each empty, missing 50% as in training, 50% above a bin expected empty:
    // 20 (1e-4 - 0.025) ln(1e-4 / 0.025) + (0.5 - 1e-4) ln(0.5 / 1e-4)
    const [visits, source] = drift.columns;
    expect(visits).toMatchObject({ column: 'visits', type: 'numeric', reading: 'major', outsideRange: 0.5 });
    expect(visits.psi).toBeCloseTo(7.007432, 5);
    // source: a 50% -> 100%, b 50% -> 0%: 0.5 ln 2 + (1e-4 - 0.5) ln(1e-4 / 0.5)
    expect(source).toMatchObject({ column: 'source', type: 'categorical', reading: 'major', outsideRange: null });
    expect(source.psi).toBeCloseTo(4.604319, 5);
  });

  it('finds no shift in open leads spread like the training leads', () => {
    const alike = Array.from({ length: 40 }, (_, i) => ({ visits: i < 20 ? String(i + 1) : null, source: i % 2 ? 'a' : 'b' }));
    const drift = driftOfColumns(pipeline, openLeads(pipeline, alike));
    expect(drift.columns.map((c) => [c.column, c.psi, c.reading, c.outsideRange])).toEqual([
      ['source', 0, 'stable', null],
      ['visits', 0, 'stable', 0],
    ]);
  });

  it('compares an older model without the shares on the values it can: numeric present values only, no categories', () => {
    const old = FeaturePipeline.fromJSON(withoutShares(pipeline));
    const drift = driftOfColumns(old, openLeads(old, shifted));
    expect(drift.categoricalWithoutShares).toBe(1);
    expect(drift.columns.map((c) => c.column)).toEqual(['visits']);
    // Every present value above the range: 20 (1e-4 - 0.05) ln(1e-4 / 0.05) + (1 - 1e-4) ln(1 / 1e-4)
    expect(drift.columns[0].psi).toBeCloseTo(15.411598, 5);
    const card = inputDriftCard({ modelVersion: 'v-old', ...drift }).value;
    expect(card).toContain('1 field with categories not compared');
    expect(card).toContain('1 field compared');
  });
});

describe('model page of the bank demo', () => {
  let fx: ServerFixture;
  beforeAll(async () => {
    fx = await startServerFixture();
  });
  afterAll(async () => {
    await fx?.close();
  });

  it('shows the input drift card with the macro-economic columns as major shifts beyond the training range', async () => {
    const s = new Session(fx.url);
    await s.login();
    const page = await (await s.request('/admin/model')).text();
    const card = /<section class="card" id="input-drift">(.*?)<\/section>/s.exec(page)?.[1];
    expect(card).toBeDefined();
    const rows = [...card!.matchAll(/<tr data-column="([^"]+)">(.*?)<\/tr>/gs)].map(([, column, cells]) => {
      const [psi, outside] = [...cells.matchAll(/<td class="num">([^<]*)<\/td>/g)].map((m) => m[1]);
      return { column, psi: Number(psi), major: cells.includes('major shift'), outside };
    });
    expect(rows.length).toBeLessThanOrEqual(10);
    expect(rows.map((r) => r.psi)).toEqual([...rows.map((r) => r.psi)].sort((a, b) => b - a));
    for (const column of ['euribor3m', 'nr_employed']) {
      const row = rows.find((r) => r.column === column);
      expect(row, column).toBeDefined();
      expect(row!.major).toBe(true);
      expect(row!.psi).toBeGreaterThan(0.25);
      expect(Number.parseFloat(row!.outside)).toBeGreaterThan(0);
    }
    expect(card).toMatch(/retrain or check the data source/);
    expect(card).toMatch(/The 10 largest shifts of \d+ fields compared/);
  });

  it('still renders the page for a model saved before the training shares were kept, comparing its numeric columns', async () => {
    const active = (await fx.store.models.active('hubspot'))!;
    const bundle = JSON.parse(JSON.stringify(active.bundle));
    bundle.features = withoutShares(bundle.features);
    const { version, engine, trainedFrom, trainedTo, metrics } = active;
    await fx.store.models.save({ crm: 'hubspot', version: `${version}-old`, engine, trainedFrom, trainedTo, metrics, bundle });
    await fx.store.models.promote('hubspot', `${version}-old`);
    const s = new Session(fx.url);
    await s.login();
    const res = await s.request('/admin/model');
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('id="models"');
    const card = /<section class="card" id="input-drift">(.*?)<\/section>/s.exec(page)![1];
    expect(card).toContain('<tr data-column="euribor3m">');
    expect(card).not.toContain('<tr data-column="month">');
    expect(card).toMatch(/\d+ fields with categories not compared/);
  });
});
