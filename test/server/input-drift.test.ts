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

describe('the input drift card in plain words', () => {
  const pipeline = fitted();
  const trainingLike = Array.from({ length: 42 }, (_, i) => ({ visits: i <= 20 ? String(i) : null, source: i % 2 ? 'a' : 'b' }));
  const summary = (card: string) => /<p[^>]* id="input-drift-summary">(.*?)<\/p>/s.exec(card)?.[1].replace(/<\/?strong>/g, '').replace(/&#39;/g, "'");

  it('says which fields moved and what to do, before the PSI figures, which stay in the table', () => {
    const drift = driftOfColumns(pipeline, openLeads(pipeline, Array.from({ length: 40 }, (_, i) => ({ visits: i % 2 ? '30' : null, source: 'a' }))));
    const card = inputDriftCard({ modelVersion: 'v1', ...drift }).value;
    const labels = drift.columns.map((c) => c.label).join(', ');
    expect(summary(card)).toBe(`Today's open leads look very different from the leads the model learnt from in 2 fields: ${labels}. Its scores on these leads are less reliable than the figures above suggest: retrain or check the data source.`);
    expect(summary(card)).not.toMatch(/PSI|Stability/);
    expect(card.indexOf('id="input-drift-summary"')).toBeLessThan(card.indexOf('id="input-drift-table"'));
    expect(card).toContain(`<td class="num">${drift.columns[0].psi.toFixed(3)}</td>`);
    expect(card).toMatch(/id="input-drift-method">How it is measured: .*Population Stability Index \(PSI\): below 0\.1 stable/s);
  });

  it('says so when today\'s leads look like the training leads', () => {
    const drift = driftOfColumns(pipeline, openLeads(pipeline, trainingLike));
    expect(drift.columns.every((c) => c.reading === 'stable')).toBe(true);
    expect(summary(inputDriftCard({ modelVersion: 'v1', ...drift }).value)).toBe("Today's open leads look like the leads the model learnt from: no field has moved much.");
  });

  it('calls a moderate shift worth watching, naming the first three fields and counting the rest', () => {
    const column = (label: string, psi: number) => ({ column: label.toLowerCase(), label, type: 'numeric' as const, psi, reading: 'moderate' as const, outsideRange: 0 });
    const columns = [column('Age', 0.2), column('Visits', 0.18), column('Pages', 0.15), column('Country', 0.12), column('Source', 0.11)];
    const card = inputDriftCard({ modelVersion: 'v1', openLeads: 100, columns, categoricalWithoutShares: 0, notCompared: [] }).value;
    expect(summary(card)).toBe("Today's open leads have changed somewhat in 5 fields (Age, Visits, Pages and 2 more) since the model learnt. Worth watching; nothing to do yet.");
    expect(card).not.toContain('role="status"');
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
