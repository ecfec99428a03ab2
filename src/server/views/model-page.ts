import { z } from 'zod';
import { CRM_NAMES, type CrmName } from '../../../connectors/types.js';
import { excludedFields, type ExcludedField } from '../excluded-fields.js';
import type { InputDrift } from '../input-drift.js';
import type { LoopActivity } from '../loop-runner.js';
import type { HeadToHead, ModelPageData } from '../model-page-data.js';
import { modelJudgement, type ModelNote, type ModelWarning } from '../model-warnings.js';
import { storedComparison } from '../promotion-reason.js';
import type { Run } from '../../store/runs.js';
import { counted } from './counted.js';
import { html, jsonData, type SafeHtml } from './html.js';
import { inputDriftCard } from './input-drift-card.js';
import { csrfField, layout, percent, when } from './layout.js';

export interface ModelPageInput {
  csrf: string;
  user: string;
  data: ModelPageData;
  crms: CrmName[];
  connected: boolean;
  activity: LoopActivity;
  flash: string | null;
  /** The active model's training leads against today's open leads; absent without an active model. */
  drift?: InputDrift | null;
  /** The CRM's last cycle that ran to an end (the runs table), for the status line while nothing runs. */
  lastCycle?: Run | null;
}


export function modelPage(p: ModelPageInput): SafeHtml {
  const { data } = p;
  const ev = data.evaluation;
  const crmName = CRM_NAMES[data.crm];
  return layout(
    { title: 'Model', nav: 'model', user: p.user, csrf: p.csrf, scripts: ['/static/chart.umd.js', '/static/activity.js', '/static/model.js'] },
    html`<div class="page-head">
  <div>
    <h1>Model</h1>
    <p class="muted">The figures are measured on the newest closed leads, by a fit trained only on older ones; the model in service was trained afterwards. Which leads and which model are stated below.</p>
  </div>
  ${p.crms.length > 1 ? html`<nav class="segmented" aria-label="CRM">${p.crms.map((c) => html`<a href="/admin/model?crm=${c}"${c === data.crm ? html` aria-current="page" class="current"` : ''}>${CRM_NAMES[c]}</a>`)}</nav>` : ''}
</div>
${p.flash ? html`<p class="notice" role="status">${p.flash}</p>` : ''}
<section class="card actions-card">
  <div>
    <strong>${crmName}</strong>
    <span class="status" id="activity" data-crm="${data.crm}" data-state="${p.activity.state}" aria-live="polite">${statusText(p.activity, p.lastCycle ?? null)}</span>
  </div>
  <form method="post" action="/admin/model/retrain">${csrfField(p.csrf)}<input type="hidden" name="crm" value="${data.crm}">
    ${retrainButton(p, crmName)}</form>
</section>
${data.active && ev ? activeModel(p) : html`<section class="card"><h2>No active model yet</h2><p>leadlift trains once ${crmName} has enough closed leads (see the configuration's <code>loop.minimumHistory</code>). Until then it writes no scores rather than noise.</p></section>`}
${modelsTable(p)}`,
  );
}

/**
 * Pressed while a rescore or cycle runs, a retrain only queues behind it (loop-runner waitForTurn),
 * and pressed during a retrain it starts nothing: so it waits, said beside it, until the work ends
 * (model.js reloads the page then). The route still answers a post meanwhile.
 */
function retrainButton(p: ModelPageInput, crmName: string): SafeHtml {
  if (!p.connected) return html`<button type="submit" class="primary" disabled title="Connect ${crmName} first">Retrain now</button>`;
  if (p.activity.state !== 'running') return html`<button type="submit" class="primary">Retrain now</button>`;
  return html`<button type="submit" class="primary" disabled aria-describedby="retrain-wait">Retrain now</button><span class="muted small retrain-wait" id="retrain-wait">Available once this finishes.</span>`;
}

function activeModel(p: ModelPageInput): SafeHtml {
  const { data } = p;
  const ev = data.evaluation!;
  const active = data.active!;
  const curves = data.curves;
  const baseline = ev.baseline;
  const m = data.measured;
  const judged = modelJudgement(data, p.drift);
  return html`${warningsCard(judged.warnings)}
${notesCard(judged.notes)}
${provenanceCard(p)}
<section class="kpis" aria-label="Active model">
  <div class="kpi"><span class="label">AUC</span><span class="value" id="kpi-auc">${fixed(ev.auc, 3)}</span><span class="sub" id="kpi-auc-meaning">how often a converter scores above a lead that did not convert: 0.5 is a coin toss, 1 is perfect${baseline ? html`; a simple baseline, ${baseline.name}, scored ${fixed(baseline.auc, 3)}` : ''}</span></div>
  <div class="kpi"><span class="label">Lift, top 10%</span><span class="value">${ev.liftTopDecile === undefined ? '–' : `${fixed(ev.liftTopDecile, 2)}×`}</span><span class="sub" id="kpi-lift-meaning">the best-scored tenth of measured leads converted ${ev.liftTopDecile === undefined ? 'this many' : `${fixed(ev.liftTopDecile, 2)}×`} as often as the measured leads overall; 1× is no better than calling at random</span></div>
  <div class="kpi"><span class="label">Calibration error</span><span class="value">${fixed(ev.ece, 3)}</span><span class="sub">mean gap, predicted vs observed${m?.meanPredicted != null && m.positiveRate !== null ? `: ${percent(m.meanPredicted)} vs ${percent(m.positiveRate)}` : ''}</span></div>
  <div class="kpi"><span class="label">Measured on</span><span class="value">${ev.test?.toLocaleString('en-US') ?? '–'}</span><span class="sub">newest closed leads${m?.createdFrom ? `, created ${day(m.createdFrom)} – ${day(m.createdTo!)}` : ''}; ${percent(ev.positiveRateTest)} converted</span></div>
  <div class="kpi"><span class="label">In service</span><span class="value small-value">${active.version}</span><span class="sub">trained on leads created ${day(active.trainedFrom)} – ${day(active.trainedTo)}</span></div>
</section>
${curves ? jsonData('model-curves', { roc: curves.roc, calibration: curves.calibration }) : ''}
<div class="grid2">
  <section class="card chart-card">
    <h2>ROC curve</h2>
    <p class="muted small">How many converters are caught (true-positive rate) for each share of non-converters called (false-positive rate). The dashed diagonal is random order.</p>
    ${curves && curves.roc.length > 0
      ? html`<div class="chart"><canvas id="roc-chart" role="img" aria-label="ROC curve: AUC ${fixed(ev.auc, 3)}; the data table follows"></canvas></div>
    <details><summary>Data table</summary><table class="data"><thead><tr><th scope="col">False-positive rate</th><th scope="col">True-positive rate</th></tr></thead><tbody>${thin(curves.roc, 12).map((pt) => html`<tr><td>${percent(pt.fpr)}</td><td>${percent(pt.tpr)}</td></tr>`)}</tbody></table></details>`
      : noCurves()}
  </section>
  <section class="card chart-card">
    <h2>Calibration</h2>
    <p class="muted small">The measuring fit's predicted conversion on the measured leads against what happened, by tenth. On the dashed diagonal, a predicted 30% means 30 in 100 convert. These are not the probabilities in the CRM: the model in service was recalibrated on all closed leads${data.inService ? ` and writes a mean of ${percent(data.inService.mean)} on today's open leads` : ''}.</p>
    ${curves && curves.calibration.length > 0
      ? html`<div class="chart"><canvas id="calibration-chart" role="img" aria-label="Calibration plot; the data table follows"></canvas></div>
    <details><summary>Data table</summary><table class="data"><thead><tr><th scope="col">Predicted</th><th scope="col">Observed</th><th scope="col" class="num">Leads</th></tr></thead><tbody>${curves.calibration.map((b) => html`<tr><td>${percent(b.predicted)}</td><td>${percent(b.observed)}</td><td class="num">${b.leads.toLocaleString('en-US')}</td></tr>`)}</tbody></table></details>`
      : noCurves()}
  </section>
</div>
<div class="grid2">
  <section class="card">
    <h2>Conversion by tier</h2>
    <h3 class="small-head">Measured leads (the newest ${ev.test === undefined ? '' : counted(ev.test, 'closed lead')}), by the measuring fit's tier</h3>
    ${ev.tiers && ev.tiers.length > 0
      ? html`<table class="data" id="tier-conversion"><thead><tr><th scope="col">Tier</th><th scope="col" class="num">Leads</th><th scope="col">Converted</th></tr></thead><tbody>${ev.tiers.map((t) => html`<tr><th scope="row">${t.tier}</th><td class="num">${t.leads.toLocaleString('en-US')}</td><td>${meter(t.conversionRate)}</td></tr>`)}</tbody></table>`
      : html`<p class="muted">Not recorded for this model.</p>`}
    <h3 class="small-head">Recent leads (closed in the last ${data.recent.days} days, by the tier shown to reps, highest tier first)</h3>
    ${data.recent.tiers.length > 0
      ? html`<table class="data" id="recent-conversion"><thead><tr><th scope="col">Tier</th><th scope="col" class="num">Leads</th><th scope="col">Converted</th><th scope="col" class="num">Probability written</th></tr></thead><tbody>${data.recent.tiers.map((t) => html`<tr${t.current ? '' : html` class="retired"`}><th scope="row">${t.tier}${t.current ? '' : html` <span class="muted small">(no longer a tier)</span>`}</th><td class="num">${t.leads.toLocaleString('en-US')}</td><td>${meter(t.conversionRate)}</td><td class="num">${percent(t.meanProbability)}</td></tr>`)}</tbody></table>
    <p class="muted small">The scores of the model in service and what those leads did: the check that speaks for today's scores once enough of them have closed.</p>`
      : html`<p class="muted">No scored lead has closed in that time yet.</p>`}
  </section>
  <section class="card">
    <h2>Top factors overall</h2>
    ${data.topFactors.length > 0
      ? html`<ol class="factors" id="top-factors">${data.topFactors.map((f) => html`<li data-column="${f.column}"><span class="factor-name">${f.label}${f.foldedIn.length > 0 ? html` <span class="muted small">with ${f.foldedIn.join(', ')}</span>` : ''}</span>${meter(f.share)}</li>`)}</ol><p class="muted small">Share of how much each field sets the measured leads apart, in the measuring fit's scores: measured from their typical lead, as the reasons written to the CRM are, so a value every lead shares counts for nothing. Fields that move together count as one.</p>`
      : html`<p class="muted">Not recorded for this model.</p>`}
    <h2>Fields left out</h2>
    ${ev.excluded && ev.excluded.length > 0
      ? html`<table class="data" id="excluded"><thead><tr><th scope="col">Fields</th><th scope="col">Why</th></tr></thead><tbody>${byReason(excludedFields(ev.excluded)).map((g) => html`<tr><td class="fields">${g.fields.map((f) => (f.label ? html`${f.label} ` : html`<code>${f.column}</code> `))}</td><td>${g.reason}</td></tr>`)}</tbody></table>`
      : html`<p class="muted">None.</p>`}
  </section>
</div>
${inputDriftCard(p.drift)}`;
}

function warningsCard(warnings: ModelWarning[]): SafeHtml {
  if (warnings.length === 0) return html``;
  return html`<section class="card warnings-card" id="model-warnings" role="alert" aria-labelledby="model-warnings-head">
  <h2 id="model-warnings-head">${warnings.length === 1 ? 'A warning' : `${warnings.length} warnings`} before trusting these figures</h2>
  <ul class="warnings">${warnings.map((w) => html`<li data-warning="${w.id}"><strong>${w.title}</strong><br><span><b>For reps:</b> ${w.meaning}</span><br><span><b>What you can do:</b> ${w.action}</span></li>`)}</ul>
</section>`;
}

function notesCard(notes: ModelNote[]): SafeHtml {
  if (notes.length === 0) return html``;
  return html`<section class="card" id="model-notes" aria-labelledby="model-notes-head">
  <h2 id="model-notes-head">${notes.length === 1 ? 'A note' : 'Notes'} on the figures at training</h2>
  <ul class="notes">${notes.map((n) => html`<li data-note="${n.id}">${n.text}</li>`)}</ul>
</section>`;
}

/** Which leads every figure is measured on and with which model, against the model writing scores. */
function provenanceCard(p: ModelPageInput): SafeHtml {
  const { data } = p;
  const active = data.active!;
  const m = data.measured;
  const refitted = storedComparison(active.metrics)?.promoted === true;
  const listed = data.models.find((x) => x.version === active.version);
  const promotion = listed?.promotion ?? null;
  const rolledBack = listed?.rolledBack ?? null;
  const served = data.inService;
  return html`<section class="card" id="measured-on">
  <h2>Which leads and which model</h2>
  <dl class="provenance">
    <dt>Measured on</dt><dd id="measured-leads">${m
      ? html`The newest ${counted(m.leads, 'closed lead')} of the ${m.closedLeads.toLocaleString('en-US')} closed when <code>${active.version}</code> was trained${m.createdFrom ? html`, created ${day(m.createdFrom)} – ${day(m.createdTo!)}` : ''}; ${percent(m.positiveRate)} of them converted. Every figure on this page except the recent leads table is measured on them.`
      : html`Not recorded for this model.`}</dd>
    <dt>Measured with</dt><dd>${m ? html`A fit of this model's recipe trained only on the ${counted(m.trainLeads, 'older closed lead')}, so it never saw the outcomes it is measured on.` : html`–`}</dd>
    <dt>In service</dt><dd id="in-service"><code>${active.version}</code>, ${refitted
      ? html`the same recipe refitted on all ${m ? counted(m.closedLeads, 'closed lead') : 'closed leads'} (created ${day(active.trainedFrom)} – ${day(active.trainedTo)}), the measured ones included: it writes the scores, and only the recent leads table measures it, as leads it scored close.`
      : html`trained on leads created ${day(active.trainedFrom)} – ${day(active.trainedTo)}.`}${served
      ? html` Its probabilities on ${counted(served.openLeads, 'open lead')}: mean ${percent(served.mean)}, from ${percent(served.min)} to ${percent(served.max)}.`
      : ''}</dd>
    <dt>Why in service</dt><dd id="promotion-reason">${rolledBack
      ? `${rollbackText(rolledBack)}.${promotion ? ` When it was trained: ${promotion.text}.` : ''}`
      : `${promotion ? `${promotion.text}.` : 'Not recorded for this model (trained by an older version).'}${active.promotedAt ? ` Active since ${when(active.promotedAt)}.` : ''}`}</dd>
  </dl>
</section>`;
}

function modelsTable(p: ModelPageInput): SafeHtml {
  const { data } = p;
  if (data.models.length === 0) return html``;
  return html`<section class="card">
  <h2>All models</h2>
  <p class="muted small" id="models-columns"><b>Own test</b>: each model measured on the newest closed leads when it was trained, different leads for each model, so these do not compare across rows. <b>Head-to-head</b>: training's comparison with the model active then, which decided the promotion; “same leads” when both were scored on the closed leads newer than that model.</p>
  <p class="scroll-hint small" aria-hidden="true">Scroll the table sideways for more columns.</p>
  <div class="table-scroll" tabindex="0" role="region" aria-label="All models, scrolls sideways"><table class="data" id="models"><thead><tr><th scope="col">Version</th><th scope="col">Status</th><th scope="col">Trained</th><th scope="col" class="num">AUC, own test</th><th scope="col" class="num">Lift top 10%, own test</th><th scope="col">Head-to-head AUC at training</th><th scope="col">Last in service</th><th scope="col">Why</th><th scope="col"><span class="sr-only">Action</span></th></tr></thead><tbody>
  ${data.models.map(
    (m) => html`<tr><td><code>${m.version}</code></td><td><span class="pill ${m.status}">${m.status === 'candidate' ? 'not promoted' : m.status}</span></td><td>${when(m.createdAt)}</td><td class="num">${fixed(m.auc, 3)}</td><td class="num">${m.lift === null ? '–' : `${fixed(m.lift, 2)}×`}</td><td class="head-to-head small">${headToHeadText(m.headToHead ?? null)}</td><td class="in-service small">${inServiceText(m)}</td><td class="why small">${m.rolledBack ? `${rollbackText(m.rolledBack)}${m.promotion ? `; when trained: ${m.promotion.text}` : ''}` : m.promotion ? m.promotion.text : '–'}</td><td>${
      m.canRollBack
        ? html`<form method="post" action="/admin/model/rollback">${csrfField(p.csrf)}<input type="hidden" name="crm" value="${data.crm}"><input type="hidden" name="version" value="${m.version}"><button type="submit" class="secondary">Roll back to this</button></form>`
        : ''
    }</td></tr>`,
  )}
  </tbody></table></div>
</section>`;
}

/**
 * When the model last wrote scores: promotedAt is the start of its latest stint, not its end, so a
 * retired model shows both, the end being the next activation the store knows of.
 */
function inServiceText(m: { status: string; promotedAt: string | null; replacedAt?: string | null }): string {
  if (m.status === 'active') return `since ${when(m.promotedAt)}, in service now`;
  if (m.promotedAt === null) return 'never';
  return `${when(m.promotedAt)} – ${m.replacedAt ? when(m.replacedAt) : 'replaced (time not recorded)'}`;
}

/** "0.541 vs 0.562 (v1), same 3,000 leads": the figures the Why column speaks of. */
function headToHeadText(h: HeadToHead | null): string {
  if (!h) return '–';
  return `${h.auc.toFixed(3)} vs ${h.againstAuc.toFixed(3)} (${h.against}), ${h.sameLeads ? `same ${counted(h.leads, 'lead')}` : 'own tests, too few newer leads'}`;
}

/** "Made active by ann@example.com's rollback at 2025-03-03 09:00 UTC, replacing v2". */
function rollbackText(r: { actor: string; at: string; replaced: string | null }): string {
  return `Made active by ${r.actor}'s rollback at ${when(r.at)}${r.replaced ? `, replacing ${r.replaced}` : ''}`;
}

/** Fields left out for the same reason share one row, so the table stays readable with many fields. */
function byReason(excluded: ExcludedField[]): Array<{ reason: string; fields: ExcludedField[] }> {
  const groups = new Map<string, ExcludedField[]>();
  for (const e of excluded) groups.set(e.reason, [...(groups.get(e.reason) ?? []), e]);
  return [...groups].map(([reason, fields]) => ({ reason, fields }));
}

function meter(rate: number | null | undefined): SafeHtml {
  const w = rate === null || rate === undefined ? 0 : Math.max(0, Math.min(1, rate));
  return html`<span class="meter"><span class="meter-bar" aria-hidden="true"><span style="width:${(w * 100).toFixed(1)}%"></span></span> <span class="meter-value">${percent(rate ?? null)}</span></span>`;
}

function noCurves(): SafeHtml {
  return html`<p class="muted">This model was stored without curve points (trained by an older version); retrain to see the chart.</p>`;
}

const TASK_WORDS: Record<NonNullable<LoopActivity['task']>, string> = { retrain: 'Retraining', install: 'Installing', rescore: 'Rescoring', cycle: 'Cycle running' };

export function activityText(a: LoopActivity): string {
  if (a.state === 'idle') return 'Idle.';
  const task = TASK_WORDS[a.task ?? 'rescore'];
  // A sync's count has no total: said so far, as the page's poll (model.js, install.js) says it.
  const counts = a.total > 0 ? ` (${a.done.toLocaleString('en-US')} of ${a.total.toLocaleString('en-US')})` : a.done > 0 ? ` (${a.done.toLocaleString('en-US')} so far)` : '';
  if (a.state === 'running') return `${task}: ${a.message}${counts}`;
  return `${a.state === 'failed' ? 'Failed' : 'Finished'} ${when(a.finishedAt)}: ${a.message}`;
}

/**
 * The page's own task (a retrain, a rescore) while it runs or until a cycle ends after it: a
 * webhook's rescore must not hide the scheduled cycle that ran, or failed, since.
 */
function statusText(a: LoopActivity, last: Run | null): string {
  if (a.state === 'running') return activityText(a);
  const lastEnded = last ? Date.parse(last.finishedAt ?? last.startedAt) : NaN;
  if (a.state === 'idle' || lastEnded > Date.parse(a.finishedAt ?? '')) return idleText(last);
  return activityText(a);
}

const cycleCounts = z.object({ sync: z.object({ leads: z.number() }), score: z.object({ scored: z.number() }), push: z.object({ written: z.number() }) });

/**
 * "Idle." alone left a manager guessing whether the loop works at all: say when the last cycle
 * ran and how it ended. A failed run's error is written for admins (runs.finish).
 */
export function idleText(last: Run | null): string {
  if (!last) return 'Idle. No scoring cycle has run yet.';
  const at = when(last.finishedAt ?? last.startedAt);
  if (last.status === 'failed') return `Idle. The last cycle failed ${at}${last.error ? `: ${sentence(last.error)}` : '.'}`;
  const counts = cycleCounts.safeParse(last.summary);
  if (!counts.success) return `Idle. The last cycle finished ${at}.`;
  const { sync, score, push } = counts.data;
  return `Idle. The last cycle finished ${at}: ${counted(sync.leads, 'lead')} synced, ${score.scored.toLocaleString('en-US')} scored, ${push.written.toLocaleString('en-US')} written to the CRM.`;
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function fixed(x: number | null | undefined, digits: number): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(digits);
}

function day(iso: string): string {
  return iso ? iso.slice(0, 10) : '–';
}

function thin<T>(points: T[], n: number): T[] {
  if (points.length <= n) return points;
  const step = (points.length - 1) / (n - 1);
  return Array.from({ length: n }, (_, i) => points[Math.round(i * step)]);
}
