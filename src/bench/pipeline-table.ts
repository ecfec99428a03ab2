import type { BenchJob, PipelineResult } from './bench-job.js';
import type { BenchRow } from './run-bench.js';
import { int, metText, plainTable, sec } from './table-format.js';

/** Data and CRM plumbing: ingest, store, sandbox seed, HubSpot write-back. */
export function pipelineTable(rows: BenchRow[]): string {
  const table = plainTable(['Workload', 'Size', 'Seconds', 'Rate', 'Detail', 'Peak RSS MB', 'Target', 'Met']);
  for (const row of rows) {
    const r = row.result?.kind === 'pipeline' ? row.result : null;
    if (!r) {
      table.push([row.label, '', { colSpan: 4, content: row.note ?? 'no result' }, row.target?.text ?? '', metText(row.targetMet)]);
      continue;
    }
    table.push([row.label, `${int(r.items)} ${r.unit}`, sec(r.seconds), `${int(r.itemsPerSecond)} ${r.unit}/s`, detail(row.job, r), int(r.peakRssMb), row.target?.text ?? '', metText(row.targetMet)]);
  }
  return table.toString();
}

function detail(job: BenchJob, r: PipelineResult): string {
  const d = r.details;
  switch (job.kind) {
    case 'ingest':
      return `read ${sec(d.readSeconds)} s + typing ${sec(d.buildSeconds)} s, ${d.columns} columns`;
    case 'store':
      return `first commit (all new); replay of the page (all conflicts) ${sec(d.replaySeconds)} s`;
    case 'sandbox-seed':
      return `CSV -> leads ${sec(d.csvSeconds)} s + both CRMs loaded ${sec(d.loadSeconds)} s`;
    case 'hubspot-push':
      // Sustained ceiling: share x 100 requests per 10 s x 100 leads per batch call.
      return `peak ${(d.peakShareOfLimit * 100).toFixed(0)}% of 100 req/10 s (ceiling ${int(d.share * 1000)} leads/s), ${d.apiCalls} calls, ${d.rateLimited} x 429`;
    default:
      return '';
  }
}
