import { CRM_NAMES, type CrmName } from '../../../connectors/types.js';
import type { StoredScore } from '../../store/scores.js';
import { counted } from './counted.js';
import { html, type SafeHtml } from './html.js';
import { layout, percent, when } from './layout.js';
import { trendText } from './lead-words.js';

export interface LeadsPageInput {
  csrf: string;
  user: string;
  crm: CrmName;
  crms: CrmName[];
  tiers: string[];
  /** The filters as asked: a tier, a CRM id. */
  tier: string | null;
  query: string | null;
  rows: StoredScore[];
  total: number;
  page: number;
  perPage: number;
  /** The searched id belongs to a lead the store knows that is not open (closed, deleted, forgotten). */
  knownElsewhere: boolean;
}

/** The open leads as reps see them in one CRM, best first, 50 a page. */
export function leadsPage(p: LeadsPageInput): SafeHtml {
  const crmName = CRM_NAMES[p.crm];
  const pages = Math.max(1, Math.ceil(p.total / p.perPage));
  const first = (p.page - 1) * p.perPage + 1;
  return layout(
    { title: 'Leads', nav: 'leads', user: p.user, csrf: p.csrf },
    html`<div class="page-head">
  <div>
    <h1>Leads</h1>
    <p class="muted">The open leads as reps see them in ${crmName}: each one's latest score, tier and reasons, the same words leadlift wrote to the CRM. Best first.</p>
  </div>
  ${p.crms.length > 1 ? html`<nav class="segmented" aria-label="CRM">${p.crms.map((c) => html`<a href="/admin/leads?crm=${c}"${c === p.crm ? html` aria-current="page" class="current"` : ''}>${CRM_NAMES[c]}</a>`)}</nav>` : ''}
</div>
<section class="card">
  <form method="get" action="/admin/leads" class="lead-filters" role="search" aria-label="Find leads">
    <input type="hidden" name="crm" value="${p.crm}">
    <label>Tier <select name="tier"><option value="">All tiers</option>${p.tiers.map((t) => html`<option value="${t}"${t === p.tier ? ' selected' : ''}>${t}</option>`)}</select></label>
    <label>${crmName} id <input type="search" name="q" value="${p.query ?? ''}" maxlength="100" autocomplete="off" spellcheck="false"></label>
    <button type="submit" class="secondary">Show</button>
    ${p.tier || p.query ? html`<a href="/admin/leads?crm=${p.crm}">Show all</a>` : ''}
  </form>
  <p id="leads-count" role="status">${summary(p, first)}</p>
  ${p.rows.length > 0 ? table(p) : emptyNote(p, crmName)}
  ${pages > 1 ? pager(p, pages) : ''}
</section>`,
  );
}

function summary(p: LeadsPageInput, first: number): string {
  const what = `${counted(p.total, 'open lead')}${p.tier ? ` in ${p.tier}` : ''}`;
  if (p.rows.length === 0) return p.query ? `No open lead has the id ${p.query}.` : `${what}.`;
  return `${first.toLocaleString('en-US')}–${(first + p.rows.length - 1).toLocaleString('en-US')} of ${what}.`;
}

function emptyNote(p: LeadsPageInput, crmName: string): SafeHtml {
  if (p.query) return p.knownElsewhere ? html`<p>It is not open any more: <a href="${leadHref(p.crm, p.query)}">see lead ${p.query}</a>.</p>` : html`<p class="muted">leadlift has no lead with this id in ${crmName}. Ids are the CRM's record ids, matched exactly.</p>`;
  if (p.total > 0) return html`<p class="muted">No leads on this page. <a href="${pageHref(p, 1)}">Back to the first page</a>.</p>`;
  return html`<p class="muted">${p.tier ? `No open lead is in ${p.tier} now.` : `No open lead has a score yet: leadlift scores ${crmName}'s leads once a model is active.`}</p>`;
}

function table(p: LeadsPageInput): SafeHtml {
  return html`<p class="scroll-hint small" aria-hidden="true">Scroll the table sideways for more columns.</p>
  <div class="table-scroll" tabindex="0" role="region" aria-label="Open leads, scrolls sideways"><table class="data" id="leads"><thead><tr><th scope="col">Lead</th><th scope="col" class="num">Score</th><th scope="col">Tier</th><th scope="col" class="num">Probability</th><th scope="col">Trend</th><th scope="col">Reasons</th><th scope="col">Scored</th><th scope="col">Model</th></tr></thead><tbody>
  ${p.rows.map((s) => html`<tr><th scope="row"><a href="${leadHref(p.crm, s.leadId)}">${s.leadId}</a></th><td class="num">${s.score}</td><td>${s.tier}</td><td class="num">${percent(s.probability)}</td><td class="trend">${trendText(s.trend)}</td><td class="reasons small">${s.reasons}</td><td class="when">${when(s.scoredAt)}</td><td><code>${s.modelVersion}</code></td></tr>`)}
  </tbody></table></div>`;
}

function pager(p: LeadsPageInput, pages: number): SafeHtml {
  return html`<nav class="pager" aria-label="Pages"><span>${p.page > 1 ? html`<a href="${pageHref(p, p.page - 1)}" rel="prev">← Previous</a>` : ''}</span><span>Page ${p.page.toLocaleString('en-US')} of ${pages.toLocaleString('en-US')}</span><span>${p.page < pages ? html`<a href="${pageHref(p, p.page + 1)}" rel="next">Next →</a>` : ''}</span></nav>`;
}

export function leadHref(crm: CrmName, leadId: string): string {
  return `/admin/leads/${crm}/${encodeURIComponent(leadId)}`;
}

function pageHref(p: LeadsPageInput, page: number): string {
  const q = new URLSearchParams({ crm: p.crm });
  if (p.tier) q.set('tier', p.tier);
  if (p.query) q.set('q', p.query);
  if (page > 1) q.set('page', String(page));
  return `/admin/leads?${q}`;
}
