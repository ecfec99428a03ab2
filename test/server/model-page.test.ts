import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeaturePipeline } from '../../src/features/pipeline.js';
import { LEAD_OBJECT } from '../../src/jobs/deps.js';
import type { EvaluationReport } from '../../src/model/evaluation/report.js';
import { groupedTopFactors } from '../../src/server/grouped-top-factors.js';
import { DRIFT_CACHE_MS } from '../../src/server/input-drift-cache.js';
import { modelPageData, TOP_FACTORS_SHOWN } from '../../src/server/model-page-data.js';
import { percent } from '../../src/server/views/layout.js';
import { Session, startServerFixture, type ServerFixture } from './server-fixture.js';

const label = (column: string) => column.toUpperCase();

describe('top factors folded like reasons', () => {
  const stored = [
    { column: 'euribor3m', label: 'Euribor', share: 0.3 },
    { column: 'month', label: 'Month', share: 0.2 },
    { column: 'emp_var_rate', label: 'Emp var', share: 0.15 },
    { column: 'nr_employed', label: 'Employed', share: 0.1 },
    { column: 'age', label: 'Age', share: 0.05 },
  ];

  it('names a correlated group by its first column, as reasons do, with the members’ summed share', () => {
    expect(groupedTopFactors(stored, [['emp_var_rate', 'euribor3m', 'nr_employed']], label)).toEqual([
      { column: 'emp_var_rate', label: 'EMP_VAR_RATE', share: 0.55, foldedIn: ['EURIBOR3M', 'NR_EMPLOYED'] },
      { column: 'month', label: 'Month', share: 0.2, foldedIn: [] },
      { column: 'age', label: 'Age', share: 0.05, foldedIn: [] },
    ]);
  });

  it('leaves the stored factors as they are without groups', () => {
    expect(groupedTopFactors(stored, [], label)).toEqual(stored.map((f) => ({ ...f, foldedIn: [] })));
  });
});

describe('model page of the bank demo', () => {
  let fx: ServerFixture;
  let s: Session;
  let firstVersion: string;
  beforeAll(async () => {
    fx = await startServerFixture();
    s = new Session(fx.url);
    await s.login();
    firstVersion = (await fx.store.models.active('hubspot'))!.version;
  });
  afterAll(async () => {
    await fx?.close();
  });

  const page = async () => {
    const res = await s.request('/admin/model');
    expect(res.status).toBe(200);
    return res.text();
  };
  const factorsOn = (html: string) =>
    [.../<ol class="factors" id="top-factors">(.*?)<\/ol>/s.exec(html)![1].matchAll(/<li data-column="([^"]+)">.*?<span class="meter-value">([^<]*)<\/span>/gs)].map(([, column, share]) => ({ column, share }));

  it('shows the macro-economic columns the model grouped as one top factor with their combined share', async () => {
    const active = (await fx.store.models.active('hubspot'))!;
    const groups = FeaturePipeline.fromJSON((active.bundle as { features: unknown }).features).reasonGroups;
    const macro = groups.find((g) => g.includes('euribor3m'));
    expect(macro, 'the bank data’s Euribor rate moves with other columns').toBeDefined();
    const stored = (active.metrics as Partial<EvaluationReport>).curves!.topFactors;
    const members = stored.filter((f) => macro!.includes(f.column));
    expect(members.length).toBeGreaterThan(1);
    const combined = members.reduce((sum, f) => sum + f.share, 0);

    const data = await modelPageData(fx.store, 'hubspot');
    const entries = data.topFactors.filter((f) => macro!.includes(f.column));
    expect(entries).toHaveLength(1);
    expect(entries[0].column).toBe(macro![0]);
    expect(entries[0].share).toBeCloseTo(combined, 4);
    expect(stored.length, 'training stores every column, not only the top ten').toBeGreaterThan(TOP_FACTORS_SHOWN);
    expect(data.topFactors).toHaveLength(Math.min(TOP_FACTORS_SHOWN, stored.length - members.length + 1));

    const shown = factorsOn(await page());
    expect(shown.filter((f) => macro!.includes(f.column))).toEqual([{ column: macro![0], share: percent(entries[0].share) }]);
  });

  it('lists an ungrouped model’s stored top factors unchanged', async () => {
    const active = (await fx.store.models.active('hubspot'))!;
    const bundle = JSON.parse(JSON.stringify(active.bundle));
    delete bundle.features.reasonGroups;
    const { version, engine, trainedFrom, trainedTo, metrics } = active;
    await fx.store.models.save({ crm: 'hubspot', version: `${version}-ungrouped`, engine, trainedFrom, trainedTo, metrics, bundle });
    await fx.store.models.promote('hubspot', `${version}-ungrouped`);
    const stored = (metrics as Partial<EvaluationReport>).curves!.topFactors;
    expect(factorsOn(await page())).toEqual(stored.slice(0, TOP_FACTORS_SHOWN).map((f) => ({ column: f.column, share: percent(f.share) })));
  });

  it('computes the input drift once for repeated views, again for another active model', async () => {
    const cache = fx.deps.driftCache;
    await page();
    const before = cache.computations;
    const first = await page();
    const second = await page();
    expect(cache.computations).toBe(before);
    const card = (html: string) => /<section class="card" id="input-drift">(.*?)<\/section>/s.exec(html)![1];
    expect(card(second)).toBe(card(first));

    await fx.store.models.promote('hubspot', firstVersion);
    expect(card(await page())).toContain(`<code>${firstVersion}</code>`);
    expect(cache.computations).toBe(before + 1);
    await page();
    expect(cache.computations).toBe(before + 1);
  });

  it('computes it again after a sync stored changed leads', async () => {
    const cache = fx.deps.driftCache;
    await page();
    const before = cache.computations;
    const [lead] = await fx.store.records.listOpen('hubspot', LEAD_OBJECT, { limit: 1 });
    await fx.hubspot.crm.contacts.basicApi.update(lead.id, { properties: { age: '97' } });
    const rescored = await fx.deps.loop.rescore('hubspot');
    expect(rescored).not.toBeNull();
    expect((await fx.store.records.get('hubspot', LEAD_OBJECT, lead.id))!.properties.age).toBe('97');
    await page();
    expect(cache.computations).toBe(before + 1);
    await page();
    expect(cache.computations).toBe(before + 1);
  });

  it('computes it again once the cached drift is older than its time bound, with nothing else changed', async () => {
    const cache = fx.deps.driftCache;
    await page();
    const before = cache.computations;
    const later = Date.now() + DRIFT_CACHE_MS + 1000;
    fx.deps.now = () => later;
    try {
      await page();
      expect(cache.computations).toBe(before + 1);
      await page();
      expect(cache.computations).toBe(before + 1);
    } finally {
      delete fx.deps.now;
    }
  });
});
