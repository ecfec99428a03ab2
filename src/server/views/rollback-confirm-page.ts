import { CRM_NAMES, type CrmName } from '../../../connectors/types.js';
import { html, type SafeHtml } from './html.js';
import { csrfField, layout } from './layout.js';

export interface RollbackConfirmInput {
  csrf: string;
  user: string;
  crm: CrmName;
  /** The model asked for, and the one it would replace (null: none is active). */
  version: string;
  active: string | null;
  /** Without a connection the rescore waits for one, so nothing is rewritten now. */
  connected: boolean;
}


/**
 * The step between "Roll back to this" and the rollback: a rollback rewrites every open lead's
 * score in the CRM, so the manager is told so and must submit once more (the route refuses a
 * rollback whose `confirm` field does not name the version).
 */
export function rollbackConfirmPage(p: RollbackConfirmInput): SafeHtml {
  const crm = CRM_NAMES[p.crm];
  return layout(
    { title: 'Roll back the model?', nav: 'model', user: p.user, csrf: p.csrf },
    html`<section class="card narrow" id="rollback-confirm">
  <h1>Roll back ${crm} to <code>${p.version}</code>?</h1>
  <p><code>${p.version}</code> becomes the active model${p.active ? html` in place of <code>${p.active}</code>` : ''}. ${p.connected
    ? html`leadlift then rescores every open lead with it right away, and their score, tier and reasons in ${crm} are rewritten: reps see the new values as soon as the rescore has run.`
    : html`${crm} is not connected now: the open leads are rescored with it, and their scores in ${crm} rewritten, at the first cycle once it is.`}</p>
  <p class="muted">The rollback is recorded with your name. ${p.active ? html`<code>${p.active}</code> stays listed and can be made active again the same way.` : ''}</p>
  <form method="post" action="/admin/model/rollback">${csrfField(p.csrf)}<input type="hidden" name="crm" value="${p.crm}"><input type="hidden" name="version" value="${p.version}"><input type="hidden" name="confirm" value="${p.version}">
    <div class="actions"><button type="submit" class="primary">Roll back and rewrite scores</button> <a class="button secondary" href="/admin/model?crm=${p.crm}">Cancel</a></div>
  </form>
</section>`,
  );
}
