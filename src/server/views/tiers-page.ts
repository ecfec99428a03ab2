import type { RecentConversion } from '../recent-conversion.js';
import type { TierPageActivity } from '../rescore-after-save.js';
import type { ScoreScaleName } from '../../scoring/score-scale.js';
import type { AuditEntry } from '../../store/audit.js';
import { MAX_TIER_ROWS, tierProblems, type TierProblem, type TierRow } from '../tier-form.js';
import { html, type SafeHtml } from './html.js';
import { csrfField, layout, percent, when } from './layout.js';

export interface TiersPageInput {
  csrf: string;
  user: string;
  rows: TierRow[];
  /** Leads per row (same order as rows; null for the spare row or a row with errors). */
  preview: Array<{ leads: number; share: number } | null>;
  openLeads: number;
  perDay: number | null;
  /** The days perDay averages over, said beside it: a bare "54.5" left a manager guessing which days. */
  perDayDays: number;
  connected: string[];
  /** Each connected CRM's work to show: running now, or the rescore the save just started (tiers.js follows it). */
  activities?: TierPageActivity[];
  formError: string | null;
  /** Set when this page answers a refused save: the error summary takes focus, so a screen reader reads it out. */
  refused?: boolean;
  flash: string | null;
  history: AuditEntry[];
  /** Config `scoring.scale`: what a score means, said above the table. */
  scale: ScoreScaleName;
  /** Capacities that would put (nearly) every lead in one tier (src/server/tier-warnings.ts). */
  warnings?: string[];
  /** Set when a save was held back by those warnings: the value the confirm checkbox must send back. */
  confirm?: string | null;
  /** The probability field's label in each CRM, as manifest.json names it (the field a top-N tier ranks by). */
  probabilityLabels: { hubspot: string; salesforce: string };
  /** Each connected CRM's tiers as its leads converted (the model page's recent leads table), for the manager moving a threshold. */
  conversion?: Array<{ name: string; recent: RecentConversion }>;
}

const SCORE_MEANING: Record<ScoreScaleName, string> = {
  rank: "A lead's score is its standing among your open leads: 80 means it outranks 80% of them. The calibrated probability is written next to it.",
  probability: 'Scores are calibrated probabilities: a lead scoring 80 converts about 80 times in 100.',
};

