import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FeaturePipeline } from '../../src/features/pipeline.js';
import { LEAD_OBJECT } from '../../src/jobs/deps.js';
import { rollbackUnderCycleLock } from '../../src/jobs/model-rollback.js';
import { CREATED_COLUMN } from '../../src/jobs/training-set.js';
import type { EvaluationReport } from '../../src/model/evaluation/report.js';
import { groupedTopFactors } from '../../src/server/grouped-top-factors.js';
import { excludedFields } from '../../src/server/excluded-fields.js';
import type { ColumnDrift, InputDrift } from '../../src/server/input-drift.js';
import { DRIFT_CACHE_MS } from '../../src/server/input-drift-cache.js';
import { modelPageData, TOP_FACTORS_SHOWN, type ModelPageData } from '../../src/server/model-page-data.js';
import { activityText } from '../../src/server/views/model-page.js';
import { modelWarnings } from '../../src/server/model-warnings.js';
import { promotionReason } from '../../src/server/promotion-reason.js';
import { percent, when } from '../../src/server/views/layout.js';
import { counted } from '../../src/server/views/counted.js';
import { runCycle, type CycleSummary } from '../../src/jobs/cycle.js';
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

describe('why a model was promoted or not', () => {
  const comparison = (c: Record<string, unknown>) => ({ comparison: { testLeads: 130, basis: null, activeVersion: null, activeAuc: null, candidateAuc: 0.6, promoted: true, why: 'no model was active', ...c } });

  it('names a first model as such', () => {
    expect(promotionReason(comparison({ testLeads: 6590 }))).toEqual({ promoted: true, text: 'Promoted as the first model: none was active to compare with, and its AUC of 0.600 on the newest 6,590 closed leads passed the check against chance' });
  });

  it('says by how much a model beat the active one, and on which leads', () => {
    const basis = 'on the 130 closed leads created after model v1 was trained';
    expect(promotionReason(comparison({ activeVersion: 'v1', activeAuc: 0.7, candidateAuc: 0.72, basis }))!.text).toBe('Promoted: it beat model v1 by 0.020: AUC 0.720 against 0.700 on the same 130 closed leads, created after model v1 was trained');
  });

  it('says why a model that did not beat the active one was not promoted, without claiming the same leads when they were not', () => {
    const basis = "each model's own time-split AUC: no closed lead is newer than model v1";
    expect(promotionReason(comparison({ activeVersion: 'v1', activeAuc: 0.569, candidateAuc: 0.569, basis, promoted: false, why: 'AUC 0.569 <= 0.569' }))).toEqual({
      promoted: false,
      text: `Not promoted: AUC 0.569 is not above the active model's 0.569 (${basis}); model v1 stays in service`,
    });
  });

  it('reads a basis stored in the older words ("only 0 closed leads are newer than <version>") in today\'s', () => {
    const older = (basis: string) => promotionReason(comparison({ activeVersion: '2026-12-01.183504', activeAuc: 0.569, candidateAuc: 0.569, basis, promoted: false, why: 'x' }))!.text;
    expect(older("each model's own time-split AUC: only 0 closed leads are newer than 2026-12-01.183504")).toBe(
      "Not promoted: AUC 0.569 is not above the active model's 0.569 (each model's own time-split AUC: no closed lead is newer than model 2026-12-01.183504); model 2026-12-01.183504 stays in service",
    );
    expect(older("each model's own time-split AUC: only 12 closed leads are newer than 2026-12-01.183504")).toContain('(each model\'s own time-split AUC: only 12 closed leads are newer than model 2026-12-01.183504)');
    expect(older('on the 130 closed leads created after 2026-12-01.183504 was trained')).toContain('on the same 130 closed leads, created after model 2026-12-01.183504 was trained');
  });

  it('passes on training’s own words when a rollback overtook the model, and has nothing to say for models stored without a comparison', () => {
    const why = 'AUC 0.7 > 0.6 of v1 (x); but the active model changed from v1 to v0 while this one trained (a rollback?), so it is not promoted over v0, which stays';
    expect(promotionReason(comparison({ activeVersion: 'v1', activeAuc: 0.6, candidateAuc: 0.7, promoted: false, why }))!.text).toBe(`Not promoted: ${why}`);
    expect(promotionReason({ auc: 0.7 })).toBeNull();
  });
});

