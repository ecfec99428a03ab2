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
  row('Outcomes synced', (s) => s.sync.outcomes);
  row('Model (AUC on newest closed leads)', (s) => (s.model ? `${s.model.version} (${s.model.auc ?? 'n/a'})` : 'none yet'));
  row('Trained this run', (s) => (s.train.trained ? (s.train.promoted ? 'yes, promoted' : 'yes, kept the active model') : 'no'));
  row('Leads scored', (s) => s.score.scored);
  row('Written to the CRM', (s) => s.push.written);
  row('Unchanged (not written)', (s) => Math.max(0, s.score.scored - s.push.written - s.push.failed - s.push.retryLater));
  row('Failed', (s) => (s.push.retryLater > 0 ? `${s.push.failed} (+${s.push.retryLater} retried next run)` : s.push.failed));
  row('API calls', (s) => s.apiCalls ?? 'n/a');
  row('429 responses', (s) => s.rateLimited ?? 'n/a');
  row('Seconds', (s) => s.seconds.toFixed(1));
  return table.toString();
}
