import Table from 'cli-table3';
import { wholeNumber as int } from '../domain/counted.js';
import type { StatusReport, StatusStore } from './status.js';

/** A CRM's column is wrapped at this width (a failure's reason, a promotion decision), as run's table does. */
const WIDEST = 56;

/** `leadlift status` for people: the store, one column per CRM (as run's table), then the schedule. */
export function statusTable(report: StatusReport): string {
  const rows: string[][] = [];
  const row = (label: string, value: (s: StatusReport['crms'][number]) => string) => rows.push([label, ...report.crms.map((s) => value(s))]);
  row('State', (s) => (s.ok ? 'working' : 'NEEDS ATTENTION'));
  row('Account', (s) => (s.account ? `${s.account.id} (since ${utc(s.account.since)})` : 'not recorded yet'));
  row('Tokens in the store', (s) => (s.tokensStored ? 'yes (OAuth install)' : 'none'));
  row('Cycle running now', (s) => (s.running ? `yes, since ${utc(s.running.since)}${s.running.step ? ` (${s.running.step})` : ''}: ${s.running.holder}` : 'no'));
  row('Last cycle', (s) => (s.lastCycle ? `${s.lastCycle.status === 'ok' ? 'ok' : 'FAILED'}, ${utc(s.lastCycle.startedAt)} to ${utc(s.lastCycle.finishedAt)}` : 'none yet'));
  if (report.crms.some((s) => s.lastCycle?.status === 'failed')) row('Failure', (s) => s.lastCycle?.error ?? '');
  row('Synced / scored / written / failed', (s) => {
    const c = s.lastCycle;
    if (!c || c.synced === null) return c ? 'n/a (failed cycles keep no counts)' : '';
    return [c.synced, c.scored, c.written, c.failed].map((n) => (n === null ? 'n/a' : int(n))).join(' / ');
  });
  row('Last successful cycle', (s) => (s.lastSuccessAt ? utc(s.lastSuccessAt) : 'none yet'));
  row('Model in service', (s) => (s.model ? `${s.model.version} (${s.model.engine}), trained ${utc(s.model.trainedAt)}` : 'none yet'));
  row('AUC (newest closed leads)', (s) => (s.model ? `${s.model.auc ?? 'n/a'}${s.model.evaluatedOnLeads === null ? '' : ` on ${int(s.model.evaluatedOnLeads)}`}` : ''));
  row('Trained on', (s) => (s.model?.trainedOnLeads == null ? '' : `${int(s.model.trainedOnLeads)} closed leads`));
  row('Last retrain', (s) => (s.lastRetrain ? `${utc(s.lastRetrain.finishedAt)}: ${s.lastRetrain.outcome}` : 'none yet'));
  row('Open leads scored', (s) => int(s.openLeads.scored));
  row('By tier', (s) => s.openLeads.byTier.map((t) => `${t.tier} ${int(t.leads)}`).join(', ') || 'none');
  row('Pushes pending / failed', (s) => `${int(s.pushes.pending)} / ${int(s.pushes.failed)}`);
  const colWidths = [null, ...report.crms.map((_, i) => (rows.some((r) => r[i + 1].length + 2 > WIDEST) ? WIDEST : null))];
  const table = new Table({ head: ['', ...report.crms.map((s) => s.crm)], style: { head: [], border: [] }, colWidths, wordWrap: true });
  table.push(...rows);
  const sch = report.schedule;
  return [
    `Store: ${storeLine(report.store)}`,
    table.toString(),
    `Next sync ${utc(sch.nextSync)}, next retrain ${utc(sch.nextRetrain)} (loop.schedule: sync "${sch.sync}", retrain "${sch.retrain}", ${sch.timezone}).`,
  ].join('\n');
}

/** "2026-05-02 14:00:05 UTC": every time in UTC, whatever the schedule's own time zone. */
function utc(iso: string | null): string {
  return iso ? `${iso.slice(0, 19).replace('T', ' ')} UTC` : 'never';
}

function storeLine(store: StatusStore): string {
  if (store.kind === 'sqlite') return `${store.file} (SQLite, ${(store.bytes / 1_048_576).toFixed(1)} MB)`;
  return `PostgreSQL database "${store.database}" on ${store.host}:${store.port} as user "${store.user}"`;
}
