import Table from 'cli-table3';
import type { CycleSummary } from '../jobs/cycle.js';

const int = (n: number) => n.toLocaleString('en-US');

/** The end-of-run summary, one column per CRM. */
export function cycleTable(summaries: CycleSummary[]): string {
  const table = new Table({ head: ['', ...summaries.map((s) => s.crm)], style: { head: [], border: [] } });
  const row = (label: string, value: (s: CycleSummary) => string | number) => table.push([label, ...summaries.map((s) => String(value(s)))]);
  // Read and changed apart: the run after a write-back reads back every lead written (the CRM
  // re-dates them), and that is not the same as thousands of leads having changed.
  row('Leads synced', (s) => `${int(s.sync.leads)} read, ${int(s.sync.leadsChanged)} changed`);
  row('Outcomes synced', (s) => int(s.sync.outcomes));
  row('Model (AUC on newest closed leads)', (s) => (s.model ? `${s.model.version} (${s.model.auc ?? 'n/a'})` : 'none yet'));
  row('Trained this run', trainedCell);
  row('Leads scored', (s) => int(s.score.scored));
  row('Written to the CRM', (s) => int(s.push.written));
  row('Unchanged (not written)', (s) => int(Math.max(0, s.score.scored - s.push.written - s.push.failed - s.push.retryLater)));
  row('Failed', (s) => (s.push.retryLater > 0 ? `${int(s.push.failed)} (+${int(s.push.retryLater)} retried next run)` : int(s.push.failed)));
  row('API calls', (s) => (s.apiCalls === null ? 'n/a' : int(s.apiCalls)));
  row('429 responses', (s) => (s.rateLimited === null ? 'n/a' : int(s.rateLimited)));
  row('Seconds', (s) => s.seconds.toFixed(1));
  return table.toString();
}

/** Whether a model was trained, and on what grounds it was promoted or not, as the model page says it. */
function trainedCell(s: CycleSummary): string {
  const t = s.train;
  if (!t.trained) return 'no';
  const auc = (x: number) => x.toFixed(3);
  if (t.promoted) return t.activeAuc == null ? 'yes, promoted (no active model to beat)' : `yes, promoted (AUC ${auc(t.auc!)} > ${auc(t.activeAuc)})`;
  return t.auc !== undefined && t.activeAuc != null ? `yes, kept the active model (AUC ${auc(t.auc)} not above ${auc(t.activeAuc)})` : 'yes, kept the active model';
}
