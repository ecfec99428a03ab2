import type { ForestJob } from './bench-job.js';
import { CONTRIBUTIONS_TARGET, PREDICT_TARGET } from './bench-plan.js';
import type { BenchRow } from './run-bench.js';
import { int, metText, plainTable, sec } from './table-format.js';

/** Forest engines alone: training time, scoring rates, memory, raw AUC. */
export function forestTable(rows: BenchRow[]): string {
  const table = plainTable(['Workload', 'Engine', 'Train rows x features', 'Threads', 'Train s', 'Train CPU s', 'Score rows/s (wall / per CPU-s)', '+ reasons rows/s (wall / per CPU-s)', 'Peak RSS MB', 'Test AUC', 'Target', 'Met']);
  for (const row of rows) {
    const job = row.job as ForestJob;
    const r = row.result?.kind === 'forest' ? row.result : null;
    if (!r) {
      const size = job.kind === 'synthetic' ? `${int(job.rows)} x ${job.features}` : '';
      table.push([row.label, job.engine, size, job.threads, { colSpan: 6, content: row.note ?? 'no result' }, row.target?.text ?? '', metText(row.targetMet)]);
      continue;
    }
    table.push([
      row.label,
      job.engine,
      `${int(r.trainRows)} x ${r.features}`,
      job.threads,
      sec(r.trainSeconds),
      sec(r.trainCpuSeconds),
      `${int(r.predictRowsPerSecond)} / ${int(r.predictRowsPerCpuSecond)}`,
      `${int(r.contributionsRowsPerSecond)} / ${int(r.contributionsRowsPerCpuSecond)}`,
      int(r.peakRssMb),
      r.testAuc.toFixed(3),
      row.target?.text ?? '',
      metText(row.targetMet),
    ]);
  }
  return [
    table.toString(),
    `Scoring targets: >= ${int(PREDICT_TARGET)} rows/s/core without reasons, >= ${int(CONTRIBUTIONS_TARGET)} with reasons (one thread, so rows/s is per core; per CPU-s discounts time lost to other processes). ` +
      'Test AUC here is the raw forest alone on held-out rows (bank: newest 20%; synthetic: fresh rows), before blending and calibration.',
  ].join('\n');
}
