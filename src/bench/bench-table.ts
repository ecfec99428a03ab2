import Table from 'cli-table3';
import { CONTRIBUTIONS_TARGET, PREDICT_TARGET } from './bench-plan.js';
import type { BenchReport } from './run-bench.js';

const int = (v: number) => Math.round(v).toLocaleString('en-US');
const sec = (v: number) => v.toFixed(2);

/** The bench as text tables for a terminal. */
export function formatBench(report: BenchReport): string {
  const m = report.machine;
  const lines: string[] = [];
  lines.push(
    `Machine: ${m.cores} cores (${m.cpu}), ${m.memoryGb} GB, Node ${m.node}; load average ${m.loadAtStart} at start, ${m.loadAtEnd ?? '?'} at end` +
      (m.loadAtStart > m.cores * 0.5 ? ' — busy machine: timings read slow' : ''),
  );

  const table = new Table({
    head: ['Workload', 'Engine', 'Train rows x features', 'Threads', 'Train s', 'Train CPU s', 'Score rows/s (wall / per CPU-s)', '+ reasons rows/s (wall / per CPU-s)', 'Peak RSS MB', 'Test AUC', 'Target', 'Met'],
  });
  for (const row of report.rows) {
    const r = row.result;
    const met = row.targetMet === null ? '' : row.targetMet ? 'yes' : 'NO';
    if (!r) {
      const size = row.job.kind === 'synthetic' ? `${int(row.job.rows)} x ${row.job.features}` : '';
      table.push([row.label, row.job.engine, size, row.job.threads, { colSpan: 6, content: row.note ?? 'no result' }, row.target?.text ?? '', met]);
      continue;
    }
    table.push([
      row.label,
      row.job.engine,
      `${int(r.trainRows)} x ${r.features}`,
      row.job.threads,
      sec(r.trainSeconds),
      sec(r.trainCpuSeconds),
      `${int(r.predictRowsPerSecond)} / ${int(r.predictRowsPerCpuSecond)}`,
      `${int(r.contributionsRowsPerSecond)} / ${int(r.contributionsRowsPerCpuSecond)}`,
      int(r.peakRssMb),
      r.testAuc.toFixed(3),
      row.target?.text ?? '',
      met,
    ]);
  }
  lines.push(table.toString());
  lines.push(
    `Scoring targets: >= ${int(PREDICT_TARGET)} rows/s/core without reasons, >= ${int(CONTRIBUTIONS_TARGET)} with reasons (one thread, so rows/s is per core; per CPU-s discounts time lost to other processes). ` +
      'Test AUC here is the raw forest on held-out rows (bank: newest 20%; synthetic: fresh rows), before calibration.',
  );

  const e = report.evaluation;
  if (e) {
    const evalTable = new Table({ head: ['Bank evaluation (newest 20% test)', 'AUC', 'PR-AUC', 'Top-decile lift', 'Log loss', 'Brier', 'ECE', 'Train s'] });
    evalTable.push([`${e.engine} forest, calibrated`, e.auc.toFixed(3), e.prAuc.toFixed(3), e.liftTopDecile.toFixed(2), e.logLoss.toFixed(3), e.brier.toFixed(3), e.ece.toFixed(3), sec(e.trainSeconds)]);
    evalTable.push([e.baseline.name, e.baseline.auc.toFixed(3), '', e.baseline.liftTopDecile.toFixed(2), '', '', '', '']);
    evalTable.push(['scikit-learn targets (SOURCE.md)', '> 0.745', '', '> 2.0', '', '', '', '']);
    lines.push(evalTable.toString());
  } else if (report.evaluationNote) {
    lines.push(report.evaluationNote);
  }
  return lines.join('\n');
}
