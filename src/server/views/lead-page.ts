import { CRM_NAMES } from '../../../connectors/types.js';
import type { ForgottenLead, LeadPageData } from '../lead-page-data.js';
import { counted } from './counted.js';
import { html, jsonData, type SafeHtml } from './html.js';
import { layout, percent, when } from './layout.js';
import { trendText, pushText } from './lead-words.js';

export interface LeadPageInput {
  csrf: string;
  user: string;
  data: LeadPageData | ForgottenLead;
  /** The lead's record in the CRM's own app, when the CRM in use is the real one. */
  crmUrl: string | null;
}

/** One lead: what reps see now, every score stored, the inputs of the last, and how it closed. */
export function leadPage(p: LeadPageInput): SafeHtml {
  const { data } = p;
  const crmName = CRM_NAMES[data.crm];
  const back = html`<p class="small"><a href="/admin/leads?crm=${data.crm}">← All ${crmName} leads</a></p>`;
  if (data.kind === 'forgotten') {
    return layout(
      { title: `Lead ${data.leadId}`, nav: 'leads', user: p.user, csrf: p.csrf },
      html`${back}<h1>${crmName} lead ${data.leadId}</h1>
<section class="card" id="forgotten"><h2>Forgotten</h2><p>This lead was forgotten ${when(data.forgottenAt)}: leadlift erased everything it held about it, and keeps only its id on the suppression list, so it never stores, scores or writes anything for this lead again.</p></section>`,
    );
  }
  const current = data.history[0] ?? null;
  return layout(
    { title: `Lead ${data.leadId}`, nav: 'leads', user: p.user, csrf: p.csrf, scripts: data.history.length > 1 ? ['/static/chart.umd.js', '/static/lead.js'] : [] },
    html`${back}<div class="page-head"><div><h1>${crmName} lead ${data.leadId}</h1><p class="muted" id="lead-state">${stateText(data)}</p></div>
  ${p.crmUrl ? html`<a class="button secondary" href="${p.crmUrl}" rel="noopener noreferrer" target="_blank">Open in ${crmName}</a>` : ''}</div>
${current ? currentCard(current) : html`<section class="card"><p class="muted">leadlift has not scored this lead.</p></section>`}
${data.history.length > 0 ? historyCard(data) : ''}
${data.snapshot ? inputsCard(data) : ''}`,
  );
}

function stateText(d: LeadPageData): string {
  if (d.outcome) return `Closed: ${d.outcome.outcome === 'won' ? 'won (converted)' : 'lost'} ${when(d.outcome.outcomeAt)}. leadlift no longer scores it.`;
  if (d.record?.archived) return `Deleted or merged in ${CRM_NAMES[d.crm]}: leadlift no longer scores it.`;
  if (d.record?.converted) return `Converted in ${CRM_NAMES[d.crm]}: leadlift no longer scores it.`;
  return 'Open: leadlift rescores it every cycle and whenever the CRM reports a change.';
}

function currentCard(s: LeadPageData['history'][number]): SafeHtml {
  return html`<section class="kpis" aria-label="Latest score" id="lead-current">
  <div class="kpi"><span class="label">Score</span><span class="value">${s.score}</span><span class="sub">scored ${when(s.scoredAt)}</span></div>
  <div class="kpi"><span class="label">Tier</span><span class="value small-value">${s.tier}</span><span class="sub">trend: ${trendText(s.trend)}</span></div>
  <div class="kpi"><span class="label">Probability</span><span class="value">${percent(s.probability)}</span><span class="sub">the model's estimate that the lead converts</span></div>
  <div class="kpi"><span class="label">Model</span><span class="value small-value"><code>${s.modelVersion}</code></span><span class="sub">${pushText(s)}</span></div>
</section>
<section class="card"><h2>Reasons</h2><p class="muted small">As written to the CRM: score points against a typical open lead.</p><p class="reasons" id="lead-reasons">${s.reasons}</p></section>`;
}

function historyCard(d: LeadPageData): SafeHtml {
  const points = [...d.history].reverse().map((s) => ({ at: s.scoredAt, score: s.score, tier: s.tier }));
  return html`<section class="card chart-card" id="lead-history">
  <h2>Score history</h2>
  <p class="muted small">${d.historyCut ? `The newest ${counted(d.history.length, 'score')}` : `Every score stored: ${counted(d.history.length, 'score')}`}, newest first. leadlift stores a new score only when one a rep sees changed.</p>
  ${d.history.length > 1 ? html`${jsonData('lead-history-data', points)}<div class="chart"><canvas id="lead-history-chart" role="img" aria-label="Score over time, from ${points[0].score} to ${points[points.length - 1].score}; the table follows"></canvas></div>` : ''}
  <p class="scroll-hint small" aria-hidden="true">Scroll the table sideways for more columns.</p>
  <div class="table-scroll" tabindex="0" role="region" aria-label="Score history, scrolls sideways"><table class="data" id="history"><thead><tr><th scope="col">Scored</th><th scope="col" class="num">Score</th><th scope="col">Tier</th><th scope="col" class="num">Probability</th><th scope="col">Trend</th><th scope="col">Model</th><th scope="col">Written to the CRM</th></tr></thead><tbody>
  ${d.history.map((s) => html`<tr><td class="when">${when(s.scoredAt)}</td><td class="num">${s.score}</td><td>${s.tier}</td><td class="num">${percent(s.probability)}</td><td class="trend">${trendText(s.trend)}</td><td><code>${s.modelVersion}</code></td><td class="small">${pushText(s)}</td></tr>`)}
  </tbody></table></div>
</section>`;
}

function inputsCard(d: LeadPageData): SafeHtml {
  const snap = d.snapshot!;
  return html`<section class="card" id="lead-inputs">
  <h2>Inputs it was last scored on</h2>
  <p class="muted small">The lead's values when <code>${snap.modelVersion}</code> first scored them, ${when(snap.scoredAt)}, under the names its reasons use; fields this model does not use come last.</p>
  <p class="scroll-hint small" aria-hidden="true">Scroll the table sideways for more columns.</p>
  <div class="table-scroll" tabindex="0" role="region" aria-label="Inputs, scrolls sideways"><table class="data" id="inputs"><thead><tr><th scope="col">Field</th><th scope="col">Value</th></tr></thead><tbody>
  ${snap.fields.map((f) => html`<tr${f.label ? '' : html` class="retired"`}><th scope="row">${f.label ?? html`<code>${f.column}</code> <span class="muted small">(not used by this model)</span>`}</th><td>${f.value ?? html`<span class="muted">empty</span>`}</td></tr>`)}
  </tbody></table></div>
</section>`;
}
