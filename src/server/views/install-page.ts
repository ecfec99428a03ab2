import type { CrmName } from '../../../connectors/types.js';
import type { LoopActivity } from '../loop-runner.js';
import { html, type SafeHtml } from './html.js';
import { layout } from './layout.js';
import { activityText } from './model-page.js';

export interface CrmInstallView {
  crm: CrmName;
  name: string;
  connected: boolean;
  /** How it is connected: "environment", "OAuth install"…, or why it cannot be. */
  how: string;
  canInstall: boolean;
  missing: string | null;
  scopes: string[];
  redirectUri: string;
  activity: LoopActivity;
  /** Why connecting cannot work now (e.g. no LEADLIFT_SECRET_KEY): the button is shown disabled with it. */
  blocked?: string | null;
  /** The in-process sandbox's URL when it stands in for this CRM, so nobody takes it for a real portal. */
  sandbox?: string | null;
}

export function installPage(p: { csrf: string; user: string; crms: CrmInstallView[]; flash: string | null }): SafeHtml {
  return layout(
    { title: 'Connections', nav: 'install', user: p.user, csrf: p.csrf, scripts: ['/static/install.js'] },
    html`<div class="page-head"><div><h1>Connections</h1><p class="muted">Connect a CRM: leadlift creates its fields, reads your leads and their outcomes, trains on your history and writes scores back.</p></div></div>
${p.flash ? html`<p class="notice" role="status">${p.flash}</p>` : ''}
<div class="grid2">
${p.crms.map(
  (c) => html`<section class="card crm-card" data-crm="${c.crm}">
  <h2>${c.name} <span class="pill ${c.connected ? 'active' : 'retired'}">${c.connected ? 'connected' : 'not connected'}</span></h2>
  ${c.sandbox ? html`<p class="sandbox-note" data-sandbox><strong>Local sandbox at ${c.sandbox} — not a real ${c.crm === 'hubspot' ? 'portal' : 'org'}.</strong> Its leads are demo data; nothing is written to a real ${c.name}.</p>` : ''}
  <p class="muted">${c.how}</p>
  <div class="progress" ${c.activity.state === 'idle' ? html`hidden` : ''} data-progress>
    <div class="progress-bar" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow="${pct(c.activity)}" aria-label="${c.name} progress"><span data-fill></span></div>
    <p class="small" data-message aria-live="polite">${activityText(c.activity)}</p>
  </div>
  ${c.canInstall && c.blocked
    ? html`<p><button type="button" class="primary" disabled aria-describedby="${c.crm}-blocked">${c.connected ? `Reconnect ${c.name}` : `Connect ${c.name}`}</button></p><p class="${blockedNoteClass(c)}" id="${c.crm}-blocked">${c.blocked}</p>`
    : c.canInstall
      ? html`<p><a class="button primary" href="/install/${c.crm}/start">${c.connected ? `Reconnect ${c.name}` : `Connect ${c.name}`}</a></p>`
      : html`<p class="muted small">${c.missing}</p>`}
  <details><summary>What leadlift asks for</summary>
    <p class="small">Scopes: ${c.scopes.map((s, i) => html`${i > 0 ? ', ' : ''}<code>${s}</code>`)}</p>
    <p class="small">Redirect URL to register in the app: <code>${c.redirectUri}</code></p>
  </details>
</section>`,
)}
</div>`,
  );
}

/**
 * On a connected sandbox the demo works as it is: the missing key only matters for an OAuth
 * install, so the note reads as a note, not in an error's red that a newcomer takes for a fault.
 */
function blockedNoteClass(c: CrmInstallView): string {
  return c.sandbox && c.connected ? 'muted small blocked-note' : 'error small';
}

function pct(a: LoopActivity): number {
  if (a.state === 'done') return 100;
  return a.total > 0 ? Math.round((a.done / a.total) * 100) : 0;
}