export function tiersPage(p: TiersPageInput): SafeHtml {
  return layout(
    { title: 'Priority tiers', nav: 'tiers', user: p.user, csrf: p.csrf, scripts: ['/static/activity.js', '/static/tiers.js'] },
    html`<div class="page-head">
  <div>
    <h1>Priority tiers</h1>
    <p class="muted">A tier holds the leads scoring at least its minimum. ${SCORE_MEANING[p.scale]}</p>
    <ul class="muted intro-points" id="capacity-meaning">
      <li><b>Top N leads a day</b> is your reps' daily call list: each scoring cycle it takes the N best-scored open leads of each CRM that no higher tier took, so it stays at N as lead volume changes.</li>
      <li><b>Between cycles</b> a lead that changes joins it if it beats the tier's last lead.</li>
      <li><b>Ties</b> on its lowest score go to the higher conversion probability, the field written next to the score (HubSpot: ${p.probabilityLabels.hubspot}; Salesforce: ${p.probabilityLabels.salesforce}); the others, with the same score, stay in the tier below.</li>
    </ul>
  </div>
  <dl class="facts">
    <div><dt>Open leads scored</dt><dd id="open-leads">${p.openLeads.toLocaleString('en-US')}</dd></div>
    <div><dt>New leads a day</dt><dd>${p.perDay === null ? '–' : p.perDay.toFixed(1)}</dd><dd class="note">average, last ${p.perDayDays} days</dd></div>
    <div><dt>Pushed to</dt><dd>${p.connected.length > 0 ? p.connected.join(', ') : 'no CRM connected'}</dd></div>
  </dl>
</div>
${p.flash ? html`<p class="notice" role="status">${p.flash}</p>` : ''}
${activityLines(p.activities ?? [])}
<form method="post" action="/admin/tiers" class="card" id="tier-form" novalidate>
  ${csrfField(p.csrf)}
  ${errorSummary(p.formError, tierProblems(p.rows), p.refused ?? false)}
  ${warningsBox(p.warnings ?? [], p.confirm ?? null)}
  <div class="table-scroll"><table class="tiers">
    <caption class="sr-only">Tiers from highest to lowest, with a preview of the open leads each would hold</caption>
    <thead><tr><th scope="col">Tier name</th><th scope="col">Set by</th><th scope="col">Threshold</th><th scope="col" class="num">Leads now</th><th scope="col" class="preview-col">Share of open leads</th></tr></thead>
    <tbody>
      ${p.rows.map((row, i) => tierRow(row, i, p.preview[i] ?? null))}
    </tbody>
  </table></div>
  <p class="muted small">List tiers from highest to lowest; the lowest must start at 0. Fill in the empty rows to add tiers, all in one save; leave a row's name empty to remove it. “Top N a day” counts this tier alone and is saved as a number of leads, not as the score it works out to today.</p>
  ${conversionLines(p.conversion ?? [])}
  <p class="small" id="tier-conversion-link">Before moving a threshold, see how each tier's leads converted: <a href="/admin/model#recent-conversion">conversion by tier, on the Model page</a>.</p>
  <div class="actions"><button type="submit" class="primary">Save tiers</button><button type="button" class="secondary" id="add-tier" data-max-rows="${MAX_TIER_ROWS}" hidden>Add a tier</button><span class="muted small" id="preview-status" aria-live="polite"></span></div>
</form>
<section class="card">
  <h2>Change history</h2>
  ${p.history.length === 0
    ? html`<p class="muted">No changes yet: the tiers are the defaults from the configuration.</p>`
    : html`<p class="scroll-hint small" aria-hidden="true">Scroll the table sideways for more columns.</p><div class="table-scroll" tabindex="0" role="region" aria-label="Change history, scrolls sideways"><table class="history"><thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Before</th><th scope="col">After</th></tr></thead><tbody>
      ${p.history.map((h) => html`<tr><td>${when(h.at)}</td><td>${h.actor}</td><td>${tierList(h.before)}</td><td>${tierList(h.after)}</td></tr>`)}
    </tbody></table></div>`}
</section>`,
  );
}

/**
 * How each tier's leads converted lately, beside the thresholds that make the tiers: a Hot that
 * converts no better than Warm is the reason to move a threshold. Only CRMs with closed scored leads.
 */
function conversionLines(conversion: Array<{ name: string; recent: RecentConversion }>): SafeHtml {
  const shown = conversion.filter((c) => c.recent.tiers.some((t) => t.current));
  if (shown.length === 0) return html``;
  return html`<ul class="small conversion-lines" id="tier-conversion">${shown.map(
    (c) =>
      html`<li><strong>${c.name}</strong>, leads closed in the last ${c.recent.days} days by the tier they were shown in: ${c.recent.tiers
        .filter((t) => t.current)
        .map((t) => `${t.tier} ${percent(t.conversionRate)} of ${t.leads.toLocaleString('en-US')}`)
        .join(' · ')}</li>`,
  )}</ul>`;
}

/** The model page's status line, one per CRM, so a manager sees the save's rescore end here. */
function activityLines(activities: TierPageActivity[]): SafeHtml {
  if (activities.length === 0) return html``;
  return html`<ul class="card activity-lines" id="tier-activity" aria-label="Background work">${activities.map(
    (a) => html`<li data-activity-crm="${a.crm}"${a.watch ? html` data-watch` : ''}${a.since ? html` data-since="${a.since}"` : ''}><strong>${a.name}</strong> <span class="status" id="activity-${a.crm}" aria-live="polite">${a.text}</span></li>`,
  )}</ul>`;
}

/**
 * Every fault of a refused save in one list, each naming its row and linking to its field. tiers.js
 * keeps it in step with the preview (and fills it with the same words, from the preview's `problems`).
 */
function errorSummary(formError: string | null, problems: TierProblem[], refused: boolean): SafeHtml {
  const text = [formError, problems.length > 0 ? problemsHeading(problems.length, refused) : null].filter(Boolean).join(' ');
  return html`<div class="error-summary" id="form-error" role="alert" tabindex="-1"${refused && text ? html` autofocus` : ''}${text ? '' : html` hidden`}>
    <p class="error" id="form-error-text">${text}</p>
    <ul id="form-error-list">${problems.map((f) => html`<li><a href="#${f.id}">${f.label}: ${f.message}</a></li>`)}</ul>
  </div>`;
}

