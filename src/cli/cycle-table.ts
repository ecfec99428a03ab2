import Table from 'cli-table3';
import { counted, wholeNumber } from '../domain/counted.js';
import { describePromotion } from '../domain/promotion-reason.js';
import type { CycleSummary } from '../jobs/cycle.js';

const int = wholeNumber;

/** What each CRM answers when it refuses a request for its rate or API limits. */
const RATE_LIMITED_AS: Record<CycleSummary['crm'], string> = { hubspot: 'HTTP 429', salesforce: 'REQUEST_LIMIT_EXCEEDED' };

/** A CRM's column is wrapped at this width when a cell is wider (the promotion decision, in full). */
const WIDEST = 48;

/**
 * The push's counts as the summary shows them (the table here, the JSON log event in
 * cycle-log.ts): push.retryLater includes the scores the API budget held back, so they are taken
 * out of it and counted once, as heldBack.
 */
export function pushCounts(s: Pick<CycleSummary, 'score' | 'push'>): { unchanged: number; retried: number; heldBack: number } {
  const heldBack = s.push.stopped?.unwritten ?? 0;
  return {
    unchanged: Math.max(0, s.score.scored - s.push.written - s.push.failed - s.push.retryLater),
    retried: Math.max(0, s.push.retryLater - heldBack),
    heldBack,
  };
}

/** The end-of-run summary, one column per CRM. */
export function cycleTable(summaries: CycleSummary[]): string {
  const rows: string[][] = [];
  const row = (label: string, value: (s: CycleSummary) => string | number) => rows.push([label, ...summaries.map((s) => String(value(s)))]);
  // Read and changed apart: the run after a write-back reads back every lead written (the CRM
  // re-dates them), and that is not the same as thousands of leads having changed.
  row('Leads synced', (s) => `${int(s.sync.leads)} read, ${int(s.sync.leadsChanged)} changed`);
  // Read and changed apart here too: a look-back re-reads an outcome the store already holds.
  row('Outcomes synced', (s) => `${int(s.sync.outcomes)} read, ${int(s.sync.outcomesChanged)} changed`);
  // Only after a change of the outcome rule: said where the admin looks, with what was done about it.
  if (summaries.some((s) => s.sync.outcomeRule || s.train.activeUnderEarlierRule)) row('Outcome rule', outcomeRuleCell);
  row('Model (AUC on newest closed leads)', (s) => (s.model ? `${s.model.version} (${s.model.auc ?? 'n/a'})` : 'none yet'));
  row('Trained this run', trainedCell);
  row('Leads scored', (s) => int(s.score.scored));
  row('Written to the CRM', (s) => int(s.push.written));
  row('Unchanged (not written)', (s) => int(pushCounts(s).unchanged));
  row('Failed', (s) => {
    // Scores the API budget held back did not fail: said apart, as what they are.
    const { heldBack: held, retried } = pushCounts(s);
    const parts = [retried > 0 ? `+${int(retried)} retried next run` : '', held > 0 ? `+${int(held)} held back for the API budget, written next run` : ''].filter(Boolean);
    return parts.length > 0 ? `${int(s.push.failed)} (${parts.join('; ')})` : int(s.push.failed);
  });
  row('API calls', (s) => (s.apiCalls === null ? 'n/a' : int(s.apiCalls)));
  // HubSpot answers 429, Salesforce 403 REQUEST_LIMIT_EXCEEDED (it never sends 429): one row for both.
  row('Rate-limited responses', (s) => (s.rateLimited === null ? 'n/a' : `${int(s.rateLimited)} (${RATE_LIMITED_AS[s.crm]})`));
  row('Seconds', (s) => s.seconds.toFixed(1));
  // cli-table3 wraps only columns given a width; the others keep their natural one.
  const colWidths = [null, ...summaries.map((_, i) => (rows.some((r) => r[i + 1].length + 2 > WIDEST) ? WIDEST : null))];
  const table = new Table({ head: ['', ...summaries.map((s) => s.crm)], style: { head: [], border: [] }, colWidths, wordWrap: true });
  table.push(...rows);
  return table.toString();
}

/**
 * Whether a model was trained, and why it was promoted or not, in the model page's words: the
 * decision's own figures (the AUC of each model on the same leads), never the headline test AUC.
 */
function trainedCell(s: CycleSummary): string {
  const t = s.train;
  if (!t.trained) return 'no';
  if (!t.comparison) return t.promoted ? 'yes, promoted' : 'yes, not promoted';
  const { text } = describePromotion(t.comparison);
  return `yes, ${text.charAt(0).toLowerCase()}${text.slice(1)}`;
}

/**
 * The outcome rule changed (this run derived the outcomes again), or the model in service still
 * learnt under an earlier one: what was done, so a figure measured under the old rule is not
 * compared with one under the new.
 */
function outcomeRuleCell(s: CycleSummary): string {
  const parts: string[] = [];
  const change = s.sync.outcomeRule;
  if (change && !change.applied) {
    // Progress, so an org whose re-read takes several syncs sees it move rather than the same words each run.
    parts.push(
      `changed, re-deriving under the new rule: ${counted(change.readSoFar ?? 0, 'outcome')} read so far, continues next sync ` +
        "(leadlift's API share stopped this one; the outcomes stay under the earlier rule until every one is read)",
    );
  } else if (change) {
    const gone = change.removed > 0 ? `, ${counted(change.removed, 'outcome')} gone (open under the new rule)` : '';
    parts.push(`changed: every outcome derived again (${int(s.sync.outcomes)} closed leads, ${int(s.sync.outcomesChanged)} changed${gone})`);
  }
  const t = s.train;
  const c = t.comparison;
  if (t.trained && t.activeUnderEarlierRule && c) {
    parts.push(
      c.activeAuc !== null
        ? `retrained; model ${c.activeVersion} measured again under the new rule, on the newest closed leads it never saw`
        : `retrained; model ${c.activeVersion} cannot be measured again under the new rule (too few closed leads newer than it), so the new model was only held against chance`,
    );
  }
  else if (t.trained) parts.push('retrained');
  else if (change) parts.push(`not retrained: ${t.reason}`);
  return parts.length > 0 ? parts.join('; ') : 'unchanged';
}
