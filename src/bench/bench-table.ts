import { evaluationTable } from './evaluation-table.js';
import { forestTable } from './forest-table.js';
import { pipelineTable } from './pipeline-table.js';
import type { BenchReport } from './run-bench.js';

/** The bench as text tables for a terminal: forest engines, the shipped model's quality, the plumbing. */
export function formatBench(report: BenchReport): string {
  const m = report.machine;
  const lines: string[] = [];
  lines.push(
    `Machine: ${m.cores} cores (${m.cpu}), ${m.memoryGb} GB, Node ${m.node}; load average ${m.loadAtStart} at start, ${m.loadAtEnd ?? '?'} at end` +
      (m.loadAtStart > m.cores * 0.5 ? ' — busy machine: timings read slow' : ''),
  );
  const forest = report.rows.filter((r) => r.job.kind === 'bank' || r.job.kind === 'synthetic');
  const evaluation = report.rows.find((r) => r.job.kind === 'evaluation');
  const pipeline = report.rows.filter((r) => !forest.includes(r) && r !== evaluation);
  if (forest.length) lines.push(forestTable(forest));
  if (evaluation) lines.push(evaluationTable(evaluation));
  if (pipeline.length) lines.push(pipelineTable(pipeline));
  const total = report.rows.reduce((s, r) => s + r.jobSeconds, 0);
  lines.push(...report.notes);
  lines.push(`${report.rows.length} jobs, each in its own process, ${Math.round(total)} s in all.`);
  return lines.join('\n');
}