function problemsHeading(count: number, refused: boolean): string {
  const faults = count === 1 ? 'this problem' : `these ${count} problems`;
  return refused ? `Nothing was saved. Fix ${faults} and save again:` : `Fix ${faults} to save:`;
}

/** Filled by the server on a held-back save, and live by tiers.js from the preview. */
function warningsBox(warnings: string[], confirm: string | null): SafeHtml {
  return html`<div class="warnings-card tier-warnings" id="tier-warnings" role="alert"${warnings.length > 0 ? '' : html` hidden`}>
    <strong>Check these capacities before saving</strong>
    <ul class="warnings" id="tier-warning-list">${warnings.map((w) => html`<li>${w}</li>`)}</ul>
    <p class="small" id="tier-warning-note">${confirm ? 'Nothing was saved. Tick the box to save these tiers anyway.' : 'Saving will ask you to confirm.'}</p>
    ${confirm ? html`<label class="confirm"><input type="checkbox" name="confirm" id="tier-confirm" value="${confirm}"> Save anyway: I want these leads in the tiers shown, and the CRM's tiers rewritten to match.</label>` : ''}
  </div>`;
}

function tierRow(row: TierRow, i: number, preview: { leads: number; share: number } | null): SafeHtml {
  const id = (field: string) => `tier-${i}-${field}`;
  const err = (field: 'name' | 'min' | 'perDay') =>
    html`<span class="field-error" id="${id(field)}-error" role="alert"${row.errors[field] ? '' : html` hidden`}>${row.errors[field] ?? ''}</span>`;
  const invalid = (field: 'name' | 'min' | 'perDay') => (row.errors[field] ? html` aria-invalid="true"` : '');
  const capacity = row.mode === 'capacity';
  return html`<tr data-row="${i}">
  <td><label class="sr-only" for="${id('name')}">Tier ${i + 1} name</label><input id="${id('name')}" name="name" value="${row.name}" maxlength="40" placeholder="${row.name === '' && row.min === '' ? 'New tier' : ''}" aria-describedby="${id('name')}-error"${invalid('name')}>${err('name')}</td>
  <td><label class="sr-only" for="${id('mode')}">Tier ${i + 1} set by</label><select id="${id('mode')}" name="mode" class="mode">
    <option value="score"${capacity ? '' : html` selected`}>Minimum score</option>
    <option value="capacity"${capacity ? html` selected` : ''}>Top N leads a day</option>
  </select></td>
  <td>
    <span class="by-score"${capacity ? html` hidden` : ''}><label for="${id('min')}"><span class="sr-only">Tier ${i + 1} </span>score ≥</label> <input id="${id('min')}" name="min" class="short" inputmode="numeric" value="${row.min}" aria-describedby="${id('min')}-error"${invalid('min')}></span>
    <span class="by-capacity"${capacity ? '' : html` hidden`}><label for="${id('perDay')}"><span class="sr-only">Tier ${i + 1} </span>top</label> <input id="${id('perDay')}" name="perDay" class="short" inputmode="numeric" value="${row.perDay}" aria-describedby="${id('perDay')}-error"${invalid('perDay')}> a day <span class="computed muted" data-computed>${capacity && row.resolvedMin !== null ? `→ down to score ${row.resolvedMin} now` : ''}</span></span>
    ${err('min')}${err('perDay')}
  </td>
  <td class="num" data-leads data-label="Leads now">${preview ? preview.leads.toLocaleString('en-US') : '–'}</td>
  <td class="preview-col" data-label="Share of open leads"><div class="bar" aria-hidden="true"><span data-bar style="--w:${preview ? (preview.share * 100).toFixed(1) : '0'}%"></span></div><span class="small" data-share>${preview ? percent(preview.share) : ''}</span></td>
</tr>`;
}

function tierList(value: unknown): string {
  if (!Array.isArray(value)) return value === null ? '(defaults)' : JSON.stringify(value);
  return value.map((t: { name?: unknown; min?: unknown; perDay?: unknown }) => (t.perDay !== undefined ? `${String(t.name)}: top ${String(t.perDay)} a day` : `${String(t.name)} ≥ ${String(t.min)}`)).join(', ');
}