describe('fields left out, as the Model page lists them', () => {
  it('keeps the words of a column the user named, even one ordering leads in time', () => {
    const user = { column: 'created', reason: 'the --order column: it places leads in time for the split, it is not an input' };
    expect(excludedFields([user, { column: 'duration', reason: 'excluded by you' }])).toEqual([user, { column: 'duration', reason: 'excluded by you' }]);
  });
});

describe('model warnings on input drift', () => {
  // A model that ranks well, is calibrated and has no tiers: only drift can raise a warning.
  const data = {
    crm: 'hubspot',
    active: { crm: 'hubspot', version: 'v1', engine: 'forest', trainedFrom: '2024-01-01', trainedTo: '2024-06-30', metrics: {}, createdAt: '2024-07-01', status: 'active', promotedAt: '2024-07-01' },
    evaluation: { auc: 0.81, ece: 0.012 },
    curves: null,
    topFactors: [],
    models: [],
    measured: null,
    inService: null,
    recent: { days: 30, tiers: [] },
  } as ModelPageData;
  const column = (label: string, reading: ColumnDrift['reading'], psi: number): ColumnDrift => ({ column: label.toLowerCase(), label, type: 'numeric', psi, reading, outsideRange: 0 });
  const drift = (columns: ColumnDrift[]): InputDrift => ({ modelVersion: 'v1', openLeads: 500, columns, categoricalWithoutShares: 0, notCompared: [] });

  it('gives no drift warning when no column moved majorly, moderate or stable', () => {
    expect(modelWarnings(data, drift([column('Age', 'moderate', 0.2), column('Balance', 'stable', 0.02)]))).toEqual([]);
    expect(modelWarnings(data, drift([]))).toEqual([]);
    expect(modelWarnings(data, null)).toEqual([]);
  });

  it('names the majorly moved fields, at most three, and only those', () => {
    const one = modelWarnings(data, drift([column('Age', 'major', 0.4), column('Balance', 'moderate', 0.2)]));
    expect(one.map((w) => w.id)).toEqual(['major-drift']);
    expect(one[0].title).toBe("Major input drift: 1 field of today's open leads moved far from the training leads (Age).");
    const four = modelWarnings(data, drift(['Age', 'Balance', 'Job', 'Month'].map((l) => column(l, 'major', 0.5))));
    expect(four[0].title).toBe("Major input drift: 4 fields of today's open leads moved far from the training leads (Age, Balance, Job, …).");
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
  // Each test starts from the demo's own model in service, whatever an earlier one promoted.
  beforeEach(async () => {
    await fx.store.models.promote('hubspot', firstVersion);
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

    const other = await activeWith('drift-other', {});
    expect(card(await page())).toContain(`<code>${other}</code>`);
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

  const unescape = (text: string) => text.replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/<[^>]+>/g, '');
  const warningsOn = (html: string) => [...html.matchAll(/<li data-warning="([^"]+)">(.*?)<\/li>/gs)].map(([, id, text]) => ({ id, text: unescape(text) }));
  const sectionText = (html: string, id: string) => unescape(new RegExp(`<dd id="${id}">(.*?)</dd>`, 's').exec(html)![1]);

  /** A model with the active one's bundle and a stored evaluation changed as given, made active through the store. */
  const activeWith = async (suffix: string, changes: Partial<EvaluationReport> & Record<string, unknown>, promote = true) => {
    const base = (await fx.store.models.get('hubspot', firstVersion))!;
    const version = `${firstVersion}-${suffix}`;
    const { engine, trainedFrom, trainedTo, metrics, bundle } = base;
    await fx.store.models.save({ crm: 'hubspot', version, engine, trainedFrom, trainedTo, metrics: { ...metrics, ...changes }, bundle });
    if (promote) await fx.store.models.promote('hubspot', version);
    return version;
  };
  const bands = (predicted: number, observed: number) => Array.from({ length: 10 }, () => ({ predicted, observed, leads: 50 }));
  const curvesWith = async (calibration: Array<{ predicted: number; observed: number; leads: number }>) => ({ ...(await fx.store.models.get('hubspot', firstVersion))!.metrics.curves as object, calibration });
  const majorDrift = async () => ((await fx.deps.driftCache.get('hubspot', Date.now()))?.columns ?? []).some((c) => c.reading === 'major');

  it('warns, naming the figure, when the stored evaluation ranks weakly, its tiers convert out of order and it is miscalibrated', async () => {
    await activeWith('weak', {
      auc: 0.569,
      ece: 0.079,
      positiveRateTest: 0.127,
      tiers: [
        { tier: 'Hot', leads: 1351, conversionRate: 0.1436 },
        { tier: 'Warm', leads: 1977, conversionRate: 0.1553 },
        { tier: 'Cool', leads: 1977, conversionRate: 0.1123 },
        { tier: 'Cold', leads: 1285, conversionRate: 0.0895 },
      ],
      curves: (await curvesWith(bands(0.048, 0.127))) as EvaluationReport['curves'],
    });
    const warnings = warningsOn(await page());
    // The demo's open leads are the bank data's newest, whose macro-economic columns moved far.
    expect(await majorDrift()).toBe(true);
    expect(warnings.map((w) => w.id)).toEqual(['weak-ranking', 'tiers-out-of-order', 'miscalibrated', 'major-drift']);
    const [weak, order, calibration] = warnings;
    expect(weak.text).toContain('AUC 0.569 on the newest');
    expect(weak.text).toMatch(/For reps:.*What you can do:.*(wait|Wait) for more leads to close.*roll back/s);
    expect(order.text).toContain('Hot converted 14.4% of 1,351 leads, Warm 15.5% of 1,977 leads');
    expect(order.text).toContain('tier thresholds');
    expect(calibration.text).toContain('predicted 4.8% on average, 12.7% converted (calibration error 0.079)');
  });

  it('warns about calibration when the mean prediction is far from what converted, even with a small calibration error', async () => {
    await activeWith('mean-off', { auc: 0.8, ece: 0.03, positiveRateTest: 0.12, curves: (await curvesWith(bands(0.05, 0.12))) as EvaluationReport['curves'] });
    expect(warningsOn(await page()).map((w) => w.id)).toEqual(['miscalibrated', 'major-drift']);
  });

  it('shows no evaluation warning for a model that ranks well, keeps its tiers in order and is calibrated; drift is warned of only when major', async () => {
    await activeWith('good', {
      auc: 0.81,
      ece: 0.012,
      positiveRateTest: 0.12,
      tiers: [
        { tier: 'Hot', leads: 300, conversionRate: 0.4 },
        { tier: 'Warm', leads: 400, conversionRate: 0.15 },
        { tier: 'Cool', leads: 400, conversionRate: 0.06 },
        { tier: 'Cold', leads: 300, conversionRate: 0.02 },
      ],
      curves: (await curvesWith(bands(0.12, 0.121))) as EvaluationReport['curves'],
    });
    const html = await page();
    // Drift on this fixture is major (the no-drift case is the unit test above).
    expect(await majorDrift()).toBe(true);
    expect(warningsOn(html).map((w) => w.id)).toEqual(['major-drift']);
    expect(html).toContain('id="model-warnings"');
  });

  it('says why the active model was promoted, and why another was not, in the models table too', async () => {
    const basis = `on the 130 closed leads created after ${firstVersion} was trained`;
    await activeWith('beat', { comparison: { testLeads: 130, basis, activeVersion: firstVersion, activeAuc: 0.7, candidateAuc: 0.72, promoted: true, why: 'x' } });
    const kept = await activeWith('kept', { comparison: { testLeads: 130, basis, activeVersion: firstVersion, activeAuc: 0.569, candidateAuc: 0.569, promoted: false, why: 'x' } }, false);
    const html = await page();
    expect(sectionText(html, 'promotion-reason')).toContain(`Promoted: it beat model ${firstVersion} by 0.020: AUC 0.720 against 0.700 on the same 130 closed leads, created after model ${firstVersion} was trained.`);
    const keptRow = unescape(new RegExp(`<tr><td><code>${kept}</code>(.*?)</tr>`, 's').exec(html)![1]);
    expect(keptRow).toContain(`Not promoted: AUC 0.569 is not above the active model's 0.569 on the same 130 closed leads`);
  });

  it('lists the loop’s own creation-date order column in an admin’s words, not as the CLI’s --order column', async () => {
    const ev = (await fx.store.models.active('hubspot'))!.metrics as Partial<EvaluationReport>;
    expect(ev.excluded!.map((e) => e.column), 'training stores the order column it left out').toContain(CREATED_COLUMN);
    const table = /<table class="data" id="excluded">(.*?)<\/table>/s.exec(await page())![1];
    expect(table).not.toContain(CREATED_COLUMN);
    expect(table).not.toContain('--order');
    const rows = [...table.matchAll(/<tr><td class="fields">(.*?)<\/td><td>(.*?)<\/td><\/tr>/gs)].map(([, fields, why]) => ({ fields: fields.trim(), why }));
    expect(rows).toContainEqual({ fields: 'Created date', why: 'used only to order leads in time for the evaluation, never as an input' });
  });

  it('states which leads the figures are measured on and what the model in service writes', async () => {
    const active = (await fx.store.models.active('hubspot'))!;
    const ev = active.metrics as Partial<EvaluationReport>;
    const data = await modelPageData(fx.store, 'hubspot');
    expect(data.measured).toMatchObject({ leads: ev.test, closedLeads: ev.rows, trainLeads: ev.train, createdTo: active.trainedTo });
    expect(data.measured!.createdFrom! < data.measured!.createdTo!).toBe(true);
    expect(data.measured!.createdFrom! > active.trainedFrom).toBe(true);
    const written = [...(await fx.store.scores.latest('hubspot')).values()].filter((s) => s.modelVersion === firstVersion);
    expect(data.inService!.openLeads).toBe(written.length);
    expect(data.inService!.mean).toBeCloseTo(written.reduce((sum, s) => sum + s.probability, 0) / written.length, 6);
    const html = await page();
    expect(sectionText(html, 'measured-leads')).toContain(`The newest ${ev.test!.toLocaleString('en-US')} closed leads of the ${ev.rows!.toLocaleString('en-US')} closed when ${firstVersion} was trained, created ${data.measured!.createdFrom!.slice(0, 10)} – `);
    expect(sectionText(html, 'in-service')).toContain(`Its probabilities on ${data.inService!.openLeads.toLocaleString('en-US')} open leads: mean ${percent(data.inService!.mean)}`);
    expect(html).not.toContain('the calibrated probability written next to each score');

    await activeWith('no-scores', {});
    expect((await modelPageData(fx.store, 'hubspot')).inService).toBeNull();
  });

  it('shows when each model was last in service: the active one now, a retired one until the model that replaced it, a candidate never', async () => {
    const later = await activeWith('replaces', {});
    const kept = await activeWith('candidate', {}, false);
    const first = (await fx.store.models.get('hubspot', firstVersion))!;
    const replacing = (await fx.store.models.get('hubspot', later))!;
    const table = /<table class="data" id="models">(.*?)<\/table>/s.exec(await page())![1];
    expect(table).toContain('<th scope="col">Last in service</th>');
    const cell = (version: string) => new RegExp(`<tr><td><code>${version}</code></td>.*?<td class="in-service small">(.*?)</td>`, 's').exec(table)![1];
    expect(cell(later)).toBe(`since ${when(replacing.promotedAt)}, in service now`);
    expect(cell(firstVersion)).toBe(`${when(first.promotedAt)} – ${when(replacing.promotedAt)}`);
    expect(cell(kept)).toBe('never');
  });

  it('shows a model rolled back to, then replaced, in service from its rollback until the next model: not until its own rollback audit or training run', async () => {
    // As training does: the run that promoted a model ends just after the promotion.
    const trained = async (suffix: string) => {
      const run = await fx.store.runs.start('train', 'hubspot');
      const version = await activeWith(suffix, {});
      await fx.store.runs.finish(run.id, { status: 'ok', summary: { trained: true, promoted: true, version } });
      return version;
    };
    // As the rollback route does, without the rescore it starts (seconds on the demo's open leads).
    const rollBackTo = async (version: string) => {
      const { before, model } = await rollbackUnderCycleLock(fx.store, 'hubspot', version);
      await fx.store.audit.append({ actor: 'manager@example.com', key: 'model.hubspot.active', before, after: model.version });
    };
    const replaced = await trained('span-replaced');
    await rollBackTo(firstVersion);
    const next = await trained('span-next');
    await rollBackTo(replaced);

    const model = async (version: string) => (await fx.store.models.get('hubspot', version))!;
    const [first, nextModel, back] = [await model(firstVersion), await model(next), await model(replaced)];
    const replacedAt = new Map((await modelPageData(fx.store, 'hubspot')).models.map((m) => [m.version, m.replacedAt]));
    // firstVersion's last time in service began with the rollback and ended when `next` was promoted.
    expect(replacedAt.get(firstVersion)).toBe(nextModel.promotedAt);
    expect(replacedAt.get(next)).toBe(back.promotedAt);
    expect(replacedAt.get(replaced)).toBeNull();
    const table = /<table class="data" id="models">(.*?)<\/table>/s.exec(await page())![1];
    const cell = (version: string) => new RegExp(`<tr><td><code>${version}</code></td>.*?<td class="in-service small">(.*?)</td>`, 's').exec(table)![1];
    expect(cell(firstVersion)).toBe(`${when(first.promotedAt)} – ${when(nextModel.promotedAt)}`);
    expect(cell(next)).toBe(`${when(nextModel.promotedAt)} – ${when(back.promotedAt)}`);
    expect(cell(replaced)).toBe(`since ${when(back.promotedAt)}, in service now`);
  });

  it('says, while nothing runs, when the last cycle ran and how it ended; a skipped one does not count', async () => {
    const status = async () => /<span class="status" id="activity"[^>]*>(.*?)<\/span>/s.exec(await page())![1].replace(/&#39;/g, "'");
    const first = (await fx.store.runs.lastEnded('cycle', 'hubspot'))!;
    expect(first.status).toBe('ok');
    const summary = first.summary as unknown as CycleSummary;
    const idle = `Idle. The last cycle finished ${when(first.finishedAt)}: ${counted(summary.sync.leads, 'lead')} synced, ${summary.score.scored.toLocaleString('en-US')} scored, ${summary.push.written.toLocaleString('en-US')} written to the CRM.`;
    // A rescore earlier in this file (the drift cache's) ended after the demo's first cycle: its one-line result is the newer news.
    const own = fx.deps.loop.activity('hubspot');
    expect(await status()).toBe(own.task === 'rescore' && own.state === 'done' ? activityText(own) : idle);
    if (own.task === 'rescore') expect(await status()).toMatch(/^Finished .*: Rescored: 1 changed lead synced, /);

    const failed = await fx.store.runs.start('cycle', 'hubspot');
    const ended = await fx.store.runs.finish(failed.id, { status: 'failed', error: "HubSpot rejected the access token while reading contacts (401)" });
    await fx.store.runs.skipped('cycle', 'hubspot', 'another cycle was running');
    expect(await status()).toBe(`Idle. The last cycle failed ${when(ended.finishedAt)}: HubSpot rejected the access token while reading contacts (401).`);
  });
  it('stores and shows no token when a cycle stops on an error leadlift did not write: only its class, its text scrubbed in the log', async () => {
    const token = fx.sandbox.token;
    const connector = fx.deps.connections.get('hubspot')!;
    // A driver's error that quotes the request it failed, Authorization header and all.
    class FetchError extends Error {
      override name = 'FetchError';
    }
    const failing = {
      ...connector,
      pullLeads: async function* () {
        throw new FetchError(`request to ${fx.sandbox.url}/crm/v3/objects/contacts failed, headers: {"authorization":"Bearer ${token}"}`);
      },
    };
    const notes: string[] = [];
    const cycle = runCycle({ store: fx.store, config: fx.deps.config, manifest: fx.deps.manifest, connector: failing, log: (m) => notes.push(m) });
    await expect(cycle).rejects.toBeInstanceOf(FetchError);

    const last = (await fx.store.runs.lastEnded('cycle', 'hubspot'))!;
    expect(last.status).toBe('failed');
    expect(last.error).toBe('An unexpected FetchError stopped the run; its text is in the log only, since it may quote a secret.');
    const html = await page();
    expect(/<span class="status" id="activity"[^>]*>(.*?)<\/span>/s.exec(html)![1]).toBe(`Idle. The last cycle failed ${when(last.finishedAt)}: ${last.error}`);
    expect(html).not.toContain(token);
    // The cycle's caller logs the scrubbed text once (the schedule, the retrain button, serve's first cycle): the cycle itself says nothing of it.
    expect(notes.filter((n) => n.includes('FetchError') || n.includes('Bearer'))).toEqual([]);
    expect(notes.join('\n')).not.toContain(token);
  });
});
